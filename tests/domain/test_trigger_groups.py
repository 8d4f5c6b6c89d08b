"""Items that need all of their parts: trigger groups, partial evidence, client groups."""

from __future__ import annotations

import pytest

from scorecard.domain.cards import load_card, parse_card
from scorecard.domain.detection import Detector, ItemDetection
from scorecard.domain.library import find_card
from scorecard.domain.transcripts import CLIENT, OPERATOR, Turn
from scorecard.errors import CardError


def item(card_id: str, turns: list[Turn], key: tuple[str, str]) -> ItemDetection:
    card = find_card(card_id)[0]
    return next(r for r in Detector(card).detect(turns) if (r.stage_id, r.item_id) == key)


def op(text: str) -> Turn:
    return Turn(OPERATOR, text)


def test_a_company_name_alone_is_not_a_greeting() -> None:
    result = item("telemarketing-invoice", [op("алло компания э офисснаб")],
                  ("contact", "greeting"))
    assert not result.found and result.parts == (1, 3) and result.partial
    assert [g.group for g in result.groups if g.found] == ["company"]


def test_greeting_name_and_company_each_heard_pass() -> None:
    result = item("telemarketing-invoice",
                  [op("Добрый день! Меня зовут Катя, компания ОфисСнаб, удобно говорить?")],
                  ("contact", "greeting"))
    assert result.found and result.parts == (3, 3) and not result.partial
    assert result.as_json()["parts"] == "3/3"


def test_the_parts_may_come_in_different_turns_and_orders() -> None:
    turns = [op("алло, офисснаб, меня зовут лена"), Turn(CLIENT, "да"), op("добрый день")]
    assert item("telemarketing-invoice", turns, ("contact", "greeting")).found


def test_asking_the_name_is_not_using_it_until_the_client_gives_one() -> None:
    asked = [op("Подскажите, как вас зовут?"), Turn(CLIENT, "а зачем вам")]
    result = item("inbound-reactivation", asked, ("contact", "by_name"))
    assert not result.found and result.parts == (1, 2)
    named = [op("Подскажите, как вас зовут?"), Turn(CLIENT, "меня зовут Ольга")]
    assert item("inbound-reactivation", named, ("contact", "by_name")).found


def test_the_client_names_themselves_only_after_being_asked() -> None:
    turns = [Turn(CLIENT, "алло, меня зовут Ольга"), op("подскажите, как вас зовут?")]
    result = item("inbound-reactivation", turns, ("contact", "by_name"))
    assert not result.found and result.parts == (1, 2)


OBJECTION = ("objections", "handled")


def test_an_answer_counts_only_after_the_objection() -> None:
    before = [op("that's a fair point, let me explain"), Turn(CLIENT, "we already have a system"),
              op("okay, bye then")]
    result = item("english-sales-call", before, OBJECTION)
    assert not result.found and [g.found for g in result.groups] == [True, False]
    after = [*before, Turn(CLIENT, "so?"), op("that's a fair point, but it keeps the bookings")]
    result = item("english-sales-call", after, OBJECTION)
    # the answer said before the objection is passed over: the evidence is the later one
    assert result.found and result.groups[1].turn == 4


def test_a_client_group_is_not_found_in_the_operators_words() -> None:
    turns = [op("подскажите как вас зовут, меня зовут Анна")]
    assert not item("inbound-reactivation", turns, ("contact", "by_name")).found


def test_plain_items_are_unchanged_by_groups_elsewhere_in_the_card() -> None:
    turns = [op("выставлю вам счёт сегодня")]
    result = item("telemarketing-invoice", turns, ("close", "invoice"))
    assert result.found and result.groups == () and result.parts is None


CARD = """
id = "grouped"
title = "Группы"
language = "ru"
version = 1
[[stage]]
id = "contact"
title = "Контакт"
weight = 100
[[stage.item]]
id = "greeting"
text = "Поздоровался и представился"
weight = 100
match = "{match}"
{groups}
"""
GROUPS = """
[[stage.item.group]]
id = "hello"
triggers = ["добрый день"]
[[stage.item.group]]
id = "name"
triggers = ["меня зовут"]
"""


def card_text(tmp_path, match: str = "all", groups: str = GROUPS, extra: str = ""):
    path = tmp_path / "card.toml"
    path.write_text(CARD.format(match=match, groups=groups + extra), encoding="utf-8")
    return path


def test_match_any_takes_one_group(tmp_path) -> None:
    card = load_card(card_text(tmp_path, match="any"))
    result = Detector(card).detect([op("меня зовут анна")])[0]
    # groups of an «any» item are alternatives: one is full evidence, never «partial»
    assert result.found and result.parts is None and not result.partial
    assert [g.found for g in result.groups] == [False, True]
    assert "parts" not in result.as_json() and len(result.as_json()["groups"]) == 2


@pytest.mark.parametrize("extra,message", [
    ('triggers = ["привет"]\n', "give either triggers or [[stage.item.group]] tables"),
    ('[[stage.item.group]]\nid = "hello"\ntriggers = ["здравствуйте"]\n',
     "duplicate group id 'hello'"),
    ('[[stage.item.group]]\nid = "empty"\ntriggers = []\n', "group 'empty' › triggers"),
    ('[[stage.item.group]]\nid = "who"\nspeaker = "boss"\ntriggers = ["да"]\n',
     "group 'who' › speaker"),
])
def test_cards_check_validates_groups(tmp_path, extra: str, message: str) -> None:
    text = CARD.format(match="all", groups=GROUPS)
    if extra.startswith("triggers"):
        text = text.replace('match = "all"', 'match = "all"\n' + extra)
    else:
        text += extra
    path = tmp_path / "card.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CardError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_card(path)


@pytest.mark.parametrize("after,match,message", [
    ("nobody", "all", "after = 'nobody' names no other group"),
    ("name", "all", "after = 'name' names no other group"),
    ("hello", "any", "alternatives have no order"),
])
def test_cards_check_validates_the_order_of_parts(tmp_path, after: str, match: str,
                                                   message: str) -> None:
    groups = GROUPS.replace('id = "name"\n', f'id = "name"\nafter = "{after}"\n')
    with pytest.raises(CardError, match=message):
        load_card(card_text(tmp_path, match=match, groups=groups))


def test_an_order_may_not_chain(tmp_path) -> None:
    groups = GROUPS.replace('id = "name"\n', 'id = "name"\nafter = "hello"\n') + (
        '[[stage.item.group]]\nid = "company"\nafter = "name"\ntriggers = ["компания"]\n')
    with pytest.raises(CardError, match="itself after another group"):
        load_card(card_text(tmp_path, groups=groups))


def test_match_all_without_groups_is_refused() -> None:
    data = {"id": "x", "title": "x", "language": "ru", "version": 1, "stage": [
        {"id": "a", "title": "a", "weight": 100, "item": [
            {"id": "b", "text": "b", "weight": 100, "match": "all", "triggers": ["добрый день"]}
        ]}]}
    with pytest.raises(CardError, match='match = "all" needs'):
        parse_card(data, source="x.toml")


def test_old_cards_keep_their_stored_form() -> None:
    card = find_card("security-cold-call")[0]
    assert '"match"' not in card.canonical_json() and '"group"' not in card.canonical_json()


def test_parts_may_share_a_phrase_alternatives_may_not(tmp_path) -> None:
    shared = '[[stage.item.group]]\nid = "company"\ntriggers = ["меня зовут"]\n'
    card = load_card(card_text(tmp_path, match="all", extra=shared))
    result = Detector(card).detect([op("добрый день меня зовут анна")])[0]
    assert result.found and result.parts == (3, 3)  # one phrase showed two parts
    with pytest.raises(CardError, match="trigger 'меня зовут' is listed twice"):
        load_card(card_text(tmp_path, match="any", extra=shared))

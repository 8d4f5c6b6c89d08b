"""Card files: what validation accepts, and the messages it gives for what it rejects."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.domain.cards import STANDARD_STAGES, CardError, load_card, parse_card
from tests.factories import GOOD


def write(tmp_path: Path, text: str, name: str = "card.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_card_loads_with_both_trigger_forms(tmp_path: Path) -> None:
    card = load_card(write(tmp_path, GOOD))
    assert [s.id for s in card.stages] == ["contact", "close"]
    greeting = card.item("contact", "greeting")
    assert greeting.critical and not greeting.na_allowed
    assert [(t.text, t.exact) for t in greeting.triggers] == [
        ("добрый день меня зовут", False),
        ("Щит-Мониторинг", True),
    ]
    assert card.item("contact", "polite").triggers == []
    assert card.item_keys() == [
        ("contact", "greeting"), ("contact", "polite"), ("close", "meeting")
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('weight = 60\ncritical', 'weight = 60\ncolour = "red"\ncritical',
         "stage 'contact' › item 'greeting' › colour: unknown key"),
        ('id = "polite"', 'id = "greeting"', "stage 'contact': duplicate item id 'greeting'"),
        ('id = "close"', 'id = "contact"', "duplicate stage id 'contact'"),
        ("weight = 40\n\n[[stage.item]]\nid = \"greeting\"",
         "weight = 30\n\n[[stage.item]]\nid = \"greeting\"",
         "stage weights of the card sum to 90, not 100"),
        ("weight = 60\ncritical", "weight = 50\ncritical",
         "stage 'contact': item weights in this stage sum to 90, not 100"),
        ('language = "ru"', 'language = "russian"', "language: 'russian' is not an ISO 639-1"),
        ('id = "tiny-card"', 'id = "Tiny Card"', "id: String should match pattern"),
        ('triggers = ["назначим встречу"]', 'triggers = ["назначим встречу", "Назначим встречу"]',
         "stage 'close' › item 'meeting' › triggers: trigger 'Назначим встречу' is listed twice"),
        ('version = 1\n', '', "version: required key is missing"),
        ('triggers = ["назначим встречу"]', 'triggers = ["назначим * встречу"]',
         "trigger 'назначим * встречу': * (any one word) needs exact = true"),
        ('triggers = ["назначим встречу"]',
         'triggers = [{ text = "* встречу", exact = true }]', "* stands alone for one word"),
        ('triggers = ["назначим встречу"]',
         'triggers = [{ text = "назначим вс*", exact = true }]', "* stands alone for one word"),
    ],
)
def test_broken_cards_name_file_stage_item_and_problem(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(CardError) as caught:
        load_card(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_an_empty_file_is_an_empty_card(tmp_path: Path) -> None:
    with pytest.raises(CardError, match="the card is empty"):
        load_card(write(tmp_path, ""))


def test_a_card_without_stages_is_rejected(tmp_path: Path) -> None:
    head = GOOD.split("[[stage]]")[0]
    with pytest.raises(CardError, match="stage: required key is missing"):
        load_card(write(tmp_path, head))


def test_toml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace('title = "Контакт"', 'title = "Контакт'))
    with pytest.raises(CardError, match=r"card.toml:8: not valid TOML: .*line 8"):
        load_card(path)


def test_cp1251_file_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "card.toml"
    path.write_bytes(GOOD.encode("cp1251"))
    with pytest.raises(CardError, match=r"card.toml:2: not UTF-8 text"):
        load_card(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(CardError, match="no such file"):
        load_card(tmp_path / "nope.toml")
    with pytest.raises(CardError, match="is a folder, not a card"):
        load_card(tmp_path)


def test_content_hash_ignores_the_declared_version_only(tmp_path: Path) -> None:
    card = load_card(write(tmp_path, GOOD))
    bumped = load_card(write(tmp_path, GOOD.replace("version = 1", "version = 2"), "b.toml"))
    edited = load_card(write(tmp_path, GOOD.replace("Вежливый тон", "Вежливый тон!"), "c.toml"))
    assert card.content_hash() == bumped.content_hash()
    assert card.content_hash() != edited.content_hash()


def test_canonical_json_round_trips(tmp_path: Path) -> None:
    card = load_card(write(tmp_path, GOOD))
    again = type(card).from_json(card.canonical_json())
    assert again == card
    assert again.canonical_json() == card.canonical_json()


def test_parse_card_rejects_wrong_types_with_location() -> None:
    expected = r"x.toml: stage 'contact' › weight: Input should be a valid number"
    with pytest.raises(CardError, match=expected):
        parse_card(
            {"id": "a", "title": "A", "language": "en", "version": 1,
             "stage": [{"id": "contact", "title": "C", "weight": "much", "item": []}]},
            source="x.toml",
        )


def test_shipped_cards_cover_the_sales_script(shipped_cards) -> None:
    assert len(shipped_cards) >= 4
    languages = {card.language for card in shipped_cards}
    assert {"ru", "en"} <= languages
    for card in shipped_cards:
        assert [s.id for s in card.stages][:6] == list(STANDARD_STAGES), card.id
        assert any(i.critical for s in card.stages for i in s.items), card.id
        triggers = [t.text for s in card.stages for i in s.items for t in i.triggers]
        assert len(triggers) >= 20, card.id
        assert len({t.casefold() for t in triggers}) == len(triggers), card.id

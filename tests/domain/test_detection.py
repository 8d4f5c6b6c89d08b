"""The trigger detector on the hard cases speech-to-text and real people produce."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.domain.cards import parse_card
from scorecard.domain.detection import DETECTOR_VERSION, Detector
from scorecard.domain.text import char_span, normalise
from scorecard.domain.transcripts import Turn

CARD = parse_card(
    {
        "id": "t", "title": "T", "language": "ru", "version": 1,
        "stage": [
            {"id": "contact", "title": "Контакт", "weight": 30, "item": [
                {"id": "greeting", "text": "g", "weight": 60,
                 "triggers": ["добрый день меня зовут", "вас беспокоит компания"]},
                {"id": "company", "text": "c", "weight": 40,
                 "triggers": [{"text": "Щит-Мониторинг", "exact": True}]},
            ]},
            {"id": "price", "title": "Цена", "weight": 30, "item": [
                {"id": "price", "text": "p", "weight": 100, "triggers": ["стоимость составит"]},
            ]},
            {"id": "close", "title": "Завершение", "weight": 40, "item": [
                {"id": "invoice", "text": "i", "weight": 50,
                 "triggers": ["выставим вам счет", "отправлю счет на почту"]},
                {"id": "meeting", "text": "m", "weight": 50, "threshold": 90,
                 "triggers": ["договорились о встрече", "менеджер подъедет к вам"]},
            ]},
        ],
    },
    source="test",
)


def found(text: str, item: str, speaker: str = "operator") -> bool:
    results = Detector(CARD).detect([Turn(speaker, text)])
    return next(r for r in results if r.item_id == item).found


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("Добрый день! Меня зовут Анна.", "greeting"),
        ("ДОБРЫЙ ДЕНЬ, МЕНЯ ЗОВУТ АННА", "greeting"),
        ("добрый ден меня зовут анна", "greeting"),  # misrecognised ending
        ("добрый день э-э меня зовут анна", "greeting"),  # filler inside
        ("ну добрый день вот меня как бы зовут анна", "greeting"),
        ("меня зовут анна добрый день", "greeting"),  # swapped halves
        ("вас беспокоит компания щит", "greeting"),
        ("вас компания беспокоит", "greeting"),  # swapped pair
        ("беспокоит компания щит мониторинг", "greeting"),  # dropped short word
        ("выставлю вам чет сегодня", "invoice"),  # endings and a lost letter
        ("мы выставим вам счета до обеда", "invoice"),  # inflection
        ("выставим счет сегодня же", "invoice"),  # dropped short word
        ("я отправлю вам счёт на почту", "invoice"),  # ё and an extra word
        ("стоимость ну составит двадцать тысяч", "price"),
        ("стоимость составит двадцать тысяч", "price"),
        ("наш менеджер подъедет к вам в четверг", "meeting"),
        ("это Щит-Мониторинг", "company"),
        ("щит мониторинг беспокоит", "company"),
    ],
)
def test_operator_phrases_are_found(text: str, item: str) -> None:
    assert found(text, item), text


@pytest.mark.parametrize(
    ("text", "item"),
    [
        ("стоимость у нас зависит от объекта", "price"),  # one shared common word
        ("стоимость", "price"),
        ("добрый день меня интересует охрана", "greeting"),  # near-miss key word
        ("выставка вам понравится", "invoice"),  # similar but a different word
        ("счёт выставлять не будем", "invoice"),  # negation after
        ("не будем выставлять вам счет", "invoice"),  # negation before
        ("мы не выставим вам счет без договора", "invoice"),
        ("отправлю на почту презентацию", "invoice"),  # key word missing
        ("щитмониторинг", "company"),  # exact means exact
        ("менеджер к вам не подъедет", "meeting"),
    ],
)
def test_near_misses_are_not_found(text: str, item: str) -> None:
    assert not found(text, item), text


def test_client_speech_never_counts_when_speakers_are_known() -> None:
    turns = [
        Turn("operator", "Алло, это охранное предприятие."),
        Turn("client", "Добрый день, меня зовут Виктор, выставите нам счёт."),
    ]
    results = {r.item_id: r for r in Detector(CARD).detect(turns)}
    assert not results["greeting"].found
    assert not results["invoice"].found


def test_all_turns_count_when_speakers_are_unknown() -> None:
    turns = [Turn("unknown", "алло"), Turn("unknown", "добрый день меня зовут анна")]
    results = {r.item_id: r for r in Detector(CARD).detect(turns)}
    assert results["greeting"].found and results["greeting"].turn == 1


def test_a_phrase_split_across_turns_does_not_count() -> None:
    turns = [Turn("operator", "стоимость"), Turn("operator", "составит двадцать тысяч")]
    results = {r.item_id: r for r in Detector(CARD).detect(turns)}
    assert not results["price"].found


def test_evidence_points_into_the_original_text() -> None:
    text = "Так, Виктор, ну... выставим вам СЧЁТ сегодня!"
    turns = [Turn("operator", "Добрый день!"), Turn("operator", text)]
    result = next(r for r in Detector(CARD).detect(turns) if r.item_id == "invoice")
    assert result.found and result.turn == 1
    assert result.start is not None and result.end is not None
    assert text[result.start:result.end] == "выставим вам СЧЁТ"
    assert result.text == "выставим вам СЧЁТ"
    assert result.trigger == "выставим вам счет"
    assert 85 <= result.score <= 100


def test_every_item_gets_a_result_in_card_order() -> None:
    results = Detector(CARD).detect([Turn("operator", "")])
    assert [(r.stage_id, r.item_id) for r in results] == CARD.item_keys()
    by_ear = CARD.model_copy(deep=True)
    by_ear.stages[2].items[1].__dict__["triggers"] = []
    assert ("close", "meeting") not in [
        (r.stage_id, r.item_id) for r in Detector(by_ear).detect([Turn("operator", "")])]
    assert not any(r.found for r in results)
    assert all(r.score == 0 for r in results)
    assert DETECTOR_VERSION


def test_item_thresholds_apply() -> None:
    assert found("договорились о встрече", "meeting")
    strict = parse_card(
        {**CARD.model_dump(by_alias=True), "detection": {"threshold": 100}}, source="strict")
    results = {r.item_id: r for r in Detector(strict).detect(
        [Turn("operator", "добрый ден меня зовут анна")])}
    assert not results["greeting"].found
    assert results["greeting"].score >= 85


def test_the_vocabulary_cache_does_not_change_results() -> None:
    detector = Detector(CARD)
    texts = ["выставлю вам чет сегодня", "стоимость у нас разная", "добрый ден меня зовут"]
    first = [detector.detect([Turn("operator", t)]) for t in texts]
    second = [detector.detect([Turn("operator", t)]) for t in texts]
    assert first == second
    assert first == [Detector(CARD).detect([Turn("operator", t)]) for t in texts]


def test_normalise_keeps_length() -> None:
    text = "Ёлки-палки, «Щит»: 100% — ОК!"
    assert len(normalise(text)) == len(text)
    assert normalise(text).split() == ["елки", "палки", "щит", "100", "ок"]


_GAPS = st.text(st.sampled_from(list(" ,.\t—-\u00a0")), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(said=st.lists(st.tuples(st.text(st.sampled_from(list("abёЖ9")), min_size=1, max_size=4),
                               _GAPS), min_size=1, max_size=12),
       times=st.integers(1, 8), lead=_GAPS, first=st.integers(0, 90), span=st.integers(0, 8))
def test_evidence_offsets_are_the_words_of_the_normalised_text(
        said: list[tuple[str, str]], times: int, lead: str, first: int, span: int) -> None:
    """Words ``first``…``first + span`` of a turn, as ``normalise(text).split()`` counts
    them, are found at the same places in the original text, however far in the turn."""
    text = lead + "".join(word + gap for word, gap in said) * times  # long turns too
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", normalise(text))]
    first = first % len(words)
    last = min(first + span, len(words) - 1)
    assert char_span(text, first, last) == (words[first][0], words[last][1])

"""English phrases: the words that carry a trigger's meaning may not be dropped or swapped,
negations and contractions reject, while inflections, fillers, word order, a dropped minor
word and speech-to-text typos still match. Sentences are our own, of the shapes real calls
produced false suggestions with."""

from __future__ import annotations

import pytest

from scorecard.domain.cards import parse_card
from scorecard.domain.detection import Detector
from scorecard.domain.transcripts import OPERATOR, Turn

TRIGGERS = {
    "enroll": "would you like to enroll",
    "sense": "does that make sense",
    "clear": "is that clear",
    "price": "plans start at",
    "value": "companies like yours",
    "demo": "book a demo",
    "time": "is now a good time",
}
CARD = parse_card({
    "id": "english-precision", "title": "English", "language": "en", "version": 1,
    "stage": [{"id": "all", "title": "All", "weight": 100, "item": [
        {"id": key, "text": key, "weight": round(100 / len(TRIGGERS), 6) if n else
         100 - round(100 / len(TRIGGERS), 6) * (len(TRIGGERS) - 1), "triggers": [phrase]}
        for n, (key, phrase) in enumerate(TRIGGERS.items())]}]}, source="test")
DETECTOR = Detector(CARD)


def found(text: str) -> set[str]:
    return {r.item_id for r in DETECTOR.detect([Turn(OPERATOR, text)]) if r.found}


@pytest.mark.parametrize("text,item", [
    ("so we would enroll you in the starter tier today", "enroll"),
    ("honestly it doesn't make sense for a team your size", "sense"),
    ("it does not make sense to wait", "sense"),
    ("so that we have a clear picture of your week", "clear"),
    ("we're planning to start the rollout in march", "price"),
    ("what does your company do exactly", "value"),
    ("we don't book a demo without a manager on the call", "demo"),
    ("i can't book a demo for you this week", "demo"),
    ("it isn't a good time now is it", "time"),
])
def test_a_changed_or_denied_meaning_is_not_the_phrase(text: str, item: str) -> None:
    assert item not in found(text)


@pytest.mark.parametrize("text,item", [
    ("uh would you like to um enroll today", "enroll"),
    ("would you like to enrol", "enroll"),  # a typo
    ("does that uh make sense to you", "sense"),
    ("so is that clear", "clear"),
    ("our plans they start at forty nine a month", "price"),
    ("a lot of companies like yours use it", "value"),
    ("companies just like yours save hours", "value"),
    ("let's book you a demo for thursday", "demo"),
    ("i'd love to book a quick demo", "demo"),
    ("is now an okay time, is now a good time", "time"),
])
def test_paraphrases_still_match(text: str, item: str) -> None:
    assert item in found(text)


def russian_card(trigger: str) -> Detector:
    return Detector(parse_card({
        "id": "pharma", "title": "Фарма", "language": "ru", "version": 1,
        "stage": [{"id": "price", "title": "Цена", "weight": 100, "item": [
            {"id": "item", "text": "Пункт", "weight": 100, "triggers": [trigger]}]}]},
        source="test"))


def test_a_russian_filler_pair_inside_a_phrase_is_passed_over() -> None:
    detector = russian_card("цена за упаковку")
    assert detector.detect([Turn(OPERATOR, "165 € это цена по факту одной упаковки")])[0].found


def test_a_filler_pair_a_phrase_says_is_that_phrase_words() -> None:
    detector = russian_card("оплата по факту поставки")
    assert detector.detect([Turn(OPERATOR, "у нас оплата по факту поставки")])[0].found
    assert not detector.detect([Turn(OPERATOR, "у нас оплата поставки")])[0].found

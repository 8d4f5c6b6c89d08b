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
    "walk": "walk me through",
    "budget": "no budget",
    "care": "actually care about",
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


NEGATED_INVITE = Detector(parse_card({
    "id": "invite", "title": "Invite", "language": "en", "version": 1,
    "stage": [{"id": "close", "title": "Close", "weight": 100, "item": [
        {"id": "invite", "text": "invite", "weight": 50,
         "triggers": ["calendar invite", "send you a calendar invite"]},
        {"id": "check", "text": "check", "weight": 50,
         "triggers": ["how does that sound", "does that sound useful"]}]}]}, source="test"))


def said(text: str) -> set[str]:
    return {r.item_id for r in NEGATED_INVITE.detect([Turn(OPERATOR, text)]) if r.found}


@pytest.mark.parametrize("text", [
    "okay then i can't send you a calendar invite till you've checked with him",
    "i didn't want to just send you a calendar invite out of the blue",
    "so i won't send you a calendar invite or anything",
    "we never really send out the calendar invite ourselves",
])
def test_an_english_negation_reaches_over_the_words_of_its_clause(text: str) -> None:
    assert "invite" not in said(text)


@pytest.mark.parametrize("text,item", [
    ("no problem, i'll send you a calendar invite", "invite"),
    ("if you don't mind i'll send you a calendar invite", "invite"),
    ("it's not urgent and the calendar invite is on its way", "invite"),
    ("no more loads you can't defend. how does that sound", "check"),
    ("no more rejected loads you cannot defend, does that sound useful", "check"),
])
def test_a_negation_stops_at_its_clause(text: str, item: str) -> None:
    assert item in said(text)


@pytest.mark.parametrize("text,expected", [
    ("does that sound useful for the renewal", True),
    ("does that uh sound useful", True),
    ("oh yeah that does sound useful, smart move", False),  # a statement, not a question
])
def test_english_function_words_keep_their_order(text: str, expected: bool) -> None:
    assert ("check" in said(text)) is expected


@pytest.mark.parametrize("text,expected", [
    ("is now a good time for a quick chat", True),
    ("i know now isn't a good time for everyone", False),
    ("so now a good time to switch would be april", False),  # the question's «is» is gone
])
def test_a_yes_no_question_keeps_its_auxiliary(text: str, expected: bool) -> None:
    assert ("time" in found(text)) is expected


WILDCARD = Detector(parse_card({
    "id": "intro", "title": "Intro", "language": "en", "version": 1,
    "stage": [{"id": "contact", "title": "Contact", "weight": 100, "item": [
        {"id": "company", "text": "Named the company", "weight": 100,
         "triggers": [{"text": "this is * from", "exact": True},
                      {"text": "it's * with", "exact": True}]}]}]}, source="test"))


@pytest.mark.parametrize("text,expected", [
    ("hi maria this is tom from shiftwise", True),
    ("good morning, it's Sophie with SafeClick", True),
    ("this is from our website", False),  # «*» is one word, not none
    ("this is tom and jerry from accounts", False),  # nor two
])
def test_a_star_in_an_exact_trigger_is_any_one_word(text: str, expected: bool) -> None:
    results = WILDCARD.detect([Turn(OPERATOR, text)])
    assert results[0].found is expected
    if expected:
        assert results[0].text is not None and results[0].text.lower().startswith(("this", "it"))


@pytest.mark.parametrize("text,expected", [
    ("normally i'd book you a demo right away but it's really your boss's call", False),
    ("i could book a demo, but you said nobody's touching anything till january", False),
    ("okay i would book a demo for thursday at ten", True),  # no «but»: an offer made
    ("let's book a demo, but first what's your email", True),  # «but» with no modal
])
def test_a_modal_with_a_but_after_it_books_nothing(text: str, expected: bool) -> None:
    assert ("demo" in found(text)) is expected


def test_a_negation_in_the_sentence_before_reaches_no_further() -> None:
    assert "invite" in said("okay so i can't. i'll send you a calendar invite then")
    assert "invite" in said("we can't do fridays. send you a calendar invite for monday")


@pytest.mark.parametrize("text,expected", [
    ("no. it's in budget this year", False),  # the phrase would run over a full stop
    ("did he say no? budget wise we're fine", False),
    ("we have no budget for it this year", True),
])
def test_a_phrase_lies_inside_one_sentence(text: str, expected: bool) -> None:
    assert ("budget" in found(text)) is expected


@pytest.mark.parametrize("text,expected", [
    ("i'll walk you through the whole thing on thursday", False),  # an offer, not a question
    ("can you walk me through how the orders come in", True),
    ("could you walk us through how the orders come in", True),  # the same person
    ("walk through how the orders come in", True),  # a dropped pronoun, no other in its place
])
def test_a_pronoun_of_another_person_turns_the_phrase_around(text: str, expected: bool) -> None:
    assert ("walk" in found(text)) is expected


def test_a_function_word_never_stands_for_a_content_word() -> None:
    assert "care" not in found("so these numbers are actually about a third lower")
    assert "care" in found("would your team actually care about that")

"""The transcript synthesiser: believable calls whose truth (what the operator did) is known."""

from __future__ import annotations

import random
import re

import pytest
from rapidfuzz import fuzz

from scorecard.demo.transcripts import SynthTurn, synthesize_call
from scorecard.domain.cards import QualityCard, parse_card

RU_CARD = {
    "id": "test-invoice",
    "title": "Телемаркетинг: счёт и оплата",
    "language": "ru",
    "version": 1,
    "stage": [
        {"id": "contact", "title": "Контакт", "weight": 20, "item": [
            {"id": "greeting", "text": "Поздоровался, представился, назвал компанию",
             "weight": 60, "triggers": ["добрый день меня зовут", "вас беспокоит компания"]},
            {"id": "time_check", "text": "Уточнил, удобно ли говорить", "weight": 40,
             "triggers": ["вам удобно говорить"]},
        ]},
        {"id": "diagnosis", "title": "Диагностика", "weight": 20, "item": [
            {"id": "supplier", "text": "Узнал текущего поставщика", "weight": 100,
             "triggers": ["у кого вы сейчас закупаетесь"]},
        ]},
        {"id": "presentation", "title": "Презентация", "weight": 20, "item": [
            {"id": "offer", "text": "Презентовал предложение", "weight": 70,
             "triggers": ["доставка на следующий день", "персональный менеджер"]},
            {"id": "tone", "text": "Доброжелательный тон", "weight": 30,
             "hint": "Оценивается на слух."},
        ]},
        {"id": "price", "title": "Цена", "weight": 20, "item": [
            {"id": "price_named", "text": "Назвал цену", "weight": 100,
             "triggers": ["стоимость составит"]},
        ]},
        {"id": "close", "title": "Завершение", "weight": 20, "item": [
            {"id": "invoice", "text": "Договорился о счёте", "weight": 60,
             "triggers": ["выставим вам счет", "отправлю счет на почту"]},
            {"id": "goodbye", "text": "Попрощался", "weight": 40,
             "triggers": ["всего доброго до свидания"]},
        ]},
    ],
}

EN_CARD = {
    "id": "test-demo-call",
    "title": "Book a demo",
    "language": "en",
    "version": 1,
    "stage": [
        {"id": "contact", "title": "Opening", "weight": 30, "item": [
            {"id": "greeting", "text": "Greeted and introduced", "weight": 100,
             "triggers": ["good morning my name is"]},
        ]},
        {"id": "diagnosis", "title": "Discovery", "weight": 30, "item": [
            {"id": "process", "text": "Asked how they handle it today", "weight": 100,
             "triggers": ["what are you using today"]},
        ]},
        {"id": "close", "title": "Close", "weight": 40, "item": [
            {"id": "demo", "text": "Booked a demo", "weight": 100,
             "triggers": ["book a demo", "send you a calendar invite"]},
        ]},
    ],
}

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


@pytest.fixture(scope="module")
def card() -> QualityCard:
    return parse_card(RU_CARD, source="test")


@pytest.fixture(scope="module")
def en_card() -> QualityCard:
    return parse_card(EN_CARD, source="test")


def plain(text: str) -> str:
    """Lower case, ё→е, punctuation to spaces: how any detector reads a transcript."""
    return " ".join(re.sub(r"[^\w\s-]|(?<!\w)-|-(?!\w)", " ", text.lower().replace("ё", "е"))
                    .split())


def checked_items(card: QualityCard) -> list[tuple[str, str]]:
    return [(s.id, i.id) for s in card.stages for i in s.items if i.triggers]


def call(card: QualityCard, said: dict[tuple[str, str], bool], seed: int, talk: int,
         noise: float = 0.0) -> list[SynthTurn]:
    return synthesize_call(card, said, random.Random(seed), operator_name="Анна",
                           company="ОфисСнаб", client_name="Виктор", talk_seconds=talk,
                           noise=noise)


def operator_text(turns: list[SynthTurn]) -> str:
    return plain(" ".join(t.text for t in turns if t.speaker == "operator"))


def random_said(card: QualityCard, rng: random.Random) -> dict[tuple[str, str], bool]:
    return {key: rng.random() < 0.6 for key in card.item_keys()}


def test_same_seed_same_call(card: QualityCard) -> None:
    said = {key: True for key in card.item_keys()}
    first = call(card, said, seed=5, talk=240, noise=0.3)
    assert first == call(card, said, seed=5, talk=240, noise=0.3)
    assert first != call(card, said, seed=6, talk=240, noise=0.3)


def test_speakers_alternate_and_both_talk(card: QualityCard) -> None:
    turns = call(card, {key: True for key in card.item_keys()}, seed=1, talk=300)
    assert {t.speaker for t in turns} == {"operator", "client"}
    assert all(a.speaker != b.speaker for a, b in zip(turns, turns[1:], strict=False))
    assert all(t.text.strip() for t in turns)


def test_done_items_have_a_recognisable_trigger_in_an_operator_turn(card: QualityCard) -> None:
    rng = random.Random(11)
    for seed in range(150):
        said = random_said(card, rng)
        turns = call(card, said, seed, talk=rng.randint(60, 700))
        operator_turns = [plain(t.text) for t in turns if t.speaker == "operator"]
        for key in checked_items(card):
            if said[key]:
                best = max(fuzz.partial_ratio(plain(trigger.text), turn)
                           for trigger in card.item(*key).triggers for turn in operator_turns)
                assert best >= 80, (seed, key, operator_turns)


def test_items_not_done_never_have_the_trigger_verbatim(card: QualityCard) -> None:
    rng = random.Random(12)
    for seed in range(150):
        said = random_said(card, rng)
        text = f" {operator_text(call(card, said, seed, talk=rng.randint(60, 700)))} "
        for key in checked_items(card):
            if not said[key]:
                for trigger in card.item(*key).triggers:
                    assert f" {plain(trigger.text)} " not in text, (seed, key, text)


def test_nothing_said_means_no_trigger_at_all(card: QualityCard) -> None:
    turns = call(card, {}, seed=3, talk=400)
    text = f" {operator_text(turns)} "
    for key in checked_items(card):
        for trigger in card.item(*key).triggers:
            assert f" {plain(trigger.text)} " not in text


def test_variants_appear_not_only_verbatim(card: QualityCard) -> None:
    """Operators paraphrase: across many calls some done triggers are not said verbatim."""
    said = {key: True for key in card.item_keys()}
    verbatim = paraphrased = 0
    for seed in range(60):
        text = f" {operator_text(call(card, said, seed, talk=300))} "
        for key in checked_items(card):
            if any(f" {plain(t.text)} " in text for t in card.item(*key).triggers):
                verbatim += 1
            else:
                paraphrased += 1
    assert verbatim > paraphrased > 0


def test_clients_sometimes_sound_like_triggers(card: QualityCard) -> None:
    """The detector's trap: a client echoing a trigger in roughly one call in seven."""
    triggers = [plain(t.text) for key in checked_items(card) for t in card.item(*key).triggers]
    echoes = 0
    for seed in range(300):
        turns = call(card, {}, seed, talk=300)
        client = plain(" ".join(t.text for t in turns if t.speaker == "client"))
        echoes += any(fuzz.partial_ratio(t, client) >= 90 for t in triggers)
    assert 15 <= echoes <= 90


@pytest.mark.parametrize("talk", [5, 25, 90, 600, 1500])
def test_timestamps_are_monotone_and_fit_the_talk_time(card: QualityCard, talk: int) -> None:
    for seed in range(20):
        turns = call(card, random_said(card, random.Random(seed)), seed, talk, noise=0.2)
        assert turns[0].start >= 0
        for turn in turns:
            assert turn.start <= turn.end
        for before, after in zip(turns, turns[1:], strict=False):
            assert before.end <= after.start
        assert turns[-1].end <= talk


def test_turn_length_follows_its_words(card: QualityCard) -> None:
    turns = call(card, {key: True for key in card.item_keys()}, seed=2, talk=600)
    rates = [len(t.text.split()) / (t.end - t.start) for t in turns if len(t.text.split()) > 5]
    assert max(rates) / min(rates) < 1.5


def test_word_count_scales_with_talk_time(card: QualityCard) -> None:
    said = {key: True for key in card.item_keys()}

    def words(talk: int) -> float:
        counts = [sum(len(t.text.split()) for t in call(card, said, seed, talk))
                  for seed in range(10)]
        return sum(counts) / len(counts)

    assert 1_150 <= words(600) <= 1_450  # ≈ 2.2 words a second
    assert 350 <= words(180) <= 480
    assert words(1200) > 1.8 * words(600)


def test_short_calls_end_in_the_contact_stage(card: QualityCard) -> None:
    later = [plain(t.text) for key in checked_items(card) if key[0] != "contact"
             for t in card.item(*key).triggers]
    said = {key: True for key in card.item_keys()}
    for seed in range(40):
        turns = call(card, said, seed, talk=10 + seed % 29)
        text = operator_text(turns)
        assert not any(fuzz.partial_ratio(t, text) >= 80 for t in later), text
        assert fuzz.partial_ratio("добрый день меня зовут", text) >= 80 or \
            fuzz.partial_ratio("вас беспокоит компания", text) >= 80
        assert sum(len(t.text.split()) for t in turns) <= 30 + 3 * (10 + seed % 29)


def test_noise_damages_text_but_not_trigger_phrases(card: QualityCard) -> None:
    said = {key: True for key in card.item_keys()}
    clean = call(card, said, seed=4, talk=600, noise=0.0)
    noisy = call(card, said, seed=4, talk=600, noise=0.6)
    assert any(ch.isupper() or ch in ",.?" for t in clean for ch in t.text)
    assert all(t.text == t.text.lower() for t in noisy)
    text = operator_text(noisy)
    for key in checked_items(card):
        best = max(fuzz.partial_ratio(plain(t.text), text) for t in card.item(*key).triggers)
        assert best >= 75, key


def test_english_card_gives_english_dialogue(en_card: QualityCard) -> None:
    said = {("contact", "greeting"): True, ("diagnosis", "process"): True,
            ("close", "demo"): False}
    turns = synthesize_call(en_card, said, random.Random(1), operator_name="Anna",
                            company="Acme", client_name="Victor", talk_seconds=200, noise=0.0)
    text = " ".join(t.text for t in turns)
    assert not CYRILLIC.search(text)
    operator = operator_text(turns)
    assert fuzz.partial_ratio("good morning my name is", operator) >= 80
    assert fuzz.partial_ratio("what are you using today", operator) >= 80
    assert " book a demo " not in f" {operator} "
    assert " send you a calendar invite " not in f" {operator} "
    assert 300 <= len(text.split()) <= 600


def test_cards_without_standard_stages_or_triggers_work() -> None:
    odd = parse_card({
        "id": "odd", "title": "Нестандартная", "language": "ru", "version": 1,
        "stage": [
            {"id": "intro", "title": "Вступление", "weight": 50,
             "item": [{"id": "tone", "text": "Тон", "weight": 100}]},
            {"id": "check", "title": "Проверка", "weight": 50,
             "item": [{"id": "ask", "text": "Спросил", "weight": 100,
                       "triggers": [{"text": "Договор Оферты", "exact": True}]}]},
        ],
    }, source="test")
    for seed in range(10):
        turns = call(odd, {("check", "ask"): True}, seed, talk=120, noise=0.2)
        assert "договор оферты" in operator_text(turns)
        assert turns[-1].end <= 120

"""The trigger detector measured on the hand-labelled corpora (``tests/corpora``).

Run ``pytest tests/domain/test_corpus.py -s -n0`` to see precision, recall and F1 per item
and every mistake the detector makes, with the words it matched or came closest to.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache

import pytest

from scorecard.domain.cards import STANDARD_STAGES
from scorecard.domain.detection import Detector
from scorecard.domain.transcripts import CLIENT, OPERATOR, UNKNOWN
from tests.corpora import ENGLISH, NAMES, Corpus, Key, load_corpus, parse_call

MIN_F1 = 0.97


@dataclass
class Outcome:
    tp: Counter[Key] = field(default_factory=Counter)
    fp: Counter[Key] = field(default_factory=Counter)
    fn: Counter[Key] = field(default_factory=Counter)
    mistakes: list[str] = field(default_factory=list)
    client_evidence: list[str] = field(default_factory=list)
    """Items found on the strength of a client's turn."""

    def micro(self) -> tuple[float, float, float]:
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        return _prf(tp, fp, fn)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return precision, recall, f1


@cache
def run(corpus_name: str) -> Outcome:
    corpus = load_corpus(corpus_name)
    outcome = Outcome()
    detector = Detector(corpus.card)
    truth = corpus.truth
    for name, turns in corpus.calls.items():
        for result in detector.detect(turns):
            key = (result.stage_id, result.item_id)
            label = f"{name} {result.stage_id}/{result.item_id}"
            where = ""
            if result.turn is not None:
                turn = turns[result.turn]
                where = f" in turn {result.turn + 1} ({turn.label}): «{result.text}»"
                if result.found and turn.speaker == CLIENT:
                    outcome.client_evidence.append(f"{label}{where}")
            if result.found and key in truth[name]:
                outcome.tp[key] += 1
            elif result.found:
                outcome.fp[key] += 1
                outcome.mistakes.append(
                    f"FP {label}: found{where}, score {result.score:.1f}, "
                    f"trigger «{result.trigger}»")
            elif key in truth[name]:
                outcome.fn[key] += 1
                closest = (f"; closest{where}, score {result.score:.1f}"
                           f"{', negated' if result.negated else ''}, "
                           f"trigger «{result.trigger}»" if where else "; no candidate")
                outcome.mistakes.append(f"FN {label}: missed{closest}")
    return outcome


def report(corpus: Corpus, outcome: Outcome) -> str:
    lines = [f"{corpus.name}: {corpus.card.id}",
             f"{'item':<28} {'TP':>4} {'FP':>4} {'FN':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for key in corpus.checkable:
        tp, fp, fn = outcome.tp[key], outcome.fp[key], outcome.fn[key]
        precision, recall, f1 = _prf(tp, fp, fn)
        lines.append(f"{'/'.join(key):<28} {tp:>4} {fp:>4} {fn:>4} "
                     f"{precision:>6.3f} {recall:>6.3f} {f1:>6.3f}")
    tp, fp, fn = (sum(c.values()) for c in (outcome.tp, outcome.fp, outcome.fn))
    precision, recall, f1 = outcome.micro()
    lines.append(f"{'all (micro)':<28} {tp:>4} {fp:>4} {fn:>4} "
                 f"{precision:>6.3f} {recall:>6.3f} {f1:>6.3f}")
    lines.extend(f"  {mistake}" for mistake in outcome.mistakes)
    return "\n".join(lines)


# -- the corpora themselves ----------------------------------------------------------------


def test_the_cleaning_card_is_a_full_sales_script() -> None:
    quality_card = load_corpus("cleaning").card
    assert [s.id for s in quality_card.stages] == list(STANDARD_STAGES)
    triggers = [t for s in quality_card.stages for i in s.items for t in i.triggers]
    assert 35 <= len(triggers) <= 45
    assert any(t.exact for t in triggers)
    assert all(2 <= len(t.text.split()) <= 5 for t in triggers)


@pytest.mark.parametrize("name", (*NAMES, ENGLISH))
def test_every_call_is_parsed_and_labelled_with_real_items(name: str) -> None:
    corpus = load_corpus(name)
    assert len(corpus.calls) >= 12
    assert set(corpus.calls) == set(corpus.truth)
    items = set(corpus.checkable)
    for call, turns in corpus.calls.items():
        assert turns, call
        assert corpus.truth[call] <= items, (call, corpus.truth[call] - items)


def test_the_cleaning_corpus_has_unlabelled_calls_and_balanced_truth() -> None:
    corpus = load_corpus("cleaning")
    assert len(corpus.calls) >= 36
    assert all(15 <= len(turns) <= 60 for turns in corpus.calls.values())
    unlabelled = [n for n, turns in corpus.calls.items()
                  if all(t.speaker == UNKNOWN for t in turns)]
    assert 3 <= len(unlabelled) <= 4, unlabelled
    positives = sum(len(found) for found in corpus.truth.values())
    assert 0.35 <= positives / (len(corpus.calls) * len(corpus.checkable)) <= 0.65


def test_parse_call_maps_labels_to_speakers() -> None:
    turns = parse_call("Оператор: добрый день\n\nКлиент: да\nМенеджер: ну: вот\n?: алло\n")
    assert [(t.speaker, t.text, t.label) for t in turns] == [
        (OPERATOR, "добрый день", "Оператор"), (CLIENT, "да", "Клиент"),
        (OPERATOR, "ну: вот", "Менеджер"), (UNKNOWN, "алло", "?")]


# -- the detector on them ------------------------------------------------------------------


@pytest.mark.parametrize("name", (*NAMES, ENGLISH))
def test_no_item_is_ever_found_in_a_client_turn(name: str) -> None:
    assert run(name).client_evidence == []


@pytest.mark.parametrize("name", NAMES)
def test_detector_f1_on_the_corpus(name: str) -> None:
    outcome = run(name)
    print("\n" + report(load_corpus(name), outcome))
    precision, recall, f1 = outcome.micro()
    assert f1 >= MIN_F1, (
        f"{name}: micro F1 {f1:.3f} (precision {precision:.3f}, recall {recall:.3f}) "
        f"< {MIN_F1}:\n" + "\n".join(outcome.mistakes))


#: What the detector reaches on the English calls used for tuning (the held-out ones are
#: measured by tests/benchmarks/bench_corpora.py, never pinned here).
ENGLISH_TUNED_F1 = 0.95


def test_detector_f1_on_the_english_calls_tuned_on() -> None:
    corpus = load_corpus(ENGLISH)
    outcome = run(ENGLISH)
    tuned = {name for name in corpus.calls if name not in corpus.heldout}
    tp = fp = fn = 0
    for mistake in outcome.mistakes:
        kind, call = mistake.split()[:2]
        fp += kind == "FP" and call in tuned
        fn += kind == "FN" and call in tuned
    tp = sum(len(corpus.truth[name]) for name in tuned) - fn
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= ENGLISH_TUNED_F1, f"English tuned F1 {f1:.3f}"

"""The trigger detector measured on a hand-labelled corpus of Russian sales calls.

``tests/corpus/`` holds one card (``card.toml``: B2B office cleaning, a site visit or an
invoice as the goal), the calls (``calls/NN.txt``, one turn a line: ``Оператор:`` or
``Менеджер:`` is the operator, ``Клиент:`` the client, ``?:`` a speaker the recording did not
name) and the truth (``labels.toml``: per call, every item the operator really said a
trigger phrase for). See ``tests/corpus/README.md`` for the labelling rules.

Run ``pytest tests/domain/test_corpus.py -s`` to see precision, recall and F1 per item and
every mistake the detector makes, with the words it matched or came closest to.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from scorecard.domain.cards import STANDARD_STAGES, QualityCard, load_card
from scorecard.domain.detection import Detector
from scorecard.domain.transcripts import CLIENT, OPERATOR, UNKNOWN, Turn

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SPEAKERS = {"оператор": OPERATOR, "менеджер": OPERATOR, "клиент": CLIENT, "?": UNKNOWN}
MIN_F1 = 0.97

Key = tuple[str, str]


def parse_call(text: str, source: str = "call") -> list[Turn]:
    """One turn per non-empty line, ``Label: what was said``; the label becomes the speaker."""
    turns = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        label, colon, said = line.partition(":")
        speaker = SPEAKERS.get(label.strip().lower())
        if not colon or speaker is None:
            raise ValueError(f"{source}:{number}: no known speaker label in {line!r}")
        turns.append(Turn(speaker, said.strip(), label=label.strip()))
    return turns


@cache
def card() -> QualityCard:
    return load_card(CORPUS / "card.toml")


def checkable(quality_card: QualityCard) -> list[Key]:
    return [(s.id, i.id) for s in quality_card.stages for i in s.items if i.triggers]


@cache
def calls() -> dict[str, list[Turn]]:
    return {path.stem: parse_call(path.read_text(encoding="utf-8"), path.name)
            for path in sorted((CORPUS / "calls").glob("*.txt"))}


@cache
def labels() -> dict[str, set[Key]]:
    data = tomllib.loads((CORPUS / "labels.toml").read_text(encoding="utf-8"))
    return {name: {_key(item) for item in entry["found"]} for name, entry in data["calls"].items()}


def _key(item: str) -> Key:
    stage, _, item_id = item.partition("/")
    return stage, item_id


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
def run() -> Outcome:
    outcome = Outcome()
    detector = Detector(card())
    truth = labels()
    for name, turns in calls().items():
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


def report(outcome: Outcome) -> str:
    lines = [f"{'item':<28} {'TP':>4} {'FP':>4} {'FN':>4} {'P':>6} {'R':>6} {'F1':>6}"]
    for key in checkable(card()):
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


# -- the corpus itself ---------------------------------------------------------------------


def test_card_is_a_full_sales_script() -> None:
    quality_card = card()
    assert [s.id for s in quality_card.stages] == list(STANDARD_STAGES)
    triggers = [t for s in quality_card.stages for i in s.items for t in i.triggers]
    assert 35 <= len(triggers) <= 45
    assert any(t.exact for t in triggers)
    assert all(2 <= len(t.text.split()) <= 5 for t in triggers)


def test_every_call_is_parsed_and_labelled() -> None:
    transcripts, truth = calls(), labels()
    assert len(transcripts) >= 36
    assert set(transcripts) == set(truth)
    items = set(checkable(card()))
    for name, turns in transcripts.items():
        assert 15 <= len(turns) <= 60, name
        assert truth[name] <= items, (name, truth[name] - items)
    unlabelled = [n for n, turns in transcripts.items()
                  if all(t.speaker == UNKNOWN for t in turns)]
    assert 3 <= len(unlabelled) <= 4, unlabelled
    positives = sum(len(found) for found in truth.values())
    assert 0.35 <= positives / (len(transcripts) * len(items)) <= 0.65


def test_parse_call_maps_labels_to_speakers() -> None:
    turns = parse_call("Оператор: добрый день\n\nКлиент: да\nМенеджер: ну: вот\n?: алло\n")
    assert [(t.speaker, t.text, t.label) for t in turns] == [
        (OPERATOR, "добрый день", "Оператор"), (CLIENT, "да", "Клиент"),
        (OPERATOR, "ну: вот", "Менеджер"), (UNKNOWN, "алло", "?")]


# -- the detector on it --------------------------------------------------------------------


def test_no_item_is_ever_found_in_a_client_turn() -> None:
    assert run().client_evidence == []


def test_detector_f1_on_the_corpus() -> None:
    outcome = run()
    print("\n" + report(outcome))
    precision, recall, f1 = outcome.micro()
    assert f1 >= MIN_F1, (
        f"micro F1 {f1:.3f} (precision {precision:.3f}, recall {recall:.3f}) < {MIN_F1}:\n"
        + "\n".join(outcome.mistakes))

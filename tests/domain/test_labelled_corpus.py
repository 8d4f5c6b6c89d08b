"""The detector on a hand-labelled corpus of Russian calls (tests/labelled/).

Each file is one call: ``# card:`` names a shipped card, ``# found:`` lists every item the
operator really did (by meaning, as a listener would grade it), and each line is a turn:
``Оператор:`` / ``Клиент:``, or ``?:`` where the recording did not say who spoke. Run with
``pytest -s`` to see the per-item table.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from scorecard.domain.detection import Detector
from scorecard.domain.library import find_card
from scorecard.domain.transcripts import Turn

CORPUS = Path(__file__).resolve().parents[1] / "labelled"
SPEAKERS = {"оператор": "operator", "клиент": "client", "?": "unknown"}


def load(path: Path) -> tuple[str, set[tuple[str, str]], list[Turn]]:
    card_id, found, turns = "", set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# card:"):
            card_id = line.split(":", 1)[1].strip()
        elif line.startswith("# found:"):
            found = {tuple(item.strip().split("/")) for item in line.split(":", 1)[1].split(",")
                     if item.strip()}
        elif line.strip():
            label, text = line.split(":", 1)
            turns.append(Turn(SPEAKERS[label.strip().lower()], text.strip()))
    return card_id, found, turns  # type: ignore[return-value]


def run_corpus() -> tuple[Counter, Counter, Counter, list[str], int]:
    tp, fp, fn = Counter(), Counter(), Counter()
    mistakes, client_evidence = [], 0
    detectors: dict[str, Detector] = {}
    for path in sorted(CORPUS.glob("*.txt")):
        card_id, truth, turns = load(path)
        detector = detectors.setdefault(card_id, Detector(find_card(card_id)[0]))
        for result in detector.detect(turns):
            key = (result.stage_id, result.item_id)
            name = f"{card_id}:{result.stage_id}/{result.item_id}"
            if result.found and result.turn is not None and turns[result.turn].speaker == "client":
                client_evidence += 1
            if result.found and key in truth:
                tp[name] += 1
            elif result.found:
                fp[name] += 1
                mistakes.append(f"{path.name} {name}: found «{result.text}» ({result.score:.0f})")
            elif key in truth:
                fn[name] += 1
                mistakes.append(f"{path.name} {name}: missed (best {result.score:.0f})")
    return tp, fp, fn, mistakes, client_evidence


def test_corpus_is_big_enough_and_labelled_with_real_items() -> None:
    files = sorted(CORPUS.glob("*.txt"))
    assert len(files) >= 30
    for path in files:
        card_id, truth, turns = load(path)
        card, _ = find_card(card_id)
        with_triggers = {(s.id, i.id) for s in card.stages for i in s.items if i.triggers}
        assert truth <= with_triggers, path.name
        assert turns, path.name


def test_f1_on_the_labelled_corpus() -> None:
    tp, fp, fn, mistakes, client_evidence = run_corpus()
    print(f"\n{'item':<48} {'TP':>4} {'FP':>4} {'FN':>4} {'F1':>6}")
    for name in sorted(set(tp) | set(fp) | set(fn)):
        t, f, n = tp[name], fp[name], fn[name]
        f1 = 2 * t / (2 * t + f + n) if t + f + n else 1.0
        print(f"{name:<48} {t:>4} {f:>4} {n:>4} {f1:>6.3f}")
    t, f, n = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision, recall = t / (t + f), t / (t + n)
    f1 = 2 * precision * recall / (precision + recall)
    print(f"all: precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f} "
          f"({t} TP, {f} FP, {n} FN)")
    for mistake in mistakes:
        print("  ", mistake)
    assert client_evidence == 0
    assert f1 >= 0.97, mistakes


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_no_evidence_ever_comes_from_the_client(path: Path) -> None:
    card_id, _, turns = load(path)
    for result in Detector(find_card(card_id)[0]).detect(turns):
        if result.found and result.turn is not None:
            assert turns[result.turn].speaker != "client", (path.name, result)

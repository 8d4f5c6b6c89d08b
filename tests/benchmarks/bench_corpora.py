"""Benchmark: the detector's F1 on the hand-labelled corpora, per language, against the
naive per-trigger ``rapidfuzz.fuzz.partial_ratio`` over each call's operator text.

Run:  .venv/bin/python tests/benchmarks/bench_corpora.py
Goal: F1 >= 0.95 per language on held-out calls (those a corpus's labels list under
``heldout``, never looked at while tuning), and above the naive baseline on each part.

The naive baseline's threshold is the one that gives it its best F1 on the tuned part of
the same language (so it is tuned as much as the detector was).
"""

from __future__ import annotations

import sys
from pathlib import Path

from rapidfuzz import fuzz

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scorecard.domain.detection import Detector  # noqa: E402
from scorecard.domain.text import normalise  # noqa: E402
from scorecard.domain.transcripts import OPERATOR, UNKNOWN  # noqa: E402
from tests.corpora import ENGLISH, NAMES, Corpus, Key, load_corpus  # noqa: E402

GOAL = 0.95
Found = dict[str, set[Key]]


def detector_found(corpus: Corpus) -> Found:
    detector = Detector(corpus.card)
    return {name: {(r.stage_id, r.item_id) for r in detector.detect(turns) if r.found}
            for name, turns in corpus.calls.items()}


def naive_found(corpus: Corpus, threshold: int) -> Found:
    phrases = [((s.id, i.id), normalise(t.text)) for s in corpus.card.stages for i in s.items
               for t in i.all_triggers]
    found = {}
    for name, turns in corpus.calls.items():
        searched = [t for t in turns if t.speaker == OPERATOR] or [
            t for t in turns if t.speaker == UNKNOWN]
        text = normalise(" ".join(t.text for t in searched))
        found[name] = {key for key, phrase in phrases
                       if fuzz.partial_ratio(phrase, text) >= threshold}
    return found


def f1(corpora: list[Corpus], found: list[Found], calls: list[set[str]]) -> float:
    tp = fp = fn = 0
    for corpus, guesses, names in zip(corpora, found, calls, strict=True):
        for name in names:
            guess, truth = guesses[name], corpus.truth[name]
            tp += len(guess & truth)
            fp += len(guess - truth)
            fn += len(truth - guess)
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def main() -> None:
    languages = {"ru": [load_corpus(name) for name in NAMES], "en": [load_corpus(ENGLISH)]}
    for language, corpora in languages.items():
        tuned = [set(c.calls) - c.heldout for c in corpora]
        held = [set(c.heldout) for c in corpora]
        ours = [detector_found(c) for c in corpora]
        best = max(range(60, 101, 2), key=lambda t: f1(
            corpora, [naive_found(c, t) for c in corpora], tuned))
        naive = [naive_found(c, best) for c in corpora]
        counts = f"{sum(map(len, tuned))} tuned, {sum(map(len, held))} held-out calls"
        print(f"{language}: {', '.join(c.name for c in corpora)} ({counts})")
        for part, calls in (("tuned", tuned), ("held-out", held)):
            if not any(calls):
                print(f"  {part:<9} —")
                continue
            mine, theirs = f1(corpora, ours, calls), f1(corpora, naive, calls)
            verdict = "" if part == "tuned" else (
                f"  (goal >= {GOAL}: {'yes' if mine >= GOAL else 'NO'})")
            print(f"  {part:<9} detector F1 {mine:.3f}   naive partial_ratio (threshold "
                  f"{best}) F1 {theirs:.3f}{verdict}")


if __name__ == "__main__":
    main()

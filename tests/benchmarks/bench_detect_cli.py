"""Benchmark: ``scorecard detect --card CARD DIR --json`` as a user runs it, against the
naive per-trigger ``rapidfuzz.fuzz.partial_ratio`` over each call's whole text.

Run:  .venv/bin/python tests/benchmarks/bench_detect_cli.py [--calls 4000] [--words 1300]
                                                            [--card security-cold-call]
Goal: the command, in one process with its start-up, reading the files and printing JSON,
is at least 10x faster than the naive baseline on the same calls; its F1 is printed too.
The command runs once untimed (the machine's caches, the bytecode), then ``--runs`` times,
each right after a run of the baseline; every time is printed, and the speed-up is the
median of the pairs' ratios.

The calls are written by the demo's synthesiser (paraphrased triggers, fillers, noise,
near misses, negations; what the operator did is known) as labelled text files into a
temporary folder. The naive baseline reads the same texts from memory (no start-up, no
files: its time is a lower bound) and uses the threshold that gives it its best F1, found
on the first 10% of the calls and timed over all of them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz

from scorecard.demo.transcripts import synthesize_call
from scorecard.domain.cards import QualityCard
from scorecard.domain.library import find_card
from scorecard.domain.text import normalise

Key = tuple[str, str]
GOAL_RATIO = 10.0
LABELS = {"operator": "Оператор", "client": "Клиент", "unknown": "?"}


def write_calls(card: QualityCard, folder: Path, calls: int, words: int, seed: int
                ) -> tuple[dict[str, dict[Key, bool]], dict[str, str]]:
    """Call files in ``folder``; (truth per file name, whole text per file name)."""
    rng = random.Random(seed)
    truth: dict[str, dict[Key, bool]] = {}
    texts: dict[str, str] = {}
    seconds = round(words / 2.2)  # the synthesiser's pace, about 2.2 words a second
    for number in range(calls):
        skill = rng.uniform(0.4, 0.95)
        said = {key: rng.random() < skill for key in card.item_keys()}
        turns = synthesize_call(card, said, rng, operator_name="Анна", company="Щит-Мониторинг",
                                client_name="Виктор",
                                talk_seconds=rng.randint(seconds * 8 // 10, seconds * 12 // 10))
        name = f"call-{number:05d}.txt"
        (folder / name).write_text(
            "\n".join(f"{LABELS[t.speaker]}: {t.text}" for t in turns) + "\n", encoding="utf-8")
        truth[name] = said
        texts[name] = " ".join(t.text for t in turns)
    return truth, texts


def checkable(card: QualityCard) -> list[Key]:
    return [(s.id, i.id) for s in card.stages for i in s.items if i.trigger_groups]


def f1(card: QualityCard, truth: dict[str, dict[Key, bool]],
       found: dict[str, dict[Key, bool]]) -> float:
    tp = fp = fn = 0
    for name, said in truth.items():
        for key in checkable(card):
            guess, real = found[name].get(key, False), said.get(key, False)
            tp += guess and real
            fp += guess and not real
            fn += real and not guess
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def naive(card: QualityCard, texts: dict[str, str], threshold: float
          ) -> dict[str, dict[Key, bool]]:
    """Every trigger's partial_ratio against the call's whole text."""
    phrases = [((s.id, i.id), normalise(t.text)) for s in card.stages for i in s.items
               for t in i.all_triggers]
    found = {}
    for name, text in texts.items():
        whole = normalise(text)
        items: dict[Key, bool] = {}
        for key, phrase in phrases:
            if not items.get(key):
                items[key] = fuzz.partial_ratio(phrase, whole) >= threshold
        found[name] = items
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=4000)
    parser.add_argument("--words", type=int, default=1300)
    parser.add_argument("--card", default="security-cold-call")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the command")
    args = parser.parse_args()
    card = find_card(args.card)[0]
    with tempfile.TemporaryDirectory(prefix="bench-detect-") as temporary:
        folder = Path(temporary) / "calls"
        folder.mkdir()
        started = time.perf_counter()
        truth, texts = write_calls(card, folder, args.calls, args.words, args.seed)
        words = sum(len(text.split()) for text in texts.values()) / len(texts)
        print(f"{args.calls:,} calls written in {time.perf_counter() - started:.1f} s "
              f"(words a call: {words:.0f}; card {args.card})")

        tuning = dict(list(texts.items())[: max(1, args.calls // 10)])
        best = max(range(60, 101, 2), key=lambda t: f1(
            card, {n: truth[n] for n in tuning}, naive(card, tuning, t)))

        out = Path(temporary) / "out.jsonl"
        command = [sys.executable, "-m", "scorecard", "detect", "--card", args.card,
                   str(folder), "--json"]
        print("command:", " ".join(command[2:]), "> out.jsonl")
        # As a user's machine has it: the calls on disk, not in the kernel's write-back
        # queue, and the package's bytecode compiled (pip compiles it on install; an
        # environment with PYTHONDONTWRITEBYTECODE would make every run compile it).
        os.sync()
        environment = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

        def run_command() -> float:
            started = time.perf_counter()
            with out.open("w") as handle:
                subprocess.run(command, stdout=handle, check=True, env=environment)
            return time.perf_counter() - started

        run_command()  # a warm-up, not counted
        # The two in turn, pair by pair: a shared machine's speed drifts over a minute,
        # and a ratio of neighbours holds where one of times taken far apart does not.
        naive_runs, cli_runs = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            baseline = naive(card, texts, best)
            naive_runs.append(time.perf_counter() - started)
            cli_runs.append(run_command())
        naive_seconds, cli_seconds = statistics.median(naive_runs), statistics.median(cli_runs)
        print(f"naive partial_ratio (threshold {best}, its best): {naive_seconds:.1f} s, "
              f"F1 {f1(card, truth, baseline):.3f}")
        print("runs (naive / command):", ", ".join(
            f"{n:.1f} / {c:.2f} s" for n, c in zip(naive_runs, cli_runs, strict=True)))
        found = {}
        for line in out.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            found[Path(record["transcript"]).name] = {
                (i["stage"], i["item"]): i["found"] for i in record["items"]}
        ratio = statistics.median(n / c for n, c in zip(naive_runs, cli_runs, strict=True))
        print(f"scorecard detect: {cli_seconds:.1f} s ({args.calls / cli_seconds:,.0f} "
              f"calls/s), F1 {f1(card, truth, found):.3f}")
        print(f"speed-up over naive (median of the pairs): {ratio:.1f}x "
              f"(goal >= {GOAL_RATIO:.0f}x: {'yes' if ratio >= GOAL_RATIO else 'NO'})")


if __name__ == "__main__":
    main()

"""Benchmark: trigger detection against the naive baseline, on a generated corpus.

Run:  .venv/bin/python tests/benchmarks/bench_detection.py [--calls 2000] [--card ID]

The corpus is made by the demo's transcript synthesiser from a shipped card: 300–2,000
words a call, operator and client turns, paraphrased triggers, fillers, speech-to-text
noise, client turns that sound like triggers, negations and near misses. What the operator
really did is known, so precision, recall and F1 are exact. The naive baseline is
``rapidfuzz.fuzz.partial_ratio`` of every trigger against the whole transcript, measured
in the same run. Throughput across all cores runs one worker process per core, each with
its share of the calls and a fresh detector, measured like the single process once the
workers have started and hold the calls (and also counting their start).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import Barrier
from multiprocessing.synchronize import Barrier as BarrierType

from rapidfuzz import fuzz

from scorecard.demo.transcripts import synthesize_call
from scorecard.domain.cards import QualityCard
from scorecard.domain.detection import Detector
from scorecard.domain.library import find_card
from scorecard.domain.text import normalise
from scorecard.domain.transcripts import Turn

Truth = dict[tuple[str, str], bool]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, actual: bool) -> None:
        self.tp += predicted and actual
        self.fp += predicted and not actual
        self.fn += actual and not predicted

    @property
    def f1(self) -> float:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def line(self) -> str:
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        return f"precision {precision:.3f}  recall {recall:.3f}  F1 {self.f1:.3f}"


def make_corpus(card: QualityCard, calls: int, seed: int) -> list[tuple[list[Turn], Truth]]:
    rng = random.Random(seed)
    corpus = []
    for _ in range(calls):
        skill = rng.uniform(0.4, 0.95)
        said = {key: rng.random() < skill for key in card.item_keys()}
        talk = rng.randint(140, 900)  # ≈ 300–2,000 words at the synthesiser's pace
        turns = synthesize_call(card, said, rng, operator_name="Анна", company="Щит-Мониторинг",
                                client_name="Виктор", talk_seconds=talk)
        doc = [Turn(t.speaker, t.text, t.start, t.end) for t in turns]
        corpus.append((doc, said))
    return corpus


def checkable(card: QualityCard) -> list[tuple[str, str]]:
    return [(s.id, i.id) for s in card.stages for i in s.items if i.trigger_groups]


def run_detector(card: QualityCard, corpus: list[tuple[list[Turn], Truth]]) -> list[dict]:
    detector = Detector(card)
    return [{(r.stage_id, r.item_id): r.found for r in detector.detect(turns)}
            for turns, _ in corpus]


def run_naive(card: QualityCard, corpus: list[tuple[list[Turn], Truth]]) -> list[dict]:
    out = []
    for turns, _ in corpus:
        text = normalise(" ".join(t.text for t in turns))
        found = {}
        for stage in card.stages:
            for item in stage.items:
                if item.triggers:
                    threshold = item.threshold or stage.threshold or card.detection.threshold
                    found[(stage.id, item.id)] = any(
                        fuzz.partial_ratio(normalise(t.text), text) >= threshold
                        for t in item.triggers)
        out.append(found)
    return out


# -- all cores: one process per core, each detecting its share of the calls -----------------

_worker: tuple[QualityCard, list[list[Turn]], BarrierType] | None = None


def _start_worker(
    card_id: str, calls: list[list[tuple[str, str]]], barrier: BarrierType
) -> None:
    """Runs once in each worker, before the clock: the card and the calls, as Turns."""
    global _worker
    card, _ = find_card(card_id)
    _worker = (card, [[Turn(speaker, text) for speaker, text in turns] for turns in calls],
               barrier)
    gc.freeze()  # what was loaded stays put: no collection walks it while the clock runs


def _ready(_: int) -> None:
    """Returns once every worker has started and loaded the calls."""
    assert _worker is not None
    _worker[2].wait()


def _detect_share(share: int) -> int:
    """Share ``share`` of the calls with a fresh detector, like one run in one process."""
    assert _worker is not None
    card, calls, barrier = _worker
    barrier.wait()  # every worker takes exactly one share, and they start together
    detector = Detector(card)
    mine = calls[share::barrier.parties]
    for turns in mine:
        detector.detect(turns)
    return len(mine)


def run_all_cores(card: QualityCard, corpus: list[tuple[list[Turn], Truth]], workers: int,
                  repeat: int) -> tuple[float, float]:
    """(Best transcripts/s of ``repeat`` runs on started workers that hold the calls already,
    transcripts/s of the first run counting the start of the workers and their loading.)"""
    plain = [[(t.speaker, t.text) for t in turns] for turns, _ in corpus]
    started = time.perf_counter()
    with ProcessPoolExecutor(workers, initializer=_start_worker,
                             initargs=(card.id, plain, Barrier(workers))) as pool:
        list(pool.map(_ready, range(workers)))
        ready = time.perf_counter() - started
        timings = []
        for _ in range(max(1, repeat)):
            begun = time.perf_counter()
            done = sum(pool.map(_detect_share, range(workers)))
            timings.append(time.perf_counter() - begun)
    return done / min(timings), done / (ready + timings[0])


def score(card: QualityCard, corpus, predictions) -> Counts:
    counts = Counts()
    for (_, truth), found in zip(corpus, predictions, strict=True):
        for key in checkable(card):
            counts.add(found.get(key, False), truth[key])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--card", default="security-cold-call")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs")
    parser.add_argument("--naive-calls", type=int, default=400,
                        help="the baseline is slow: time it on this many calls")
    args = parser.parse_args()

    card, _ = find_card(args.card)
    triggers = sum(len(i.triggers) for s in card.stages for i in s.items)
    started = time.perf_counter()
    corpus = make_corpus(card, args.calls, args.seed)
    words = sum(len(t.text.split()) for turns, _ in corpus for t in turns)
    made = time.perf_counter() - started
    print(f"corpus: {len(corpus)} calls, {words / len(corpus):.0f} words/call on average, "
          f"card {card.id} with {triggers} triggers (made in {made:.1f} s)")

    # Best of a few runs, each with a fresh detector (an empty vocabulary cache): the
    # machine is shared and single runs wander by a fifth.
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        predictions = run_detector(card, corpus)
        timings.append(time.perf_counter() - started)
    ours = len(corpus) / min(timings)
    quality = score(card, corpus, predictions).line()
    print(f"detector, 1 process:   {ours:8.0f} transcripts/s   {quality}")

    # All cores: measured like the single process (best of a few runs, a fresh detector per
    # process per run, the calls already loaded), and once more counting the start of the
    # processes and the shipping of the calls to them.
    workers = os.cpu_count() or 1
    steady, cold = run_all_cores(card, corpus, workers, args.repeat)
    print(f"detector, {workers} processes: {steady:7.0f} transcripts/s   "
          f"({cold:.0f}/s counting the start of the processes)")

    sample = corpus[: args.naive_calls]
    timings = []
    for _ in range(max(1, args.repeat - 1)):
        started = time.perf_counter()
        naive = run_naive(card, sample)
        timings.append(time.perf_counter() - started)
    baseline = len(sample) / min(timings)
    print(f"naive partial_ratio:   {baseline:8.0f} transcripts/s   "
          f"{score(card, sample, naive).line()}  (on {len(sample)} calls)")
    print(f"speed-up in one process: {ours / baseline:.1f}x")


if __name__ == "__main__":
    main()

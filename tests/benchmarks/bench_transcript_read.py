"""Benchmark: reading a long transcript (a 2,000-word diarised SRT, a labelled text file).

Run:  .venv/bin/python tests/benchmarks/bench_transcript_read.py [--words 2000]
Goal: a 2,000-word transcript reads in under 5 ms (best of 20), so importing a folder of
calls is bound by the disk, not by the parser.
"""

from __future__ import annotations

import argparse
import time

from scorecard.ingest.transcripts import read_text

GREETINGS = ["добрый день меня зовут", "вас беспокоит компания"]
WORDS = "добрый день меня зовут анна компания щит мониторинг подскажите кто у вас".split()
GOAL_MS = 5.0


def long_srt(words: int) -> str:
    """Cues of 12 words each, two diarised speakers taking turns."""
    cues = [f"{n + 1}\n00:{n * 2 // 60:02d}:{n * 2 % 60:02d},000 --> "
            f"00:{n * 2 // 60:02d}:{n * 2 % 60:02d},900\n[SPEAKER_0{n % 2}]: {' '.join(WORDS)}\n"
            for n in range(words // len(WORDS))]
    return "\n".join(cues)


def long_text(words: int) -> str:
    labels = ("Оператор", "Абонент")
    return "\n".join(f"[00:{n // 60:02d}:{n % 60:02d}] {labels[n % 2]}: {' '.join(WORDS)}"
                     for n in range(words // len(WORDS)))


def best_ms(body: str, fmt: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        read_text(body, source=f"long.{fmt}", fmt=fmt, greeting_phrases=GREETINGS)
        best = min(best, time.perf_counter() - began)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    for fmt, body in (("srt", long_srt(args.words)), ("text", long_text(args.words))):
        ms = best_ms(body, fmt, args.runs)
        verdict = "yes" if ms < GOAL_MS else "NO"
        print(f"{fmt:<5} {args.words:,} words: best of {args.runs} {ms:.2f} ms "
              f"(goal < {GOAL_MS:.0f} ms: {verdict})")


if __name__ == "__main__":
    main()

"""Benchmark: the grading app's start-up and how fast a long call opens.

Run:  .venv/bin/python tests/benchmarks/bench_tui.py
Goals (issue: the grading TUI):
* from launching the process to an interactive queue on the demo database: ≤ 1 s;
* opening a call with a 3,000-word transcript and its highlights: ≤ 200 ms.

Start-up is measured from outside: a fresh Python process imports the app, opens the
database, runs headless and reports when the queue table is filled; the wall clock of the
whole process is what a listener waits. Opening is measured inside the app, from the key
press to the grading screen drawn with its highlights; the first opening also creates the
draft and runs the detector, later ones read the draft back.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

STARTUP_CHILD = """
import asyncio, sys
from scorecard.db.engine import open_database
from scorecard.tui import make_app
from scorecard.tui.screens.queue import QueueScreen

async def main():
    app = make_app(open_database(sys.argv[1]), login="qa", language="ru")
    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, QueueScreen) and app.screen._entries):
            await asyncio.sleep(0.005)
        await pilot.pause()
asyncio.run(main())
"""


def startup_seconds(url: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", STARTUP_CHILD, url], check=True)
    return time.perf_counter() - started


def long_call(database, words: int = 3000) -> int:
    """A call with a generated transcript of ``words`` words, assigned to qa; its assignment."""
    import random

    from sqlmodel import select

    from scorecard.db.models import Assignment, Call, CardVersion, QualityCardRecord, User
    from scorecard.demo.transcripts import synthesize_call
    from scorecard.domain.cards import QualityCard
    from scorecard.domain.transcripts import TranscriptDoc, Turn
    from scorecard.services.transcripts import attach

    rng = random.Random(7)
    with database.session() as session:
        version = session.exec(
            select(CardVersion).join(QualityCardRecord,
                                     QualityCardRecord.id == CardVersion.card_id)
            .where(QualityCardRecord.slug == "security-cold-call")).first()
        card = QualityCard.from_json(version.body)
        said = {key: rng.random() < 0.8 for key in card.item_keys()}
        turns: list[Turn] = []
        while sum(len(t.text.split()) for t in turns) < words:
            offset = turns[-1].end if turns else 0.0
            for turn in synthesize_call(card, said, rng, operator_name="Анна",
                                        company="Щит", client_name="Виктор",
                                        talk_seconds=600):
                turns.append(Turn(turn.speaker, turn.text, turn.start + offset,
                                  turn.end + offset))
        call = Call(external_id=f"bench-{rng.random()}", started_at=datetime(2026, 11, 20, 12),
                    talk_seconds=int(turns[-1].end or 0), disposition="answered")
        session.add(call)
        session.flush()
        attach(session, call.id, TranscriptDoc(tuple(turns), "demo"))
        qa = session.exec(select(User).where(User.login == "qa")).one()
        assignment = Assignment(call_id=call.id, card_version_id=version.id,
                                assignee_id=qa.id, status="claimed")
        session.add(assignment)
        session.flush()
        print(f"long call: {sum(len(t.text.split()) for t in turns)} words, {len(turns)} turns")
        return assignment.id


async def open_times(database, assignment_id: int, runs: int) -> list[float]:
    from scorecard.services.access import actor
    from scorecard.tui.app import ScorecardApp
    from scorecard.tui.screens.grading import GradingScreen
    from scorecard.tui.screens.queue import QueueScreen

    times = []
    with database.session() as session:
        who = actor(session, "qa")
    app = ScorecardApp(database=database, login="qa", language="ru", actor=who)
    async with app.run_test(size=(160, 45)) as pilot:
        while not (isinstance(app.screen, QueueScreen) and app.screen._entries):
            await asyncio.sleep(0.005)
        table = app.screen.query_one("#queue-table")
        for _ in range(runs):
            table.move_cursor(row=table.get_row_index(str(assignment_id)))
            await pilot.pause()
            started = time.perf_counter()
            await pilot.press("enter")
            while not (isinstance(app.screen, GradingScreen) and app.screen.ready):
                await asyncio.sleep(0.001)
            await pilot.pause()  # the frame with the transcript and highlights is drawn
            times.append(time.perf_counter() - started)
            queue = app.screen_stack[-2]
            loads = queue.loads
            app.screen.action_back()
            while queue.loads == loads:  # the queue reloads on return; let it finish
                await asyncio.sleep(0.005)
            await pilot.pause()
    return times


def main() -> None:
    from scorecard.db.engine import open_database
    from scorecard.demo.builder import build_demo

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        database = open_database(url)
        build_demo(database, seed=1, last_day=date(2026, 11, 20))
        assignment_id = long_call(database)
        database.dispose()

        starts = [startup_seconds(url) for _ in range(5)]
        print(f"start to interactive queue: best {min(starts):.2f} s, "
              f"median {statistics.median(starts):.2f} s  (goal ≤ 1 s)")

        database = open_database(url)
        times = asyncio.run(open_times(database, assignment_id, 6))
        database.dispose()
        print(f"open a 3,000-word call: first {times[0] * 1000:.0f} ms (draft created, "
              f"detector run), then median {statistics.median(times[1:]) * 1000:.0f} ms, "
              f"worst {max(times[1:]) * 1000:.0f} ms  (goal ≤ 200 ms)")


if __name__ == "__main__":
    main()

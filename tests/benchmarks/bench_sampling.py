"""Benchmark: sampling one day of 200 operators x 150 calls, on SQLite.

Run:  .venv/bin/python tests/benchmarks/bench_sampling.py
Goal: at most 1 s for the draw and the assignments.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date, datetime, timedelta

from scorecard.db.bulk import bulk_insert
from scorecard.db.engine import open_database
from scorecard.db.models import Call, Operator, Team, User
from scorecard.domain.library import find_card
from scorecard.domain.sampling import SamplingRules
from scorecard.services.cards import import_card
from scorecard.services.sampling import sample_day

OPERATORS, CALLS = 200, 150


def main() -> None:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"{folder}/bench.db")
        with database.session() as session:
            import_card(session, find_card("security-cold-call")[0])
            session.add(Team(id=1, name="Команда", card_id=1))
            session.add(User(login="qa", display_name="QA", role="qa"))
            session.flush()
            bulk_insert(session, Operator, [
                {"id": n + 1, "name": f"Оператор {n}", "team_id": 1, "extension": str(200 + n),
                 "active": True, "created_at": datetime(2026, 1, 1)} for n in range(OPERATORS)])
            start = datetime(2026, 3, 2, 9, 0)
            bulk_insert(session, Call, [
                {"external_id": f"c{o}-{n}", "operator_id": o + 1,
                 "started_at": start + timedelta(seconds=n * 200), "ring_seconds": 5,
                 "talk_seconds": rng.choice((0, 0, 15, 45, 120, 300, 700)),
                 "direction": "outbound",
                 "disposition": rng.choice(("answered", "answered", "no_answer"))}
                for o in range(OPERATORS) for n in range(CALLS)])
        started = time.perf_counter()
        with database.session() as session:
            result = sample_day(session, date(2026, 3, 2), SamplingRules(), seed=1)
        elapsed = time.perf_counter() - started
        print(f"{OPERATORS} operators x {CALLS} calls: {result.picked} calls drawn and "
              f"assigned in {elapsed:.2f} s (goal: at most 1 s)")


if __name__ == "__main__":
    main()

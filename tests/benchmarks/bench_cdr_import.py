"""Benchmark: importing Asterisk CDR rows into SQLite, against ORM objects row by row.

Run:  .venv/bin/python tests/benchmarks/bench_cdr_import.py [--rows 1000000]
Goal: 1,000,000 rows (about 270 MB) in at most 15 s. The file is generated in a temporary
folder with 200 operators, a realistic mix of dispositions and a few multi-leg calls.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scorecard.db.engine import open_database
from scorecard.db.models import Call, Operator, Team
from scorecard.ingest.cdr import read_cdr
from scorecard.services.imports import import_calls, operator_extensions
from tests.factories import write_master_csv

DISPOSITIONS = ("ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION")


def prepare(url: str) -> None:
    database = open_database(url)
    with database.session() as session:
        team = Team(name="Бенчмарк")
        session.add(team)
        session.flush()
        for n in range(200):
            session.add(Operator(name=f"Оператор {200 + n}", team_id=team.id,
                                 extension=str(200 + n)))
    database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--orm-rows", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        master = Path(folder) / "Master.csv"
        write_master_csv(master, args.rows)
        os.sync()  # an export at rest, as users have it: no write-back during the import
        size = master.stat().st_size / 2**20
        print(f"file: {args.rows:,} rows, {size:.0f} MB")

        # The goal: the command a user types, start-up to exit, on a machine at rest.
        command_url = f"sqlite:///{folder}/command.db"
        prepare(command_url)
        os.sync()
        scorecard = Path(sys.executable).with_name("scorecard")
        started = time.perf_counter()
        done = subprocess.run([str(scorecard), "import", "cdr", str(master), "--db", command_url],
                              capture_output=True, text=True, check=True)
        print(f"`scorecard import cdr` as typed: {time.perf_counter() - started:6.1f} s  "
              f"[{done.stdout.splitlines()[0].split(': ', 1)[1]}]")

        # The same work in this process, split into reading the file and storing the calls.
        url = f"sqlite:///{folder}/bench.db"
        prepare(url)
        os.sync()
        database = open_database(url)
        started = time.perf_counter()
        with database.session() as session:
            extensions = operator_extensions(session)
        calls, rejected = read_cdr(master, extensions)
        parsed = time.perf_counter() - started
        with database.session() as session:
            report = import_calls(session, calls, source="asterisk")
        elapsed = time.perf_counter() - started
        ours = args.rows / elapsed
        print(f"import in-process:     {elapsed:6.1f} s  (parse {parsed:.1f} s, store "
              f"{elapsed - parsed:.1f} s)  {ours:,.0f} rows/s  {len(calls):,} calls, "
              f"{len(rejected)} rejected  [{report.summary()}]")
        started = time.perf_counter()
        with database.session() as session:
            report = import_calls(session, calls, source="asterisk")
        print(f"re-import of the same calls: {time.perf_counter() - started:.1f} s "
              f"[{report.summary()}]")

        orm_url = f"sqlite:///{folder}/orm.db"
        prepare(orm_url)
        orm = open_database(orm_url)
        sample = calls[: args.orm_rows]
        started = time.perf_counter()
        with orm.session() as session:
            for call in sample:
                session.add(Call(
                    external_id=call.external_id,
                    operator_id=extensions.get(call.operator_extension or ""),
                    started_at=call.started_at, answered_at=call.answered_at,
                    ring_seconds=call.ring_seconds, talk_seconds=call.talk_seconds,
                    direction=call.direction, disposition=call.disposition,
                    client_number=call.client_number, source="asterisk"))
                session.flush()
        orm_rate = len(sample) / (time.perf_counter() - started)
        print(f"ORM objects row by row: {orm_rate:,.0f} rows/s (on {len(sample):,} calls, "
              f"storing only)  -> ours is {ours / orm_rate:.1f}x faster end to end")


if __name__ == "__main__":
    main()

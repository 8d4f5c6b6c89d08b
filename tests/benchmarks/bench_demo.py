"""Benchmark: how long ``scorecard demo`` takes to build, on SQLite and PostgreSQL.

Run:  .venv/bin/python tests/benchmarks/bench_demo.py [--postgres ADMIN_URL]
Goal: under 30 s on both.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

from scorecard.db.engine import open_database
from scorecard.demo.builder import build_demo


def timed_build(url: str) -> float:
    started = time.perf_counter()
    database = open_database(url)
    build_demo(database, seed=1, last_day=date(2026, 11, 20))
    database.dispose()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print(f"SQLite:     {timed_build(str(Path(folder) / 'demo.db')):5.1f} s")
    import psycopg

    name = f"scorecard_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(args.postgres, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        url = args.postgres.rsplit("/", 1)[0] + f"/{name}"
        print(f"PostgreSQL: {timed_build(url):5.1f} s")
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

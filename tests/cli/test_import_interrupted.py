"""An import killed while it is writing leaves the database exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from scorecard.db.engine import open_database
from tests.factories import write_master_csv

DATA = Path(__file__).resolve().parents[2] / "data"
ROWS = 200_000


def snapshot(url: str) -> dict[str, list]:
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            return {table: connection.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')).all()
                    for table in ("call", "operator", "team", "operator_day", "rollup_stale",
                                  "audit_log")}
    finally:
        database.dispose()


def writing(url: str, db_path: Path | None) -> bool:
    """True once the import is storing rows (past reading and parsing the file)."""
    if db_path is not None:
        wal = Path(f"{db_path}-wal")
        return wal.exists() and wal.stat().st_size > 4 * 1024 * 1024
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            return bool(connection.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                # this test's database only: other workers' tests insert calls too
                "AND datname = current_database() "
                "AND query ILIKE 'INSERT INTO \"call\"%'")).scalar())
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One big Master.csv for both backends: writing it costs seconds."""
    path = tmp_path_factory.mktemp("big") / "Master.csv"
    write_master_csv(path, ROWS)
    return path


@pytest.mark.slow
def test_an_import_killed_mid_write_changes_nothing(db_url: str, cli, big: Path) -> None:
    assert cli("import", "operators", DATA / "operators.csv", "--db", db_url).code == 0
    assert cli("import", "cdr", DATA / "cdr" / "Master.csv", "--db", db_url).code == 0
    before = snapshot(db_url)
    db_path = Path(db_url.removeprefix("sqlite:///")) if db_url.startswith("sqlite") else None
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    process = subprocess.Popen(
        [sys.executable, "-c", "from scorecard.cli import run; run()", "import", "cdr",
         str(big), "--db", db_url], env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not writing(db_url, db_path):
            assert process.poll() is None, "the import ended before it was caught writing"
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert snapshot(db_url) == before

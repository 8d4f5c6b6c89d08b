"""Backups while the app runs: SQLite's online backup API (a consistent copy, page by page,
with writers going on), PostgreSQL's pg_dump (one snapshot, custom format for pg_restore)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from scorecard.db.engine import Database
from scorecard.errors import ScorecardError


def backup(database: Database, target: Path) -> None:
    """Write a backup of ``database`` to ``target`` (which must not exist yet)."""
    if target.exists():
        raise ScorecardError(f"{target} exists: a backup never overwrites a file")
    if not target.parent.is_dir():
        raise ScorecardError(f"{target}: no folder {target.parent}")
    if database.dialect == "sqlite":
        _sqlite(database, target)
    else:
        _postgres(database, target)


def _sqlite(database: Database, target: Path) -> None:
    source = sqlite3.connect(database.url.database or "")
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise ScorecardError(f"backup to {target} failed: {exc}") from None
    finally:
        copy.close()
        source.close()


def _postgres(database: Database, target: Path) -> None:
    url = database.url
    # The password goes through the environment, never the command line (`ps` shows it).
    environment = {**os.environ, "PGPASSWORD": url.password or ""} if url.password \
        else dict(os.environ)
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}",
               f"--host={url.host or 'localhost'}", f"--port={url.port or 5432}",
               f"--username={url.username or 'postgres'}", url.database or ""]
    try:
        done = subprocess.run(command, env=environment, capture_output=True, text=True,
                              check=False)
    except FileNotFoundError:
        raise ScorecardError("pg_dump is not installed (apt-get install postgresql-client); "
                             "it makes PostgreSQL backups") from None
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise ScorecardError(f"pg_dump failed: {done.stderr.strip().splitlines()[-1:]}")

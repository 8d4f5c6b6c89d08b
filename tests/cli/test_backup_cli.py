"""``scorecard db backup``: a backup restores to the same data (the README's runbook)."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from scorecard.db.engine import open_database
from tests.conftest import ADMIN_URL

TABLES = ("operator", "call", "evaluation", "evaluation_answer", "transcript_segment",
          "app_user", "installation")


def _content(url: str) -> dict[str, list[tuple]]:
    database = open_database(url)
    try:
        with database.engine.connect() as connection:
            found = {table: sorted(tuple(map(str, row)) for row in connection.execute(
                text(f'SELECT * FROM "{table}"'))) for table in TABLES}
            found["audit_log"] = [tuple(map(str, row)) for row in connection.execute(
                text("SELECT id, digest FROM audit_log ORDER BY id"))]
    finally:
        database.dispose()
    return found


def test_a_backup_restores_to_the_same_data(cli, graded_db, tmp_path: Path) -> None:
    from tests.factories import grade_two_calls_failing_price

    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    url = database.url.render_as_string(hide_password=False)
    assert cli("users", "save", "boss", "--role", "admin", "--db", url).code == 0
    backup = tmp_path / "centre.backup"
    assert cli("db", "backup", backup, "--user", "qa", "--db", url).code == 4
    done = cli("db", "backup", backup, "--user", "boss", "--db", url)
    assert done.code == 0 and backup.stat().st_size > 0, done
    again = cli("db", "backup", backup, "--user", "boss", "--db", url)
    assert again.code == 2 and "never overwrites" in again.err
    if url.startswith("sqlite"):  # the runbook: stop the app, copy the backup into place
        restored = tmp_path / "restored.db"
        shutil.copy(backup, restored)
        restored_url = f"sqlite:///{restored}"
        assert _content(restored_url) == _content(url)
        return
    if shutil.which("pg_restore") is None:
        pytest.skip("pg_restore is not installed")
    name = f"scorecard_restore_{uuid.uuid4().hex[:12]}"
    admin = ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    base = admin.rsplit("/", 1)[0]
    subprocess.run(["createdb", "--maintenance-db", admin, name], check=True)
    try:  # the runbook: pg_restore into a new, empty database
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={base}/{name}", str(backup)],
                       check=True)
        restored_url = f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
        assert _content(restored_url) == _content(url)
        assert cli("audit", "verify", "--user", "boss", "--db", restored_url).code == 0
    finally:
        subprocess.run(["dropdb", "--maintenance-db", admin, "--force", name], check=True)

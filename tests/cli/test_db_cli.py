"""``scorecard db`` and the database errors every command shares."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from scorecard.db.schema import SCHEMA_HEAD


def test_info_on_a_new_database_shows_place_and_schema(cli, db_url: str) -> None:
    result = cli("db", "upgrade", "--db", db_url)
    assert result.code == 0, result
    assert f"schema upgraded from empty to {SCHEMA_HEAD}" in result.out
    info = cli("db", "info", "--db", db_url)
    assert info.code == 0
    assert f"schema:    {SCHEMA_HEAD} (current)" in info.out
    assert "calls" in info.out
    again = cli("db", "upgrade", "--db", db_url)
    assert "schema is current" in again.out


def test_default_database_lives_in_the_data_dir(cli, tmp_path: Path) -> None:
    result = cli("db", "info")
    assert f"SQLite file {tmp_path / 'data' / 'scorecard.db'}" in result.out


def test_environment_and_config_choose_the_database(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = Path(os.environ["SCORECARD_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'database_url = "sqlite:///{tmp_path / "from-config.db"}"\n')
    assert "from-config.db" in cli("db", "info").out
    monkeypatch.setenv("SCORECARD_DATABASE_URL", str(tmp_path / "from-env.db"))
    assert "from-env.db" in cli("db", "info").out
    assert "from-option.db" in cli("db", "info", "--db", tmp_path / "from-option.db").out


def test_a_broken_config_file_is_named(cli) -> None:
    config = Path(os.environ["SCORECARD_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('databse_url = "x"\n')
    result = cli("db", "info")
    assert result.code == 2
    assert f"{config}: unknown key 'databse_url'" in result.err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/x", "unknown database URL 'mysql://…'"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/scorecard",
         "cannot connect to the PostgreSQL database 'scorecard' on 127.0.0.1:1"),
    ],
)
def test_bad_database_urls_get_one_sentence(cli, url: str, message: str) -> None:
    result = cli("db", "info", "--db", url)
    assert result.code == 2
    assert message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err


@pytest.mark.postgres
def test_a_missing_postgres_database_says_how_to_create_it(cli, postgres_url: str) -> None:
    missing = postgres_url.rsplit("/", 1)[0] + "/scorecard_no_such_db"
    result = cli("db", "info", "--db", missing)
    assert result.code == 2
    assert "does not exist: create it first (createdb" in result.err


def _as_unprivileged(argv: list[str]) -> list[str]:
    """Root ignores file permissions; run the command as nobody to see them."""
    if os.geteuid() != 0:
        return argv
    if not shutil.which("setpriv"):
        pytest.skip("needs setpriv to drop root privileges")
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *argv]


def test_a_read_only_data_directory_is_explained() -> None:
    top = Path(tempfile.mkdtemp(prefix="scorecard-ro-"))
    try:
        top.chmod(0o755)
        readonly = top / "readonly"
        readonly.mkdir(mode=0o555)
        readonly.chmod(0o555)
        env = {**os.environ, "SCORECARD_DATA_DIR": str(readonly / "data"),
               "SCORECARD_CONFIG": str(top / "none.toml")}
        env.pop("SCORECARD_DATABASE_URL", None)
        code = "from scorecard.cli import run; run()"
        for args in (["db", "upgrade"], ["db", "upgrade", "--db", str(readonly / "x.db")]):
            done = subprocess.run(
                _as_unprivileged([sys.executable, "-c", code, *args]),
                capture_output=True, text=True, env=env, cwd=top, check=False)
            assert done.returncode == 2, done
            assert "Traceback" not in done.stderr
            assert ("cannot create the data directory" in done.stderr
                    or "read-only" in done.stderr), done.stderr
        assert list(readonly.iterdir()) == []
    finally:
        shutil.rmtree(top, ignore_errors=True)

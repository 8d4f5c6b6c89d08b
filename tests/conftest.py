"""Shared fixtures: an isolated environment per test, and databases on both backends.

Every test that touches storage takes ``db_url`` (or ``database``) and runs twice: on a
fresh SQLite file and on a fresh PostgreSQL database. PostgreSQL is found through
``SCORECARD_TEST_POSTGRES`` (an admin URL, default the local server); when it cannot be
reached the PostgreSQL half is skipped locally, and fails in CI (``CI`` set), so a missing
server never passes silently there.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ADMIN_URL = os.environ.get(
    "SCORECARD_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the user's config or writes into the user's data folder. The test's
    OS account is trusted ([security] trusted_accounts), as an administrator's is: tests
    act as many users on PostgreSQL; tests of proving who someone is write their own."""
    # Beside the test's folder, not in it: tests list what their folder holds.
    config = tmp_path.parent / f"{tmp_path.name}-config" / "config.toml"
    config.parent.mkdir(exist_ok=True)
    config.write_text(TRUSTED_CONFIG, encoding="utf-8")
    monkeypatch.setenv("SCORECARD_CONFIG", str(config))
    monkeypatch.setenv("SCORECARD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SCORECARD_DATABASE_URL", raising=False)
    # Screens show stored UTC times in the local zone: pin it, so pictures match anywhere.
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def _this_account() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return str(os.geteuid())


TRUSTED_CONFIG = f'[security]\ntrusted_accounts = ["{_this_account()}"]\n'

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

_postgres_error: str | None = None
_postgres_checked = False


def _postgres_available() -> str | None:
    """None when the server answers, else why not."""
    global _postgres_checked, _postgres_error
    if not _postgres_checked:
        _postgres_checked = True
        try:
            import psycopg

            conninfo = ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
            with psycopg.connect(conninfo, connect_timeout=3):
                pass
        except Exception as exc:  # any failure means: no usable server
            _postgres_error = f"{type(exc).__name__}: {exc}"
    return _postgres_error


def _fresh_postgres_database() -> tuple[str, str]:
    import psycopg

    name = f"scorecard_test_{uuid.uuid4().hex[:12]}"
    conninfo = ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base}/{name}", name


def _drop_postgres_database(name: str) -> None:
    import psycopg

    conninfo = ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database, once per backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'scorecard.db'}"
        return
    yield from _postgres_database()


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Like ``db_url``, shared by a module's tests (for data that is slow to build)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'scorecard.db'}"
        return
    yield from _postgres_database()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """The URL of an empty PostgreSQL database, for behaviour only PostgreSQL has."""
    yield from _postgres_database()


def _postgres_database() -> Iterator[str]:
    problem = _postgres_available()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI but unreachable at {ADMIN_URL}: {problem}")
        pytest.skip(f"PostgreSQL unreachable at {ADMIN_URL}: {problem}")
    url, name = _fresh_postgres_database()
    try:
        yield url
    finally:
        _drop_postgres_database(name)


@pytest.fixture
def database(db_url: str):
    """An opened database with the current schema."""
    from scorecard.db.engine import open_database

    db = open_database(db_url)
    yield db
    db.dispose()


@pytest.fixture
def shipped_cards():
    from scorecard.domain.cards import load_card
    from scorecard.domain.library import card_files, shipped_library

    return [load_card(path) for path in card_files([shipped_library()])]


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):
    """Run ``scorecard ARGS…`` in-process; returns exit code, stdout and stderr."""
    from scorecard.cli import main

    def run(*args: str) -> CliResult:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def graded_db(db_url: str):
    """A small call centre with three calls waiting for the listener qa (tests.factories.seed)."""
    from scorecard.db.engine import open_database
    from tests.factories import seed

    database = open_database(db_url)
    ids = seed(database)
    yield database, ids
    database.dispose()

"""Engines and units of work, for SQLite and PostgreSQL.

:func:`open_database` is the one way in: it turns what the user typed (a URL or a plain
file path) into an engine with the right connection settings, checks that the schema is
current, and hands out sessions that commit as one unit or not at all. Database failures
leave this module as :class:`~scorecard.errors.ScorecardError` with a sentence a user can act on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from scorecard.db.errors import describe, translate
from scorecard.db.schema import SCHEMA_HEAD
from scorecard.errors import DatabaseError

if TYPE_CHECKING:
    from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000




def parse_url(text_url: str) -> URL:
    """Accept a SQLAlchemy URL, a ``postgresql://`` URL, or a path to a SQLite file."""
    value = text_url.strip()
    if "://" not in value:
        path = Path(value).expanduser()
        return make_url(f"sqlite:///{path.absolute()}")
    try:
        url = make_url(value)
    except ArgumentError:
        raise DatabaseError(f"cannot read the database URL {value!r}: {_URL_HELP}") from None
    if url.drivername in ("postgresql", "postgres", "postgresql+psycopg2"):
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise DatabaseError(f"unknown database URL {url.drivername + '://…'!r}: {_URL_HELP}")
    return url


_URL_HELP = (
    "use a file path, sqlite:///PATH/TO/FILE.db, or postgresql+psycopg://USER@HOST:PORT/DBNAME"
)


def make_engine(url: URL, *, create_folder: bool = False) -> Engine:
    """An engine with the connection settings scorecard relies on. A SQLite file's folder
    is created only when asked (the default data folder): a mistyped --db must not quietly
    become a new, empty database that an import then reports success into."""
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, create_folder=create_folder)
    try:
        import psycopg  # noqa: F401 - only to know whether the driver is there
    except ImportError:
        raise DatabaseError("error.no_postgres_driver") from None
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": 5, "application_name": "scorecard"},
    )


def _sqlite_engine(url: URL, *, create_folder: bool) -> Engine:
    if url.database and url.database != ":memory:":
        folder = Path(url.database).parent
        if not create_folder and not folder.is_dir():
            raise DatabaseError(f"no folder {folder} for the database {url.database}: check "
                                "the path, or create the folder first")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"cannot create the data directory {folder}: {exc.strerror}; "
                "choose another place with --db PATH or SCORECARD_DATABASE_URL"
            ) from None
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module so BEGIN IMMEDIATE is possible
        # (the queue claims calls with it) and DDL runs inside migrations' transactions.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if url.database:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


@dataclass
class Database:
    """An opened database: its URL, engine and a factory for units of work."""

    url: URL
    engine: Engine

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def describe(self) -> str:
        return describe(self.url)

    @contextmanager
    def session(self, *, immediate: bool = False) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on any error.

        ``immediate`` takes SQLite's write lock up front, for read-then-write work that
        must not interleave with another writer; PostgreSQL ignores it.
        """
        from sqlmodel import Session

        bind: Any = self.engine
        if immediate and self.dialect == "sqlite":
            bind = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        try:
            with Session(bind, expire_on_commit=False) as session:
                yield session
                session.commit()
        except OperationalError as exc:
            # Connection, lock and permission failures are the user's to fix; integrity
            # errors stay as they are, for the service that caused them to handle.
            raise translate(exc, self.url) from exc
        except sqlite3.OperationalError as exc:  # bulk inserts talk to the driver directly
            raise translate(OperationalError(None, None, exc), self.url) from exc

    def revision(self) -> tuple[str | None, bool]:
        """(schema revision or None, whether any table exists); also proves the connection."""
        try:
            return schema_revision(self.engine)
        except DBAPIError as exc:
            raise translate(exc, self.url) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def schema_revision(engine: Engine) -> tuple[str | None, bool]:
    """(Alembic revision or None, whether the database holds any table at all)."""
    with engine.connect() as connection:
        names = set(inspect(connection).get_table_names())
        if "alembic_version" not in names:
            return None, bool(names)
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return revision, True


def open_database(url_text: str, *, check_schema: bool = True,
                  create_folder: bool = False) -> Database:
    """Open the database at ``url_text``; create the schema in an empty one.

    A database on an older schema is refused with the command that upgrades it, so that
    no code ever runs against tables it does not expect.
    """
    url = parse_url(url_text)
    database = Database(url, make_engine(url, create_folder=create_folder))
    try:
        revision, has_tables = database.revision()
    except DatabaseError:
        database.dispose()
        raise
    if not check_schema:
        return database
    if revision == SCHEMA_HEAD:
        return database
    if revision is None and not has_tables:
        from scorecard.db.migrate import upgrade

        upgrade(database)
        return database
    database.dispose()
    if revision is None:
        raise DatabaseError(
            f"the {describe(url)} holds tables that scorecard did not create; "
            "point --db at an empty database or a scorecard database"
        )
    raise DatabaseError(
        f"the {describe(url)} has schema version {revision}, this scorecard needs "
        f"{SCHEMA_HEAD}: run `scorecard db upgrade --db {url.render_as_string()}`"
        if _is_known_revision(revision)
        else f"the {describe(url)} has schema version {revision}, made by a newer scorecard; "
        "upgrade scorecard (pip install -U scorecard)"
    )


def _is_known_revision(revision: str) -> bool:
    from scorecard.db.schema import KNOWN_REVISIONS

    return revision in KNOWN_REVISIONS

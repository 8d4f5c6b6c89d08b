"""Database failures as one sentence a user can act on: what failed, where, how to fix.

Shared by opening a database (:mod:`.engine`) and upgrading its schema (:mod:`.migrate`).
"""

from __future__ import annotations

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError

from scorecard.errors import DatabaseError


def describe(url: URL) -> str:
    """Where the data lives, for messages: never shows a password."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite file {url.database}" if url.database else "SQLite in memory"
    host = url.host or "localhost"
    port = url.port or 5432
    return f"PostgreSQL database {url.database!r} on {host}:{port}"


def translate(exc: DBAPIError, url: URL) -> DatabaseError:
    """One sentence for a low-level database failure: what, where, how to fix."""
    where = describe(url)
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    lowered = detail.lower()
    if url.get_backend_name() == "sqlite":
        if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
            return DatabaseError(
                f"cannot write to the {where}: the file or its directory is read-only "
                f"({detail}); make it writable or choose another place with --db PATH"
            )
        if "locked" in lowered or "busy" in lowered:
            return DatabaseError(f"the {where} is locked by another program; try again")
        return DatabaseError(f"the {where} failed: {detail}")
    if isinstance(exc, OperationalError) and f'database "{url.database}" does not exist' in detail:
        return DatabaseError(
            f"the {where} does not exist: create it first "
            f"(createdb -h {url.host or 'localhost'} -p {url.port or 5432} "
            f"-U {url.username or 'postgres'} {url.database})"
        )
    if isinstance(exc, OperationalError) and (
        "connect" in lowered or "connection" in lowered or "does not exist" in lowered
    ):
        return DatabaseError(
            f"cannot connect to the {where}: {detail}. Check that the server is running "
            "and the URL is right (postgresql+psycopg://USER@HOST:PORT/DBNAME)"
        )
    return DatabaseError(f"the {where} failed: {detail}")

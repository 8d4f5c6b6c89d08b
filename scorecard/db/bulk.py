"""Bulk inserts that go through Core, or straight through the driver, not the ORM.

The ORM's bulk path may fall back to one statement per row (it did on PostgreSQL for rows
with explicit ids); Core ``executemany`` batches rows into multi-row INSERTs on both
backends. A million calls go through the driver itself: plain tuples, many rows per
SQLite statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

from sqlalchemy import Connection
from sqlmodel import Session, SQLModel

CHUNK = 5000
#: Rows per INSERT statement on SQLite (measured: about 500 beats both 50 and 3000).
ROWS_PER_STATEMENT = 500


def bulk_insert(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts keyed by column name) in the session's transaction.

    Rows may leave out keys other rows have; those columns get NULL (Core needs one shape
    per statement). Python-side defaults do not apply here: give every value you need.
    """
    if not rows:
        return
    keys = set().union(*(row.keys() for row in rows))
    if any(len(row) != len(keys) for row in rows):
        rows = [{key: row.get(key) for key in keys} for row in rows]
    table = model.__table__  # type: ignore[attr-defined]
    connection = session.connection()
    for start in range(0, len(rows), CHUNK):
        connection.execute(table.insert(), rows[start : start + CHUNK])


def insert_sqlite(connection: Connection, head: str, tail: str, rows: Iterator[tuple],
                  width: int) -> int:
    """Insert through the driver, many rows (of ``width`` values) per statement.

    One statement per row (``executemany``) costs twice as much: the sqlite3 module binds,
    steps and resets per row. A statement of a few hundred rows does that once.
    """
    driver = connection.connection.driver_connection
    per_statement = max(1, min(ROWS_PER_STATEMENT,
                               driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    cursor = driver.cursor()
    values = f"({', '.join(['?'] * width)})"
    full = head + ", ".join([values] * per_statement) + tail
    inserted = 0
    while parameters := list(chain.from_iterable(islice(rows, per_statement))):
        count = len(parameters) // width
        statement = full if count == per_statement else (
            head + ", ".join([values] * count) + tail)
        cursor.execute(statement, parameters)
        inserted += max(cursor.rowcount, 0)
    return inserted


def executemany(connection: Connection, statement: str, rows: list[tuple]) -> int:
    """Run ``statement`` for every row through the driver; the number of rows it changed."""
    cursor = connection.connection.driver_connection.cursor()
    changed = 0
    for start in range(0, len(rows), 50_000):
        cursor.executemany(statement, rows[start:start + 50_000])
        changed += max(cursor.rowcount, 0)
    return changed


def copy_postgres(connection: Connection, table: str, columns: Sequence[str],
                  rows: Iterable[tuple], conflict: str) -> int:
    """Insert ``rows`` into ``table`` on PostgreSQL through COPY, leaving alone rows whose
    key is stored (``conflict``: the ``ON CONFLICT …`` clause); how many went in.

    COPY cannot skip conflicts, so the rows go to a temporary table first, then across in
    one INSERT … SELECT, in the caller's transaction.
    """
    names = ", ".join(columns)
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute(f'CREATE TEMPORARY TABLE incoming ON COMMIT DROP AS SELECT {names} '
                   f'FROM "{table}" WITH NO DATA')
    with cursor.copy(f"COPY incoming ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f'INSERT INTO "{table}" ({names}) SELECT {names} FROM incoming{conflict}')
    inserted = max(cursor.rowcount, 0)
    cursor.execute("DROP TABLE incoming")
    return inserted

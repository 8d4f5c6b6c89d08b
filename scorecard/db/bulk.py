"""Bulk inserts that go through Core, not the ORM.

The ORM's bulk path may fall back to one statement per row (it did on PostgreSQL for rows
with explicit ids); Core ``executemany`` batches rows into multi-row INSERTs on both
backends, which is what imports of a million rows need.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, SQLModel

CHUNK = 5000


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

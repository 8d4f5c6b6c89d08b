"""One length policy for every import, the same on both databases: a value longer than
its column, or a count beyond a 32-bit integer, is that row's rejection before anything is
written. (SQLite would store it as given; PostgreSQL would fail the whole import.)"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import BigInteger, Integer, String, TypeDecorator
from sqlmodel import SQLModel

INT_MAX = 2**31 - 1
BIGINT_MAX = 2**63 - 1


def limits_of(model: type[SQLModel]) -> dict[str, int]:
    """Each string column's length and each integer column's largest value."""
    found: dict[str, int] = {}
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        kind = column.type
        if isinstance(kind, TypeDecorator):  # SQLModel's AutoString wraps a String
            kind = kind.impl_instance
        if isinstance(kind, String) and kind.length:
            found[column.name] = kind.length
        elif isinstance(kind, BigInteger):
            found[column.name] = BIGINT_MAX
        elif isinstance(kind, Integer) and not column.primary_key:
            found[column.name] = INT_MAX
    return found


def beyond_limits(values: Mapping[str, object], limits: Mapping[str, int]) -> str | None:
    """Why a row cannot be stored as it is (the first field over its limit), or None."""
    for name, value in values.items():
        limit = limits.get(name)
        if limit is None or value is None:
            continue
        if isinstance(value, str) and len(value) > limit:
            return f"{name}: {len(value)} characters, at most {limit} are kept"
        if isinstance(value, int) and not isinstance(value, bool) and value > limit:
            return f"{name}: {value} is beyond any real value (at most {limit})"
    return None

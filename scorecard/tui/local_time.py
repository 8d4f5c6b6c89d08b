"""Times the database keeps in UTC (audit entries, disputes, sessions), shown on screen in
the local time zone, where the people reading them work. Call times are not converted:
they are the PBX's wall clock already."""

from __future__ import annotations

from datetime import UTC, datetime


def local(at: datetime) -> datetime:
    """``at``, naive UTC as stored, as the naive local wall-clock time."""
    return at.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)

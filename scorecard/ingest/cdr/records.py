"""A call as every call-record reader hands it to storage, whatever the PBX."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

#: The longest call stored: the largest whole number PostgreSQL's integer column holds.
MAX_SECONDS = 2**31 - 1


class CallRecord(NamedTuple):
    """One call, ready to store (times are the PBX's local wall clock).

    A named tuple, not a dataclass: a million of them are made in one import.
    """

    external_id: str
    operator_extension: str | None
    started_at: datetime
    answered_at: datetime | None
    ring_seconds: int
    talk_seconds: int
    direction: str
    disposition: str
    client_number: str | None
    line: int
    started_text: str | None = None
    """``started_at`` as ``YYYY-MM-DD HH:MM:SS.ffffff`` when the reader had it for free
    (the file wrote it so); None: format ``started_at``."""
    answered_text: str | None = None
    """``answered_at`` likewise."""

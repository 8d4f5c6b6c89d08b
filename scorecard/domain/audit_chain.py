"""The audit log's hash chain: each entry's digest covers the entry and the digest before
it, so changing, deleting or reordering any entry breaks every digest after it. The newest
digest (the head), kept outside the database, proves the whole log up to it."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

GENESIS = "0" * 64
"""The digest 'before' the first entry."""


def entry_digest(previous: str, *, at: datetime, actor_id: int | None, action: str,
                 entity: str, entity_id: int | None, old: str | None, new: str | None,
                 reason: str | None) -> str:
    """SHA-256 over the previous digest and the entry's fields, in a fixed text form."""
    if at.tzinfo is not None:  # stored as naive UTC: hash what is stored
        at = at.astimezone(UTC).replace(tzinfo=None)
    fields = [previous, at.isoformat(timespec="microseconds"), actor_id, action, entity,
              entity_id, old, new, reason]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

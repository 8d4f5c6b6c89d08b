"""Writing the audit log: who changed what, when, from what to what, and why."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session

from scorecard.db.models import AuditEntry, utcnow


def record(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: int | None,
    actor_id: int | None = None,
    old: Any = None,
    new: Any = None,
    reason: str | None = None,
    at: datetime | None = None,
) -> None:
    """Add one entry to the append-only log, in the caller's unit of work."""
    session.add(
        AuditEntry(
            at=at or utcnow(),
            actor_id=actor_id,
            action=action,
            entity=entity,
            entity_id=entity_id,
            old=None if old is None else json.dumps(old, ensure_ascii=False, default=str),
            new=None if new is None else json.dumps(new, ensure_ascii=False, default=str),
            reason=reason,
        )
    )

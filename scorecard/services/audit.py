"""The audit log: writing who changed what, when, from what to what, and why; reading it
back for the admins and leads allowed to."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from scorecard.db.models import AuditEntry, User, utcnow
from scorecard.services.access import Actor, Permission


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


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str | None
    action: str
    entity: str
    entity_id: int | None
    old: str | None
    new: str | None
    reason: str | None


def entries(
    session: Session, *, viewer: Actor, contains: str | None = None, limit: int = 500,
    before_id: int | None = None,
) -> list[Entry]:
    """The newest entries (older than ``before_id`` when paging back), optionally only those
    whose action, entity, actor or reason contain ``contains``."""
    viewer.require(Permission.VIEW_AUDIT)
    query = (select(AuditEntry, User.login)
             .join(User, col(User.id) == col(AuditEntry.actor_id), isouter=True)
             .order_by(col(AuditEntry.id).desc()).limit(limit))
    if before_id is not None:
        query = query.where(col(AuditEntry.id) < before_id)
    if contains:
        pattern = f"%{contains.lower()}%"
        query = query.where(or_(func.lower(AuditEntry.action).like(pattern),
                                func.lower(AuditEntry.entity).like(pattern),
                                func.lower(func.coalesce(User.login, "")).like(pattern),
                                func.lower(func.coalesce(AuditEntry.reason, "")).like(pattern)))
    return [Entry(e.id or 0, e.at, login, e.action, e.entity, e.entity_id, e.old, e.new,
                  e.reason) for e, login in session.exec(query).all()]

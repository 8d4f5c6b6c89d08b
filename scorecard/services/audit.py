"""The audit log: writing who changed what, when, from what to what, and why, and checking
its hash chain (reading it back is :mod:`scorecard.services.audit_log`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from scorecard.db.models import AuditEntry, utcnow
from scorecard.domain.audit_chain import GENESIS, entry_digest
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
    """Add one entry to the append-only log, in the caller's unit of work, chained to the
    entry before it."""
    entry = AuditEntry(
        at=at or utcnow(),
        actor_id=actor_id,
        action=action,
        entity=entity,
        entity_id=entity_id,
        old=None if old is None else json.dumps(old, ensure_ascii=False, default=str),
        new=None if new is None else json.dumps(new, ensure_ascii=False, default=str),
        reason=reason,
    )
    entry.digest = entry_digest(_head(session), at=entry.at, actor_id=actor_id,
                                action=action, entity=entity, entity_id=entity_id,
                                old=entry.old, new=entry.new, reason=reason)
    _append(session, entry)


def _append(session: Session, entry: AuditEntry) -> None:
    """Write one entry. On PostgreSQL through ``audit_append``, the function an application
    role is granted instead of the table (``scorecard db grant-app``)."""
    if session.get_bind().dialect.name != "postgresql":
        session.add(entry)
        session.flush()  # the next entry of this unit of work chains to this one
        return
    session.flush()  # rows the entry names (a new user, an evaluation) go first
    session.execute(text(
        "SELECT audit_append(:at, :actor, :action, :entity, :entity_id, :old, :new, :reason, "
        ":digest)"), {"at": entry.at, "actor": entry.actor_id, "action": entry.action,
                      "entity": entry.entity, "entity_id": entry.entity_id, "old": entry.old,
                      "new": entry.new, "reason": entry.reason, "digest": entry.digest})


#: Any number, the same in every process: the lock that orders writers of the chain.
_CHAIN_LOCK = 0x5C0_2EC0


def _head(session: Session) -> str:
    """The newest entry's digest. On PostgreSQL writers take turns (a transaction-scoped
    lock) so two never chain to the same entry; SQLite has one writer at a time anyway."""
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_CHAIN_LOCK))
    head = session.exec(select(AuditEntry.digest).order_by(col(AuditEntry.id).desc())
                        .limit(1)).first()
    return head or GENESIS


def append_rows(session: Session, rows: list[dict[str, Any]]) -> None:
    """Many entries at once (the demo's history: values in their stored, JSON text form),
    in their order, chained."""
    previous = _head(session)
    for row in rows:
        entry = AuditEntry(**row)
        previous = entry.digest = entry_digest(previous, **row)
        _append(session, entry)


@dataclass(frozen=True)
class ChainCheck:
    """What ``scorecard audit verify`` found."""

    entries: int
    head: str
    head_id: int | None
    broken_at: int | None = None
    """The first entry whose digest does not follow from the ones before (None: intact)."""


def verify_chain(session: Session, *, viewer: Actor, batch: int = 5000) -> ChainCheck:
    """Recompute every digest in order; the first that differs is where the log was
    changed, an entry deleted or one inserted by hand."""
    viewer.require(Permission.VIEW_AUDIT)
    previous, count, last_id, after = GENESIS, 0, None, 0
    while True:
        rows = session.exec(select(AuditEntry).where(col(AuditEntry.id) > after)
                            .order_by(col(AuditEntry.id)).limit(batch)).all()
        if not rows:
            return ChainCheck(count, previous, last_id)
        for e in rows:
            expected = entry_digest(previous, at=e.at, actor_id=e.actor_id, action=e.action,
                                    entity=e.entity, entity_id=e.entity_id, old=e.old,
                                    new=e.new, reason=e.reason)
            if e.digest != expected:
                return ChainCheck(count, previous, last_id, broken_at=e.id)
            previous, count, last_id = expected, count + 1, e.id
        after = rows[-1].id or 0
        session.expunge_all()

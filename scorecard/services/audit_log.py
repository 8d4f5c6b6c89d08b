"""Reading the audit log back, in words: who changed what, when, from what to what, and
why, for the admins and leads allowed to; and one evaluation's history for whoever may
read that evaluation."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from scorecard.db.models import AuditEntry, Evaluation, User
from scorecard.services.access import Actor, Permission
from scorecard.services.cards import ItemWording


@dataclass(frozen=True)
class ItemChange:
    """One item of an evaluation changed by an entry, by its wording on the card."""

    item: str
    before: str | None
    """The answer before (pass, fail, na or None)."""
    after: str | None


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
    evaluation_id: int | None = None
    """The evaluation the entry is about (its grade, a dispute of it, opening its call)."""
    item: str | None = None
    """The disputed item's wording, for dispute entries."""
    changes: tuple[ItemChange, ...] = ()
    total: tuple[float | None, float | None] | None = None
    """The evaluation's total before and after, for entries that changed or set it."""


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
    return in_words(session, session.exec(query).all())


def history_of(session: Session, evaluation_id: int, dispute_ids: list[int]) -> list[Entry]:
    """What happened to one evaluation, oldest first: its submission, changes and disputes
    (callers check that the reader may see the evaluation)."""
    about = or_(and_(col(AuditEntry.entity) == "evaluation",
                     col(AuditEntry.entity_id) == evaluation_id),
                and_(col(AuditEntry.entity) == "dispute",
                     col(AuditEntry.entity_id).in_(dispute_ids or [-1])))
    query = (select(AuditEntry, User.login)
             .join(User, col(User.id) == col(AuditEntry.actor_id), isouter=True)
             .where(about).order_by(col(AuditEntry.id)))
    return in_words(session, session.exec(query).all())


def in_words(session: Session, rows: Sequence[tuple[AuditEntry, str | None]]) -> list[Entry]:
    """Entries with what they did to evaluations spelled out: item wordings from the card
    each evaluation was graded with, answers before and after, totals."""
    parsed = [(e, login, _json(e.old), _json(e.new)) for e, login in rows]
    evaluations = {_evaluation_of(e, new) for e, _, _, new in parsed} - {None}
    versions = dict(session.exec(
        select(Evaluation.id, Evaluation.card_version_id)
        .where(col(Evaluation.id).in_(evaluations))).all()) if evaluations else {}
    wording = ItemWording(session)

    def title(evaluation: int | None, key: object) -> str:
        stage, _, item = str(key).partition("/")
        version = versions.get(evaluation) if evaluation is not None else None
        return key if version is None else wording(version, stage, item)  # type: ignore[return-value]

    found = []
    for e, login, old, new in parsed:
        evaluation = _evaluation_of(e, new)
        old_items, new_items = _items(old), _items(new)
        changes = tuple(
            ItemChange(title(evaluation, key), _answer(old_items.get(key)),
                       _answer(new_items.get(key)))
            for key in sorted(set(old_items) | set(new_items)))
        total = ((_number(old, "total"), _number(new, "total"))
                 if isinstance(new, dict) and "total" in new else None)
        item = new.get("item") if isinstance(new, dict) and e.entity == "dispute" else None
        found.append(Entry(
            e.id or 0, e.at, login, e.action, e.entity, e.entity_id, e.old, e.new, e.reason,
            evaluation, title(evaluation, item) if item else None, changes, total))
    return found


def _json(stored: str | None) -> Any:
    if not stored:
        return None
    try:
        return json.loads(stored)
    except ValueError:
        return None  # an entry written by hand: shown as it is, not in words


def _evaluation_of(entry: AuditEntry, new: Any) -> int | None:
    if entry.entity == "evaluation":
        return entry.entity_id
    value = new.get("evaluation") if isinstance(new, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _items(side: Any) -> dict[str, Any]:
    items = side.get("items") if isinstance(side, dict) else None
    return items if isinstance(items, dict) else {}


def _answer(item: Any) -> str | None:
    answer = item.get("answer") if isinstance(item, dict) else None
    return answer if isinstance(answer, str) else None


def _number(side: Any, key: str) -> float | None:
    value = side.get(key) if isinstance(side, dict) else None
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None

"""The grading queue many listeners share: listing it and claiming the next call.

A claim is one short transaction that must never hand the same call to two listeners: on
PostgreSQL the row is taken with ``SELECT … FOR UPDATE SKIP LOCKED`` (other listeners skip
it rather than wait), on SQLite the transaction starts with ``BEGIN IMMEDIATE`` (one writer
at a time). A claim expires when its listener goes away, and the call returns to the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_
from sqlmodel import Session, col, select

from scorecard.db.engine import Database
from scorecard.db.models import (
    Assignment,
    Call,
    CardVersion,
    Evaluation,
    Operator,
    QualityCardRecord,
    User,
    utcnow,
)
from scorecard.errors import ScorecardError
from scorecard.services.access import MATRIX, AccessDenied, Permission

CLAIM_MINUTES = 30


@dataclass(frozen=True)
class QueueEntry:
    assignment_id: int
    call_id: int
    external_id: str
    operator: str | None
    started_at: datetime
    talk_seconds: int
    status: str
    """new, claimed, draft (grading started) or submitted (listed on request)."""
    mine: bool
    card: str = ""
    """The card's slug and version number, ``security-cold-call v2``."""
    calibration: int | None = None
    """The calibration session the call is graded for (None: ordinary grading)."""


def _user_id(session: Session, login: str) -> int:
    user = session.exec(select(User).where(User.login == login)).first()
    if user is None or user.id is None:
        raise ScorecardError(f"no user {login!r}: the demo creates qa and qa2")
    if user.role not in MATRIX[Permission.GRADE]:
        raise AccessDenied(f"{login} ({user.role}) may not {Permission.GRADE.value}")
    return user.id


def _expire_claims(session: Session, now: datetime) -> None:
    """Calls whose listener left go back to the shared queue, for anyone to take."""
    for assignment in session.exec(
        select(Assignment).where(Assignment.status == "claimed",
                                 col(Assignment.claim_expires_at) < now)
    ).all():
        assignment.status = "new"
        if assignment.calibration_session_id is None:
            # A calibration call stays with its invited listener: it is never shared.
            assignment.assignee_id = None
        assignment.claimed_at = None
        assignment.claim_expires_at = None


def list_queue(
    session: Session, login: str, *, submitted_days: int | None = None,
) -> list[QueueEntry]:
    """The listener's own calls (new or claimed by them) and the shared queue, oldest first.

    With ``submitted_days``, the listener's evaluations submitted in those last days are
    listed too (status "submitted"), so a grade can be reopened and corrected.
    """
    user_id = _user_id(session, login)
    waiting = (
        (col(Assignment.assignee_id) == user_id) & col(Assignment.status).in_(("new", "claimed"))
    ) | (col(Assignment.assignee_id).is_(None) & (col(Assignment.status) == "new"))
    if submitted_days is not None:
        waiting = waiting | (
            (col(Evaluation.evaluator_id) == user_id)
            & (col(Evaluation.status) == "submitted")
            & (col(Evaluation.submitted_at) >= utcnow() - timedelta(days=submitted_days))
        )
    rows = session.exec(
        select(Assignment, Call.external_id, Operator.name, Call.started_at, Call.talk_seconds,
               QualityCardRecord.slug, CardVersion.number, Evaluation.status)
        .join(Call, col(Call.id) == col(Assignment.call_id))
        .outerjoin(Operator, col(Operator.id) == col(Call.operator_id))
        .join(CardVersion, col(CardVersion.id) == col(Assignment.card_version_id))
        .join(QualityCardRecord, col(QualityCardRecord.id) == col(CardVersion.card_id))
        .outerjoin(Evaluation, col(Evaluation.assignment_id) == col(Assignment.id))
        # Calibration calls are listed to their invited listener only (blind grading).
        .where(col(Assignment.calibration_session_id).is_(None)
               | (col(Assignment.assignee_id) == user_id))
        .where(waiting)
        .order_by(case((col(Assignment.assignee_id) == user_id, 0), else_=1),
                  col(Call.started_at), col(Assignment.id))
    ).all()
    return [
        QueueEntry(a.id, a.call_id, external, operator, started, talk,
                   evaluation if evaluation in ("draft", "submitted") else a.status,
                   a.assignee_id == user_id, f"{slug} v{number}", a.calibration_session_id)
        for a, external, operator, started, talk, slug, number, evaluation in rows
        if a.id is not None
    ]


def claim_next(
    database: Database, login: str, *, now: datetime | None = None,
    claim_minutes: int = CLAIM_MINUTES,
) -> QueueEntry | None:
    """Give the listener their next call: their own first, then the shared queue.

    Returns None when nothing is left. Safe with many listeners claiming at once.
    """
    now = now or utcnow()
    with database.session(immediate=True) as session:
        user_id = _user_id(session, login)
        _expire_claims(session, now)
        session.flush()
        query = (
            select(Assignment)
            .where(Assignment.status == "new")
            .where(col(Assignment.calibration_session_id).is_(None)
                   | (col(Assignment.assignee_id) == user_id))
            .where(or_(col(Assignment.assignee_id) == user_id,
                       col(Assignment.assignee_id).is_(None)))
            .order_by(case((col(Assignment.assignee_id) == user_id, 0), else_=1),
                      col(Assignment.created_at), col(Assignment.id))
            .limit(1)
        )
        if database.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True)
        assignment = session.exec(query).first()
        if assignment is None or assignment.id is None:
            return None
        return _take(session, assignment, user_id, now, claim_minutes)


def claim(
    database: Database, login: str, assignment_id: int, *, now: datetime | None = None,
    claim_minutes: int = CLAIM_MINUTES,
) -> QueueEntry | None:
    """Claim one listed call; None when another listener took it first (or it is gone)."""
    now = now or utcnow()
    with database.session(immediate=True) as session:
        user_id = _user_id(session, login)
        _expire_claims(session, now)
        session.flush()
        query = select(Assignment).where(Assignment.id == assignment_id)
        if database.dialect == "postgresql":
            query = query.with_for_update()
        assignment = session.exec(query).first()
        if assignment is None or assignment.id is None:
            return None
        if assignment.assignee_id not in (None, user_id) or assignment.status not in (
            "new", "claimed"
        ):
            return None
        return _take(session, assignment, user_id, now, claim_minutes)


def _take(
    session: Session, assignment: Assignment, user_id: int, now: datetime, claim_minutes: int
) -> QueueEntry:
    assert assignment.id is not None
    assignment.status = "claimed"
    assignment.assignee_id = user_id
    assignment.claimed_at = now
    assignment.claim_expires_at = now + timedelta(minutes=claim_minutes)
    call = session.get(Call, assignment.call_id)
    assert call is not None
    operator = session.get(Operator, call.operator_id) if call.operator_id else None
    return QueueEntry(assignment.id, call.id or 0, call.external_id,
                      operator.name if operator else None, call.started_at,
                      call.talk_seconds, "claimed", True,
                      calibration=assignment.calibration_session_id)

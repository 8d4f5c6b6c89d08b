"""What the grading service asks before it opens or changes a calibration call's grade.

Calibration calls are graded blind by the listeners invited to the session, and a closed
session's grades are final. These rules sit apart from :mod:`.calibration` (sessions and
their reports), which itself reads cards through the grading side: kept together they
would import each other.
"""

from __future__ import annotations

from sqlmodel import Session, select

from scorecard.db.models import Assignment, CalibrationSession, Evaluation
from scorecard.domain.enums import GRADED
from scorecard.errors import GradingError


def guard_opening(session: Session, assignment: Assignment, user_id: int) -> None:
    """Refuse a calibration call to anyone but its invited listener, and a closed session's
    call unless the listener only looks at the grade they submitted."""
    record = session.get(CalibrationSession, assignment.calibration_session_id or 0)
    if record is None:
        return  # not a calibration call (or its session is gone with it)
    if assignment.assignee_id != user_id:
        raise GradingError("calibration.not_invited", session=record.id)
    if record.closed_at is None:
        return
    status = session.exec(
        select(Evaluation.status).where(Evaluation.assignment_id == assignment.id)).first()
    if status not in GRADED:
        raise GradingError("calibration.closed", session=record.id)


def guard_changing(session: Session, evaluation: Evaluation) -> None:
    """Refuse changing a calibration grade once its session is closed."""
    if evaluation.assignment_id is None:
        return
    session_id = session.exec(
        select(Assignment.calibration_session_id)
        .where(Assignment.id == evaluation.assignment_id)).first()
    record = session.get(CalibrationSession, session_id) if session_id is not None else None
    if record is not None and record.closed_at is not None:
        raise GradingError("calibration.closed", session=record.id)

"""Reading one evaluation as it stands: who may, and what they see.

Every screen that names an evaluation (an operator's grades, a dispute, an audit entry, a
coaching task, a calibration report) opens it through :func:`read_evaluation`. Access is
decided on the evaluation itself, never inherited from the list it was picked from:

* its listener always may;
* the operator graded may, once it is submitted, and never a calibration grade;
* a calibration grade is for those who run calibration (leads of the operator's team,
  admins): it stays blind to the other listeners;
* a draft is its listener's alone;
* otherwise whoever may see operators' quality, within their scope.

Opening it is audited as ``call.open`` (the reader heard or read the call's personal data).
The transcript and the client number come masked as the reader's role requires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from scorecard.db.models import Call, Dispute, Evaluation, Operator, User, utcnow
from scorecard.domain.enums import GRADED
from scorecard.domain.scoring import ItemKey, score
from scorecard.domain.transcripts import DEFAULT_ROLE_MARGIN
from scorecard.errors import AccessDenied, ScorecardError
from scorecard.services import audit, audit_log
from scorecard.services.access import Actor, Permission
from scorecard.services.cards import card_of_version
from scorecard.services.grading import EvaluationView, call_evidence, evaluation_view


@dataclass(frozen=True)
class DisputeLine:
    """The latest dispute of one item: the operator's words and how it ended."""

    status: str
    comment: str
    resolution: str | None


@dataclass(frozen=True)
class EvaluationRecord:
    """One evaluation, read-only: the call as graded, and what happened to the grade."""

    view: EvaluationView
    listener: str
    submitted_at: datetime | None
    total: float | None
    critical_fail: bool
    zeroed_by: tuple[ItemKey, ...]
    """The failed critical items that set the total to zero."""
    disputes: Mapping[ItemKey, DisputeLine]
    history: tuple[audit_log.Entry, ...]
    """Submitted, amended, disputed, resolved: oldest first, in words."""


def read_evaluation(
    session: Session, *, evaluation_id: int, viewer: Actor,
    role_margin: float = DEFAULT_ROLE_MARGIN, now: datetime | None = None,
) -> EvaluationRecord:
    """Evaluation ``evaluation_id`` as ``viewer`` may see it; refused by name otherwise."""
    evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None or evaluation.id is None:
        raise ScorecardError("error.no_evaluation", evaluation=evaluation_id)
    call = session.get(Call, evaluation.call_id)
    if call is None or call.id is None:
        raise ScorecardError("error.no_evaluation", evaluation=evaluation_id)
    person = session.get(Operator, evaluation.operator_id) if evaluation.operator_id else None
    require_readable(viewer, evaluation, person)
    card = card_of_version(session, evaluation.card_version_id)
    heard = call_evidence(session, viewer, call.id, card[0], evaluation.card_version_id,
                          role_margin)
    audit.record(session, action="call.open", entity="call", entity_id=call.id,
                 actor_id=viewer.user_id, new={"evaluation": evaluation.id, "read_only": True},
                 at=now or utcnow())
    view = evaluation_view(session, viewer, evaluation, call, heard, card)
    disputes = session.exec(select(Dispute).where(Dispute.evaluation_id == evaluation.id)
                            .order_by(col(Dispute.id))).all()
    listener = session.get(User, evaluation.evaluator_id)
    return EvaluationRecord(
        view=view, listener=listener.login if listener else "—",
        submitted_at=evaluation.submitted_at, total=evaluation.total_score,
        critical_fail=evaluation.critical_fail,
        zeroed_by=tuple(score(card[0], view.answers).failed_critical),
        disputes={(d.stage_key, d.item_key): DisputeLine(d.status, d.comment, d.resolution)
                  for d in disputes},
        history=tuple(audit_log.history_of(session, evaluation.id,
                                       [d.id for d in disputes if d.id is not None])),
    )


def require_readable(viewer: Actor, evaluation: Evaluation, person: Operator | None) -> None:
    """Refuse ``viewer`` an evaluation they may not read (the rules are in the module's
    docstring)."""
    if evaluation.evaluator_id == viewer.user_id:
        return
    if viewer.role == "operator":
        if (evaluation.operator_id is None or evaluation.operator_id != viewer.operator_id
                or evaluation.is_calibration or evaluation.status not in GRADED):
            raise AccessDenied("error.evaluation_not_yours", login=viewer.login,
                               evaluation=evaluation.id)
        return
    if evaluation.is_calibration:
        viewer.require(Permission.CALIBRATE)
    elif evaluation.status not in GRADED:
        raise AccessDenied("error.evaluation_draft", login=viewer.login,
                           evaluation=evaluation.id)
    else:
        viewer.require(Permission.VIEW_QUALITY)
    if person is not None and not viewer.in_scope(person):
        raise AccessDenied("error.evaluation_out_of_scope", login=viewer.login,
                           evaluation=evaluation.id, operator=person.name)

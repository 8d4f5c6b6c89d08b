"""Disputes: an operator contests a failed item of their own evaluation; a lead decides.

The rules a call centre can defend in front of its operators:

* only the operator graded may dispute, only a failed item (a pass needs no defence), with
  a comment, within ``window_days`` of the evaluation's submission (config
  ``dispute_days``), one open dispute per item;
* while any dispute is open the evaluation is ``disputed``; its grade keeps counting as
  given, since the listener's answer stands until someone with authority says otherwise;
* a lead of the operator's team (or an admin) accepts — the item becomes a pass, the
  evaluation is rescored and its day recounted, audited as ``dispute.accept`` with the
  reason — or rejects with a reason; either way the operator sees the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_
from sqlmodel import Session, col, select

from scorecard.db.models import (
    Call,
    Dispute,
    Evaluation,
    EvaluationAnswer,
    Operator,
    User,
    utcnow,
)
from scorecard.domain.enums import GRADED
from scorecard.domain.scoring import Answer
from scorecard.errors import DisputeError
from scorecard.services import access, audit
from scorecard.services.access import AccessDenied, Actor, Permission
from scorecard.services.cards import ItemWording

DISPUTE_DAYS = 7
"""How long after submission an operator may dispute, unless configured."""




@dataclass(frozen=True)
class ItemView:
    stage: str
    item: str
    text: str
    """The item's wording on the card the call was graded with."""
    answer: str | None
    comment: str | None
    """The listener's comment on the item."""
    dispute_id: int | None = None
    dispute_status: str | None = None
    dispute_comment: str | None = None
    resolution: str | None = None
    zeroed: bool = False
    """A critical item failed: it set the call's total to zero."""


@dataclass(frozen=True)
class OwnEvaluation:
    """One of an operator's graded calls, as the operator sees it."""

    evaluation_id: int
    call: str
    call_started_at: datetime
    submitted_at: datetime | None
    total: float | None
    critical_fail: bool
    status: str
    open_until: datetime | None
    """Last moment to dispute; None once submitted long ago enough to be closed."""
    items: tuple[ItemView, ...]

    @property
    def disputes(self) -> tuple[ItemView, ...]:
        return tuple(i for i in self.items if i.dispute_id is not None)


@dataclass(frozen=True)
class DisputeView:
    """A dispute as the lead reviewing it sees it."""

    dispute_id: int
    evaluation_id: int
    operator: str
    call: str
    call_started_at: datetime
    stage: str
    item: str
    text: str
    """The item's wording on the card the call was graded with."""
    answer: str | None
    listener: str
    listener_comment: str | None
    comment: str
    opened_at: datetime
    status: str
    resolution: str | None


def own_evaluations(
    session: Session, *, viewer: Actor, window_days: int = DISPUTE_DAYS,
    now: datetime | None = None, limit: int = 200,
) -> list[OwnEvaluation]:
    """The operator's graded calls, newest first, each item with its dispute if any."""
    viewer.require(Permission.VIEW_OWN_EVALUATIONS)
    now = now or utcnow()
    rows = session.exec(
        select(Evaluation, Call.external_id).join(Call, col(Call.id) == col(Evaluation.call_id))
        .where(Evaluation.operator_id == viewer.operator_id,
               col(Evaluation.status).in_(GRADED), ~col(Evaluation.is_calibration))
        .order_by(col(Evaluation.call_started_at).desc()).limit(limit)).all()
    ids = [e.id for e, _ in rows]
    answers: dict[int, list[EvaluationAnswer]] = {}
    for answer in session.exec(select(EvaluationAnswer)
                               .where(col(EvaluationAnswer.evaluation_id).in_(ids))
                               .order_by(col(EvaluationAnswer.id))):
        answers.setdefault(answer.evaluation_id, []).append(answer)
    disputes: dict[tuple[int, str, str], Dispute] = {}
    for dispute in session.exec(select(Dispute).where(col(Dispute.evaluation_id).in_(ids))
                                .order_by(col(Dispute.id))):
        disputes[(dispute.evaluation_id, dispute.stage_key, dispute.item_key)] = dispute
    found = []
    wording = ItemWording(session)
    for evaluation, external_id in rows:
        assert evaluation.id is not None
        items = []
        for a in answers.get(evaluation.id, []):
            d = disputes.get((evaluation.id, a.stage_key, a.item_key))
            items.append(ItemView(a.stage_key, a.item_key,
                                  wording(evaluation.card_version_id, a.stage_key, a.item_key),
                                  a.answer, a.comment,
                                  d.id if d else None, d.status if d else None,
                                  d.comment if d else None, d.resolution if d else None,
                                  a.answer == "fail" and wording.critical(
                                      evaluation.card_version_id, a.stage_key, a.item_key)))
        until = _deadline(evaluation, window_days)
        found.append(OwnEvaluation(
            evaluation.id, external_id, evaluation.call_started_at or evaluation.started_at,
            evaluation.submitted_at, evaluation.total_score, evaluation.critical_fail,
            evaluation.status, until if until and until >= now else None, tuple(items)))
    return found


def open_dispute(
    session: Session, *, actor: Actor, evaluation_id: int, stage: str, item: str,
    comment: str, window_days: int = DISPUTE_DAYS, now: datetime | None = None,
) -> Dispute:
    actor.require(Permission.OPEN_DISPUTES)
    now = now or utcnow()
    evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None or evaluation.is_calibration or evaluation.status not in GRADED:
        raise DisputeError("dispute.no_evaluation", evaluation=evaluation_id)
    if evaluation.operator_id != actor.operator_id:
        raise AccessDenied("dispute.not_own", login=actor.login)
    until = _deadline(evaluation, window_days)
    if until is None or now > until:
        raise DisputeError("dispute.window_closed", evaluation=evaluation_id,
                           days=window_days, closed=f"{until:%d.%m.%Y}" if until else "—")
    if not comment.strip():
        raise DisputeError("dispute.needs_comment")
    answer = session.exec(select(EvaluationAnswer).where(
        EvaluationAnswer.evaluation_id == evaluation_id, EvaluationAnswer.stage_key == stage,
        EvaluationAnswer.item_key == item)).first()
    if answer is None:
        raise DisputeError("dispute.no_item", evaluation=evaluation_id, item=f"{stage}/{item}")
    if answer.answer != "fail":
        raise DisputeError("dispute.not_failed", item=f"{stage}/{item}")
    if session.exec(select(Dispute).where(
            Dispute.evaluation_id == evaluation_id, Dispute.stage_key == stage,
            Dispute.item_key == item, Dispute.status == "open")).first() is not None:
        raise DisputeError("dispute.already_open", item=f"{stage}/{item}")
    dispute = Dispute(evaluation_id=evaluation_id, stage_key=stage, item_key=item,
                      opened_by_id=actor.user_id, comment=comment.strip(), opened_at=now)
    session.add(dispute)
    old_status = evaluation.status
    evaluation.status = "disputed"
    session.flush()
    audit.record(session, action="dispute.open", entity="dispute", entity_id=dispute.id,
                 actor_id=actor.user_id, at=now,
                 old={"evaluation_status": old_status},
                 new={"evaluation": evaluation_id, "item": f"{stage}/{item}",
                      "comment": dispute.comment})
    return dispute


def resolve(
    session: Session, *, actor: Actor, dispute_id: int, accept: bool, reason: str,
    now: datetime | None = None,
) -> Dispute:
    """Accept (the item becomes a pass) or reject a dispute, with a reason either way."""
    from scorecard.services.grading import AnswerChange, change_submitted

    actor.require(Permission.RESOLVE_DISPUTES)
    now = now or utcnow()
    dispute = session.get(Dispute, dispute_id)
    if dispute is None:
        raise DisputeError("dispute.none", dispute=dispute_id)
    if dispute.status != "open":
        raise DisputeError("dispute.already_resolved", dispute=dispute_id, status=dispute.status)
    evaluation = session.get(Evaluation, dispute.evaluation_id)
    assert evaluation is not None
    person = session.get(Operator, evaluation.operator_id) if evaluation.operator_id else None
    if person is not None:
        access.require_in_scope(actor, person)
    if not reason.strip():
        raise DisputeError("dispute.needs_reason")
    item = f"{dispute.stage_key}/{dispute.item_key}"
    if accept:
        change_submitted(session, evaluation,
                         [AnswerChange(dispute.stage_key, dispute.item_key, Answer.PASS)],
                         reason=f"dispute {dispute_id} accepted: {reason.strip()}",
                         actor_id=actor.user_id, action="dispute.accept", now=now)
    dispute.status = "accepted" if accept else "rejected"
    dispute.resolved_by_id, dispute.resolved_at = actor.user_id, now
    dispute.resolution = reason.strip()
    session.flush()
    still_open = session.exec(select(Dispute.id).where(
        Dispute.evaluation_id == evaluation.id, Dispute.status == "open")).first()
    if still_open is None and evaluation.status == "disputed":
        evaluation.status = "submitted"
    if not accept:
        audit.record(session, action="dispute.reject", entity="dispute", entity_id=dispute_id,
                     actor_id=actor.user_id, at=now, reason=reason.strip(),
                     new={"evaluation": evaluation.id, "item": item})
    return dispute


def disputes_for(
    session: Session, *, viewer: Actor, include_resolved: bool = False
) -> list[DisputeView]:
    """Disputes of the operators ``viewer`` may see, oldest open first."""
    viewer.require(Permission.RESOLVE_DISPUTES)
    answer_of_item = and_(col(EvaluationAnswer.evaluation_id) == col(Dispute.evaluation_id),
                          col(EvaluationAnswer.stage_key) == col(Dispute.stage_key),
                          col(EvaluationAnswer.item_key) == col(Dispute.item_key))
    query = (select(Dispute, Evaluation, Operator, Call.external_id, User.login,
                    EvaluationAnswer.answer, EvaluationAnswer.comment)
             .join(Evaluation, col(Evaluation.id) == col(Dispute.evaluation_id))
             .join(Operator, col(Operator.id) == col(Evaluation.operator_id))
             .join(Call, col(Call.id) == col(Evaluation.call_id))
             .join(User, col(User.id) == col(Evaluation.evaluator_id))
             .join(EvaluationAnswer, answer_of_item, isouter=True)
             .order_by(col(Dispute.opened_at), col(Dispute.id)))
    if not include_resolved:
        query = query.where(Dispute.status == "open")
    found = []
    wording = ItemWording(session)
    for dispute, evaluation, person, external_id, listener, answer, listener_comment in (
            session.exec(query).all()):
        if not viewer.in_scope(person):
            continue
        assert dispute.id is not None and evaluation.id is not None
        found.append(DisputeView(
            dispute.id, evaluation.id, person.name, external_id,
            evaluation.call_started_at or evaluation.started_at, dispute.stage_key,
            dispute.item_key,
            wording(evaluation.card_version_id, dispute.stage_key, dispute.item_key),
            answer, listener, listener_comment, dispute.comment, dispute.opened_at,
            dispute.status, dispute.resolution))
    return sorted(found, key=lambda d: (d.status != "open", d.opened_at))


def _deadline(evaluation: Evaluation, window_days: int) -> datetime | None:
    if evaluation.submitted_at is None:
        return None
    return evaluation.submitted_at + timedelta(days=window_days)

"""Grading a call: opening its evaluation, saving answers as drafts, submitting, amending.

Every function is one unit of work in the caller's session. The grading screen calls them
from a worker thread, the CLI and tests call them directly. What the screen needs comes back
as plain read models (:class:`EvaluationView`), never live ORM rows.

Rules kept here rather than in the screen:

* a draft is created the first time a listener opens an assigned call, pre-filled with the
  detector's suggestions (stored findings, or a fresh run when there are none);
* answers are saved one at a time, the moment they are given (a draft that survives a crash);
* submit refuses an incomplete evaluation, stores stage scores for reports and closes the
  assignment;
* a submitted evaluation changes only with a reason, and each change leaves an audit entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final, Literal

from sqlalchemy import delete
from sqlmodel import Session, col, select

from scorecard.db.models import (
    Assignment,
    Call,
    Detection,
    Evaluation,
    EvaluationAnswer,
    EvaluationStage,
    Operator,
    Transcript,
    User,
    utcnow,
)
from scorecard.domain.cards import QualityCard
from scorecard.domain.scoring import Answer, ItemKey, ScoreResult, missing_answers, score
from scorecard.domain.transcripts import DEFAULT_ROLE_MARGIN, RolesSource, Turn, roles_trusted
from scorecard.errors import GradingError
from scorecard.services import audit
from scorecard.services.access import (
    MATRIX,
    Actor,
    Permission,
    client_number_for,
    transcript_text_for,
)
from scorecard.services.calibration_guards import guard_changing, guard_opening
from scorecard.services.cards import card_of_version
from scorecard.services.metrics import rebuild
from scorecard.services.transcripts import load_turns


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What the detector found for one item, with where the evidence is."""

    found: bool
    score: float
    trigger: str | None
    turn: int | None
    start: int | None
    end: int | None
    withheld: bool = False
    """Not suggested either way: the operator was guessed below the role margin, so the
    words searched may be the client's (and the operator's may not have been)."""
    parts: tuple[int, int] | None = None
    """(groups heard, groups) of an item that needs all of its parts."""
    groups: tuple[GroupEvidence, ...] = ()
    """Each trigger group's evidence, for an item with groups."""

    @property
    def partial(self) -> bool:
        """Some parts heard, not all: shown as such, never suggested as a pass."""
        return self.parts is not None and 0 < self.parts[0] < self.parts[1]

    @property
    def suggests_pass(self) -> bool:
        return self.found and not self.withheld


@dataclass(frozen=True, slots=True)
class GroupEvidence:
    """One part of an item's evidence: found or not, and where."""

    group: str
    found: bool
    trigger: str | None
    turn: int | None
    start: int | None
    end: int | None


def _group_evidence(stored: str | None) -> tuple[GroupEvidence, ...]:
    """The per-group evidence a finding keeps as JSON (see ItemDetection.groups_json)."""
    if not stored:
        return ()
    return tuple(GroupEvidence(g["group"], g["found"], g.get("trigger"), g.get("turn"),
                               g.get("start"), g.get("end")) for g in json.loads(stored))


@dataclass(frozen=True)
class EvaluationView:
    """Everything the grading screen shows for one call."""

    evaluation_id: int
    assignment_id: int | None
    status: str
    call_id: int
    external_id: str
    operator: str | None
    started_at: datetime
    talk_seconds: int
    recording_path: str | None
    card: QualityCard
    card_slug: str
    card_number: int
    turns: tuple[Turn, ...]
    has_transcript: bool
    suggestions: Mapping[ItemKey, Suggestion]
    answers: Mapping[ItemKey, Answer]
    comments: Mapping[ItemKey, str]
    seconds_spent: int
    client_number: str | None = None
    """Masked unless the listener's role may see client numbers."""
    calibration: int | None = None
    """The calibration session the call is graded for, blind (None: ordinary grading)."""
    roles: RolesSource | None = None
    """How the transcript's speaker roles were set (None: no transcript)."""
    operator_label: str | None = None
    """The diarised label taken to be the operator, when that was inferred."""
    roles_evidence: str | None = None
    roles_margin: float | None = None
    passes_withheld: bool = False
    """The guess is below the role margin: no item is suggested, as a pass or a fail."""
    evaluation_started_at: datetime | None = None
    """When the evaluation was created: with its number and call, its draft journal's key."""


KEEP: Final = "keep"
"""An :class:`AnswerChange` answer that leaves the item's answer as it is."""


@dataclass(frozen=True, slots=True)
class AnswerChange:
    """One thing a listener did to one item.

    ``answer`` None clears the answer and :data:`KEEP` leaves it; ``comment`` None leaves
    the comment as it is and an empty string clears it.
    """

    stage_id: str
    item_id: str
    answer: Answer | None | Literal["keep"] = KEEP
    comment: str | None = None

    @property
    def key(self) -> ItemKey:
        return (self.stage_id, self.item_id)


@dataclass(frozen=True)
class SubmitResult:
    evaluation_id: int
    total: float | None
    critical_fail: bool
    result: ScoreResult


def user_id(session: Session, login: str) -> int:
    """The id of ``login``, who must be allowed to grade."""
    return _grader(session, login).user_id


def _grader(session: Session, login: str) -> Actor:
    user = session.exec(select(User).where(User.login == login)).first()
    if user is None or user.id is None:
        raise GradingError("error.no_user", login=login)
    if user.role not in MATRIX[Permission.GRADE]:
        raise GradingError("error.may_not_grade", login=login, role=user.role)
    return Actor(user.id, user.login, user.role, user.team_id, user.operator_id)


def open_for_grading(
    session: Session, *, assignment_id: int, login: str, now: datetime | None = None,
    pending_for: Callable[[int, int, datetime], list[AnswerChange]] | None = None,
    role_margin: float = DEFAULT_ROLE_MARGIN,
) -> EvaluationView:
    """The listener's evaluation of an assigned call, created as a draft on first opening.

    Below ``role_margin`` (the config's ``transcripts.role_margin``) a guessed operator is
    too unsure: what the detector found is shown, never suggested (as a pass or a fail).

    ``pending_for(evaluation_id, call_id, evaluation_started_at)`` gives answers kept
    locally while the database was unreachable (or the app was killed before they reached
    it); they are applied before the view is built, so reopening resumes exactly where the
    listener was.
    """
    now = now or utcnow()
    grader = _grader(session, login)
    me = grader.user_id
    assignment = session.get(Assignment, assignment_id)
    if assignment is None:
        raise GradingError("error.assignment_gone", assignment=assignment_id)
    if assignment.calibration_session_id is not None:
        # Blind grading: only the invited listener, and only while the session is open.
        guard_opening(session, assignment, me)
    if assignment.assignee_id not in (None, me):
        raise GradingError("error.claimed_by_other")
    call = session.get(Call, assignment.call_id)
    if call is None or call.id is None:
        raise GradingError("error.call_gone", call=assignment.call_id, journal="—")
    card, slug, number = card_of_version(session, assignment.card_version_id)
    evaluation = session.exec(
        select(Evaluation).where(Evaluation.assignment_id == assignment_id)
    ).first()
    heard = call_evidence(session, grader, call.id, card, assignment.card_version_id,
                          role_margin)
    if evaluation is None:
        evaluation = _new_draft(session, assignment, call, me, card, heard.suggestions, now)
    elif evaluation.evaluator_id != me:
        if evaluation.status != "draft" or assignment.assignee_id != me:
            raise GradingError("error.not_yours")
        # The first listener's claim expired and this one claimed the call: the draft
        # comes with it, so the answers already given are not graded twice.
        audit.record(session, action="evaluation.takeover", entity="evaluation",
                     entity_id=evaluation.id, actor_id=me,
                     old={"evaluator_id": evaluation.evaluator_id},
                     new={"evaluator_id": me}, at=now)
        evaluation.evaluator_id = me
    assert evaluation.id is not None
    # Who opened which call (and so heard or read its personal data) is on record.
    audit.record(session, action="call.open", entity="call", entity_id=call.id, actor_id=me,
                 new={"evaluation": evaluation.id}, at=now)
    pending = (pending_for(evaluation.id, call.id, evaluation.started_at)
               if pending_for is not None else [])
    if pending and evaluation.status == "draft":
        for change in pending:
            _apply(session, evaluation, card, change, now)
        session.flush()
    return evaluation_view(session, grader, evaluation, call, heard, (card, slug, number))


@dataclass(frozen=True)
class Heard:
    """What a call's transcript says, as one viewer may read it, with the detector's
    findings on it."""

    turns: tuple[Turn, ...]
    suggestions: Mapping[ItemKey, Suggestion]
    transcript: Transcript | None
    roles: RolesSource | None
    withheld: bool


def call_evidence(
    session: Session, who: Actor, call_id: int, card: QualityCard, version_id: int,
    role_margin: float,
) -> Heard:
    """The call's transcript (masked for ``who``) and the findings for a card version."""
    transcript = session.exec(select(Transcript).where(Transcript.call_id == call_id)).first()
    turns = load_turns(session, transcript.id) if transcript and transcript.id else []
    suggestions = _suggestions(session, card, version_id, transcript, turns)
    # Shown masked (after the detector read them whole): digit for digit, same offsets.
    turns = [turn._replace(text=transcript_text_for(who, turn.text)) for turn in turns]
    roles = (RolesSource(transcript.roles) if transcript is not None and turns else None)
    withheld = roles is not None and transcript is not None and not roles_trusted(
        roles, transcript.roles_margin, role_margin)
    if withheld:
        # Neither verdict stands on a guess this weak: what was «not found» in the
        # operator's turns may be in the turns of the real operator.
        suggestions = {key: replace(s, withheld=True) for key, s in suggestions.items()}
    return Heard(tuple(turns), suggestions, transcript, roles, withheld)


def evaluation_view(
    session: Session, who: Actor, evaluation: Evaluation, call: Call, heard: Heard,
    card: tuple[QualityCard, str, int],
) -> EvaluationView:
    """One evaluation of a call as ``who`` may see it (client number masked)."""
    assert evaluation.id is not None and call.id is not None
    answers, comments = _answers(session, evaluation.id)
    operator = session.get(Operator, call.operator_id) if call.operator_id else None
    assignment = (session.get(Assignment, evaluation.assignment_id)
                  if evaluation.assignment_id is not None else None)
    transcript = heard.transcript
    return EvaluationView(
        evaluation_id=evaluation.id, assignment_id=evaluation.assignment_id,
        status=evaluation.status, evaluation_started_at=evaluation.started_at,
        call_id=call.id, external_id=call.external_id,
        operator=operator.name if operator else None, started_at=call.started_at,
        talk_seconds=call.talk_seconds, recording_path=call.recording_path, card=card[0],
        card_slug=card[1], card_number=card[2], turns=heard.turns,
        has_transcript=bool(heard.turns), suggestions=heard.suggestions, answers=answers,
        comments=comments, seconds_spent=evaluation.seconds_spent,
        client_number=client_number_for(who, call.client_number),
        calibration=assignment.calibration_session_id if assignment else None,
        roles=heard.roles, operator_label=transcript.operator_label if transcript else None,
        roles_evidence=transcript.roles_evidence if transcript else None,
        roles_margin=transcript.roles_margin if transcript else None,
        passes_withheld=heard.withheld,
    )


def save_answers(
    session: Session, *, evaluation_id: int, login: str, changes: list[AnswerChange],
    seconds_spent: int | None = None, now: datetime | None = None,
) -> None:
    """Save draft answers as given; the draft's clock moves to ``seconds_spent``."""
    now = now or utcnow()
    evaluation, card = _own_draft(session, evaluation_id, login)
    for change in changes:
        _apply(session, evaluation, card, change, now)
    if seconds_spent is not None:
        evaluation.seconds_spent = max(evaluation.seconds_spent, seconds_spent)
    evaluation.updated_at = now
    _extend_claim(session, evaluation, now)


def submit(
    session: Session, *, evaluation_id: int, login: str, seconds_spent: int | None = None,
    now: datetime | None = None,
) -> SubmitResult:
    """Close a complete draft: its score, stage scores, the assignment, an audit entry."""
    now = now or utcnow()
    evaluation, card = _own_draft(session, evaluation_id, login)
    answers, _ = _answers(session, evaluation_id)
    missing = missing_answers(card, answers)
    if missing:
        stage, item = missing[0]
        raise GradingError("error.incomplete", count=len(missing), stage=stage, item=item)
    result = _store_score(session, evaluation, card, answers)
    if seconds_spent is not None:
        evaluation.seconds_spent = max(evaluation.seconds_spent, seconds_spent)
    evaluation.status = "submitted"
    evaluation.submitted_at = evaluation.updated_at = now
    if evaluation.assignment_id is not None:
        assignment = session.get(Assignment, evaluation.assignment_id)
        if assignment is not None:
            assignment.status = "done"
            assignment.claim_expires_at = None
    _recount_day(session, evaluation)
    audit.record(session, action="evaluation.submit", entity="evaluation",
                 entity_id=evaluation_id, actor_id=evaluation.evaluator_id,
                 new={"total": evaluation.total_score, "critical": evaluation.critical_fail},
                 at=now)
    return SubmitResult(evaluation_id, evaluation.total_score, evaluation.critical_fail, result)


def amend(
    session: Session, *, evaluation_id: int, login: str, changes: list[AnswerChange],
    reason: str, now: datetime | None = None,
) -> SubmitResult:
    """Change a submitted evaluation; the audit entry keeps who, when, old, new and why."""
    if not reason.strip():
        raise GradingError("error.reason_required")
    evaluation = _own_evaluation(session, evaluation_id, login)
    return change_submitted(session, evaluation, changes, reason=reason,
                            actor_id=evaluation.evaluator_id, now=now)


def change_submitted(
    session: Session, evaluation: Evaluation, changes: list[AnswerChange], *, reason: str,
    actor_id: int, action: str = "evaluation.amend", now: datetime | None = None,
) -> SubmitResult:
    """Change answers of a submitted evaluation, rescore it and recount its day, audited as
    ``action`` by ``actor_id``. Callers check who may: the listener amending their own grade,
    a lead accepting a dispute."""
    now = now or utcnow()
    if not reason.strip():
        raise GradingError("error.reason_required")
    evaluation_id = evaluation.id
    assert evaluation_id is not None
    if evaluation.status == "draft":
        raise GradingError("error.not_submitted")
    card, _, _ = card_of_version(session, evaluation.card_version_id)
    before, before_comments = _answers(session, evaluation_id)
    old_total = evaluation.total_score
    for change in changes:
        _apply(session, evaluation, card, change, now)
    session.flush()
    after, after_comments = _answers(session, evaluation_id)
    changed = sorted(
        key for key in set(before) | set(after) | set(before_comments) | set(after_comments)
        if before.get(key) != after.get(key) or before_comments.get(key) != after_comments.get(key)
    )
    result = _store_score(session, evaluation, card, after)
    evaluation.updated_at = now
    _recount_day(session, evaluation)

    def describe(answers: Mapping[ItemKey, Answer], comments: Mapping[ItemKey, str]) -> dict:
        return {f"{s}/{i}": {"answer": answers.get((s, i)), "comment": comments.get((s, i))}
                for s, i in changed}

    audit.record(
        session, action=action, entity="evaluation", entity_id=evaluation_id,
        actor_id=actor_id, reason=reason.strip(), at=now,
        old={"items": describe(before, before_comments), "total": old_total},
        new={"items": describe(after, after_comments), "total": evaluation.total_score},
    )
    return SubmitResult(evaluation_id, evaluation.total_score, evaluation.critical_fail, result)


# -- inside ------------------------------------------------------------------------------------


def _own_evaluation(session: Session, evaluation_id: int, login: str) -> Evaluation:
    me = user_id(session, login)
    evaluation = session.get(Evaluation, evaluation_id)
    if evaluation is None:
        raise GradingError("error.evaluation_gone", evaluation=evaluation_id, journal="—")
    if evaluation.evaluator_id != me:
        raise GradingError("error.not_yours")
    if evaluation.is_calibration:
        guard_changing(session, evaluation)  # a closed session's grades are frozen
    return evaluation


def _recount_day(session: Session, evaluation: Evaluation) -> None:
    """The grade changes its operator's quality on the day of the call: recount that day."""
    if evaluation.is_calibration:
        return  # calibration grades never count toward quality: nothing to recount
    call = session.get(Call, evaluation.call_id)
    if call is None or evaluation.operator_id is None:
        return
    session.flush()
    day = call.started_at.date()
    rebuild(session, first=day, last=day, operator_ids=[evaluation.operator_id])


def _own_draft(session: Session, evaluation_id: int, login: str) -> tuple[Evaluation, QualityCard]:
    evaluation = _own_evaluation(session, evaluation_id, login)
    if evaluation.status != "draft":
        raise GradingError("error.not_draft")
    card, _, _ = card_of_version(session, evaluation.card_version_id)
    return evaluation, card


def _extend_claim(session: Session, evaluation: Evaluation, now: datetime) -> None:
    """A listener who is still answering has not left: their claim runs from now again."""
    if evaluation.assignment_id is None:
        return
    assignment = session.get(Assignment, evaluation.assignment_id)
    if (assignment is not None and assignment.status == "claimed"
            and assignment.claimed_at and assignment.claim_expires_at):
        length = assignment.claim_expires_at - assignment.claimed_at
        assignment.claim_expires_at = now + max(length, timedelta(minutes=1))


def _apply(
    session: Session, evaluation: Evaluation, card: QualityCard, change: AnswerChange,
    now: datetime,
) -> None:
    try:
        item = card.item(change.stage_id, change.item_id)
    except KeyError:
        raise GradingError("error.unknown_item", stage=change.stage_id,
                           item=change.item_id) from None
    if change.answer is Answer.NA and not item.na_allowed:
        raise GradingError("error.na_not_allowed", stage=change.stage_id, item=change.item_id)
    row = session.exec(
        select(EvaluationAnswer).where(
            EvaluationAnswer.evaluation_id == evaluation.id,
            EvaluationAnswer.stage_key == change.stage_id,
            EvaluationAnswer.item_key == change.item_id,
        )
    ).first()
    if row is None:
        row = EvaluationAnswer(evaluation_id=evaluation.id, stage_key=change.stage_id,
                               item_key=change.item_id)
        session.add(row)
    if change.answer != KEEP:
        row.answer = change.answer.value if isinstance(change.answer, Answer) else None
        row.answered_at = now if change.answer is not None else None
    if change.comment is not None:
        row.comment = change.comment.strip() or None


def _answers(
    session: Session, evaluation_id: int
) -> tuple[dict[ItemKey, Answer], dict[ItemKey, str]]:
    answers: dict[ItemKey, Answer] = {}
    comments: dict[ItemKey, str] = {}
    for row in session.exec(
        select(EvaluationAnswer).where(EvaluationAnswer.evaluation_id == evaluation_id)
    ):
        key = (row.stage_key, row.item_key)
        if row.answer is not None:
            answers[key] = Answer(row.answer)
        if row.comment:
            comments[key] = row.comment
    return answers, comments


def _store_score(
    session: Session, evaluation: Evaluation, card: QualityCard,
    answers: Mapping[ItemKey, Answer],
) -> ScoreResult:
    result = score(card, answers)
    evaluation.total_score = None if result.total is None else round(result.total, 2)
    evaluation.critical_fail = result.critical_fail
    session.execute(
        delete(EvaluationStage).where(col(EvaluationStage.evaluation_id) == evaluation.id))
    for stage in result.stages:
        session.add(EvaluationStage(
            evaluation_id=evaluation.id, stage_key=stage.stage_id, weight=stage.weight,
            score=None if stage.score is None else round(stage.score, 2),
            passed=stage.passed, failed=stage.failed))
    return result


def _suggestions(
    session: Session, card: QualityCard, version_id: int, transcript: Transcript | None,
    turns: list[Turn],
) -> dict[ItemKey, Suggestion]:
    """Stored findings for this card version, else a fresh detector run (kept for reports)."""
    if transcript is None or transcript.id is None or not turns:
        return {}
    rows = session.exec(
        select(Detection).where(Detection.transcript_id == transcript.id,
                                Detection.card_version_id == version_id)
    ).all()
    if rows:
        return {(r.stage_key, r.item_key): Suggestion(
            r.found, r.score, r.trigger, r.segment_position, r.start_char, r.end_char,
            parts=None if r.parts_total is None else (r.parts_found or 0, r.parts_total),
            groups=_group_evidence(r.groups))
            for r in rows}
    # Imported here: the matcher's libraries are the slowest part of starting the app, and
    # most calls open with findings already stored.
    from scorecard.domain.detection import DETECTOR_VERSION, Detector
    from scorecard.services.detection import finding_parts

    found = Detector(card).detect(turns)
    now = utcnow()
    for d in found:
        session.add(Detection(
            transcript_id=transcript.id, card_version_id=version_id, stage_key=d.stage_id,
            item_key=d.item_id, found=d.found, score=d.score, trigger=d.trigger,
            segment_position=d.turn, start_char=d.start, end_char=d.end,
            detector_version=DETECTOR_VERSION, created_at=now, **finding_parts(d)))
    return {(d.stage_id, d.item_id): Suggestion(
        d.found, d.score, d.trigger, d.turn, d.start, d.end, parts=d.parts,
        groups=_group_evidence(d.groups_json())) for d in found}


def _new_draft(
    session: Session, assignment: Assignment, call: Call, me: int, card: QualityCard,
    suggestions: Mapping[ItemKey, Suggestion], now: datetime,
) -> Evaluation:
    """A draft with one answer row per item, holding what the detector suggested."""
    evaluation = Evaluation(
        call_id=call.id or 0, operator_id=call.operator_id, call_started_at=call.started_at,
        card_version_id=assignment.card_version_id, evaluator_id=me,
        assignment_id=assignment.id, status="draft", started_at=now, updated_at=now,
        is_calibration=assignment.calibration_session_id is not None,
    )
    session.add(evaluation)
    session.flush()
    for stage_id, item_id in card.item_keys():
        suggestion = suggestions.get((stage_id, item_id))
        session.add(EvaluationAnswer(
            evaluation_id=evaluation.id, stage_key=stage_id, item_key=item_id,
            suggested=None if suggestion is None or suggestion.withheld
            or suggestion.partial else ("pass" if suggestion.found else "fail"),
            suggestion_score=None if suggestion is None else round(suggestion.score, 1),
        ))
    if assignment.assignee_id is None:
        assignment.assignee_id = me
    if assignment.status == "new":
        assignment.status = "claimed"
        assignment.claimed_at = now
    return evaluation

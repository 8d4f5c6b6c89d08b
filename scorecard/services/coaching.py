"""Coaching tasks and their follow-up, measured from grades rather than declared.

A trainer (or lead) sets a task for an operator on one stage, with a goal, a due date and
graded calls to listen to together as examples; adds notes as the coaching goes; closes it
with an outcome. Whether it worked is read from the stage-day rollup: the stage's mean
score in the 30 days before the task started against the days since, with the number of
graded calls behind each (:func:`task_detail` lists those calls). Too few grades since is
"not yet"; at least ``IMPROVED_BY`` points up is "improved"; otherwise "not improved".
Overdue or not improved tasks are escalated. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, and_, bindparam, text
from sqlmodel import Session, col, select

from scorecard.db.models import (
    Call,
    CoachingExample,
    CoachingNote,
    CoachingTask,
    Evaluation,
    EvaluationStage,
    Operator,
    User,
    utcnow,
)
from scorecard.domain.enums import GRADED
from scorecard.errors import ScorecardError
from scorecard.services import access, audit
from scorecard.services.access import Actor, Permission
from scorecard.services.metrics import as_date, refresh

BEFORE_DAYS = 30
MIN_AFTER = 5
"""Graded calls since the start needed before a verdict."""
IMPROVED_BY = 5.0
"""Points the stage's mean must rise to count as improved."""


@dataclass(frozen=True)
class FollowUp:
    task_id: int
    operator: str
    stage: str
    goal: str
    started_on: date
    due_on: date
    status: str
    before: tuple[int, float | None]
    """(graded calls, mean stage score) in the 30 days before the start."""
    after: tuple[int, float | None]
    verdict: str
    """improved, not yet or not improved."""
    overdue: bool

    @property
    def escalated(self) -> bool:
        return self.status == "open" and (self.overdue or self.verdict == "not improved")


@dataclass(frozen=True)
class GradedCall:
    """One graded call behind a task: an example, or a grade its follow-up counts."""

    evaluation_id: int
    call: str
    started_at: datetime
    total: float | None
    stage_score: float | None
    """The task's stage score on this call."""


@dataclass(frozen=True)
class Note:
    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class TaskDetail:
    """One task with everything behind it, for the coach's task screen."""

    follow_up: FollowUp
    created_by: str
    outcome: str | None
    closed_at: datetime | None
    notes: tuple[Note, ...]
    examples: tuple[GradedCall, ...]
    before: tuple[GradedCall, ...]
    """The stage's grades in the 30 days before the start (the "before" mean's calls)."""
    after: tuple[GradedCall, ...]
    """The stage's grades since the start (the "after" mean's calls)."""


MAX_DUE_DAYS = 366
"""A task further out than a year is a typo, not a plan."""


def create_task(
    session: Session, *, operator: str, stage: str, goal: str, due_on: date, login: str,
    started_on: date | None = None, notes: str | None = None,
    examples: Sequence[int] = (),
) -> CoachingTask:
    """A task for ``operator`` on ``stage``; ``examples`` are evaluation ids of that
    operator's graded calls, to listen to together."""
    coach = access.actor(session, login)
    coach.require(Permission.COACH)
    person = access.require_operator(session, coach, operator)
    assert person.id is not None
    if not goal.strip():
        raise ScorecardError("a coaching task needs a goal")
    started = started_on or date.today()
    if due_on < started:
        raise ScorecardError(f"due date {due_on} is before the start {started}")
    if due_on > started + timedelta(days=MAX_DUE_DAYS):
        raise ScorecardError(f"due date {due_on} is more than a year after the start {started}")
    chosen = sorted(set(examples))
    found = session.exec(select(Evaluation).where(col(Evaluation.id).in_(chosen))).all()
    for evaluation in found:
        if (evaluation.operator_id != person.id or evaluation.is_calibration
                or evaluation.status not in GRADED):
            raise ScorecardError(f"evaluation {evaluation.id} is not a graded call of {operator}")
    missing = set(chosen) - {e.id for e in found}
    if missing:
        raise ScorecardError(f"no evaluation {min(missing)}")
    task = CoachingTask(operator_id=person.id, stage_key=stage, goal=goal.strip(),
                        created_by_id=coach.user_id, started_on=started, due_on=due_on)
    session.add(task)
    session.flush()
    assert task.id is not None
    session.add_all([CoachingExample(task_id=task.id, evaluation_id=e) for e in chosen])
    if notes and notes.strip():
        session.add(CoachingNote(task_id=task.id, author_id=coach.user_id, text=notes.strip()))
    audit.record(session, action="coaching.create", entity="coaching_task", entity_id=task.id,
                 actor_id=coach.user_id, new={"operator": operator, "stage": stage, "goal": goal,
                                         "due_on": due_on, "examples": chosen})
    return task


def add_note(session: Session, *, task_id: int, text: str, login: str,
             now: datetime | None = None) -> CoachingNote:
    """A note on an open task, by a coach who may see its operator."""
    coach, task = _task_for(session, task_id, login)
    if task.status != "open":
        raise ScorecardError(f"coaching task {task_id} is {task.status}: it takes no more notes")
    if not text.strip():
        raise ScorecardError("a note needs text")
    note = CoachingNote(task_id=task_id, author_id=coach.user_id, text=text.strip(),
                        at=now or utcnow())
    session.add(note)
    session.flush()
    audit.record(session, action="coaching.note", entity="coaching_task", entity_id=task_id,
                 actor_id=coach.user_id, new={"note": note.text})
    return note


def example_candidates(
    session: Session, *, viewer: Actor, operator: str, stage: str, first: date, last: date,
    limit: int = 30,
) -> list[GradedCall]:
    """The operator's graded calls of the period, weakest on ``stage`` first: what a coach
    picks examples from."""
    viewer.require(Permission.COACH)
    person = access.require_operator(session, viewer, operator)
    assert person.id is not None
    calls = _graded_calls(session, person.id, stage, first, last)
    return sorted(calls, key=lambda c: (c.stage_score if c.stage_score is not None else 101,
                                        -c.started_at.timestamp()))[:limit]


def follow_ups(
    session: Session, *, viewer: Actor, today: date | None = None, include_closed: bool = False
) -> list[FollowUp]:
    """Every (open) task of operators ``viewer`` may see with its measured effect, escalated
    ones first."""
    viewer.require(Permission.COACH)
    today = today or date.today()
    refresh(session)
    query = (select(CoachingTask, Operator)
             .join(Operator, col(Operator.id) == col(CoachingTask.operator_id))
             .order_by(col(CoachingTask.due_on)))
    if not include_closed:
        query = query.where(CoachingTask.status == "open")
    tasks = [(task, person) for task, person in session.exec(query).all()
             if viewer.in_scope(person)]
    days = _stage_days(session, [task for task, _ in tasks], today)
    found = [_follow_up(task, person, today, days) for task, person in tasks]
    return sorted(found, key=lambda f: (f.status != "open", not f.escalated, f.due_on))


StageDays = dict[tuple[int, str], list[tuple[date, int, float]]]
"""(operator id, stage) → its rollup days: (day, graded calls, sum of stage scores)."""


def _stage_days(session: Session, tasks: Sequence[CoachingTask], today: date) -> StageDays:
    """The stage-day rollup rows every task's follow-up reads, in one query (a screen of
    tasks is one read, not two per task)."""
    if not tasks:
        return {}
    pairs = {(task.operator_id, task.stage_key) for task in tasks}
    earliest = min(task.started_on for task in tasks) - timedelta(days=BEFORE_DAYS)
    found: StageDays = {}
    for operator_id, stage, day, n, total in session.execute(text(
            "SELECT operator_id, stage_key, day, evaluations, score_sum FROM operator_day_stage "
            "WHERE operator_id IN :operators AND stage_key IN :stages AND day >= :first "
            "AND day <= :last").bindparams(
                bindparam("operators", expanding=True), bindparam("stages", expanding=True),
                bindparam("first", type_=Date), bindparam("last", type_=Date)),
            {"operators": sorted({o for o, _ in pairs}), "stages": sorted({s for _, s in pairs}),
             "first": earliest, "last": today}).all():
        if (operator_id, stage) in pairs:
            found.setdefault((operator_id, stage), []).append(
                (as_date(day), int(n), float(total or 0)))
    return found


def _follow_up(task: CoachingTask, person: Operator, today: date,
               days: StageDays) -> FollowUp:
    assert task.id is not None
    rows = days.get((task.operator_id, task.stage_key), [])
    before = _stage_mean(rows, task.started_on - timedelta(days=BEFORE_DAYS),
                         task.started_on - timedelta(days=1))
    after = _stage_mean(rows, task.started_on, today)
    return FollowUp(task.id, person.name, task.stage_key, task.goal, task.started_on,
                    task.due_on, task.status, before, after, verdict(before, after),
                    task.status == "open" and task.due_on < today)


def verdict(before: tuple[int, float | None], after: tuple[int, float | None]) -> str:
    if after[0] < MIN_AFTER or after[1] is None:
        return "not yet"
    if before[1] is None:
        return "improved" if after[1] >= 80 else "not improved"
    return "improved" if after[1] >= before[1] + IMPROVED_BY else "not improved"


def close_task(session: Session, *, task_id: int, login: str, outcome: str,
               status: str = "done") -> None:
    """Close an open task as done or cancelled, with what came of it."""
    coach, task = _task_for(session, task_id, login)
    if status not in ("done", "cancelled"):
        raise ScorecardError("a task closes as done or cancelled")
    if task.status != "open":
        raise ScorecardError(f"coaching task {task_id} is already {task.status}")
    if not outcome.strip():
        raise ScorecardError("closing a task needs its outcome: what came of the coaching")
    old = task.status
    task.status, task.closed_at, task.outcome = status, utcnow(), outcome.strip()
    audit.record(session, action="coaching.close", entity="coaching_task", entity_id=task_id,
                 actor_id=coach.user_id, old={"status": old},
                 new={"status": status, "outcome": task.outcome})


def task_detail(session: Session, *, viewer: Actor, task_id: int,
                today: date | None = None) -> TaskDetail:
    """One task with its notes, examples and the grades its follow-up is measured on."""
    viewer.require(Permission.COACH)
    today = today or date.today()
    task = session.get(CoachingTask, task_id)
    if task is None or task.id is None:
        raise ScorecardError(f"no coaching task {task_id}")
    person = session.get(Operator, task.operator_id)
    assert person is not None
    access.require_in_scope(viewer, person)
    refresh(session)
    follow_up = _follow_up(task, person, today, _stage_days(session, [task], today))
    coach = session.get(User, task.created_by_id)
    created_by = coach.login if coach else "—"
    notes = [Note(task.created_at, created_by, task.notes)] if task.notes else []
    notes += [Note(n.at, login, n.text) for n, login in session.exec(
        select(CoachingNote, User.login).join(User, col(User.id) == col(CoachingNote.author_id))
        .where(CoachingNote.task_id == task.id)
        .order_by(col(CoachingNote.at), col(CoachingNote.id)))]
    chosen = set(session.exec(select(CoachingExample.evaluation_id)
                              .where(CoachingExample.task_id == task.id)).all())
    window = _graded_calls(session, task.operator_id, task.stage_key,
                           task.started_on - timedelta(days=BEFORE_DAYS), today)
    examples = _graded_calls(session, task.operator_id, task.stage_key, None, None,
                             only=chosen) if chosen else []
    return TaskDetail(
        follow_up, created_by, task.outcome, task.closed_at,
        tuple(notes), tuple(examples),
        tuple(c for c in window if c.started_at.date() < task.started_on),
        tuple(c for c in window if c.started_at.date() >= task.started_on))


def _task_for(session: Session, task_id: int, login: str) -> tuple[Actor, CoachingTask]:
    """The coach ``login`` and task ``task_id``, refused when its operator is out of scope."""
    coach = access.actor(session, login)
    coach.require(Permission.COACH)
    task = session.get(CoachingTask, task_id)
    if task is None:
        raise ScorecardError(f"no coaching task {task_id}")
    person = session.get(Operator, task.operator_id)
    if person is not None:
        access.require_in_scope(coach, person)
    return coach, task


def _graded_calls(
    session: Session, operator_id: int, stage: str, first: date | None, last: date | None,
    *, only: set[int] | None = None,
) -> list[GradedCall]:
    """The operator's graded calls (calibration aside) with their score on ``stage``,
    newest first: of the days ``first``..``last``, or the evaluations ``only``."""
    query = (select(Evaluation, Call.external_id, EvaluationStage.score)
             .join(Call, col(Call.id) == col(Evaluation.call_id))
             .join(EvaluationStage, and_(col(EvaluationStage.evaluation_id) == col(Evaluation.id),
                                         col(EvaluationStage.stage_key) == stage), isouter=True)
             .where(Evaluation.operator_id == operator_id, col(Evaluation.status).in_(GRADED),
                    ~col(Evaluation.is_calibration))
             .order_by(col(Evaluation.call_started_at).desc(), col(Evaluation.id).desc()))
    if only is not None:
        query = query.where(col(Evaluation.id).in_(only))
    if first is not None:
        query = query.where(col(Evaluation.call_started_at) >= datetime.combine(first, time()))
    if last is not None:
        query = query.where(col(Evaluation.call_started_at)
                            < datetime.combine(last + timedelta(days=1), time()))
    return [GradedCall(e.id or 0, external, e.call_started_at or e.started_at, e.total_score,
                       stage_score) for e, external, stage_score in session.exec(query).all()]


def _stage_mean(rows: Sequence[tuple[date, int, float]], first: date, last: date
                ) -> tuple[int, float | None]:
    """Graded calls and mean stage score over the days ``first``..``last`` of ``rows``."""
    n = sum(count for day, count, _ in rows if first <= day <= last)
    total = sum(score for day, _, score in rows if first <= day <= last)
    return n, (total / n if n else None)

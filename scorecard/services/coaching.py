"""Coaching tasks and their follow-up, measured from grades rather than declared.

A trainer (or lead) sets a task for an operator on one stage, with a goal and a due date.
Whether it worked is read from the stage-day rollup: the stage's mean score in the 30 days
before the task started against the days since, with the number of graded calls behind
each. Too few grades since is "not yet"; at least ``IMPROVED_BY`` points up is "improved";
otherwise "not improved". Overdue or not improved tasks are escalated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, bindparam, text
from sqlmodel import Session, col, select

from scorecard.db.models import CoachingTask, Operator, utcnow
from scorecard.errors import ScorecardError
from scorecard.services import access, audit
from scorecard.services.access import Actor, Permission
from scorecard.services.metrics import refresh

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


def create_task(
    session: Session, *, operator: str, stage: str, goal: str, due_on: date, login: str,
    started_on: date | None = None, notes: str | None = None,
) -> CoachingTask:
    coach = access.actor(session, login)
    coach.require(Permission.COACH)
    person = access.require_operator(session, coach, operator)
    assert person.id is not None
    if not goal.strip():
        raise ScorecardError("a coaching task needs a goal")
    started = started_on or date.today()
    if due_on < started:
        raise ScorecardError(f"due date {due_on} is before the start {started}")
    task = CoachingTask(operator_id=person.id, stage_key=stage, goal=goal.strip(), notes=notes,
                        created_by_id=coach.user_id, started_on=started, due_on=due_on)
    session.add(task)
    session.flush()
    audit.record(session, action="coaching.create", entity="coaching_task", entity_id=task.id,
                 actor_id=coach.user_id, new={"operator": operator, "stage": stage, "goal": goal,
                                         "due_on": due_on})
    return task


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
    found = []
    for task, person in session.exec(query).all():
        assert task.id is not None
        if not viewer.in_scope(person):
            continue
        name = person.name
        before = _stage_mean(session, task.operator_id, task.stage_key,
                             task.started_on - timedelta(days=BEFORE_DAYS),
                             task.started_on - timedelta(days=1))
        after = _stage_mean(session, task.operator_id, task.stage_key, task.started_on, today)
        found.append(FollowUp(task.id, name, task.stage_key, task.goal, task.started_on,
                              task.due_on, task.status, before, after,
                              verdict(before, after), task.due_on < today))
    return sorted(found, key=lambda f: (not f.escalated, f.due_on))


def verdict(before: tuple[int, float | None], after: tuple[int, float | None]) -> str:
    if after[0] < MIN_AFTER or after[1] is None:
        return "not yet"
    if before[1] is None:
        return "improved" if after[1] >= 80 else "not improved"
    return "improved" if after[1] >= before[1] + IMPROVED_BY else "not improved"


def close_task(session: Session, *, task_id: int, login: str, status: str = "done") -> None:
    coach = access.actor(session, login)
    coach.require(Permission.COACH)
    task = session.get(CoachingTask, task_id)
    if task is None:
        raise ScorecardError(f"no coaching task {task_id}")
    person = session.get(Operator, task.operator_id)
    if person is not None:
        access.require_in_scope(coach, person)
    if status not in ("done", "cancelled"):
        raise ScorecardError("a task closes as done or cancelled")
    old = task.status
    task.status, task.closed_at = status, utcnow()
    audit.record(session, action="coaching.close", entity="coaching_task", entity_id=task_id,
                 actor_id=coach.user_id, old={"status": old}, new={"status": status})


def _stage_mean(
    session: Session, operator_id: int, stage: str, first: date, last: date
) -> tuple[int, float | None]:
    n, total = session.execute(text(
        "SELECT COALESCE(SUM(evaluations), 0), SUM(score_sum) FROM operator_day_stage "
        "WHERE operator_id = :operator AND stage_key = :stage AND day >= :first "
        "AND day <= :last").bindparams(bindparam("first", type_=Date),
                                       bindparam("last", type_=Date)),
        {"operator": operator_id, "stage": stage, "first": first, "last": last}).one()
    n = int(n)
    return n, (float(total) / n if n else None)

"""Intraday slices from the database: counts since shift start, norms, tasks, misses.

Counts come straight from the day's calls and outcome events (one day is small, and it is
today: the rollup is for closed days). Norms are the newest valid ones, the team's own
before the default.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import DateTime, bindparam, text
from sqlmodel import Session, col, select

from scorecard.db.models import Call, Norm, Operator, SliceTask, Team
from scorecard.domain.slices import (
    SLICE_METRICS,
    SliceRow,
    SliceRules,
    elapsed_share,
    judge,
)
from scorecard.errors import ScorecardError
from scorecard.services import access, audit
from scorecard.services.access import Actor, Permission
from scorecard.services.seats import teams_on

_LONG_SECONDS = 600
_KINDS = {"presentation": "presentations", "meeting_set": "meetings_set",
          "invoice": "invoices", "payment": "payments"}


def counts_until(
    session: Session, day: date, at: time, *, team_id: int | None = None,
    teams: Sequence[Team] | None = None, seated: Mapping[int, int | None] | None = None,
) -> dict[int, dict[str, int]]:
    """Per operator, each slice metric counted from their team's shift start to ``at`` (the
    team whose seat they held that day). ``teams`` and ``seated`` (:func:`teams_on` of the
    day): read here unless the caller has them already."""
    teams = session.exec(select(Team)).all() if teams is None else teams
    seated = teams_on(session, day) if seated is None else seated
    found: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SLICE_METRICS, 0))
    window = [bindparam("start", type_=DateTime), bindparam("end", type_=DateTime),
              bindparam("members", expanding=True)]
    for team in teams:
        if team_id is not None and team.id != team_id:
            continue
        members = sorted(operator for operator, held in seated.items() if held == team.id)
        if not members:
            continue
        span = {"start": datetime.combine(day, team.shift_start),
                "end": datetime.combine(day, at), "long": _LONG_SECONDS, "members": members}
        for operator, calls, long_calls in session.execute(text(
                'SELECT c.operator_id, COUNT(*), SUM(CASE WHEN c.disposition = \'answered\' '
                "AND c.talk_seconds >= :long THEN 1 ELSE 0 END) "
                'FROM "call" c WHERE c.operator_id IN :members AND c.started_at >= :start '
                "AND c.started_at < :end GROUP BY c.operator_id").bindparams(*window), span):
            found[operator]["calls"] = int(calls)
            found[operator]["long_calls"] = int(long_calls or 0)
        for operator, kind, number in session.execute(text(
                "SELECT e.operator_id, e.kind, COUNT(*) FROM outcome_event e "
                "WHERE e.operator_id IN :members AND e.occurred_at >= :start "
                "AND e.occurred_at < :end GROUP BY e.operator_id, e.kind").bindparams(*window),
                span):
            if kind in _KINDS:
                found[operator][_KINDS[kind]] = int(number)
    return found


def norms_on(session: Session, day: date) -> dict[tuple[int | None, str], float]:
    """(team id or None for the default, metric) → per-shift norm valid on ``day``."""
    norms: dict[tuple[int | None, str], float] = {}
    for norm in session.exec(select(Norm).where(Norm.valid_from <= day)
                             .order_by(col(Norm.valid_from))).all():
        norms[(norm.team_id, norm.metric)] = norm.per_shift  # later ones win
    return norms


def slice_report(
    session: Session, day: date, at: time, rules: SliceRules, *, viewer: Actor,
    team: str | None = None,
) -> list[SliceRow]:
    """Every active operator ``viewer`` may see, each slice metric judged against the norm."""
    viewer.require(Permission.VIEW_SLICES)
    access.require_team(session, viewer, team)  # a team that exists, and the lead's own
    team_row = session.exec(select(Team).where(Team.name == team)).one() if team else None
    all_teams = session.exec(select(Team)).all()
    seated = teams_on(session, day)
    counts = counts_until(session, day, at, team_id=team_row.id if team_row else None,
                          teams=all_teams, seated=seated)
    norms = norms_on(session, day)
    teams = {t.id: t for t in all_teams}
    people = []  # whoever sat in a team that day: active now, or with calls that day
    for operator in session.exec(select(Operator)).all():
        own_team = teams.get(seated.get(operator.id or 0))
        if own_team is None or not (operator.active or operator.id in counts):
            continue
        if team_row is not None and own_team.id != team_row.id:
            continue
        people.append((operator, own_team))
    people.sort(key=lambda pair: (pair[1].name, pair[0].name))
    rows = []
    for operator, own_team in people:
        assert operator.id is not None
        if not viewer.in_scope(operator):
            continue
        share = elapsed_share(own_team.shift_start, own_team.shift_end, at)
        mine = counts.get(operator.id, dict.fromkeys(SLICE_METRICS, 0))
        cells = tuple(
            judge(metric, mine[metric],
                  norms.get((own_team.id, metric), norms.get((None, metric))), share, rules)
            for metric in SLICE_METRICS)
        rows.append(SliceRow(operator.id, operator.name, own_team.name, cells))
    return rows


@dataclass(frozen=True)
class TaskCheck:
    operator: str
    metric: str
    target: float
    actual: int
    due_at: time
    result: str


def set_task(
    session: Session, *, operator: str, day: date, at: time, metric: str,
    target: float | None, login: str, rules: SliceRules, note: str | None = None,
) -> SliceTask:
    """A lead's task for the next slice; due at the next slice time (or the shift's end).

    Without a ``target``, the task is to reach the norm pro-rated to that time.
    """
    if metric not in SLICE_METRICS:
        raise ScorecardError(f"metric {metric!r}: use one of {', '.join(SLICE_METRICS)}")
    found = session.exec(select(Operator, Team).join(Team, col(Team.id) == col(Operator.team_id))
                         .where(Operator.name == operator)).first()
    if found is None:
        raise ScorecardError(f"no operator named {operator!r}")
    person, team = found
    lead = access.actor(session, login)
    lead.require(Permission.SET_SLICE_TASKS)
    access.require_in_scope(lead, person)
    start = datetime.combine(day, time.min)
    worked = session.exec(select(Call.id).join(Operator, col(Operator.id) == col(Call.operator_id))
                          .where(Operator.team_id == team.id, col(Call.started_at) >= start,
                                 col(Call.started_at) < start + timedelta(days=1))
                          .limit(1)).first()
    if worked is None:
        raise ScorecardError(f"team {team.name!r} has no calls on {day}: a day off, or the "
                             "call records are not imported yet; no task was set")
    if target is not None and not 0 < target <= 100_000:
        raise ScorecardError(f"a target is above 0 and at most 100 000, not {target:g}")
    due = rules.next_after(at) or team.shift_end
    if target is None:
        norms = norms_on(session, day)
        norm = norms.get((team.id, metric), norms.get((None, metric)))
        if norm is None:
            raise ScorecardError(f"team {team.name!r} has no norm for {metric}: give --target")
        target = float(math.ceil(norm * elapsed_share(team.shift_start, team.shift_end, due)))
    task = SliceTask(operator_id=person.id or 0, day=day, set_at=at, due_at=due, metric=metric,
                     target=target, note=note, created_by_id=lead.user_id)
    session.add(task)
    session.flush()
    audit.record(session, action="slice_task.create", entity="slice_task", entity_id=task.id,
                 actor_id=lead.user_id,
                 new={"operator": person.name, "day": day.isoformat(), "metric": metric,
                      "target": target, "due": due.isoformat(), "note": note})
    return task


def check_tasks(session: Session, day: date, at: time, *, viewer: Actor) -> list[TaskCheck]:
    """Mark the day's tasks (of operators ``viewer`` may see) that fell due by ``at`` as met
    or missed."""
    viewer.require(Permission.VIEW_SLICES)
    due = session.exec(select(SliceTask, Operator)
                       .join(Operator, col(Operator.id) == col(SliceTask.operator_id))
                       .where(SliceTask.day == day, col(SliceTask.result).is_(None),
                              col(SliceTask.due_at) <= at)).all()
    checks = []
    teams, seated = session.exec(select(Team)).all(), teams_on(session, day)
    # Counted once per due time and team, whatever the number of tasks due then.
    counted: dict[tuple[time, int | None], dict[int, dict[str, int]]] = {}
    for task, person in due:
        if not viewer.in_scope(person):
            continue
        name = person.name
        team_id = seated.get(task.operator_id)
        key = (task.due_at, team_id)
        if key not in counted:
            counted[key] = counts_until(session, day, task.due_at, team_id=team_id,
                                        teams=teams, seated=seated)
        counts = counted[key].get(task.operator_id, {})
        actual = counts.get(task.metric, 0)
        task.result = "met" if actual >= task.target else "missed"
        checks.append(TaskCheck(name, task.metric, task.target, actual, task.due_at,
                                task.result))
    return checks


@dataclass(frozen=True)
class TrainerCase:
    operator_id: int
    operator: str
    weakest: tuple[tuple[str, float], ...]
    """(stage, mean score over the last 30 days), weakest first."""


def trainer_list(session: Session, day: date, *, viewer: Actor) -> list[TrainerCase]:
    """Operators whose last two tasks (up to ``day``) were both missed, with weak stages."""
    viewer.require(Permission.VIEW_SLICES)
    history: dict[int, list[str]] = defaultdict(list)
    names: dict[int, str] = {}
    for task, person in session.exec(
            select(SliceTask, Operator)
            .join(Operator, col(Operator.id) == col(SliceTask.operator_id))
            .where(SliceTask.day <= day, col(SliceTask.result).is_not(None))
            .order_by(col(SliceTask.day), col(SliceTask.due_at), col(SliceTask.id))).all():
        if not viewer.in_scope(person):
            continue
        history[task.operator_id].append(task.result or "")
        names[task.operator_id] = person.name
    cases = []
    since = datetime.combine(day - timedelta(days=30), time())
    for operator_id, results in history.items():
        if results[-2:] != ["missed", "missed"]:
            continue
        weakest = session.execute(text(
            "SELECT s.stage_key, AVG(s.score) FROM evaluation_stage s "
            "JOIN evaluation e ON e.id = s.evaluation_id WHERE e.operator_id = :operator "
            "AND e.status = 'submitted' AND NOT e.is_calibration AND s.score IS NOT NULL "
            "AND e.submitted_at >= :since "
            "GROUP BY s.stage_key ORDER BY AVG(s.score) LIMIT 2")
            .bindparams(bindparam("since", type_=DateTime)),
            {"operator": operator_id, "since": since}).all()
        cases.append(TrainerCase(operator_id, names[operator_id],
                                 tuple((stage, float(mean)) for stage, mean in weakest)))
    return cases

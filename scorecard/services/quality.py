"""Quality per operator over a period: which stages and items are weak, and how sure we are.

Read from submitted, non-calibration evaluations of the period's calls: the mean total with
its 90 % interval, each stage's mean score and each item's pass rate (n.a. excluded).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, DateTime, bindparam, text
from sqlmodel import Session

from scorecard.domain.metrics import QualityMean, quality_mean
from scorecard.services.access import Actor, Permission, require_operator, require_team
from scorecard.services.metrics import refresh
from scorecard.services.seats import ORIGIN, SEAT_TEAM

_GRADED = (f"JOIN operator o ON o.id = e.operator_id LEFT JOIN team t ON t.id = {SEAT_TEAM} "
           "WHERE e.status IN ('submitted', 'final', 'disputed') AND NOT e.is_calibration "
           "AND e.call_started_at >= :start AND e.call_started_at < :end")
"""Joins and filters shared by every query here: the period's graded calls, found by the
call start copied onto each evaluation (indexed), never by walking a month of calls. The
team is the one whose seat the operator held as the period began, as KPI counts it."""


@dataclass
class OperatorQuality:
    operator_id: int
    operator: str
    team: str | None
    total: QualityMean
    critical_fails: int
    stages: dict[str, tuple[int, float]] = field(default_factory=dict)
    """stage → (evaluations that scored it, mean score)."""
    items: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    """(stage, item) → (passed, failed)."""

    def weakest_stages(self, count: int = 2) -> list[tuple[str, float]]:
        return sorted(((s, mean) for s, (_, mean) in self.stages.items()),
                      key=lambda pair: pair[1])[:count]

    def weakest_items(self, count: int = 3) -> list[tuple[tuple[str, str], float]]:
        rates = [(key, passed / (passed + failed))
                 for key, (passed, failed) in self.items.items() if passed + failed]
        return sorted(rates, key=lambda pair: pair[1])[:count]


def quality_breakdown(
    session: Session, *, viewer: Actor, first: date, last: date, team: str | None = None,
    operator: str | None = None, items: bool = True,
) -> list[OperatorQuality]:
    """Every graded operator of the period that ``viewer`` may see; ``items=False`` skips
    the per-item counts. Asking for a team or an operator out of scope is refused."""
    viewer.require(Permission.VIEW_QUALITY)
    require_team(session, viewer, team)
    if operator is not None:
        require_operator(session, viewer, operator)
    scope, scope_params = viewer.scope_sql("o")
    span = {"start": datetime.combine(first, time()),
            "end": datetime.combine(last + timedelta(days=1), time()),
            "first": first, "last": last, "origin": ORIGIN}
    where, extra = scope, dict(scope_params)
    if team:
        where += " AND t.name = :team"
        extra["team"] = team
    if operator:
        where += " AND o.name = :operator"
        extra["operator"] = operator
    window = [bindparam("start", type_=DateTime), bindparam("end", type_=DateTime),
              bindparam("first", type_=Date), bindparam("last", type_=Date),
              bindparam("origin", type_=Date)]

    def run(select_from: str, group: str, having: str = "") -> list:
        sql = f"{select_from} {_GRADED}{having}{where} GROUP BY {group}"
        return list(session.execute(text(sql).bindparams(*window), {**span, **extra}).all())

    # Totals and stage scores come from the day rollups (a few thousand rows for a month);
    # only the per-item counts, asked for one operator at a time, read the grades.
    refresh(session)
    days = {"first": first, "last": last, "origin": ORIGIN, **extra}
    day_params = [bindparam("first", type_=Date), bindparam("last", type_=Date),
                  bindparam("origin", type_=Date)]
    people: dict[int, OperatorQuality] = {}
    for operator_id, name, team_name, n, total, squares, critical in session.execute(text(
            "SELECT o.id, o.name, t.name, SUM(d.evaluations), SUM(d.quality_sum), "
            "SUM(d.quality_squares), SUM(d.critical_fails) FROM operator_day d "
            f"JOIN operator o ON o.id = d.operator_id LEFT JOIN team t ON t.id = {SEAT_TEAM} "
            f"WHERE d.day >= :first AND d.day <= :last {where} GROUP BY o.id, o.name, t.name "
            "HAVING SUM(d.evaluations) > 0").bindparams(*day_params), days).all():
        people[operator_id] = OperatorQuality(
            operator_id, name, team_name, quality_mean(int(n), float(total or 0),
                                                       float(squares or 0)), int(critical))
    for operator_id, stage, n, score_sum in session.execute(text(
            "SELECT o.id, d.stage_key, SUM(d.evaluations), SUM(d.score_sum) "
            "FROM operator_day_stage d JOIN operator o ON o.id = d.operator_id "
            f"LEFT JOIN team t ON t.id = {SEAT_TEAM} "
            f"WHERE d.day >= :first AND d.day <= :last {where} "
            "GROUP BY o.id, d.stage_key").bindparams(*day_params), days).all():
        if operator_id in people and n:
            people[operator_id].stages[stage] = (int(n), float(score_sum) / int(n))
    counts: dict[int, dict[tuple[str, str], list[int]]] = defaultdict(dict)
    for operator_id, stage, item, passed, failed in [] if not items else run(
            "SELECT o.id, a.stage_key, a.item_key, "
            "SUM(CASE WHEN a.answer = 'pass' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN a.answer = 'fail' THEN 1 ELSE 0 END) FROM evaluation_answer a "
            "JOIN evaluation e ON e.id = a.evaluation_id", "o.id, a.stage_key, a.item_key"):
        counts[operator_id][(stage, item)] = [int(passed), int(failed)]
    for operator_id, items in counts.items():
        people[operator_id].items = {key: (p, f) for key, (p, f) in items.items()}
    return sorted(people.values(), key=lambda q: ((q.team or ""), q.operator))


def last_graded_day(session: Session, *, viewer: Actor, before: date) -> date | None:
    """The last day before ``before`` with a graded call of an operator ``viewer`` may see:
    where the weak-stage map opens when the month asked for has nothing graded yet."""
    viewer.require(Permission.VIEW_QUALITY)
    refresh(session)
    scope, params = viewer.scope_sql("o")
    day = session.execute(text(
        "SELECT MAX(d.day) FROM operator_day d JOIN operator o ON o.id = d.operator_id "
        f"WHERE d.day < :before AND d.evaluations > 0{scope}").bindparams(
            bindparam("before", type_=Date)), {"before": before, **params}).scalar()
    return day if day is None or isinstance(day, date) else date.fromisoformat(str(day))


def evaluations_of(
    session: Session, *, viewer: Actor, operator: str, first: date, last: date
) -> list[tuple[datetime, str, float | None, bool, str, int]]:
    """The operator's graded calls of the period: (call time, call id, total, critical
    fail, listener, evaluation id), newest first."""
    if not viewer.may(Permission.VIEW_OWN_EVALUATIONS):
        viewer.require(Permission.VIEW_QUALITY)
    require_operator(session, viewer, operator)
    rows = session.execute(text(
        'SELECT c.started_at, c.external_id, e.total_score, e.critical_fail, u.login, e.id '
        'FROM evaluation e JOIN "call" c ON c.id = e.call_id '
        "JOIN operator o ON o.id = e.operator_id JOIN app_user u ON u.id = e.evaluator_id "
        "WHERE o.name = :operator AND e.status IN ('submitted', 'final', 'disputed') "
        "AND NOT e.is_calibration AND e.call_started_at >= :start "
        "AND e.call_started_at < :end ORDER BY c.started_at DESC").bindparams(
            bindparam("start", type_=DateTime), bindparam("end", type_=DateTime)),
        {"operator": operator, "start": datetime.combine(first, time()),
         "end": datetime.combine(last + timedelta(days=1), time())}).all()
    return [(_as_datetime(r[0]), r[1], r[2], bool(r[3]), r[4], r[5]) for r in rows]


def _as_datetime(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def item_texts(session: Session, operator: str) -> dict[tuple[str, str], str]:
    """Item texts of the card the operator's team grades with (empty when it has none)."""
    from scorecard.services.cards import card_of_version

    version = session.execute(text(
        "SELECT MAX(v.id) FROM operator o JOIN team t ON t.id = o.team_id "
        "JOIN card_version v ON v.card_id = t.card_id WHERE o.name = :operator"),
        {"operator": operator}).scalar()
    if version is None:
        return {}
    card, _, _ = card_of_version(session, version)
    return {(stage.id, item.id): item.text for stage in card.stages for item in stage.items}


def evaluation_records(
    session: Session, *, viewer: Actor, first: date, last: date, team: str | None = None,
) -> list[dict[str, object]]:
    """Every graded call of the period ``viewer`` may see, one flat record each, for
    exports: client numbers are masked unless ``viewer`` may see them."""
    from scorecard.services.access import client_number_for

    viewer.require(Permission.VIEW_QUALITY)
    require_team(session, viewer, team)
    scope, params = viewer.scope_sql("o")
    if team:
        scope += " AND t.name = :team"
        params = {**params, "team": team}
    rows = session.execute(text(
        'SELECT c.started_at, c.external_id, o.name, t.name, c.client_number, c.talk_seconds, '
        "u.login, e.submitted_at, e.total_score, e.critical_fail, e.status "
        'FROM evaluation e JOIN "call" c ON c.id = e.call_id JOIN app_user u '
        f"ON u.id = e.evaluator_id {_GRADED}{scope} ORDER BY c.started_at, c.external_id")
        .bindparams(bindparam("start", type_=DateTime), bindparam("end", type_=DateTime),
                    bindparam("first", type_=Date), bindparam("last", type_=Date),
                    bindparam("origin", type_=Date)),
        {"start": datetime.combine(first, time()),
         "end": datetime.combine(last + timedelta(days=1), time()), "first": first,
         "last": last, "origin": ORIGIN, **params}).all()
    def stamp(value: object) -> str | None:
        return None if value is None else _as_datetime(value).isoformat(" ", "seconds")

    return [{"call_started_at": stamp(r[0]), "call": r[1], "operator": r[2], "team": r[3],
             "client_number": client_number_for(viewer, r[4]), "talk_seconds": r[5],
             "listener": r[6], "submitted_at": stamp(r[7]), "total": r[8],
             "critical_fail": bool(r[9]), "status": r[10]} for r in rows]

"""The operator-day rollup: building it in SQL, keeping it current, reading periods from it.

A month's KPI for 200 operators reads 200 × 22 rollup rows instead of a million calls. The
rollup is rebuilt for the days an import or a grade touched, in the same transaction, by
one ``INSERT … SELECT … GROUP BY`` over calls, outcome events and evaluations; ``scorecard
kpi rebuild`` rebuilds any range from scratch. A test holds it equal to a full recount.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from sqlalchemy import Boolean, Date, DateTime, bindparam, text
from sqlmodel import Session

from scorecard.domain.metrics import PeriodMetrics
from scorecard.services.seats import ORIGIN, SEAT_TEAM

EFFECTIVE_SECONDS = 20
"""An answered call of at least this many seconds of talk is an effective call."""
LONG_SECONDS = 600

_COUNTS = ("dials", "answered", "effective_calls", "long_calls", "talk_seconds")
_OUTCOMES = ("presentations", "meetings_set", "meetings_held", "invoices", "payments",
             "payments_kopecks", "revenue_new_kopecks", "revenue_existing_kopecks", "deals",
             "sales_kopecks", "requests_assigned", "requests_processed")
_QUALITY = ("evaluations", "quality_sum", "quality_squares", "critical_fails")
COLUMNS = _COUNTS + _OUTCOMES + _QUALITY

_CALLS = {
    "dials": "COUNT(*)",
    "answered": "SUM(CASE WHEN disposition = 'answered' THEN 1 ELSE 0 END)",
    "effective_calls": "SUM(CASE WHEN disposition = 'answered' AND talk_seconds >= :effective "
                       "THEN 1 ELSE 0 END)",
    "long_calls": "SUM(CASE WHEN disposition = 'answered' AND talk_seconds >= :long "
                  "THEN 1 ELSE 0 END)",
    "talk_seconds": "SUM(talk_seconds)",
}


def _kind(kind: str, value: str = "1") -> str:
    return f"SUM(CASE WHEN kind = '{kind}' THEN {value} ELSE 0 END)"


_EVENTS = {
    "presentations": _kind("presentation"),
    "meetings_set": _kind("meeting_set"),
    "meetings_held": _kind("meeting_held"),
    "invoices": _kind("invoice"),
    "payments": _kind("payment"),
    "payments_kopecks": _kind("payment", "COALESCE(amount_kopecks, 0)"),
    "revenue_new_kopecks": "SUM(CASE WHEN kind = 'payment' AND client_kind = 'new' "
                           "THEN COALESCE(amount_kopecks, 0) ELSE 0 END)",
    "revenue_existing_kopecks": "SUM(CASE WHEN kind = 'payment' AND client_kind = 'existing' "
                                "THEN COALESCE(amount_kopecks, 0) ELSE 0 END)",
    "deals": _kind("deal"),
    "sales_kopecks": _kind("deal", "COALESCE(amount_kopecks, 0)"),
    "requests_assigned": _kind("request_assigned"),
    "requests_processed": _kind("request_processed"),
}
_GRADES = {
    "evaluations": "COUNT(*)",
    "quality_sum": "SUM(e.total_score)",
    "quality_squares": "SUM(e.total_score * e.total_score)",
    "critical_fails": "SUM(CASE WHEN e.critical_fail THEN 1 ELSE 0 END)",
}


def _select(source: dict[str, str], day: str, table: str, where: str, operator: str) -> str:
    values = ", ".join(f"{source.get(column, '0')} AS {column}" for column in COLUMNS)
    return (f"SELECT {operator} AS operator_id, date({day}) AS day, {values} FROM {table} "
            f"WHERE {where} GROUP BY {operator}, date({day})")


def _rebuild_sql(only_operators: bool) -> str:
    operators = " AND {col} IN :operators" if only_operators else ""
    calls = _select(_CALLS, "started_at", "call",
                    "operator_id IS NOT NULL AND started_at >= :start AND started_at < :end"
                    + operators.format(col="operator_id"), "operator_id")
    events = _select(_EVENTS, "occurred_at", "outcome_event",
                     "operator_id IS NOT NULL AND occurred_at >= :start AND occurred_at < :end"
                     + operators.format(col="operator_id"), "operator_id")
    # A grade counts on the day of the call it grades, not the day it was given.
    grades = _select(_GRADES, "c.started_at", "evaluation e JOIN call c ON c.id = e.call_id",
                     "e.operator_id IS NOT NULL AND e.status IN ('submitted', 'final', "
                     "'disputed') AND NOT e.is_calibration AND e.total_score IS NOT NULL "
                     "AND c.started_at >= :start AND c.started_at < :end"
                     + operators.format(col="e.operator_id"), "e.operator_id")
    sums = ", ".join(f"SUM({column})" for column in COLUMNS)
    return (f"INSERT INTO operator_day (operator_id, day, {', '.join(COLUMNS)}) "
            f"SELECT operator_id, day, {sums} FROM ({calls} UNION ALL {events} UNION ALL "
            f"{grades}) AS parts GROUP BY operator_id, day")


_STAGES_SQL = (
    "INSERT INTO operator_day_stage (operator_id, day, stage_key, evaluations, score_sum) "
    "SELECT e.operator_id, date(e.call_started_at), s.stage_key, COUNT(*), SUM(s.score) "
    "FROM evaluation e JOIN evaluation_stage s ON s.evaluation_id = e.id "
    "WHERE e.operator_id IS NOT NULL AND e.status IN ('submitted', 'final', 'disputed') "
    "AND NOT e.is_calibration AND s.score IS NOT NULL "
    "AND e.call_started_at >= :start AND e.call_started_at < :end")


def rebuild(
    session: Session, *, first: date, last: date, operator_ids: Iterable[int] | None = None,
    effective_seconds: int = EFFECTIVE_SECONDS, long_seconds: int = LONG_SECONDS,
) -> None:
    """Recount the rollups for days ``first``..``last`` (all operators, or the ones given)."""
    operators = sorted(set(operator_ids)) if operator_ids is not None else None
    if operators is not None and not operators:
        return
    only = operators is not None
    params = {"first": first, "last": last, "start": datetime.combine(first, time()),
              "end": datetime.combine(last + timedelta(days=1), time()),
              "effective": effective_seconds, "long": long_seconds,
              **({"operators": operators} if only else {})}
    for table in ("operator_day", "operator_day_stage"):
        _run(session, f"DELETE FROM {table} WHERE day >= :first AND day <= :last"
             + (" AND operator_id IN :operators" if only else ""), params)
    _run(session, _STAGES_SQL + (" AND e.operator_id IN :operators" if only else "")
         + " GROUP BY e.operator_id, date(e.call_started_at), s.stage_key", params)
    _run(session, _rebuild_sql(only), params)
    recheck_closed(session, first, last)


def recheck_closed(session: Session, first: date | None = None, last: date | None = None
                   ) -> None:
    """Closed pay periods of ``first``..``last`` (all when not given) were paid from figures
    that may have changed: the next read compares them again (for adjustments)."""
    where, params = "", {}
    if first is not None:
        where, params = " AND month >= :first", {"first": first.replace(day=1)}
    if last is not None:
        where, params = where + " AND month <= :last", {**params, "last": last}
    _run(session, f"UPDATE pay_period SET recheck = :yes WHERE recheck = :no{where}",
         {**params, "yes": True, "no": False})


def _run(session: Session, sql: str, params: dict[str, object]) -> None:
    """Execute ``sql`` with the parameters it names, dates and times typed for the driver."""
    types = {"first": Date, "last": Date, "start": DateTime, "end": DateTime, "yes": Boolean,
             "no": Boolean}
    used = {name: value for name, value in params.items() if f":{name}" in sql}
    statement = text(sql).bindparams(*(
        bindparam(name, expanding=True) if name == "operators" else bindparam(name, type_=kind)
        for name in used for kind in [types.get(name)] if kind or name == "operators"))
    session.execute(statement, used)


def rebuild_all(
    session: Session, *, since: date | None = None, until: date | None = None,
    effective_seconds: int = EFFECTIVE_SECONDS,
) -> tuple[date, date] | None:
    """Recount every day from ``since`` (default: the first call) to ``until`` (the last
    call) and clear their stale marks; the days recounted, None when there are no calls."""
    low, high = session.execute(text('SELECT MIN(started_at), MAX(started_at) FROM "call"')).one()
    if low is None:
        return None
    first = since or as_date(low)
    last = until or as_date(high)
    rebuild(session, first=first, last=last, effective_seconds=effective_seconds)
    session.execute(text("DELETE FROM rollup_stale WHERE day >= :a AND day <= :b"),
                    {"a": first.isoformat(), "b": last.isoformat()})
    return first, last


def mark_stale(session: Session, first: date, last: date) -> None:
    """Note that days ``first``..``last`` changed; the next read recounts them."""
    days = [{"day": first + timedelta(days=n)} for n in range((last - first).days + 1)]
    statement = text("INSERT INTO rollup_stale (day) VALUES (:day) ON CONFLICT DO NOTHING")
    session.execute(statement.bindparams(bindparam("day", type_=Date)), days)


def refresh(session: Session, *, effective_seconds: int = EFFECTIVE_SECONDS) -> int:
    """Recount the days marked stale, in runs of consecutive days; how many were recounted."""
    stale = sorted(as_date(day) for (day,) in session.execute(
        text("SELECT day FROM rollup_stale")).all())
    runs: list[list[date]] = []
    for day in stale:
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    for run in runs:
        rebuild(session, first=run[0], last=run[-1], effective_seconds=effective_seconds)
    if stale:
        session.execute(text("DELETE FROM rollup_stale"))
    return len(stale)


def days_of(session: Session, table: str, column: str, ids_column: str,
            ids: Iterable[int]) -> tuple[date, date] | None:
    """The first and last day among the given rows of ``table`` (None when there are none)."""
    chosen = list(ids)
    if not chosen:
        return None
    row = session.execute(
        text(f"SELECT MIN({column}), MAX({column}) FROM {table} WHERE {ids_column} IN :ids")
        .bindparams(bindparam("ids", expanding=True)), {"ids": chosen}).one()
    if row[0] is None:
        return None
    return as_date(row[0]), as_date(row[1])


def as_date(value: object) -> date:
    """A day as a database driver returns it: a date, a datetime, or ISO text (SQLite)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def period_metrics(
    session: Session, *, first: date, last: date, team: str | None = None,
    scope: tuple[str, dict[str, int]] = ("", {}),
) -> list[PeriodMetrics]:
    """Every operator with activity in ``first``..``last`` (or active in the team), summed.

    An operator's team is the one of the seat they held when the period began (or first
    took within it): a move later never carries a paid month over to the new team's scheme.
    Without seats, their team now. ``scope`` is an actor's limit on operators
    (:meth:`scorecard.services.access.Actor.scope_sql`); the services that face users pass it.
    """
    sums = ", ".join(f"COALESCE(SUM(d.{column}), 0)" for column in COLUMNS)
    team_filter = ("AND t.name = :team" if team else "") + scope[0]
    rows = session.execute(
        text(f"SELECT o.id, o.name, t.name, {sums} FROM operator o "
             f"LEFT JOIN team t ON t.id = {SEAT_TEAM} "
             f"LEFT JOIN operator_day d ON d.operator_id = o.id AND d.day >= :first "
             f"AND d.day <= :last WHERE (o.active OR d.operator_id IS NOT NULL) {team_filter} "
             f"GROUP BY o.id, o.name, t.name ORDER BY t.name, o.name")
        .bindparams(bindparam("first", type_=Date), bindparam("last", type_=Date),
                    bindparam("origin", type_=Date)),
        {"first": first, "last": last, "origin": ORIGIN,
         **({"team": team} if team else {}), **scope[1]},
    ).all()
    return [PeriodMetrics(row[0], row[1], row[2],
                          *(int(v) if c not in ("quality_sum", "quality_squares") else float(v)
                            for c, v in zip(COLUMNS, row[3:], strict=True)))
            for row in rows]

"""Weekly quality trends: one operator's total and stage scores by ISO week, next to the team's.

Read from the day rollups (``operator_day``, ``operator_day_stage``), never from raw
evaluations. Each day is put in its week by a ``CASE`` over the week boundaries, computed in
Python and bound as typed dates, so the same SQL groups by week on SQLite and PostgreSQL
(their date arithmetic differs; comparisons of dates do not). A week without grades is kept
with count 0 and no mean: a chart shows a gap there, not a zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Date, bindparam, text
from sqlmodel import Session

from scorecard.errors import ScorecardError
from scorecard.services.access import Actor, Permission, require_operator
from scorecard.services.metrics import refresh

DEFAULT_WEEKS = 8
MAX_WEEKS = 104
"""Two years of weeks: the CASE grows by one branch a week, keep it modest."""


@dataclass(frozen=True)
class WeekPoint:
    """One week of one line: how many grades, and their mean (None when there were none)."""

    evaluations: int = 0
    mean: float | None = None


@dataclass
class TrendLine:
    """A line per measure: the quality total and each stage, one point per week."""

    total: list[WeekPoint]
    stages: dict[str, list[WeekPoint]] = field(default_factory=dict)


@dataclass
class Trends:
    operator: str
    team: str | None
    weeks: list[date]
    """The Monday of each week, oldest first."""
    until: date
    """The last day counted (the last week may be cut short by it)."""
    mine: TrendLine
    team_line: TrendLine | None
    """All operators of the operator's team, the operator included; None without a team."""
    stage_titles: dict[str, str] = field(default_factory=dict)
    """Stage key → title from the team's card, in card order; stages graded under another
    card version come after, titled by their key."""

    @property
    def stages(self) -> list[str]:
        return list(self.stage_titles)


def week_starts(until: date, weeks: int) -> list[date]:
    """The Mondays of the ``weeks`` ISO weeks ending with the one that holds ``until``."""
    last_monday = until - timedelta(days=until.weekday())
    return [last_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def operator_trends(
    session: Session, *, viewer: Actor, operator: str, until: date | None = None,
    weeks: int = DEFAULT_WEEKS,
) -> Trends:
    """The operator's weekly quality for ``weeks`` ISO weeks ending at ``until`` (default
    today), and the team's. Refused without the quality permission or out of scope."""
    viewer.require(Permission.VIEW_QUALITY)
    person = require_operator(session, viewer, operator)
    if not 1 <= weeks <= MAX_WEEKS:
        raise ScorecardError(f"weeks must be between 1 and {MAX_WEEKS}, not {weeks}")
    until = until or date.today()
    starts = week_starts(until, weeks)
    refresh(session)  # days marked stale by imports or grades are recounted before reading

    # Day → week index by comparisons only; the boundaries are the Mondays after the first.
    branches = " ".join(f"WHEN d.day < :w{n} THEN {n - 1}" for n in range(1, weeks))
    week_of = f"CASE {branches} ELSE {weeks - 1} END" if branches else "0"
    scope, scope_params = viewer.scope_sql("o")
    if person.team_id is not None:
        who, who_params = "o.team_id = :team_id", {"team_id": person.team_id}
    else:  # no team: the operator's own line only
        who, who_params = "o.id = :operator_id", {}
    params: dict[str, object] = {
        "first": starts[0], "last": until, "operator_id": person.id, **who_params,
        **scope_params, **{f"w{n}": starts[n] for n in range(1, weeks)}}
    typed = [bindparam(name, type_=Date) for name in ("first", "last", *(
        f"w{n}" for n in range(1, weeks)))]
    # The week is computed in an inner select and grouped outside: PostgreSQL would not
    # accept a GROUP BY expression whose bound parameters are not the select list's own.
    inner = (f"SELECT {week_of} AS week, "
             "CASE WHEN d.operator_id = :operator_id THEN 1 ELSE 0 END AS mine, {columns} "
             "FROM {table} d JOIN operator o ON o.id = d.operator_id "
             f"WHERE d.day >= :first AND d.day <= :last AND d.evaluations > 0 AND {who}{scope}")

    def grouped(table: str, columns: str, keys: str, sums: str) -> list:
        sql = (f"SELECT week, mine{keys}, {sums} FROM ("
               + inner.format(columns=columns, table=table)
               + f") AS days GROUP BY week, mine{keys}")
        return list(session.execute(text(sql).bindparams(*typed), params).all())

    mine_totals = [[0, 0.0] for _ in starts]
    team_totals = [[0, 0.0] for _ in starts]
    for week, mine, n, total in grouped("operator_day", "d.evaluations, d.quality_sum", "",
                                        "SUM(evaluations), SUM(quality_sum)"):
        for sums in (team_totals, mine_totals) if mine else (team_totals,):
            sums[week][0] += int(n)
            sums[week][1] += float(total or 0)
    mine_stages: dict[str, list[list[float]]] = {}
    team_stages: dict[str, list[list[float]]] = {}
    for week, mine, stage, n, total in grouped(
            "operator_day_stage", "d.stage_key, d.evaluations, d.score_sum", ", stage_key",
            "SUM(evaluations), SUM(score_sum)"):
        for sums in (team_stages, mine_stages) if mine else (team_stages,):
            cells = sums.setdefault(stage, [[0, 0.0] for _ in starts])
            cells[week][0] += int(n)
            cells[week][1] += float(total or 0)

    titles = _stage_titles(session, person.team_id)
    for stage in sorted(set(team_stages) - set(titles)):
        titles[stage] = stage
    team_name = session.execute(text("SELECT name FROM team WHERE id = :id"),
                                {"id": person.team_id}).scalar() if person.team_id else None
    return Trends(
        operator=person.name, team=team_name, weeks=starts, until=until,
        mine=_line(mine_totals, mine_stages, titles, len(starts)),
        team_line=_line(team_totals, team_stages, titles, len(starts))
        if person.team_id is not None else None,
        stage_titles=titles)


def _line(totals: list[list[float]], stages: dict[str, list[list[float]]],
          titles: dict[str, str], weeks: int) -> TrendLine:
    empty = [[0, 0.0] for _ in range(weeks)]
    return TrendLine(total=[_point(n, s) for n, s in totals],
                     stages={stage: [_point(n, s) for n, s in stages.get(stage, empty)]
                             for stage in titles})


def _point(evaluations: float, total: float) -> WeekPoint:
    n = int(evaluations)
    return WeekPoint(n, total / n if n else None)


def _stage_titles(session: Session, team_id: int | None) -> dict[str, str]:
    """Stage key → title of the newest version of the team's card, in card order."""
    if team_id is None:
        return {}
    from scorecard.services.cards import card_of_version

    version = session.execute(text(
        "SELECT MAX(v.id) FROM team t JOIN card_version v ON v.card_id = t.card_id "
        "WHERE t.id = :team"), {"team": team_id}).scalar()
    if version is None:
        return {}
    card, _, _ = card_of_version(session, version)
    return {stage.id: stage.title for stage in card.stages}

"""The dial-and-drop report: who dials a lot and hardly ever talks.

"100 dials, 10 reached" is the textbook sabotage of a dials-based bonus: the operator dials
and hangs up before anyone answers. Counting is done in SQL; medians are taken in Python
over one day's answered calls, which stay small.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from statistics import median

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from scorecard.db.models import Call, Operator, Team
from scorecard.services.access import Actor, Permission, require_team

SHORT_SECONDS = 10
REAL_CONVERSATION_SECONDS = 20


@dataclass(frozen=True)
class DialingRow:
    operator: str
    team: str
    dials: int
    answered: int
    conversations: int
    """Answered calls of at least 20 seconds."""
    short_share: float | None
    """Share of answered calls under 10 seconds."""
    median_talk: float | None
    team_median_dials: float
    team_median_answer_rate: float | None
    team_median_talk: float | None
    flagged: bool

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.dials if self.dials else None


def dialing_report(
    session: Session, day: date, *, viewer: Actor, team: str | None = None
) -> list[DialingRow]:
    """The day's outbound dialing per operator the viewer may see (one team if given),
    each against their team's medians."""
    viewer.require(Permission.VIEW_SLICES)
    require_team(session, viewer, team)
    start = datetime.combine(day, time.min)
    end = start + timedelta(days=1)
    answered = col(Call.disposition) == "answered"
    chosen = [col(Call.started_at) >= start, col(Call.started_at) < end,
              col(Call.direction) == "outbound"]
    scope = viewer.scope_condition()
    if scope is not None:
        chosen.append(scope)
    if team is not None:
        chosen.append(col(Operator.team_id).in_(select(Team.id).where(Team.name == team)))
    counts = session.exec(
        select(
            Operator.id, Operator.name, Team.name,
            func.count(),
            func.sum(case((answered, 1), else_=0)),
            func.sum(case((answered & (col(Call.talk_seconds) >= REAL_CONVERSATION_SECONDS), 1),
                          else_=0)),
            func.sum(case((answered & (col(Call.talk_seconds) < SHORT_SECONDS), 1), else_=0)),
        )
        .join(Operator, col(Operator.id) == col(Call.operator_id))
        .outerjoin(Team, col(Team.id) == col(Operator.team_id))
        .where(*chosen)
        .group_by(col(Operator.id), col(Operator.name), col(Team.name))
    ).all()
    talks: dict[int, list[int]] = {}
    for operator_id, talk in session.exec(
        select(Call.operator_id, Call.talk_seconds)
        .join(Operator, col(Operator.id) == col(Call.operator_id))
        .where(*chosen, answered)
    ).all():
        talks.setdefault(operator_id, []).append(talk)

    by_team: dict[str, list[tuple]] = {}
    for row in counts:
        by_team.setdefault(row[2] or "—", []).append(row)
    report: list[DialingRow] = []
    for team, rows in by_team.items():
        team_dials = median(r[3] for r in rows)
        rates = [r[4] / r[3] for r in rows if r[3]]
        team_rate = median(rates) if rates else None
        medians = [median(talks[r[0]]) for r in rows if talks.get(r[0])]
        team_talk = median(medians) if medians else None
        team_conversations = median(r[5] for r in rows)
        for operator_id, name, _, dials, answered_n, conversations, short in rows:
            rate = answered_n / dials if dials else 0.0
            flagged = dials >= team_dials and (
                (team_rate is not None and rate <= 0.5 * team_rate)
                or conversations <= 0.5 * team_conversations
            )
            report.append(DialingRow(
                operator=name, team=team, dials=dials, answered=answered_n,
                conversations=conversations,
                short_share=short / answered_n if answered_n else None,
                median_talk=median(talks[operator_id]) if talks.get(operator_id) else None,
                team_median_dials=team_dials, team_median_answer_rate=team_rate,
                team_median_talk=team_talk, flagged=flagged))
    report.sort(key=lambda r: (not r.flagged, r.team, -(r.dials)))
    return report

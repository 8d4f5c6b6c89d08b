"""Agents' time from the PBX's queue log: logged-in and paused spans stored per operator,
queue calls given the agent who took them, and the day's occupancy (talk time over the
time logged in and not paused) the KPI's talk-time and occupancy metrics read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import DateTime, bindparam, text
from sqlmodel import Session, col, select

from scorecard.db.models import AgentState, Call, Operator, Team
from scorecard.domain.periods import covered_seconds
from scorecard.ingest.cdr.asterisk import channel_extension
from scorecard.ingest.queue_log import QueueLog
from scorecard.services.access import Actor, Permission, require_team
from scorecard.services.imports import ImportReport, operator_refs
from scorecard.services.metrics import mark_stale
from scorecard.services.seats import SeatMap


def import_queue_log(session: Session, log: QueueLog) -> ImportReport:
    """Store the log's spans (a span already stored is updated when it has ended since) and
    give queue calls with no operator the agent who took them."""
    report = ImportReport()
    seats = SeatMap.load(session)
    names = operator_refs(session)
    unknown: dict[str, int] = {}

    def operator_of(agent: str, at: datetime) -> int | None:
        """An interface or an extension is whoever held it that day; a name or a login,
        that operator."""
        extension = channel_extension(agent) if "/" in agent else agent
        found = (seats.operator_at(extension, at) if extension and extension.isdigit()
                 else names.get(agent.casefold()))
        if found is None:
            unknown[agent] = unknown.get(agent, 0) + 1
        return found

    stored = _stored_spans(session, log)
    for span in log.spans:
        operator_id = operator_of(span.agent, span.started_at)
        if operator_id is None:
            continue
        key = (operator_id, span.state, span.queue, span.started_at)
        row = stored.get(key)
        if row is None:
            row = stored[key] = AgentState(
                operator_id=operator_id, state=span.state, queue=span.queue,
                started_at=span.started_at, ended_at=span.ended_at, reason=span.reason)
            session.add(row)
            report.new += 1
        elif span.ended_at is not None and row.ended_at != span.ended_at:
            row.ended_at = span.ended_at
            report.updated += 1
        else:
            report.unchanged += 1
    for close in log.closes:
        operator_id = operator_of(close.agent, close.at)
        still = [row for key, row in stored.items() if operator_id is not None
                 and key[:3] == (operator_id, close.state, close.queue)
                 and row.ended_at is None and row.started_at <= close.at]
        if still:
            max(still, key=lambda row: row.started_at).ended_at = close.at
            report.updated += 1
    given = _give_agents(session, log, operator_of)
    if given:
        report.notes.append(f"{given} queue call(s) given the agent who took them")
    for agent, count in sorted(unknown.items()):
        report.notes.append(f"agent {agent!r} is no operator's extension, name or login "
                            f"({count} line(s) left out)")
    session.flush()
    return report


def _give_agents(session: Session, log: QueueLog,
                 operator_of: Callable[[str, datetime], int | None]) -> int:
    """Calls the log says an agent took, that the call records gave no operator."""
    taken = {connect.callid: connect for connect in log.connects}
    given = 0
    days: set[date] = set()
    keys = sorted(taken)
    for start in range(0, len(keys), 900):
        for call in session.exec(select(Call).where(
                col(Call.external_id).in_(keys[start:start + 900]),
                col(Call.operator_id).is_(None))).all():
            connect = taken[call.external_id]
            operator_id = operator_of(connect.agent, connect.at)
            if operator_id is not None:
                call.operator_id = operator_id
                given += 1
                days.add(call.started_at.date())
    if days:
        mark_stale(session, min(days), max(days))
    return given


def _stored_spans(session: Session, log: QueueLog
                  ) -> dict[tuple[int, str, str, datetime], AgentState]:
    """The stored spans the log can meet: those starting when its spans start, and those
    still open (a rotated log ends them)."""
    if not log.spans and not log.closes:
        return {}
    condition = col(AgentState.ended_at).is_(None)
    if log.spans:
        condition = condition | col(AgentState.started_at).between(
            min(span.started_at for span in log.spans),
            max(span.started_at for span in log.spans))
    return {(row.operator_id, row.state, row.queue, row.started_at): row
            for row in session.exec(select(AgentState).where(condition)).all()}


@dataclass(frozen=True)
class Occupancy:
    operator: str
    team: str | None
    logged_in_seconds: int
    paused_seconds: int
    talk_seconds: int

    @property
    def available_seconds(self) -> int:
        return max(0, self.logged_in_seconds - self.paused_seconds)

    @property
    def occupancy(self) -> float | None:
        """Talk time over the time logged in and not paused (None: none such)."""
        available = self.available_seconds
        return None if not available else min(1.0, self.talk_seconds / available)


def occupancy(session: Session, day: date, *, viewer: Actor, team: str | None = None,
              now: datetime | None = None) -> list[Occupancy]:
    """Per operator with queue time that day: logged in, paused, talk time, occupancy.

    A span still open counts until the end of the day, or until ``now`` on the day itself.
    """
    viewer.require(Permission.VIEW_KPI)
    require_team(session, viewer, team)
    first = datetime.combine(day, time())
    last = first + timedelta(days=1)
    cut = min(last, now) if now is not None else last
    spans = session.exec(select(AgentState).where(
        col(AgentState.started_at) < last,
        (col(AgentState.ended_at).is_(None)) | (col(AgentState.ended_at) > first))).all()
    seconds: dict[tuple[int, str], list[tuple[datetime, datetime]]] = {}
    for span in spans:
        start, end = max(span.started_at, first), min(span.ended_at or cut, last)
        if end > start:
            seconds.setdefault((span.operator_id, span.state), []).append((start, end))
    scope_sql, scope = viewer.scope_sql("o")
    talk = dict(session.connection().execute(
        text('SELECT c.operator_id, SUM(c.talk_seconds) FROM "call" c JOIN operator o '
             "ON o.id = c.operator_id WHERE c.started_at >= :first AND c.started_at < :last "
             f"AND c.disposition = 'answered'{scope_sql} GROUP BY c.operator_id")
        .bindparams(bindparam("first", type_=DateTime), bindparam("last", type_=DateTime)),
        {"first": first, "last": last, **scope}).all())
    people = {operator.id: operator for operator in session.exec(select(Operator)).all()
              if viewer.in_scope(operator)}
    teams = _team_names(session)
    rows = []
    for operator_id in sorted({key[0] for key in seconds}, key=lambda i: people[i].name
                              if i in people else ""):
        person = people.get(operator_id)
        if person is None or (team is not None and teams.get(person.team_id) != team):
            continue
        rows.append(Occupancy(
            person.name, teams.get(person.team_id),
            covered_seconds(seconds.get((operator_id, "logged_in"), [])),
            covered_seconds(seconds.get((operator_id, "paused"), [])),
            int(talk.get(operator_id) or 0)))
    return rows


def _team_names(session: Session) -> Mapping[int | None, str]:
    return {team.id: team.name for team in session.exec(select(Team)).all()}

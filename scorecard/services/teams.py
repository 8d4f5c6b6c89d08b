"""Teams: the quality card their calls are graded with, and their shift hours.

Teams come with the operator list (``scorecard import operators``). Sampling, grading and
auto-QA need each team's card; the intraday slices measure against its shift. Setting
them is an administrative change (:data:`Permission.MANAGE_CARDS`), audited like one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import func
from sqlmodel import Session, col, select

from scorecard.db.models import Operator, QualityCardRecord, Team, utcnow
from scorecard.errors import ScorecardError
from scorecard.services import audit
from scorecard.services.access import Actor, Permission


@dataclass(frozen=True)
class TeamRow:
    name: str
    card: str | None
    """The slug of the card the team's calls are graded with (None: none yet)."""
    shift_start: time
    shift_end: time
    operators: int
    """Active operators."""


def list_teams(session: Session, *, name: str | None = None) -> list[TeamRow]:
    """Every team (or the one named) with its card, shift and active operators, by name."""
    active = (select(Operator.team_id, func.count().label("n"))
              .where(col(Operator.active)).group_by(col(Operator.team_id)).subquery())
    query = (select(Team, QualityCardRecord.slug, active.c.n)
             .outerjoin(QualityCardRecord, col(QualityCardRecord.id) == col(Team.card_id))
             .outerjoin(active, active.c.team_id == col(Team.id))
             .order_by(col(Team.name)))
    if name is not None:
        query = query.where(Team.name == name)
    rows = session.exec(query).all()
    return [TeamRow(team.name, slug, team.shift_start, team.shift_end, count or 0)
            for team, slug, count in rows]


def visible_team_names(session: Session, *, viewer: Actor) -> list[str]:
    """The teams ``viewer`` may look at, by name: a lead with a team sees that one team,
    an operator their own (offering the others would only earn refusals)."""
    query = select(Team.name).order_by(col(Team.name))
    condition = viewer.scope_condition()  # the access module's one scope rule
    if condition is not None:
        query = (query.join(Operator, col(Operator.team_id) == col(Team.id))
                 .where(condition).distinct())
    return list(session.exec(query))


def set_team(
    session: Session, *, by: Actor | None, name: str, card: str | None = None,
    shift: tuple[time, time] | None = None, now: datetime | None = None,
) -> TeamRow:
    """Give team ``name`` a card (its slug; ``""`` takes the card away) and/or a shift.

    ``by`` is the admin (None only during the first setup, see ``users.setup_actor``).
    """
    if by is not None:
        by.require(Permission.MANAGE_CARDS)
    team = session.exec(select(Team).where(Team.name == name)).first()
    if team is None or team.id is None:
        known = ", ".join(repr(t) for t in session.exec(select(Team.name)).all()) or "none yet"
        raise ScorecardError(f"no team named {name!r} (teams come with the operator list, "
                             f"scorecard import operators; known: {known})")
    before = _settings(session, team)
    if card is not None:
        team.card_id = _card_id(session, card) if card else None
    if shift is not None:
        start, end = shift
        if start >= end:
            raise ScorecardError(f"the shift must end after it starts: {start:%H:%M}–"
                                 f"{end:%H:%M}")
        team.shift_start, team.shift_end = start, end
    after = _settings(session, team)
    if after != before:
        audit.record(session, action="team.update", entity="team", entity_id=team.id,
                     actor_id=by.user_id if by else None, at=now or utcnow(),
                     old={k: v for k, v in before.items() if after[k] != v},
                     new={k: v for k, v in after.items() if before[k] != v})
    session.flush()
    return list_teams(session, name=team.name)[0]


def _settings(session: Session, team: Team) -> dict[str, object]:
    """What :func:`set_team` changes, as the audit log keeps it (the card by its slug)."""
    card = session.get(QualityCardRecord, team.card_id) if team.card_id else None
    return {"card": card.slug if card else None, "shift_start": team.shift_start,
            "shift_end": team.shift_end}


def _card_id(session: Session, slug: str) -> int:
    found = session.exec(select(QualityCardRecord.id).where(QualityCardRecord.slug == slug)
                         ).first()
    if found is None:
        stored = ", ".join(session.exec(select(QualityCardRecord.slug)).all()) or "none yet"
        raise ScorecardError(f"no card {slug!r} in the database (scorecard cards import; "
                             f"stored: {stored})")
    return found

"""Sampling a day's calls for listening and handing them to listeners.

Candidates are fetched in one query (answered calls of the day, of active operators, not
sampled or graded before, with a transcript or recording when asked); the draw itself is
:func:`scorecard.domain.sampling.draw`. The sample and its assignments are written in the
caller's unit of work, spread over the listeners by their open load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, func
from sqlmodel import Session, col, select

from scorecard.db.bulk import bulk_insert
from scorecard.db.models import Assignment, Call, Evaluation, Operator, Sample, Team, User, utcnow
from scorecard.domain.sampling import SamplingRules, Stratum, draw
from scorecard.errors import ScorecardError
from scorecard.services import audit
from scorecard.services.access import Actor, Permission, require_team
from scorecard.services.cards import latest_version

REQUIREMENTS = ("transcript", "recording")


@dataclass
class SampleResult:
    sample_id: int | None
    picked: int
    operators: int
    shortfall: dict[str, int] = field(default_factory=dict)
    per_listener: dict[str, int] = field(default_factory=dict)
    skipped_teams: list[str] = field(default_factory=list)


def sample_day(
    session: Session,
    day: date,
    rules: SamplingRules,
    *,
    seed: int,
    team: str | None = None,
    per_operator: int | None = None,
    require: str | None = None,
    listeners: list[str] | None = None,
    dry_run: bool = False,
    per_slice: bool = False,
    by: Actor | None = None,
) -> SampleResult:
    """Draw the day's sample; with ``per_slice`` the quota is per operator per slice of the
    day (the rules' ``slices``), so a day's early and late calls are both graded.

    ``by`` draws it (a lead: their own team's calls only); None only during the first setup
    of a database with no admin yet.
    """
    from scorecard.db.models import QualityCardRecord, Transcript

    if by is not None:
        by.require(Permission.SAMPLE_CALLS)
        require_team(session, by, team)  # a lead names only their own team…
        if team is None and by.role == "lead" and by.team_id is not None:
            team = session.exec(select(Team.name).where(Team.id == by.team_id)).one()  # …or none

    start = datetime.combine(day, time.min)
    query = (
        select(Call.id, Call.talk_seconds, Call.operator_id, Operator.name, Team.card_id,
               Call.started_at)
        .join(Operator, col(Operator.id) == col(Call.operator_id))
        .join(Team, col(Team.id) == col(Operator.team_id))
        .where(col(Call.started_at) >= start, col(Call.started_at) < start + timedelta(days=1))
        .where(col(Call.disposition) == "answered", col(Operator.active))
        .where(col(Team.card_id).is_not(None))  # no card, nothing to grade them with
        # A call only calibrated on is still ungraded: calibration grades do not count.
        .where(~exists().where(col(Assignment.call_id) == col(Call.id),
                               col(Assignment.calibration_session_id).is_(None)))
        .where(~exists().where(col(Evaluation.call_id) == col(Call.id),
                               ~col(Evaluation.is_calibration)))
    )
    if team is not None:
        if session.exec(select(Team.id).where(Team.name == team)).first() is None:
            raise ScorecardError(f"no team {team!r}")
        query = query.where(Team.name == team)
    if require == "transcript":
        query = query.where(exists().where(col(Transcript.call_id) == col(Call.id)))
    elif require == "recording":
        query = query.where(col(Call.recording_path).is_not(None))
    elif require is not None:
        raise ScorecardError(f"--require must be one of {', '.join(REQUIREMENTS)}")

    if per_slice and not rules.slices:
        raise ScorecardError("a per-slice sample needs slices in the sampling rules, e.g. "
                             'slices = ["11:00", "14:00", "17:00"]')
    windows = range(len(rules.slices) + 1) if per_slice else range(1)

    def stratum(operator_id: int, started: datetime | None) -> Stratum:
        if not per_slice:
            return operator_id
        return (operator_id, rules.slice_of(started.time()) if started else 0)

    candidates: dict[Stratum, list[tuple[int, int]]] = {}
    names: dict[int, str] = {}
    card_of: dict[int, int] = {}
    for call_id, talk, operator_id, operator, card_id, started in session.exec(
            query).all():
        candidates.setdefault(stratum(operator_id, started), []).append((call_id, talk))
        names[operator_id], card_of[operator_id] = operator, card_id
    # Operators with no call at all that day (or slice) are short of the whole quota too;
    # a team with no card is skipped whole, and said so.
    active = (select(Operator.id, Operator.name, Team.name, Team.card_id)
              .join(Team, col(Team.id) == col(Operator.team_id)).where(col(Operator.active)))
    if team is not None:
        active = active.where(Team.name == team)
    skipped: set[str] = set()
    for operator_id, name, team_name, card_id in session.exec(active).all():
        if card_id is None:
            skipped.add(team_name)
            continue
        if operator_id is None:
            continue
        names.setdefault(operator_id, name)
        for window in windows:
            key = (operator_id, window) if per_slice else operator_id
            candidates.setdefault(key, [])

    result_draw = draw(candidates, rules, seed=seed, day=day.isoformat(), quota=per_operator)
    result = SampleResult(None, 0, len({_operator(k) for k in candidates}),
                          skipped_teams=sorted(skipped))
    result.shortfall = {
        names[_operator(k)] + (f" ({rules.slice_name(k[1])})" if isinstance(k, tuple) else ""): n
        for k, n in result_draw.shortfall.items()}

    versions: dict[int, int] = {}
    slugs = dict(session.exec(select(QualityCardRecord.id, QualityCardRecord.slug)).all())
    rows = []
    for key, calls in result_draw.picked.items():
        if not calls:
            continue
        card_id = card_of[_operator(key)]
        if card_id not in versions:
            versions[card_id] = latest_version(session, slugs[card_id])[0]
        rows.extend((call_id, versions[card_id]) for call_id in calls)
    result.picked = len(rows)
    if dry_run or not rows:
        return result

    now = utcnow()
    sample = Sample(day=day, seed=seed, rules=json.dumps(
        {**rules.model_dump(mode="json"), "per_operator": per_operator or rules.per_operator,
         "require": require, "team": team, "per_slice": per_slice}, ensure_ascii=False),
        created_at=now)
    session.add(sample)
    session.flush()
    result.sample_id = sample.id
    assignees = _listeners_by_load(session, listeners)
    load = {user_id: open_ for user_id, _, open_ in assignees}
    login = {user_id: name for user_id, name, _ in assignees}
    assignments = []
    for call_id, version_id in rows:
        # Round robin by open load: each call goes to whoever has the least to do.
        user_id = min(load, key=lambda u: (load[u], login[u])) if load else None
        if user_id is not None:
            load[user_id] += 1
            result.per_listener[login[user_id]] = result.per_listener.get(login[user_id], 0) + 1
        assignments.append({"call_id": call_id, "card_version_id": version_id,
                            "sample_id": sample.id, "assignee_id": user_id, "status": "new",
                            "created_at": now})
    bulk_insert(session, Assignment, assignments)
    audit.record(session, action="sample.draw", entity="sample", entity_id=sample.id,
                 actor_id=by.user_id if by else None,
                 new={"day": day.isoformat(), "seed": seed, "team": team, "calls": len(rows),
                      "per_listener": result.per_listener})
    return result


def _operator(stratum: Stratum) -> int:
    return stratum[0] if isinstance(stratum, tuple) else stratum  # type: ignore[return-value]


def _listeners_by_load(session: Session, logins: list[str] | None) -> list[tuple[int, str, int]]:
    """(user id, login, open assignments) of the listeners who get the new calls."""
    query = select(User.id, User.login).where(col(User.active), User.role == "qa")
    if logins:
        query = select(User.id, User.login).where(col(User.login).in_(logins))
    users = [(u, name) for u, name in session.exec(query).all() if u is not None]
    if logins and len(users) != len(set(logins)):
        missing = sorted(set(logins) - {name for _, name in users})
        raise ScorecardError(f"no user {', '.join(missing)}")
    open_counts = dict(session.exec(
        select(Assignment.assignee_id, func.count())
        .where(col(Assignment.status).in_(("new", "claimed")))
        .group_by(col(Assignment.assignee_id))
    ).all())
    return [(u, name, open_counts.get(u, 0)) for u, name in users]

"""Calibration sessions: several listeners grade the same calls blind, then compare.

This module owns the session's life (create, list with progress, close), the guard the
grading service asks before a calibration call is opened or changed, and the report.

How a session works:

* a lead (permission ``CALIBRATE``) picks calls by external id, or N random answered calls
  of a day (optionally of one team), and invites at least two listeners by login; each
  (call, listener) gets its own :class:`~scorecard.db.models.Assignment` tied to the session,
  graded with the newest version of the card of the call's team (as the sampler does);
* the listener finds those calls in their own queue, marked as calibration, and grades them
  in the normal grading screen; the evaluation is stored with ``is_calibration`` so it never
  counts toward the operator's quality, KPI, rollups or the detector's accuracy, and the
  sampler still treats the call as ungraded;
* grading is blind: only the invited listener may open their assignment, nobody else's
  calibration grades are shown to a listener, and a lead who is also a listener in an open
  session may not read its report until their own grades are in;
* closing the session cancels what was not graded; its grades are frozen from then on.

The report reads submitted grades only (drafts are work in progress). Its unit of
agreement is one item of one call. For each unit it gives every listener's answer, the
majority answer and the share of listeners agreeing with it; per (stage, item) how often
the listeners disagreed; per listener how often they differ from the majority of the
others and how far their total is from the group's mean total for the same call (signed:
stricter or softer than the group, and absolute); and Krippendorff's alpha.

The statistic: Krippendorff's alpha at the nominal level, computed by the ``krippendorff``
package (numpy only; statsmodels' Fleiss' kappa would bring scipy and pandas along). Alpha
was chosen over Fleiss' kappa because it takes missing grades in its stride: a session
still in progress, or a listener who graded only some calls, still gives a sound value,
where kappa needs every call graded by the same number of listeners.

n.a. is its own category, not a missing value: whether an item applies to a call is a
judgement listeners must agree on (one marks "objection handled" n.a., another fails it:
that changes the operator's score and is a real disagreement). Missing means only "no
submitted grade from this listener".

Alpha is read with Krippendorff's own thresholds: at least 0.8 good, 0.667 to 0.8
tentative, below that poor. When every pairable answer is the same there is no variation
to tell skill from chance and alpha is undefined (reported as such, not as 1.0).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import exists, func
from sqlmodel import Session, col, select

from scorecard.db.models import (
    Assignment,
    CalibrationSession,
    Call,
    CardVersion,
    Evaluation,
    EvaluationAnswer,
    Operator,
    Team,
    Transcript,
    User,
    utcnow,
)
from scorecard.domain.agreement import (
    Agreement,
    ItemSummary,
    ListenerDeviation,
    UnitRow,
    agreement,
    deviation,
    item_summaries,
    majority,
)
from scorecard.domain.enums import GRADED
from scorecard.errors import ScorecardError
from scorecard.services import audit
from scorecard.services.access import (
    MATRIX,
    AccessDenied,
    Actor,
    Permission,
    actor,
    require_in_scope,
    require_team,
)

"""Evaluation statuses that count as a grade given (drafts do not)."""
MIN_LISTENERS = 2
MAX_TITLE = 200


# -- read models ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedSession:
    session_id: int
    title: str
    calls: tuple[str, ...]
    """External ids of the calls, in the order they will be graded."""
    listeners: tuple[str, ...]
    assignments: int
    seed: int | None = None
    """The random draw's seed (None when the calls were picked by hand)."""


@dataclass(frozen=True)
class SessionSummary:
    session_id: int
    title: str
    created_by: str
    created_at: datetime
    closed_at: datetime | None
    calls: int
    listeners: tuple[str, ...]
    expected: int
    """Grades the session asks for: calls × listeners."""
    graded: int

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def to_json(self) -> dict[str, Any]:
        return {"session": self.session_id, "title": self.title, "created_by": self.created_by,
                "created_at": self.created_at.isoformat(timespec="seconds"),
                "closed_at": None if self.closed_at is None
                else self.closed_at.isoformat(timespec="seconds"),
                "calls": self.calls, "listeners": list(self.listeners),
                "expected": self.expected, "graded": self.graded}


@dataclass(frozen=True)
class CallTotals:
    call: str
    operator: str | None
    totals: dict[str, float | None]
    """listener login → total score; absent while not submitted, None when all n.a."""
    critical: dict[str, bool]
    mean: float | None
    spread: float | None
    """Highest total minus lowest: how far apart the listeners were on the whole call."""
    evaluations: dict[str, int] = field(default_factory=dict)
    """listener login → their evaluation of the call, to open it."""


@dataclass(frozen=True)
class CalibrationReport:
    session: SessionSummary
    agreement: Agreement
    listeners: list[ListenerDeviation]
    units: list[UnitRow]
    items: list[ItemSummary]
    calls: list[CallTotals]
    stages: dict[str, Agreement] = field(default_factory=dict)
    """The same statistic per stage, in card order."""

    @property
    def disagreements(self) -> list[UnitRow]:
        return [u for u in self.units if u.disagree]

    def to_json(self) -> dict[str, Any]:
        def agreement(a: Agreement) -> dict[str, Any]:
            return {"alpha": _rounded(a.alpha, 4), "reading": a.reading, "units": a.units,
                    "observed": _rounded(a.observed, 4)}

        return {
            **self.session.to_json(),
            "statistic": "krippendorff_alpha_nominal",
            "agreement": agreement(self.agreement),
            "stages": {stage: agreement(a) for stage, a in self.stages.items()},
            "listeners": [{
                "login": d.login, "name": d.name, "graded": d.graded, "expected": d.expected,
                "compared": d.compared, "differs": d.differs,
                "differ_share": _rounded(d.differ_share, 4),
                "total_bias": _rounded(d.total_bias, 2),
                "total_distance": _rounded(d.total_distance, 2)} for d in self.listeners],
            "items": [{"stage": i.stage, "item": i.item, "text": i.text, "units": i.units,
                       "disagreements": i.disagreements,
                       "agreement": _rounded(i.agreement, 4)} for i in self.items],
            "units": [{"call": u.call, "stage": u.stage, "item": u.item,
                       "answers": u.answers, "majority": u.majority,
                       "agreement": _rounded(u.agreement, 4), "disagree": u.disagree}
                      for u in self.units],
            "calls": [{"call": c.call, "operator": c.operator, "totals": c.totals,
                       "critical": c.critical, "mean": _rounded(c.mean, 2),
                       "spread": _rounded(c.spread, 2)} for c in self.calls],
        }


# -- the session's life --------------------------------------------------------------------


def create_session(
    session: Session, *, login: str, title: str, listeners: Sequence[str],
    calls: Sequence[str] | None = None, day: date | None = None, team: str | None = None,
    count: int | None = None, seed: int | None = None, now: datetime | None = None,
    any_call: bool = False,
) -> CreatedSession:
    """A new session: the calls given by external id, or ``count`` random answered calls of
    ``day`` (of ``team`` when given), each to be graded by every listener. Drawn calls have
    a transcript or a recording (there is nothing to grade otherwise) unless ``any_call``.

    Graded calls may be picked too: calibration is often done on calls already graded.
    """
    now = now or utcnow()
    who = actor(session, login)
    who.require(Permission.CALIBRATE)
    title = title.strip()
    if not title:
        raise ScorecardError("a calibration session needs a title")
    if len(title) > MAX_TITLE:
        raise ScorecardError(f"the title is longer than {MAX_TITLE} characters")
    invited = _listeners(session, listeners)
    if (calls is None) == (day is None):
        raise ScorecardError("pick the calls by external id, or give a day to draw them from "
                             "(not both)")
    if calls is not None:
        picked = _calls_by_id(session, who, calls)
    else:
        assert day is not None
        if count is None or count < 1:
            raise ScorecardError("say how many calls to draw: a count of at least 1")
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        picked = _random_calls(session, who, day=day, team=team, count=count, seed=seed,
                               any_call=any_call)
    versions = _card_versions(session, picked)

    record = CalibrationSession(title=title, created_by_id=who.user_id, created_at=now)
    session.add(record)
    session.flush()
    assert record.id is not None
    for call in picked:
        for user in invited:
            session.add(Assignment(
                call_id=call.id or 0, card_version_id=versions[call.id or 0],
                calibration_session_id=record.id, assignee_id=user.id, status="new",
                created_at=now))
    external = tuple(c.external_id for c in picked)
    logins = tuple(u.login for u in invited)
    audit.record(session, action="calibration.create", entity="calibration_session",
                 entity_id=record.id, actor_id=who.user_id, at=now,
                 new={"title": title, "calls": list(external), "listeners": list(logins),
                      "day": day, "team": team, "seed": seed})
    session.flush()
    return CreatedSession(record.id, title, external, logins, len(external) * len(logins),
                          seed if calls is None else None)


def list_sessions(
    session: Session, *, viewer: Actor, include_closed: bool = True
) -> list[SessionSummary]:
    """Sessions with their progress, open ones first, then newest first (for a lead with a
    team: those on their team's calls, and their own)."""
    viewer.require(Permission.CALIBRATE)
    query = select(CalibrationSession)
    if not include_closed:
        query = query.where(col(CalibrationSession.closed_at).is_(None))
    records = session.exec(query).all()
    if viewer.scope() is not None:
        outside = _sessions_outside(session, viewer)
        records = [r for r in records
                   if r.created_by_id == viewer.user_id or r.id not in outside]
    summaries = _summaries(session, records)
    return sorted(summaries, key=lambda s: (not s.is_open, -s.created_at.timestamp(),
                                            -s.session_id))


def close_session(
    session: Session, *, login: str, session_id: int, now: datetime | None = None
) -> SessionSummary:
    """Close the session: calls not graded by then are cancelled, its grades are frozen.

    Leads close their own sessions; an admin may close any.
    """
    now = now or utcnow()
    who = actor(session, login)
    who.require(Permission.CALIBRATE)
    record = _session(session, session_id)
    if record.closed_at is not None:
        raise ScorecardError(f"calibration session {session_id} is closed already")
    if who.role != "admin" and record.created_by_id != who.user_id:
        raise AccessDenied(f"{who.login} ({who.role}) may close only the calibration sessions "
                           f"they created; session {session_id} is someone else's")
    before = _summaries(session, [record])[0]
    cancelled = 0
    for assignment in session.exec(
        select(Assignment).where(Assignment.calibration_session_id == session_id,
                                 col(Assignment.status).in_(("new", "claimed")))
    ).all():
        assignment.status = "cancelled"
        assignment.claim_expires_at = None
        cancelled += 1
    record.closed_at = now
    audit.record(session, action="calibration.close", entity="calibration_session",
                 entity_id=session_id, actor_id=who.user_id, at=now,
                 old={"closed_at": None},
                 new={"closed_at": now, "graded": before.graded, "expected": before.expected,
                      "cancelled": cancelled})
    session.flush()
    return _summaries(session, [record])[0]


# -- the report ----------------------------------------------------------------------------


def report(session: Session, *, viewer: Actor, session_id: int) -> CalibrationReport:
    """Where the listeners disagree, how far each is from the group, and alpha."""
    from scorecard.services.cards import card_of_version

    who = viewer
    who.require(Permission.CALIBRATE)
    record = _session(session, session_id)
    if (who.scope() is not None and record.created_by_id != who.user_id
            and _sessions_outside(session, who, session_id)):
        raise AccessDenied(f"{who.login} ({who.role}) may see only their team's calibration "
                           f"sessions; session {session_id} has other teams' calls")
    summary = _summaries(session, [record])[0]
    rows = session.exec(
        select(Assignment, User.login, User.display_name, Call.external_id, Call.started_at,
               Operator.name, Evaluation)
        .join(User, col(User.id) == col(Assignment.assignee_id))
        .join(Call, col(Call.id) == col(Assignment.call_id))
        .outerjoin(Operator, col(Operator.id) == col(Call.operator_id))
        .outerjoin(Evaluation, col(Evaluation.assignment_id) == col(Assignment.id))
        .where(Assignment.calibration_session_id == session_id)
        .order_by(col(Call.started_at), col(Call.id), col(User.login))
    ).all()
    _keep_blind(who, record, rows)

    names: dict[str, str] = {}
    expected: Counter[str] = Counter()
    call_order: list[str] = []
    call_version: dict[str, int] = {}
    call_operator: dict[str, str | None] = {}
    graded: dict[str, dict[str, Evaluation]] = defaultdict(dict)
    for assignment, user, name, external, _, operator, evaluation in rows:
        names[user] = name
        expected[user] += 1
        if external not in call_version:
            call_order.append(external)
            call_version[external] = assignment.card_version_id
            call_operator[external] = operator
        if evaluation is not None and evaluation.status in GRADED:
            graded[external][user] = evaluation
    listeners = sorted(names)

    answers: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    evaluation_ids = {e.id: (call, user) for call, by in graded.items() for user, e in by.items()}
    if evaluation_ids:
        for row in session.exec(select(EvaluationAnswer).where(
                col(EvaluationAnswer.evaluation_id).in_(list(evaluation_ids)))).all():
            call, user = evaluation_ids[row.evaluation_id]
            if row.answer is not None:
                answers[(call, row.stage_key, row.item_key)][user] = row.answer

    units: list[UnitRow] = []
    item_text: dict[tuple[str, str], str] = {}
    stage_order: list[str] = []
    cards: dict[int, Any] = {}
    for call in call_order:
        version = call_version[call]
        if version not in cards:
            cards[version] = card_of_version(session, version)[0]
        card = cards[version]
        for stage_id, item_id in card.item_keys():
            if stage_id not in stage_order:
                stage_order.append(stage_id)
            text = card.item(stage_id, item_id).text
            item_text.setdefault((stage_id, item_id), text)
            given = answers.get((call, stage_id, item_id), {})
            majority_answer, share = majority(list(given.values()))
            units.append(UnitRow(call, stage_id, item_id, text,
                                 {user: given.get(user) for user in listeners}, majority_answer,
                                 share))
    totals = {call: {user: e.total_score for user, e in by.items()}
              for call, by in graded.items()}
    return CalibrationReport(
        session=summary,
        agreement=agreement(units, listeners),
        listeners=[deviation(user, names[user], expected[user], units, totals)
                   for user in listeners],
        units=units,
        items=item_summaries(units, item_text),
        calls=[_call_totals(call, call_operator[call], graded.get(call, {}))
               for call in call_order],
        stages={stage: agreement([u for u in units if u.stage == stage], listeners)
                for stage in stage_order},
    )


# -- inside --------------------------------------------------------------------------------


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _session(session: Session, session_id: int) -> CalibrationSession:
    record = session.get(CalibrationSession, session_id)
    if record is None:
        raise ScorecardError(f"no calibration session {session_id}: "
                             "`scorecard calibration list` shows them")
    return record


def _listeners(session: Session, logins: Sequence[str]) -> list[User]:
    unique = list(dict.fromkeys(login.strip() for login in logins if login.strip()))
    if len(unique) < MIN_LISTENERS:
        raise ScorecardError(f"calibration needs at least {MIN_LISTENERS} listeners "
                             "grading the same calls")
    users = {u.login: u for u in session.exec(
        select(User).where(col(User.login).in_(unique), col(User.active))).all()}
    missing = [login for login in unique if login not in users]
    if missing:
        raise ScorecardError(f"no active user {', '.join(missing)}")
    unable = [f"{u.login} ({u.role})" for u in users.values()
              if u.role not in MATRIX[Permission.GRADE]]
    if unable:
        raise ScorecardError(f"{', '.join(unable)} may not {Permission.GRADE.value}: "
                             "invite listeners, leads or trainers")
    return [users[login] for login in unique]


def _calls_by_id(session: Session, who: Actor, external_ids: Iterable[str]) -> list[Call]:
    wanted = list(dict.fromkeys(e.strip() for e in external_ids if e.strip()))
    if not wanted:
        raise ScorecardError("pick at least one call")
    found = {c.external_id: c for c in session.exec(
        select(Call).where(col(Call.external_id).in_(wanted))).all()}
    missing = [e for e in wanted if e not in found]
    if missing:
        raise ScorecardError(f"no call {', '.join(missing)}")
    calls = sorted(found.values(), key=lambda c: (c.started_at, c.id or 0))
    for call in calls:
        person = session.get(Operator, call.operator_id) if call.operator_id else None
        if person is None:
            raise ScorecardError(f"call {call.external_id} has no operator to grade")
        require_in_scope(who, person)
    return calls


def _random_calls(
    session: Session, who: Actor, *, day: date, team: str | None, count: int, seed: int,
    any_call: bool,
) -> list[Call]:
    require_team(session, who, team)
    start = datetime.combine(day, time.min)
    query = (
        select(Call)
        .join(Operator, col(Operator.id) == col(Call.operator_id))
        .join(Team, col(Team.id) == col(Operator.team_id))
        .where(col(Call.started_at) >= start, col(Call.started_at) < start + timedelta(days=1))
        .where(Call.disposition == "answered", col(Team.card_id).is_not(None))
        .order_by(col(Call.id))
    )
    if team is not None:  # one that exists and is the lead's (require_team above)
        query = query.where(Team.name == team)
    if who.role == "lead" and who.team_id is not None:
        query = query.where(col(Team.id) == who.team_id)  # a lead calibrates on their team
    if not any_call:
        query = query.where(col(Call.recording_path).is_not(None) | exists().where(
            col(Transcript.call_id) == col(Call.id)))
    candidates = list(session.exec(query).all())
    if not candidates:
        where = f" of team {team}" if team else ""
        heard = "" if any_call else (" with a transcript or a recording (--any-call draws "
                                     "among them all)")
        raise ScorecardError(f"no answered calls{where}{heard} on {day} of a team with a "
                             "card")
    picked = random.Random(seed).sample(candidates, min(count, len(candidates)))
    return sorted(picked, key=lambda c: (c.started_at, c.id or 0))


def _card_versions(session: Session, calls: list[Call]) -> dict[int, int]:
    """call id → the newest version of its team's card, the way the sampler picks it."""
    versions: dict[int, int] = {}
    newest: dict[int, int] = {}
    for call in calls:
        row = session.exec(
            select(Team.card_id)
            .join(Operator, col(Operator.team_id) == col(Team.id))
            .where(Operator.id == call.operator_id)).first()
        if row is None:
            raise ScorecardError(f"call {call.external_id}: its operator has no team, so no "
                                 "card to grade with")
        card_id = row
        if card_id not in newest:
            version = session.exec(
                select(CardVersion.id).where(CardVersion.card_id == card_id)
                .order_by(col(CardVersion.number).desc()).limit(1)).first()
            if version is None:
                raise ScorecardError(f"call {call.external_id}: its team has no card version; "
                                     "run `scorecard cards import`")
            newest[card_id] = version
        versions[call.id or 0] = newest[card_id]
    return versions


def _summaries(session: Session, records: Sequence[CalibrationSession]) -> list[SessionSummary]:
    ids = [r.id for r in records if r.id is not None]
    if not ids:
        return []
    creators = dict(session.exec(select(User.id, User.login).where(
        col(User.id).in_({r.created_by_id for r in records}))).all())
    calls: dict[int, int] = {}
    expected: dict[int, int] = {}
    for session_id, n_calls, n_assignments in session.exec(
            select(Assignment.calibration_session_id,
                   func.count(func.distinct(Assignment.call_id)), func.count())
            .where(col(Assignment.calibration_session_id).in_(ids))
            .group_by(col(Assignment.calibration_session_id))).all():
        calls[session_id or 0], expected[session_id or 0] = int(n_calls), int(n_assignments)
    graded = dict(session.exec(
        select(Assignment.calibration_session_id, func.count())
        .join(Evaluation, col(Evaluation.assignment_id) == col(Assignment.id))
        .where(col(Assignment.calibration_session_id).in_(ids),
               col(Evaluation.status).in_(GRADED))
        .group_by(col(Assignment.calibration_session_id))).all())
    listeners: dict[int, set[str]] = defaultdict(set)
    for session_id, login in session.exec(
            select(Assignment.calibration_session_id, User.login)
            .join(User, col(User.id) == col(Assignment.assignee_id))
            .where(col(Assignment.calibration_session_id).in_(ids)).distinct()).all():
        listeners[session_id or 0].add(login)
    return [SessionSummary(
        session_id=r.id or 0, title=r.title, created_by=creators.get(r.created_by_id, "?"),
        created_at=r.created_at, closed_at=r.closed_at, calls=calls.get(r.id or 0, 0),
        listeners=tuple(sorted(listeners.get(r.id or 0, ()))),
        expected=expected.get(r.id or 0, 0), graded=int(graded.get(r.id, 0)))
        for r in records]


def _sessions_outside(session: Session, who: Actor, only: int | None = None) -> set[int]:
    """Sessions (all, or ``only`` that one) holding a call whose operator is outside
    ``who``'s scope or unknown."""
    query = (select(Assignment.calibration_session_id, Operator).distinct()
             .join(Call, col(Call.id) == col(Assignment.call_id))
             .outerjoin(Operator, col(Operator.id) == col(Call.operator_id))
             .where(col(Assignment.calibration_session_id).is_not(None)))
    if only is not None:
        query = query.where(Assignment.calibration_session_id == only)
    outside: set[int] = set()
    for session_id, person in session.exec(query).all():
        if person is None or not who.in_scope(person):
            outside.add(session_id)
    return outside


def _keep_blind(who: Actor, record: CalibrationSession, rows: Sequence[Any]) -> None:
    """A lead who is a listener in an open session sees no one's grades before giving all
    of their own: the report would tell them what the others answered."""
    if record.closed_at is not None:
        return
    mine = [evaluation for assignment, *_, evaluation in rows
            if assignment.assignee_id == who.user_id]
    if any(e is None or e.status not in GRADED for e in mine):
        raise AccessDenied(f"{who.login} is a listener in calibration session {record.id} "
                           "and has calls left to grade: the report would show them the "
                           "others' answers (grade them, or close the session)")


def _call_totals(call: str, operator: str | None, by: dict[str, Evaluation]) -> CallTotals:
    totals = {user: e.total_score for user, e in sorted(by.items())}
    scored = [t for t in totals.values() if t is not None]
    return CallTotals(
        call, operator, totals, {user: e.critical_fail for user, e in sorted(by.items())},
        sum(scored) / len(scored) if scored else None,
        max(scored) - min(scored) if len(scored) >= 2 else None,
        {user: e.id for user, e in by.items() if e.id is not None})

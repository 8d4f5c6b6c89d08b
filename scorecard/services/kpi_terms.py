"""Payroll terms kept in the database: who is paid by which scheme, with which plan, fixed
pay and bonus target, from which day.

One file sets them (``scorecard kpi terms import``), the same JSON the simulator reads plus
a ``teams`` table::

    {"default": {"plan": {...}, "fixed": 35000, "bonus_target": 35000},
     "teams": {"Холодные продажи": {"scheme": "security-50-50", "plan": {...}, ...}},
     "operators": [{"operator": "Михайлова Екатерина", "plan": {...}, ...}]}

Importing never changes earlier terms: it adds a version starting on its day, and a period
is paid by the versions in force on its first day (an operator's own terms, else their
team's, else the default). Only admins set terms, and each import is audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import Session, col, select

from scorecard.db.models import KpiTerms, Operator, Team, utcnow
from scorecard.domain.kpi import (
    DEFAULT_TERMS,
    KpiError,
    OperatorInput,
    find_scheme,
    parse_inputs,
    shipped_scheme_ids,
)
from scorecard.services import access, audit
from scorecard.services.access import Actor, Permission
from scorecard.services.metrics import recheck_closed


@dataclass
class TermsInForce:
    """The terms paying a period, by who they cover."""

    default: OperatorInput | None = None
    teams: dict[str, OperatorInput] = field(default_factory=dict)
    """Team name → its terms."""
    schemes: dict[str, str] = field(default_factory=dict)
    """Team name → the scheme that pays it."""
    operators: dict[str, OperatorInput] = field(default_factory=dict)
    """Operator name (case-folded) → their own terms."""
    since: dict[str, date] = field(default_factory=dict)
    """Who (``DEFAULT_TERMS``, a team or an operator name) → the day their version
    started."""
    versions: dict[str, int] = field(default_factory=dict)
    """``operator NAME``, ``team NAME`` or ``DEFAULT_TERMS`` → the id of the version in force
    (empty for terms read from a file)."""

    def for_operator(self, name: str, team: str | None) -> OperatorInput | None:
        """An operator's own terms, else their team's, else the default."""
        return (self.operators.get(name.casefold())
                or (self.teams.get(team) if team else None) or self.default)

    def version_for(self, name: str, team: str | None) -> int | None:
        """The id of the stored version :meth:`for_operator` takes (None: from a file)."""
        if name.casefold() in self.operators:
            return self.versions.get(f"operator {self.operators[name.casefold()].operator}")
        if team and team in self.teams:
            return self.versions.get(f"team {team}")
        return self.versions.get(DEFAULT_TERMS) if self.default else None

    @property
    def empty(self) -> bool:
        return self.default is None and not self.teams and not self.operators


def import_terms(session: Session, data: object, *, valid_from: date, login: str,
                 source: str, now: datetime | None = None) -> dict[str, int]:
    """Store the terms of ``data`` as versions starting on ``valid_from``; counts of what
    was stored. Every problem names the file and the entry; nothing is stored then."""
    who = access.actor(session, login)
    who.require(Permission.SET_KPI_TERMS)
    read = read_terms(session, data, source=source)
    now = now or utcnow()
    rows = [_row(read.default, valid_from, who)] if read.default else []
    rows += [_row(person, valid_from, who, team_id=read.team_ids[name],
                  scheme=read.schemes.get(name)) for name, person in read.teams.items()]
    rows += [_row(person, valid_from, who, operator_id=read.operator_ids[key])
             for key, person in read.operators.items()]
    for row in rows:
        row.created_at = now
    session.add_all(rows)
    recheck_closed(session, valid_from)  # months paid by terms looked up on or after it
    counts = {"default": int(read.default is not None), "teams": len(read.teams),
              "operators": len(read.operators)}
    audit.record(session, action="kpi_terms.import", entity="kpi_terms", entity_id=None,
                 actor_id=who.user_id, new={"source": source, "valid_from": valid_from,
                                            **counts}, at=now)
    return counts


@dataclass
class ReadTerms(TermsInForce):
    """Terms read from a file, with the ids of the teams and operators they name."""

    team_ids: dict[str, int] = field(default_factory=dict)
    operator_ids: dict[str, int] = field(default_factory=dict)


def read_terms(session: Session, data: object, *, source: str) -> ReadTerms:
    """A terms file checked against the database (its teams, operators and schemes exist);
    every problem names the file and the entry."""
    if not isinstance(data, dict):
        raise KpiError(f"{source}: expected an object with \"default\", \"teams\" or "
                       "\"operators\"")
    unknown = set(data) - {"default", "teams", "operators"}
    if unknown:
        raise KpiError(f"{source}: unknown field(s) {', '.join(sorted(unknown))}")
    teams = data.get("teams", {})
    if not isinstance(teams, dict):
        raise KpiError(f'{source}: "teams" must be an object of team name → terms')
    read = ReadTerms()
    people = parse_inputs({k: v for k, v in data.items() if k != "teams"}, source=source) \
        if "default" in data or data.get("operators") else []
    for person in people:
        if person.operator == DEFAULT_TERMS:
            read.default = person
            continue
        found = session.exec(select(Operator).where(Operator.name == person.operator)).first()
        if found is None or found.id is None:
            raise KpiError(f"{source}: no operator named {person.operator!r}")
        read.operators[person.operator.casefold()] = person
        read.operator_ids[person.operator.casefold()] = found.id
    for name, raw in teams.items():
        where = f"{source}: teams[{name!r}]"
        team = session.exec(select(Team).where(Team.name == name)).first()
        if team is None or team.id is None:
            raise KpiError(f"{where}: no team named {name!r}")
        if not isinstance(raw, dict):
            raise KpiError(f"{where}: expected an object")
        scheme = raw.get("scheme")
        if scheme is not None:
            if not isinstance(scheme, str):
                raise KpiError(f'{where}: "scheme" must be the name of a scheme')
            known = shipped_scheme_ids()
            if scheme not in known:
                # A file path would pay the team only on the machine that has the file.
                raise KpiError(f'{where}: "scheme": no shipped scheme {scheme!r} (one of: '
                               f"{', '.join(known)})")
            find_scheme(scheme)  # a scheme that does not load is refused by name
            read.schemes[name] = scheme
        [person] = parse_inputs({"default": {k: v for k, v in raw.items() if k != "scheme"}},
                                source=where)
        read.teams[name] = person
        read.team_ids[name] = team.id
    if read.empty:
        raise KpiError(f"{source}: no terms in it (\"default\", \"teams\" or \"operators\")")
    return read


def terms_in_force(session: Session, day: date) -> TermsInForce:
    """The versions in force on ``day``: for each of the default, every team and every
    operator, the latest that started by then."""
    rows = session.exec(
        select(KpiTerms, Team.name, Operator.name)
        .join(Team, col(Team.id) == col(KpiTerms.team_id), isouter=True)
        .join(Operator, col(Operator.id) == col(KpiTerms.operator_id), isouter=True)
        .where(col(KpiTerms.valid_from) <= day)
        .order_by(col(KpiTerms.valid_from), col(KpiTerms.id))).all()
    found = TermsInForce()
    for terms, team, operator in rows:  # later versions overwrite earlier ones
        assert terms.id is not None
        found.versions[f"operator {operator}" if operator else f"team {team}" if team
                       else DEFAULT_TERMS] = terms.id
        person = _input(operator or DEFAULT_TERMS, terms.body)
        if operator is not None:
            found.operators[operator.casefold()] = person
            found.since[operator] = terms.valid_from
        elif team is not None:
            found.teams[team] = person
            found.since[team] = terms.valid_from
            if terms.scheme:
                found.schemes[team] = terms.scheme
        else:
            found.default = person
            found.since[DEFAULT_TERMS] = terms.valid_from
    return found


def show_terms(session: Session, *, viewer: Actor, day: date) -> TermsInForce:
    """The terms in force on ``day``, for those who see KPI."""
    viewer.require(Permission.VIEW_KPI)
    return terms_in_force(session, day)


@dataclass(frozen=True)
class TermsVersion:
    """One stored version: whose terms, what they say, from when, set by whom."""

    id: int
    who: str
    """``DEFAULT_TERMS``, a team's or an operator's name."""
    kind: str
    """``default``, ``team`` or ``operator``."""
    scheme: str | None
    terms: OperatorInput
    valid_from: date
    set_by: str | None
    set_at: datetime


def terms_versions(session: Session, *, viewer: Actor) -> list[TermsVersion]:
    """Every version ever stored, newest start first: what the terms were and who set
    them."""
    from scorecard.db.models import User

    viewer.require(Permission.VIEW_KPI)
    rows = session.exec(
        select(KpiTerms, Team.name, Operator.name, User.login)
        .join(Team, col(Team.id) == col(KpiTerms.team_id), isouter=True)
        .join(Operator, col(Operator.id) == col(KpiTerms.operator_id), isouter=True)
        .join(User, col(User.id) == col(KpiTerms.created_by_id), isouter=True)
        .order_by(col(KpiTerms.valid_from).desc(), col(KpiTerms.id).desc())).all()
    found = []
    for terms, team, operator, login in rows:
        assert terms.id is not None
        kind = "operator" if operator else "team" if team else "default"
        found.append(TermsVersion(terms.id, operator or team or DEFAULT_TERMS, kind,
                                  terms.scheme, _input(operator or DEFAULT_TERMS, terms.body),
                                  terms.valid_from, login, terms.created_at))
    return found


def terms_entry(kind: str, who: str, *, scheme: str | None, plan: dict[str, str],
                fixed: str, bonus_target: str) -> dict[str, object]:
    """One entry as a terms file would hold it, for :func:`import_terms` (the admin's form
    sets one default, team or operator at a time)."""
    body: dict[str, object] = {"plan": plan, "fixed": fixed, "bonus_target": bonus_target}
    if kind == "default":
        return {"default": body}
    if kind == "team":
        return {"teams": {who: {**({"scheme": scheme} if scheme else {}), **body}}}
    return {"operators": [{"operator": who, **body}]}


def _input(who: str, stored: str) -> OperatorInput:
    body = json.loads(stored)
    return OperatorInput(who, {}, {k: Decimal(v) for k, v in body.get("plan", {}).items()},
                         Decimal(body.get("fixed", "0")), Decimal(body.get("bonus_target", "0")))


def _row(person: OperatorInput, valid_from: date, who: Actor, *, team_id: int | None = None,
         operator_id: int | None = None, scheme: str | None = None) -> KpiTerms:
    """One version row (the default when neither a team nor an operator is given)."""
    body = {"plan": {k: str(v) for k, v in person.plan.items()}, "fixed": str(person.fixed),
            "bonus_target": str(person.bonus_target)}
    return KpiTerms(team_id=team_id, operator_id=operator_id, scheme=scheme,
                    body=json.dumps(body, ensure_ascii=False), valid_from=valid_from,
                    created_by_id=who.user_id)

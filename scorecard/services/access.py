"""Who may do what: the permission matrix, each user's scope, and masking client numbers.

Every service that reads or changes people's results takes the acting user as an
:class:`Actor` and asks here first, so a refusal is the same whether it comes through a
screen, the command line or a test. The matrix is data (:data:`MATRIX`), printed in the
README; changing who may do what is a change to this table, not to the screens.

Scope is the second question after permission: a lead with a team sees that team's
operators only, an operator sees only themselves, everyone else with the permission sees
all. Asking for someone outside one's scope is refused by name, never answered with an
empty list, so a missing permission cannot pass for missing data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement
from sqlmodel import Session, select

from scorecard.db.models import Operator, Team, User
from scorecard.errors import AccessDenied, ScorecardError


class Permission(StrEnum):
    GRADE = "grade calls"
    VIEW_QUALITY = "see operators' quality"
    VIEW_KPI = "see KPI and pay"
    VIEW_SLICES = "see intraday slices"
    SET_SLICE_TASKS = "set slice tasks"
    COACH = "set and close coaching tasks"
    CALIBRATE = "run calibration sessions"
    VIEW_OWN_EVALUATIONS = "see their own evaluations"
    OPEN_DISPUTES = "dispute an evaluation"
    RESOLVE_DISPUTES = "resolve disputes"
    VIEW_AUDIT = "read the audit log"
    SEE_CLIENT_NUMBERS = "see client phone numbers"
    MANAGE_CARDS = "manage quality cards"
    MANAGE_USERS = "manage users"
    MANAGE_PBX = "change the PBX rules or decide calls again"
    IMPORT_DATA = "import call records, operators, outcomes and transcripts"
    SET_NORMS = "set slice norms"
    SAMPLE_CALLS = "draw calls for grading"
    REPLACE_DATABASE = "replace the whole database"
    PURGE_PERSONAL_DATA = "purge personal data past its retention"
    BACKUP = "back up the database"
    SET_KPI_TERMS = "set KPI plans, pay and the scheme of each team"
    CLOSE_PAY_PERIODS = "close a month's pay"


MATRIX: dict[Permission, frozenset[str]] = {
    Permission.GRADE: frozenset({"qa", "lead", "trainer", "admin"}),
    Permission.VIEW_QUALITY: frozenset({"lead", "trainer", "admin"}),
    Permission.VIEW_KPI: frozenset({"lead", "admin"}),
    Permission.VIEW_SLICES: frozenset({"lead", "trainer", "admin"}),
    Permission.SET_SLICE_TASKS: frozenset({"lead", "admin"}),
    Permission.COACH: frozenset({"trainer", "lead", "admin"}),
    Permission.CALIBRATE: frozenset({"lead", "admin"}),
    Permission.VIEW_OWN_EVALUATIONS: frozenset({"operator"}),
    Permission.OPEN_DISPUTES: frozenset({"operator"}),
    Permission.RESOLVE_DISPUTES: frozenset({"lead", "admin"}),
    Permission.VIEW_AUDIT: frozenset({"lead", "admin"}),
    # Nobody grading or coaching needs to dial the client back; admins handle requests
    # about a particular client.
    Permission.SEE_CLIENT_NUMBERS: frozenset({"admin"}),
    Permission.MANAGE_CARDS: frozenset({"admin"}),
    Permission.MANAGE_USERS: frozenset({"admin"}),
    Permission.MANAGE_PBX: frozenset({"admin"}),
    Permission.IMPORT_DATA: frozenset({"admin"}),
    Permission.SET_NORMS: frozenset({"lead", "admin"}),
    Permission.SAMPLE_CALLS: frozenset({"lead", "admin"}),
    Permission.REPLACE_DATABASE: frozenset({"admin"}),
    Permission.PURGE_PERSONAL_DATA: frozenset({"admin"}),
    Permission.BACKUP: frozenset({"admin"}),
    Permission.SET_KPI_TERMS: frozenset({"admin"}),
    Permission.CLOSE_PAY_PERIODS: frozenset({"admin"}),
}




@dataclass(frozen=True)
class Identity:
    """Who says they are using scorecard, and how that is known.

    Today the login is taken on the word of the command line (``--user``) or the config
    file; :func:`actor` turns an identity into the permissions it carries.
    """

    login: str


@dataclass(frozen=True)
class Actor:
    """The user a service acts for."""

    user_id: int
    login: str
    role: str
    team_id: int | None = None
    operator_id: int | None = None
    """Set for role ``operator``: the operator this user is."""

    def may(self, permission: Permission) -> bool:
        return self.role in MATRIX[permission]

    def require(self, permission: Permission) -> None:
        if not self.may(permission):
            raise AccessDenied(f"{self.login} ({self.role}) may not {permission.value}")

    def scope(self) -> tuple[str, int] | None:
        """The operator column and value that limit what this user sees; None: everyone.

        The one place the scope rule lives; the methods below phrase it for SQL text,
        for select() queries and for one operator.
        """
        if self.role == "operator":
            return "id", self.operator_id or -1
        if self.role == "lead" and self.team_id is not None:
            return "team_id", self.team_id
        return None

    def scope_sql(self, operator: str = "o") -> tuple[str, dict[str, int]]:
        """An ``AND …`` clause limiting rows to operators in scope (``operator`` is the alias
        of the operator table), with its parameters; empty for unlimited scope."""
        scope = self.scope()
        if scope is None:
            return "", {}
        column, value = scope
        return f" AND {operator}.{column} = :scope_value", {"scope_value": value}

    def scope_condition(self) -> ColumnElement[bool] | None:
        """The scope as a condition on the operator table for select() queries; None: none."""
        scope = self.scope()
        return None if scope is None else getattr(Operator, scope[0]) == scope[1]

    def in_scope(self, person: Operator) -> bool:
        scope = self.scope()
        return scope is None or (person.id is not None
                                 and getattr(person, scope[0]) == scope[1])


def actor(session: Session, login: str) -> Actor:
    """The active user ``login`` as an actor; refused when there is no such user."""
    user = session.exec(select(User).where(User.login == login, User.active == True)  # noqa: E712
                        ).first()
    if user is None or user.id is None:
        raise AccessDenied(f"no active user {login!r}")
    if user.role == "operator" and user.operator_id is None:
        raise AccessDenied(f"{login} has role operator but is not linked to an operator")
    return Actor(user.id, user.login, user.role, user.team_id, user.operator_id)


def require_operator(session: Session, who: Actor, name: str) -> Operator:
    """The operator named ``name`` when ``who`` may see them; refused otherwise."""
    person = session.exec(select(Operator).where(Operator.name == name)).first()
    if person is None:
        raise ScorecardError(f"no operator named {name!r}")
    require_in_scope(who, person)
    return person


def require_in_scope(who: Actor, person: Operator) -> None:
    if not who.in_scope(person):
        whose = "their own" if who.role == "operator" else "their team's"
        raise AccessDenied(f"{who.login} ({who.role}) may see only {whose} operators, "
                           f"not {person.name}")


def require_team(session: Session, who: Actor, team: str | None) -> None:
    """A team that does not exist is named as such; a lead asking for another team (by
    name) is refused."""
    if team is None:
        return
    if session.exec(select(Team.id).where(Team.name == team)).first() is None:
        raise ScorecardError(f"no team {team!r}")
    if who.role != "lead" or who.team_id is None:
        return
    own = session.get(Team, who.team_id)
    if own is None or own.name != team:
        raise AccessDenied(f"{who.login} (lead) may see only their own team, not {team!r}")


_DIGIT = re.compile(r"\d")


def mask_number(number: str | None) -> str | None:
    """A client number with all but its last two digits hidden: ``+7 9** ***-**-67``
    keeps its shape so listeners still recognise a mobile from a landline."""
    if not number:
        return number
    digits = sum(ch.isdigit() for ch in number)
    keep_first = 2 if number.startswith("+") and digits > 6 else 1 if digits > 6 else 0
    seen = 0

    def hide(match: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        return match.group() if seen <= keep_first or seen > digits - 2 else "*"

    return _DIGIT.sub(hide, number)


#: Seven digits or more with single separators between them: a phone number, a card.
_SPOKEN_NUMBER = re.compile(r"\+?\d(?:[\s().-]?\d){6,}")
#: Thousands grouped by threes ("1 500 000"): an amount, which a listener must hear.
_AMOUNT = re.compile(r"\d{1,3}(?:[ \u00a0]\d{3})+")


def mask_spoken_numbers(text: str) -> str:
    """Phone and card numbers said in a call, masked as client numbers are (digit for
    digit, so the detector's evidence offsets still point at the same words)."""
    def hide(match: re.Match[str]) -> str:
        found = match.group()
        return found if _AMOUNT.fullmatch(found) else mask_number(found) or found

    return _SPOKEN_NUMBER.sub(hide, text)


def transcript_text_for(who: Actor, text: str) -> str:
    """A transcript's words as ``who`` may read them."""
    return text if who.may(Permission.SEE_CLIENT_NUMBERS) else mask_spoken_numbers(text)


def client_number_for(who: Actor, number: str | None) -> str | None:
    """The number as ``who`` may see it."""
    return number if who.may(Permission.SEE_CLIENT_NUMBERS) else mask_number(number)

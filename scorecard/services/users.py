"""Who is who: looking up a login's role, and the admin's management of users.

Users are managed by admins (:data:`Permission.MANAGE_USERS`). A new database has no admin
yet, so its first admin is created without one (:func:`setup_actor`); from then on every
change names the admin who made it, in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from scorecard.db.models import Operator, Team, User
from scorecard.domain.enums import Role
from scorecard.errors import ScorecardError
from scorecard.services import audit
from scorecard.services.access import MATRIX, Actor, Permission, actor


def role_of(session: Session, login: str) -> str | None:
    """The role of an active user, or None when there is no such user."""
    return session.exec(
        select(User.role).where(User.login == login, User.active == True)  # noqa: E712
    ).first()


def setup_actor(session: Session, login: str | None, permission: Permission) -> Actor | None:
    """Who performs an administrative change: ``login`` holding ``permission``.

    None while the database has no active admin: that is the first setup (creating the
    first admin, importing the first cards), which nobody could otherwise do.
    """
    has_admin = session.exec(select(User.id).where(
        User.role == "admin", col(User.active))).first() is not None
    if not has_admin:
        return None
    if login is None:
        roles = sorted(MATRIX[permission])
        if roles == ["admin"]:
            raise ScorecardError(f"say which admin does this: --user LOGIN (only admins may "
                                 f"{permission.value})")
        raise ScorecardError(f"say who does this: --user LOGIN ({' and '.join(roles)} may "
                             f"{permission.value})")
    who = actor(session, login)
    who.require(permission)
    return who


@dataclass(frozen=True)
class UserRow:
    login: str
    display_name: str
    role: str
    team: str | None
    operator: str | None
    active: bool
    os_account: str | None = None
    has_password: bool = False


def list_users(session: Session) -> list[UserRow]:
    rows = session.exec(
        select(User, Team.name, Operator.name)
        .join(Team, col(Team.id) == col(User.team_id), isouter=True)
        .join(Operator, col(Operator.id) == col(User.operator_id), isouter=True)
        .order_by(col(User.role), col(User.login))).all()
    return [UserRow(u.login, u.display_name, u.role, team, operator, u.active, u.os_account,
                    u.password_hash is not None)
            for u, team, operator in rows]


def save_user(
    session: Session, *, by: Actor | None, login: str, role: str | None = None,
    display_name: str | None = None, team: str | None = None, operator: str | None = None,
    active: bool | None = None, os_account: str | None = None,
) -> tuple[User, bool]:
    """Create ``login`` or change what is given of it; (user, created). ``by`` is the admin
    (None only during the first setup, see :func:`setup_actor`)."""
    if by is not None:
        by.require(Permission.MANAGE_USERS)
    user = session.exec(select(User).where(User.login == login)).first()
    created = user is None
    if user is None:
        if role is None:
            raise ScorecardError(f"a new user needs a role: --role {'|'.join(Role)}")
        if not login.strip() or len(login) > 80:
            raise ScorecardError("a login is 1 to 80 characters")
        user = User(login=login, display_name=display_name or login, role=role)
    old = {"role": user.role, "team_id": user.team_id, "operator_id": user.operator_id,
           "active": user.active, "os_account": user.os_account} if not created else None
    if role is not None:
        if role not in tuple(Role):
            raise ScorecardError(f"role {role!r}: use one of {', '.join(Role)}")
        user.role = role
    if display_name is not None:
        user.display_name = display_name
    if team is not None:
        found = session.exec(select(Team).where(Team.name == team)).first() if team else None
        if team and found is None:
            raise ScorecardError(f"no team {team!r}")
        user.team_id = found.id if found else None
    if operator is not None:
        person = session.exec(select(Operator).where(Operator.name == operator)).first() \
            if operator else None
        if operator and person is None:
            raise ScorecardError(f"no operator named {operator!r}")
        user.operator_id = person.id if person else None
    if active is not None:
        user.active = active
    if os_account is not None:
        account = os_account.strip() or None
        if account is not None:
            if len(account) > 64 or not account.isprintable():
                raise ScorecardError("an OS account is 1 to 64 printable characters")
            holder = session.exec(select(User.login).where(User.os_account == account,
                                                           User.login != login)).first()
            if holder is not None:
                raise ScorecardError(f"the OS account {account!r} already proves {holder}")
        user.os_account = account
    if user.role == "operator" and user.operator_id is None:
        raise ScorecardError(f"{login}: an operator's login needs --operator NAME (the "
                             "operator it belongs to)")
    if by is not None and by.user_id == user.id and (user.role != "admin" or not user.active):
        raise ScorecardError("an admin cannot take away their own admin rights")
    session.add(user)
    session.flush()
    audit.record(session, action="user.create" if created else "user.change", entity="user",
                 entity_id=user.id, actor_id=by.user_id if by else None, old=old,
                 new={"login": login, "role": user.role, "team_id": user.team_id,
                      "operator_id": user.operator_id, "active": user.active,
                      "os_account": user.os_account})
    return user, created

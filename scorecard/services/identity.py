"""Proving who is using scorecard (README, "Security model").

A SQLite file is one person's: the login it is opened with is that person's say-so. On a
shared database (PostgreSQL) staff never hold the credentials; a person is proved either by
the server's OS account their process runs as (the uid, linked to a user by
``os_account``), or by their password in the browser app, which the served app checks before
it starts that person's app. Only the trusted accounts, which hold the credentials and so
could do anything anyway, may act as another user.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

if TYPE_CHECKING:
    from argon2 import PasswordHasher

from scorecard.db.models import User
from scorecard.errors import ScorecardError
from scorecard.services import audit
from scorecard.services.access import AccessDenied, Actor, Permission

MIN_PASSWORD = 10


def os_account() -> str:
    """The OS account of this process's effective uid: what the kernel says, never an
    environment variable (USER and LOGNAME are whatever the caller set)."""
    import pwd

    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # a uid with no passwd entry (a container): the number is the account
        return str(uid)


def is_shared(session: Session) -> bool:
    """A database several people use (PostgreSQL), as opposed to one person's SQLite file."""
    return session.get_bind().dialect.name != "sqlite"


def establish(session: Session, claimed: str | None, *, trusted: Iterable[str],
              account: str | None = None) -> str | None:
    """The login this process may act as: ``claimed`` (``--user`` or the config file) when
    it is proved, the OS account's own user when nothing is claimed; None when nobody is
    claimed or proved. Refused when ``claimed`` is not what the OS account proves."""
    if not is_shared(session):
        return claimed
    account = account if account is not None else os_account()
    linked = session.exec(select(User.login).where(User.os_account == account,
                                                   col(User.active))).first()
    if account in set(trusted):
        return claimed or linked
    if claimed is None or claimed == linked:
        return linked
    if linked is None:
        raise AccessDenied(
            f"the OS account {account!r} is not linked to a scorecard user, so it cannot act "
            f"as {claimed!r} on a shared database; an admin links it: scorecard users save "
            f"{claimed} --os-account {account}")
    raise AccessDenied(f"the OS account {account!r} is {linked!r}: acting as {claimed!r} "
                       "needs that person's own account (README, \"Security model\")")


def unproved(session: Session, *, trusted: Iterable[str]) -> str:
    """Why no login could be established: what to do about it."""
    if is_shared(session) and os_account() not in set(trusted):
        return (f"the OS account {os_account()!r} is not linked to an active scorecard user "
                "of this shared database; an admin links it: scorecard users save LOGIN "
                f"--os-account {os_account()}")
    return ("say who you are: --user LOGIN, or user = 'LOGIN' in the config file (what a "
            "command shows depends on who asks)")


# -- browser passwords ------------------------------------------------------------------------

def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # Argon2id with the library's (RFC 9106 low-memory) parameters


#: Verified against when the login does not exist, so a wrong login takes as long as a
#: wrong password and the timing does not tell which logins exist.
_DUMMY_HASH: list[str] = []


def set_password(session: Session, *, by: Actor, login: str, password: str) -> None:
    """Give ``login`` a browser password: the person themselves, or an admin."""
    if by.login != login:
        by.require(Permission.MANAGE_USERS)
    user = session.exec(select(User).where(User.login == login)).first()
    if user is None:
        raise ScorecardError(f"no user {login!r}")
    if len(password) < MIN_PASSWORD:
        raise ScorecardError(f"a password is at least {MIN_PASSWORD} characters")
    if password.strip().casefold() == login.casefold():
        raise ScorecardError("a password must not be the login")
    user.password_hash = _hasher().hash(password)
    session.add(user)
    audit.record(session, action="user.password", entity="user", entity_id=user.id,
                 actor_id=by.user_id)


def check_password(session: Session, login: str, password: str) -> bool:
    """Whether ``password`` is the active user ``login``'s browser password."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    user = session.exec(select(User).where(User.login == login, col(User.active))).first()
    stored = user.password_hash if user is not None else None
    if stored is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hasher.hash("not a password of anyone"))
        stored, user = _DUMMY_HASH[0], None
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None:
        return False
    if hasher.check_needs_rehash(stored):  # the library's parameters grew since
        user.password_hash = hasher.hash(password)
        session.add(user)
    return True


def browser_login(session: Session, login: str, password: str, address: str) -> bool:
    """A visitor of the served app logs in: the password checked, a success audited (a
    failure is not: a login field often holds a mistyped password)."""
    if not check_password(session, login, password):
        return False
    user_id = session.exec(select(User.id).where(User.login == login)).one()
    audit.record(session, action="session.login", entity="user", entity_id=user_id,
                 actor_id=user_id, new={"address": address})
    return True


def check_serving(session: Session, *, trusted: Iterable[str]) -> None:
    """Refuse to serve when the served app could not prove anyone: on a shared database the
    server acts for every visitor, so its OS account must be trusted; and somebody must have
    a password to log in with."""
    if is_shared(session) and os_account() not in set(trusted):
        raise AccessDenied(
            f"the served app acts for each visitor who logs in, so on a shared database it "
            f"runs as a trusted OS account; {os_account()!r} is not one ([security] "
            "trusted_accounts in the config file)")
    if session.exec(select(User.id).where(col(User.active),
                                          col(User.password_hash).is_not(None))).first() is None:
        raise ScorecardError("nobody could log in: no active user has a password yet; give "
                             "one with scorecard users password LOGIN")

"""Who is who: looking up a login's role."""

from __future__ import annotations

from sqlmodel import Session, select

from scorecard.db.models import User


def role_of(session: Session, login: str) -> str | None:
    """The role of an active user, or None when there is no such user."""
    return session.exec(
        select(User.role).where(User.login == login, User.active == True)  # noqa: E712
    ).first()

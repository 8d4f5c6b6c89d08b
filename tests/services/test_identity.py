"""Who someone is, proved (README, "Security model"): on a shared database only the OS
account's own user, or anyone for a trusted account; on a SQLite file the login given."""

from __future__ import annotations

import pytest
from sqlmodel import select

from scorecard.db.models import AuditEntry, User
from scorecard.errors import AccessDenied, ScorecardError
from scorecard.services.access import actor
from scorecard.services.identity import (
    browser_login,
    check_password,
    establish,
    set_password,
)
from scorecard.services.users import save_user


@pytest.fixture
def people(graded_db):
    """The seeded centre with an admin, and the listener qa linked to the OS account 'olga'."""
    database, _ = graded_db
    with database.session() as session:
        save_user(session, by=None, login="boss", role="admin")
        save_user(session, by=actor(session, "boss"), login="qa", os_account="olga")
    return database


def test_a_shared_database_believes_only_the_os_account(people) -> None:
    with people.session() as session:
        shared = session.get_bind().dialect.name != "sqlite"
        if not shared:  # one person's file: the login given is that person's say-so
            assert establish(session, "boss", trusted=(), account="olga") == "boss"
            return
        assert establish(session, None, trusted=(), account="olga") == "qa"
        assert establish(session, "qa", trusted=(), account="olga") == "qa"
        with pytest.raises(AccessDenied, match="'olga' is 'qa'"):
            establish(session, "boss", trusted=(), account="olga")  # a listener as the admin
        with pytest.raises(AccessDenied, match="not linked"):
            establish(session, "boss", trusted=(), account="mallory")
        assert establish(session, None, trusted=(), account="mallory") is None
        # The account that holds the credentials may act as anyone.
        assert establish(session, "boss", trusted=("scorecard",), account="scorecard") == "boss"


def test_an_inactive_user_proves_nothing(people) -> None:
    with people.session() as session:
        if session.get_bind().dialect.name == "sqlite":
            return
        save_user(session, by=actor(session, "boss"), login="qa", active=False)
        assert establish(session, None, trusted=(), account="olga") is None


def test_an_os_account_proves_one_user(people) -> None:
    with people.session() as session, pytest.raises(ScorecardError, match="already proves qa"):
        save_user(session, by=actor(session, "boss"), login="qa2", os_account="olga")


def test_passwords_are_hashed_checked_and_audited(people) -> None:
    with people.session() as session:
        qa = actor(session, "qa")
        with pytest.raises(ScorecardError, match="at least 10"):
            set_password(session, by=qa, login="qa", password="short")
        with pytest.raises(AccessDenied):
            set_password(session, by=qa, login="boss", password="a long password")
        set_password(session, by=qa, login="qa", password="a long password")
        set_password(session, by=actor(session, "boss"), login="qa2", password="another one!")
    with people.session() as session:
        stored = session.exec(select(User.password_hash).where(User.login == "qa")).one()
        assert stored and stored.startswith("$argon2id$") and "a long password" not in stored
        assert check_password(session, "qa", "a long password")
        assert not check_password(session, "qa", "a long passwore")
        assert not check_password(session, "nobody", "a long password")
        assert not check_password(session, "boss", "")  # no password at all: no login
        assert browser_login(session, "qa", "a long password", "10.0.0.7")
        assert not browser_login(session, "qa", "wrong password", "10.0.0.7")
    with people.session() as session:
        actions = list(session.exec(select(AuditEntry.action)).all())
        assert actions.count("user.password") == 2 and actions.count("session.login") == 1
        logged = session.exec(select(AuditEntry).where(AuditEntry.action == "session.login")
                              ).one()
        assert "10.0.0.7" in (logged.new or "") and "password" not in (logged.new or "")

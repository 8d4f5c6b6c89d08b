"""``scorecard users`` and ``cards import``: the first admin sets up, admins manage after."""

from __future__ import annotations

from sqlmodel import select

from scorecard.db.engine import open_database
from scorecard.db.models import AuditEntry, Operator, Team, User


def test_the_first_admin_then_only_admins_manage_users_and_cards(cli, db_url) -> None:
    database = open_database(db_url)
    with database.session() as session:
        team = Team(name="Охрана")
        session.add(team)
        session.flush()
        session.add(Operator(name="Иванова Анна", team_id=team.id))
    common = ("--db", db_url)
    assert cli("users", "list", *common).out.startswith("no users")
    assert cli("cards", "import", *common).code == 0  # a new database: setting up
    result = cli("users", "save", "boss", "--role", "admin", "--name", "Главный", *common)
    assert result.code == 0 and result.out.strip() == "created boss (admin)"
    result = cli("users", "save", "lead", "--role", "lead", *common)
    assert result.code == 2 and "say which admin" in result.err
    assert cli("users", "save", "lead", "--role", "lead", "--team", "Охрана", "--user", "boss",
               *common).code == 0
    result = cli("users", "save", "qa", "--role", "qa", "--user", "lead", *common)
    assert result.code == 4 and "lead (lead) may not manage users" in result.err
    result = cli("users", "save", "anna", "--role", "operator", "--user", "boss", *common)
    assert result.code == 2 and "needs --operator NAME" in result.err
    assert cli("users", "save", "anna", "--role", "operator", "--operator", "Иванова Анна",
               "--user", "boss", *common).code == 0
    result = cli("users", "save", "boss", "--inactive", "--user", "boss", *common)
    assert result.code == 2 and "own admin rights" in result.err
    result = cli("users", "save", "x", "--role", "chief", "--user", "boss", *common)
    assert result.code == 2 and "use one of qa, lead" in result.err
    assert cli("users", "save", "lead", "--inactive", "--user", "boss", *common).code == 0
    listed = cli("users", "list", *common).out.splitlines()
    assert any(line.startswith("lead") and "Охрана" in line and "inactive" in line
               for line in listed)
    result = cli("cards", "import", *common)
    assert result.code == 2 and "only admins may manage quality cards" in result.err
    assert cli("cards", "import", "--user", "anna", *common).code == 4
    assert cli("cards", "import", "--user", "boss", *common).code == 0
    with database.session() as session:
        users = {u.login: u for u in session.exec(select(User))}
        assert set(users) == {"boss", "lead", "anna"} and not users["lead"].active
        assert users["boss"].active and users["boss"].role == "admin"
        actions = [(e.action, e.actor_id) for e in session.exec(
            select(AuditEntry).where(AuditEntry.entity == "user").order_by(AuditEntry.id))]
        boss = users["boss"].id
        assert actions == [("user.create", None), ("user.create", boss),
                           ("user.create", boss), ("user.change", boss)]
    database.dispose()


def test_a_listener_cannot_act_as_an_admin_on_a_shared_database(
        cli, graded_db, monkeypatch) -> None:
    """The chosen model: on PostgreSQL a person is their OS account; --user names nobody
    else. On SQLite (one person's file) --user is a convenience."""
    import os
    from pathlib import Path

    from scorecard.services.identity import os_account

    database, _ = graded_db
    url = database.url.render_as_string(hide_password=False)
    assert cli("users", "save", "boss", "--role", "admin", "--db", url).code == 0
    # This process's OS account is the listener qa's, and nobody's is trusted.
    assert cli("users", "save", "qa", "--os-account", os_account(), "--user", "boss",
               "--db", url).code == 0
    Path(os.environ["SCORECARD_CONFIG"]).write_text("", encoding="utf-8")
    as_admin = cli("users", "save", "qa", "--role", "admin", "--user", "boss", "--db", url)
    listed = cli("users", "list", "--db", url)
    if url.startswith("sqlite"):
        assert as_admin.code == 0
        return
    assert as_admin.code == 4 and "needs that person's own account" in as_admin.err
    assert "qa                   qa " in listed.out  # still a listener
    # Without --user the OS account acts as itself: a listener's queue, an admin's refusal.
    assert cli("queue", "--db", url).code == 0
    refused = cli("users", "save", "qa2", "--role", "admin", "--db", url)
    assert refused.code == 4 and "qa (qa) may not" in refused.err

"""The audit log's hash chain: ``scorecard audit verify`` finds any entry changed, deleted
or inserted by hand, on both databases (the append-only guard lifted, as a table owner can)."""

from __future__ import annotations

from sqlalchemy import text

from scorecard.db.engine import open_database


def _setup(cli, db_url: str) -> None:
    assert cli("users", "save", "boss", "--role", "admin", "--db", db_url).code == 0
    for login in ("qa", "qa2", "lead"):
        assert cli("users", "save", login, "--role", "qa", "--user", "boss",
                   "--db", db_url).code == 0


def _tamper(db_url: str, statement: str) -> None:
    database = open_database(db_url)
    with database.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(text("DROP TRIGGER audit_log_no_update"))
            connection.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            connection.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
        connection.execute(text(statement))
    database.dispose()


def test_an_intact_log_verifies_and_prints_its_head(cli, db_url: str) -> None:
    _setup(cli, db_url)
    first = cli("audit", "verify", "--user", "boss", "--db", db_url)
    assert first.code == 0 and first.out.startswith("4 entries, chain intact; head ")
    assert cli("users", "save", "qa", "--role", "lead", "--user", "boss", "--db", db_url
               ).code == 0
    second = cli("audit", "verify", "--user", "boss", "--db", db_url)
    assert second.out.startswith("5 entries") and second.out.split()[5] != first.out.split()[5]
    refused = cli("audit", "verify", "--user", "qa2", "--db", db_url)
    assert refused.code == 4


def test_a_changed_entry_is_found(cli, db_url: str) -> None:
    _setup(cli, db_url)
    _tamper(db_url, "UPDATE audit_log SET new = replace(new, 'qa2', 'qa3') WHERE id = 3")
    found = cli("audit", "verify", "--user", "boss", "--db", db_url)
    assert found.code == 2 and "entry 3 does not follow" in found.err


def test_a_deleted_entry_is_found(cli, db_url: str) -> None:
    _setup(cli, db_url)
    _tamper(db_url, "DELETE FROM audit_log WHERE id = 2")
    found = cli("audit", "verify", "--user", "boss", "--db", db_url)
    assert found.code == 2 and "entry 3 does not follow" in found.err


def test_an_entry_inserted_by_hand_is_found(cli, db_url: str) -> None:
    _setup(cli, db_url)
    database = open_database(db_url)
    with database.engine.begin() as connection:  # no guard stops an INSERT: the chain does
        connection.execute(text(
            "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, digest) VALUES "
            "('2026-12-01 10:00:00', 1, 'user.change', 'user', 2, 'forged')"))
    database.dispose()
    found = cli("audit", "verify", "--user", "boss", "--db", db_url)
    assert found.code == 2 and "entry 5 does not follow" in found.err

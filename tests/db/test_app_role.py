"""PostgreSQL: the app's login role works the app and cannot touch the audit log itself
(issue: trust, item 4). Roles are server-wide: each test makes one of its own."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from scorecard.db.engine import open_database


@pytest.mark.postgres
def test_the_app_role_appends_to_the_audit_log_and_nothing_more(cli, postgres_url: str
                                                                 ) -> None:
    role = f"scorecard_app_{uuid.uuid4().hex[:10]}"
    owner = open_database(postgres_url)
    with owner.engine.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    app_url = make_url(postgres_url).set(username=role).render_as_string(hide_password=False)
    try:
        assert cli("users", "save", "boss", "--role", "admin", "--db", postgres_url).code == 0
        assert cli("db", "grant-app", role, "--user", "boss", "--db", postgres_url).code == 0
        # The app, connected as the role, works and its changes are audited.
        assert cli("users", "save", "qa", "--role", "qa", "--user", "boss",
                   "--db", app_url).code == 0
        assert cli("audit", "verify", "--user", "boss", "--db", app_url).code == 0
        app = open_database(app_url)
        for statement in (
            "INSERT INTO audit_log (at, action, entity) VALUES (now(), 'x', 'y')",
            "UPDATE audit_log SET reason = 'x'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "ALTER TABLE audit_log DISABLE TRIGGER ALL",
            "UPDATE installation SET id = 'x'",
        ):
            with pytest.raises(DBAPIError, match="permission denied|must be owner"):
                with app.engine.begin() as connection:
                    connection.execute(text(statement))
        app.dispose()
    finally:
        with owner.engine.begin() as connection:
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))
        owner.dispose()

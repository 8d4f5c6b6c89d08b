"""PostgreSQL: the application's login role, with less than the schema's owner.

The owner (who runs ``scorecard db upgrade``) keeps the tables; the role the app connects
as gets what the app needs and no more. On the audit log that is reading it and appending
through ``audit_append`` alone: the role can neither insert, change nor delete a row itself,
and not owning the table it cannot lift the append-only trigger.
"""

from __future__ import annotations

import re

from sqlalchemy import text

from scorecard.db.engine import Database
from scorecard.errors import ScorecardError

_ROLE = re.compile(r"[a-z_][a-z0-9_$]{0,62}")
AUDIT_APPEND = ("audit_append(timestamp, integer, varchar, varchar, integer, text, text, "
                "text, varchar)")
#: Tables the app only reads: the schema's version and the database's id.
READ_ONLY = ("alembic_version", "installation")


def grant_app_role(database: Database, role: str) -> None:
    """Give the existing login role ``role`` the application's rights on this database."""
    if database.dialect != "postgresql":
        raise ScorecardError("an application role is a PostgreSQL matter: a SQLite file is "
                             "one person's")
    if not _ROLE.fullmatch(role):
        raise ScorecardError(f"role {role!r}: use a plain lower-case PostgreSQL role name")
    with database.engine.begin() as connection:
        if connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                              {"r": role}).first() is None:
            raise ScorecardError(f"no PostgreSQL role {role!r}: create it first (CREATE ROLE "
                                 f"{role} LOGIN PASSWORD '…')")
        schema = connection.execute(text("SELECT current_schema()")).scalar()
        name = connection.execute(text("SELECT current_database()")).scalar()
        for statement in (
            f'GRANT CONNECT ON DATABASE "{name}" TO {role}',
            f'GRANT USAGE ON SCHEMA "{schema}" TO {role}',
            f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO {role}',
            f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {role}',
            f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_log FROM {role}",
            *(f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {table} FROM {role}"
              for table in READ_ONLY),
            f"GRANT EXECUTE ON FUNCTION {AUDIT_APPEND} TO {role}",
        ):
            connection.execute(text(statement))

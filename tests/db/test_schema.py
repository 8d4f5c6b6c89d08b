"""The schema on both backends: migrations match the models, and the database guards itself."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import SQLModel

from scorecard.db.engine import DatabaseError, open_database
from scorecard.db.migrate import head_revision, upgrade
from scorecard.db.models import AuditEntry, Team, User
from scorecard.db.schema import SCHEMA_HEAD


def test_schema_head_constant_matches_the_newest_migration() -> None:
    assert head_revision() == SCHEMA_HEAD


def test_an_empty_database_gets_the_current_schema(database) -> None:
    assert database.revision() == (SCHEMA_HEAD, True)


def test_migrations_produce_exactly_the_models(database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_an_older_schema_is_refused_with_the_fixing_command(db_url: str) -> None:
    database = open_database(db_url)
    with database.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0000_older'"))
    database.dispose()
    with pytest.raises(DatabaseError, match="made by a newer scorecard"):
        open_database(db_url)


def test_a_known_older_revision_names_db_upgrade(db_url: str, monkeypatch) -> None:
    import scorecard.db.engine as engine_module
    import scorecard.db.schema as schema

    database = open_database(db_url)
    database.dispose()
    monkeypatch.setattr(schema, "KNOWN_REVISIONS", (SCHEMA_HEAD, "0002_future"))
    monkeypatch.setattr(engine_module, "SCHEMA_HEAD", "0002_future")
    with pytest.raises(DatabaseError, match=r"needs 0002_future: run `scorecard db upgrade --db "):
        open_database(db_url)


def test_a_database_with_foreign_tables_is_left_alone(db_url: str) -> None:
    database = open_database(db_url, check_schema=False)
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE payroll (id INTEGER PRIMARY KEY)"))
    database.dispose()
    with pytest.raises(DatabaseError, match="holds tables that scorecard did not create"):
        open_database(db_url)


def test_upgrade_is_idempotent(database) -> None:
    upgrade(database)
    assert database.revision()[0] == SCHEMA_HEAD


def test_audit_log_is_append_only(database) -> None:
    with database.session() as session:
        session.add(AuditEntry(action="test", entity="nothing", entity_id=None))
    for statement in ("UPDATE audit_log SET reason = 'rewritten'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with database.engine.begin() as connection:
                connection.execute(text(statement))
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*), max(reason) FROM audit_log")).one() == (
            1, None)


def test_check_constraints_reject_unknown_roles(database) -> None:
    with pytest.raises(IntegrityError):
        with database.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO app_user (login, display_name, role, active, created_at) "
                     "VALUES ('x', 'X', 'boss', true, CURRENT_TIMESTAMP)"))


def test_foreign_keys_are_enforced(database) -> None:
    with pytest.raises(IntegrityError):
        with database.session() as session:
            session.add(User(login="u", display_name="U", role="qa", team_id=999))


def test_a_failed_unit_of_work_writes_nothing(database) -> None:
    with pytest.raises(IntegrityError):
        with database.session() as session:
            session.add(Team(name="Первая"))
            session.flush()
            session.add(Team(name="Первая"))
            session.flush()
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM team")).scalar() == 0


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path) -> None:
    database = open_database(str(tmp_path / "x.db"))
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    database.dispose()


def test_upgrading_from_0001_keeps_the_data_and_prepares_the_rollup(db_url: str) -> None:
    """A database graded under 0001 gets call times on its evaluations and its days queued
    for the rollup, which the first KPI read counts."""
    from datetime import date

    from sqlalchemy import text

    from scorecard.db.engine import open_database
    from scorecard.db.migrate import upgrade
    from scorecard.services.metrics import period_metrics, refresh

    database = open_database(db_url, check_schema=False)
    upgrade(database, "0001_initial")
    with database.engine.begin() as connection:
        for sql in (
            "INSERT INTO quality_card (id, slug, title, language, active, created_at) "
            "VALUES (1, 'c', 'C', 'ru', TRUE, '2026-01-01')",
            "INSERT INTO card_version (id, card_id, number, declared_version, content_hash, "
            "body, imported_at) VALUES (1, 1, 1, 1, 'h', '{}', '2026-01-01')",
            "INSERT INTO team (id, name, shift_start, shift_end, created_at) "
            "VALUES (1, 'T', '09:00:00', '18:00:00', '2026-01-01')",
            "INSERT INTO operator (id, name, team_id, active, created_at) "
            "VALUES (1, 'Анна', 1, TRUE, '2026-01-01')",
            "INSERT INTO app_user (id, login, display_name, role, active, created_at) "
            "VALUES (1, 'qa', 'QA', 'qa', TRUE, '2026-01-01')",
            'INSERT INTO "call" (id, external_id, operator_id, started_at, ring_seconds, '
            "talk_seconds, direction, disposition) VALUES (1, 'x', 1, '2026-11-20 10:00:00', "
            "3, 95, 'outbound', 'answered')",
            "INSERT INTO evaluation (id, call_id, operator_id, card_version_id, evaluator_id, "
            "status, is_calibration, started_at, updated_at, seconds_spent, total_score, "
            "critical_fail) VALUES (1, 1, 1, 1, 1, 'submitted', FALSE, '2026-11-21 10:00:00', "
            "'2026-11-21 10:00:00', 300, 80, FALSE)",
            "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, new) VALUES "
            "('2026-11-21 10:00:00.123456', 1, 'evaluation.submit', 'evaluation', 1, "
            "'{\"total\": 80}')",
            "INSERT INTO audit_log (at, action, entity) VALUES "
            "('2026-11-21 10:05:00', 'import.cdr', 'import')",
        ):
            connection.execute(text(sql))
    upgrade(database)
    try:
        from scorecard.services.access import Actor
        from scorecard.services.audit import verify_chain

        with database.session() as session:  # the old entries are chained, the guard is back
            check = verify_chain(session, viewer=Actor(1, "boss", "admin"))
            assert (check.entries, check.broken_at) == (2, None)
        with pytest.raises(DBAPIError), database.engine.begin() as connection:
            connection.execute(text("UPDATE audit_log SET reason = 'x'"))
        with database.session() as session:
            started = session.execute(text(
                "SELECT call_started_at FROM evaluation")).scalar()
            assert str(started).startswith("2026-11-20 10:00")
            assert refresh(session) == 1
            [anna] = period_metrics(session, first=date(2026, 11, 20), last=date(2026, 11, 20))
        assert (anna.dials, anna.effective_calls, anna.evaluations, anna.quality.mean) == (
            1, 1, 1, 80.0)
    finally:
        database.dispose()


def test_postgresql_without_its_driver_is_one_line_that_says_what_to_install(
    cli, monkeypatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)
    result = cli("db", "info", "--db", "postgresql://qa@127.0.0.1:5432/nowhere")
    assert result.code == 2
    assert result.err.strip() == "error: PostgreSQL needs its driver: " \
        "pip install 'scorecard[postgres]'"


def test_a_reset_keeps_foreign_keys_enforced_afterwards(tmp_path) -> None:
    """Migrations switch SQLite's foreign keys off for their batch copies; the pooled
    connection they used must enforce them again."""
    from sqlalchemy import text as sql

    from scorecard.db.engine import open_database
    from scorecard.db.migrate import reset

    database = open_database(f"sqlite:///{tmp_path / 'reset.db'}")
    reset(database)
    with database.engine.connect() as connection:
        assert connection.execute(sql("PRAGMA foreign_keys")).scalar() == 1
    database.dispose()

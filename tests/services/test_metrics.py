"""The operator-day rollup follows imports: days an import touched are recounted on read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scorecard.db.engine import open_database
from scorecard.services.metrics import period_metrics, refresh

DATA = Path(__file__).resolve().parents[2] / "data"


def test_imports_mark_days_and_the_next_read_counts_them(db_url: str, cli) -> None:
    assert cli("import", "operators", DATA / "operators.csv", "--db", db_url).code == 0
    assert cli("import", "cdr", DATA / "cdr" / "Master.csv", "--db", db_url).code == 0
    assert cli("import", "outcomes", DATA / "outcomes.csv", "--db", db_url).code == 0
    database = open_database(db_url)
    try:
        with database.session() as session:
            assert refresh(session) > 0
            assert refresh(session) == 0  # nothing left to recount
            people = period_metrics(session, first=date(2000, 1, 1), last=date(2100, 1, 1))
        assert sum(p.dials for p in people) > 0
        with database.engine.connect() as connection:
            from sqlalchemy import text

            raw = connection.execute(text(
                'SELECT count(*) FROM "call" WHERE operator_id IS NOT NULL')).scalar()
            events = connection.execute(text(
                "SELECT count(*) FROM outcome_event WHERE operator_id IS NOT NULL "
                "AND kind = 'meeting_set'")).scalar()
        assert sum(p.dials for p in people) == raw
        assert sum(p.meetings_set for p in people) == events
    finally:
        database.dispose()

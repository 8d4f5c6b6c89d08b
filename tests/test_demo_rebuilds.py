"""Demo builds of their own (same seed, same database; ``--replace``), in a module apart from
the shared demo database's tests, so the test run can put the two on different workers."""

from __future__ import annotations

import functools
from datetime import date

import pytest
from sqlalchemy import text

from scorecard.db.engine import open_database
from tests.test_demo import DATA, END, scalar


@pytest.mark.slow
def test_same_seed_same_database(tmp_path) -> None:
    """Compared on SQLite files; PostgreSQL is filled by the same code from the same rows.
    A shorter demo than the command builds: what a seed decides is the same in each day."""
    from scorecard.demo.builder import GRADED_DAYS, build_demo

    urls = []
    for name, seed in (("first", 7), ("same", 7), ("other", 8)):
        url = f"sqlite:///{tmp_path / name}.db"
        database = open_database(url)
        build_demo(database, seed=seed, last_day=date.fromisoformat(END), days=GRADED_DAYS)
        database.dispose()
        urls.append(url)
    dumps = []
    for url in urls:
        database = open_database(url)
        with database.engine.connect() as connection:
            dump = {}
            for table in ("operator", "app_user", "call", "outcome_event", "transcript_segment",
                          "evaluation", "evaluation_answer", "assignment", "card_version",
                          "audit_log", "coaching_task"):
                dump[table] = connection.execute(
                    text(f'SELECT * FROM "{table}" ORDER BY id')).all()
        database.dispose()
        dumps.append(dump)
    assert dumps[0] == dumps[1]
    assert dumps[0]["call"] != dumps[2]["call"]


@pytest.mark.slow
def test_replace_rebuilds(cli, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--replace`` wipes what the database held (cards, operators) and builds the demo.

    The command builds the shortest demo the builder makes (its graded days): what a month
    of calls looks like is proven on ``demo_db``; here it is the wipe, at a third of the cost.
    """
    from scorecard.demo import builder

    monkeypatch.setattr(builder, "build_demo",
                        functools.partial(builder.build_demo, days=builder.GRADED_DAYS))
    assert cli("cards", "import", "--db", db_url).code == 0
    assert cli("import", "operators", DATA / "operators.csv", "--db", db_url).code == 0
    database = open_database(db_url)
    assert scalar(database, "SELECT count(*) FROM operator WHERE agent_id = 'A-211'") == 1
    database.dispose()
    result = cli("demo", "--db", db_url, "--end", END, "--no-tui", "--replace", "--seed", "2")
    assert result.code == 2 and "--yes" in result.err  # no terminal to ask in
    result = cli("demo", "--db", db_url, "--end", END, "--no-tui", "--replace", "--yes",
                 "--seed", "2")
    assert result.code == 0, result
    database = open_database(db_url)
    assert scalar(database, "SELECT count(*) FROM operator") == 24  # the imported ones are gone
    assert scalar(database, "SELECT count(*) FROM operator WHERE agent_id = 'A-211'") == 0
    assert scalar(database, "SELECT count(*) FROM card_version") == 4
    days = scalar(database, "SELECT count(DISTINCT substr(CAST(started_at AS TEXT), 1, 10)) "
                            "FROM call")
    assert days == builder.GRADED_DAYS
    database.dispose()

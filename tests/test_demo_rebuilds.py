"""Demo builds of their own (same seed, same database; ``--replace``), in a module apart from
the shared demo database's tests, so the test run can put the two on different workers."""

from __future__ import annotations

import functools
from datetime import date, datetime

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
    for name, seed in (("first", 7), ("same", 7), ("other", 8), ("today", 7)):
        url = f"sqlite:///{tmp_path / name}.db"
        database = open_database(url)
        build_demo(database, seed=seed, last_day=date.fromisoformat(END), days=GRADED_DAYS,
                   until=datetime(2026, 3, 16, 11, 30) if name == "today" else None)
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
    # Built up to a Monday morning: the days before come out the same whatever the hour.
    assert {k: v for k, v in dumps[3].items() if k not in ("call", "outcome_event")} == \
        {k: v for k, v in dumps[0].items() if k not in ("call", "outcome_event")}
    assert dumps[3]["call"][:len(dumps[0]["call"])] == dumps[0]["call"]
    assert dumps[3]["outcome_event"][:len(dumps[0]["outcome_event"])] == \
        dumps[0]["outcome_event"]
    assert len(dumps[3]["call"]) > len(dumps[0]["call"])


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
                 "--seed", "2", "--now", "2026-03-16T11:30")  # the Monday after END
    assert result.code == 0, result
    assert "and today until 11:30" in result.out
    database = open_database(db_url)
    assert scalar(database, "SELECT count(*) FROM operator") == 24  # the imported ones are gone
    assert scalar(database, "SELECT count(*) FROM operator WHERE agent_id = 'A-211'") == 0
    assert scalar(database, "SELECT count(*) FROM card_version") == 4
    days = scalar(database, "SELECT count(DISTINCT substr(CAST(started_at AS TEXT), 1, 10)) "
                            "FROM call")
    assert days == builder.GRADED_DAYS + 1  # and the Monday morning
    # Today's calls are the ones over by now, every operator has some, outcomes too.
    today = "started_at >= '2026-03-16' AND started_at < '2026-03-17'"
    assert scalar(database, f"SELECT count(DISTINCT operator_id) FROM call WHERE {today}") == 24
    over = scalar(database, f"SELECT max(talk_seconds + ring_seconds) FROM call WHERE {today}")
    latest = scalar(database, f"SELECT max(started_at) FROM call WHERE {today}")
    assert str(latest) < "2026-03-16 11:30" and over is not None
    assert str(scalar(database, "SELECT max(occurred_at) FROM outcome_event")) < \
        "2026-03-16 11:30:01"
    assert scalar(database, "SELECT sum(dials) FROM operator_day WHERE day = '2026-03-16'") \
        == scalar(database, f"SELECT count(*) FROM call WHERE {today}")
    database.dispose()

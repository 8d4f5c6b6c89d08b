"""The shared grading queue: each call handed out exactly once, even under contention."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from scorecard.db.bulk import bulk_insert
from scorecard.db.engine import open_database
from scorecard.db.models import Assignment, Call, Operator, Team, User
from scorecard.domain.library import find_card
from scorecard.services.cards import import_card
from scorecard.services.queue import claim_next, list_queue

LISTENERS = 8


def fill_queue(db_url: str, calls: int, *, own: int = 0) -> list[int]:
    """``calls`` shared assignments (and ``own`` more for qa0); returns assignment ids."""
    database = open_database(db_url)
    with database.session() as session:
        result = import_card(session, find_card("security-cold-call")[0])
        version = session.exec(text("SELECT id FROM card_version")).first()[0]
        session.add(Team(id=1, name="Т"))
        session.flush()
        session.add(Operator(id=1, name="Оператор", team_id=1, extension="201"))
        for n in range(LISTENERS):
            session.add(User(id=n + 1, login=f"qa{n}", display_name=f"QA {n}", role="qa"))
        session.flush()
        start = datetime(2026, 3, 2, 9, 0)
        total = calls + own
        bulk_insert(session, Call, [
            {"id": n + 1, "external_id": f"c{n}", "operator_id": 1,
             "started_at": start + timedelta(seconds=n), "ring_seconds": 5, "talk_seconds": 60,
             "direction": "outbound", "disposition": "answered"} for n in range(total)])
        bulk_insert(session, Assignment, [
            {"id": n + 1, "call_id": n + 1, "card_version_id": version, "status": "new",
             "assignee_id": 1 if n >= calls else None,
             "created_at": start + timedelta(seconds=n)} for n in range(total)])
        if database.dialect == "postgresql":
            for table in ("call", "assignment", "app_user", "operator", "team"):
                session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                     f"(SELECT max(id) FROM \"{table}\"))"))
    assert result.status == "new card"
    database.dispose()
    return list(range(1, calls + own + 1))


def _claim_all(args: tuple[str, str]) -> list[int]:
    db_url, login = args
    database = open_database(db_url)
    claimed = []
    while (entry := claim_next(database, login)) is not None:
        claimed.append(entry.assignment_id)
    database.dispose()
    return claimed


@pytest.mark.slow
def test_eight_listeners_claim_1000_calls_each_exactly_once(db_url: str) -> None:
    expected = fill_queue(db_url, 1000)
    # Listeners are separate processes, forked from one server that imported the queue
    # once: eight interpreters importing the stack would take longer than the claiming.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scorecard.services.queue", "scorecard.db.engine"])
    with context.Pool(LISTENERS) as pool:
        results = pool.map(_claim_all, [(db_url, f"qa{n}") for n in range(LISTENERS)])
    claimed = [a for result in results for a in result]
    assert sorted(claimed) == expected  # none lost, none twice
    assert sum(1 for result in results if result) >= 2  # they really did compete
    database = open_database(db_url)
    with database.engine.connect() as connection:
        assert connection.execute(text(
            "SELECT count(*) FROM assignment WHERE status = 'claimed' "
            "AND assignee_id IS NOT NULL")).scalar() == 1000
    database.dispose()


def test_own_calls_first_then_shared_and_claims_expire(db_url: str) -> None:
    fill_queue(db_url, 3, own=2)
    database = open_database(db_url)
    with database.session() as session:
        queue = list_queue(session, "qa0")
    assert [e.mine for e in queue] == [True, True, False, False, False]
    now = datetime(2026, 3, 3, 10, 0)
    first = claim_next(database, "qa0", now=now)
    assert first is not None and first.assignment_id in (4, 5)
    other = claim_next(database, "qa1", now=now)
    assert other is not None and other.assignment_id == 1  # qa1 has none of its own
    # both walk away: after the claim time their calls are back in the shared queue,
    # while qa0's other own call stays with qa0
    later = now + timedelta(minutes=31)
    again = [claim_next(database, "qa2", now=later) for _ in range(4)]
    assert sorted(e.assignment_id for e in again if e) == sorted([1, 2, 3, first.assignment_id])
    assert claim_next(database, "qa2", now=later) is None
    last = claim_next(database, "qa0", now=later)
    assert last is not None and last.assignment_id == 9 - first.assignment_id
    database.dispose()


def test_queue_commands(cli, db_url: str) -> None:
    fill_queue(db_url, 1, own=1)
    listing = cli("queue", "--user", "qa0", "--db", db_url)
    assert listing.code == 0, listing
    assert "2 call(s): 1 yours, 1 in the shared queue" in listing.out
    # The root's --user and --db serve the command under it.
    assert cli("--user", "qa0", "queue", "--db", db_url).out == listing.out
    assert cli("--db", db_url, "--user", "qa0", "queue").out == listing.out
    claimed = cli("queue", "next", "--user", "qa0", "--json", "--db", db_url)
    assert claimed.code == 0
    assert '"external_id": "c1"' in claimed.out and '"operator": "Оператор"' in claimed.out
    assert cli("queue", "next", "--user", "qa0", "--db", db_url).code == 0
    empty = cli("queue", "next", "--user", "qa0", "--db", db_url)
    assert empty.code == 3 and "nothing left" in empty.out
    unknown = cli("queue", "--user", "nobody", "--db", db_url)
    assert unknown.code == 2 and "no user 'nobody'" in unknown.err


def test_claim_time_comes_from_the_config(cli, db_url: str) -> None:
    import os
    from pathlib import Path

    config = Path(os.environ["SCORECARD_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("claim_minutes = 5\n" + config.read_text(encoding="utf-8"),
                      encoding="utf-8")
    fill_queue(db_url, 1)
    assert cli("queue", "next", "--user", "qa0", "--db", db_url).code == 0
    database = open_database(db_url)
    with database.engine.connect() as connection:
        claimed, expires = connection.execute(text(
            "SELECT claimed_at, claim_expires_at FROM assignment")).one()
    database.dispose()
    if isinstance(claimed, str):
        claimed, expires = datetime.fromisoformat(claimed), datetime.fromisoformat(expires)
    assert expires - claimed == timedelta(minutes=5)

"""Legs stored with their calls: a file split in two, in either order, reversed or
imported twice gives the same database, on SQLite and PostgreSQL."""

from __future__ import annotations

import random

from sqlalchemy import text

from scorecard.db.models import Operator, Team
from scorecard.ingest.cdr.asterisk import parse_cdr
from scorecard.services.imports import import_calls, operator_extensions
from tests.ingest.test_call_rules import CASES, OPERATORS, master_rows

ROWS = [row for n, (legs, _) in enumerate(CASES.values())
        for row in master_rows(legs, linkedid=f"1772445600.{1000 + n}")]


def _import(database, rows: list[list[str]]) -> str:
    with database.session() as session:
        calls, rejected = parse_cdr(list(enumerate(rows, start=1)), operator_extensions(session))
        assert not rejected
        return import_calls(session, calls, source="asterisk").summary()


def _snapshot(database) -> tuple[list[tuple], list[tuple]]:
    with database.session() as session:
        connection = session.connection()
        calls = sorted(tuple(str(value) for value in row) for row in connection.execute(text(
            'SELECT external_id, operator_id, started_at, answered_at, ring_seconds, '
            'talk_seconds, direction, disposition, client_number FROM "call"')))
        legs = sorted((key, source, raw) for key, source, kept in connection.execute(text(
            'SELECT external_id, source, legs FROM "call"')) for raw in kept.split("\x1e"))
        connection.execute(text('DELETE FROM "call"'))
    return calls, legs


def test_split_reversed_and_repeated_files_give_the_same_database(database) -> None:
    with database.session() as session:
        team = Team(name="Входящие")
        session.add(team)
        session.flush()
        for extension in OPERATORS:
            session.add(Operator(name=f"Оператор {extension}", team_id=team.id,
                                 extension=extension))
    _import(database, ROWS)
    whole = _snapshot(database)
    assert len(whole[0]) == len(CASES) and len(whole[1]) == len(ROWS) - 1  # one row twice
    rng = random.Random(15)
    for attempt in range(4):
        rows = ROWS.copy()
        rng.shuffle(rows)
        cut = rng.randrange(1, len(rows))
        first, second = (rows[:cut], rows[cut:]) if attempt % 2 else (rows[cut:], rows[:cut])
        _import(database, first)
        _import(database, second)
        assert _snapshot(database) == whole, f"split at {cut}, attempt {attempt}"
    _import(database, ROWS[::-1])
    assert _import(database, ROWS).startswith("0 new, 0 updated")
    assert _snapshot(database) == whole

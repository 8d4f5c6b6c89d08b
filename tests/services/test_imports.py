"""Calls stored many rows per statement: every row, in the form the ORM reads back."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from scorecard.db import bulk
from scorecard.db.models import Call, Operator, Team
from scorecard.ingest.cdr.records import CallRecord
from scorecard.services import imports
from scorecard.services.imports import import_calls


def calls(count: int, *, talk: int = 60) -> list[CallRecord]:
    """``count`` calls; every third without the stored text of its times (the service then
    formats them), every fifth unanswered, every seventh with no known operator."""
    start = datetime(2026, 3, 2, 9)
    made = []
    for n in range(count):
        started = start + timedelta(seconds=37 * n, microseconds=n % 2)
        answered = None if n % 5 == 0 else started + timedelta(seconds=5)
        written = n % 3 != 0
        made.append(CallRecord(
            f"id-{n}", "299" if n % 7 == 0 else "211", started, answered,
            5 if answered else 20, talk if answered else 0, "outbound",
            "answered" if answered else "no_answer", f"8495{n:07d}", n + 1,
            started.isoformat(" ", "microseconds") if written else None,
            answered.isoformat(" ", "microseconds") if written and answered else None))
    return made


def test_many_statements_store_every_call_once(database, monkeypatch) -> None:
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", 7)  # many statements, a short last
    monkeypatch.setattr(imports, "_REBUILD_INDEXES_ABOVE", 100)
    monkeypatch.setattr(imports, "_COPY_ABOVE", 100)  # PostgreSQL takes them by COPY
    with database.session() as session:
        team = Team(name="А")
        session.add(team)
        session.flush()
        session.add(Operator(name="Анна", team_id=team.id, extension="211"))
    first = calls(1001)
    with database.session() as session:
        report = import_calls(session, first, source="asterisk")
    assert (report.new, report.updated, report.unchanged) == (1001, 0, 0)
    assert report.notes == ["143 call(s) with no known operator extension (if operators are "
                            "missing: import the "
                            "operator list, then this file again)"]
    with database.session() as session:
        stored = {c.external_id: c for c in session.exec(select(Call)).all()}
    assert len(stored) == 1001
    for call in first:
        row = stored[call.external_id]
        assert (row.started_at, row.answered_at, row.ring_seconds, row.talk_seconds,
                row.disposition, row.client_number, row.source) == (
            call.started_at, call.answered_at, call.ring_seconds, call.talk_seconds,
            call.disposition, call.client_number, "asterisk")
        assert (row.operator_id is None) == (call.operator_extension == "299")
    with database.session() as session:
        again = import_calls(session, first, source="asterisk")
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1001)
    # The last call is unanswered: nothing to correct at the edge of the file's time span.
    corrected = calls(1001, talk=61)
    with database.session() as session:
        fixed = import_calls(session, corrected, source="asterisk")
    answered = sum(1 for call in corrected if call.answered_at)
    assert (fixed.new, fixed.updated, fixed.unchanged) == (0, answered, 1001 - answered)


def test_a_corrected_file_updates_its_last_call_too(database) -> None:
    """The file's last call starts on a whole second and is answered: it sits exactly on
    the edge of the span the re-import reads back, and must still be compared."""
    first = calls(1003)
    assert first[-1].answered_at and first[-1].started_at.microsecond == 0
    with database.session() as session:
        import_calls(session, first, source="asterisk")
    corrected = calls(1003, talk=61)
    with database.session() as session:
        fixed = import_calls(session, corrected, source="asterisk")
    answered = sum(1 for call in corrected if call.answered_at)
    assert (fixed.new, fixed.updated, fixed.unchanged) == (0, answered, 1003 - answered)
    with database.session() as session:
        last = session.exec(select(Call).where(Call.external_id == "id-1002")).one()
        assert last.talk_seconds == 61


def test_a_corrected_start_outside_the_files_span_is_an_update(database) -> None:
    with database.session() as session:
        team = Team(name="А")
        session.add(team)
        session.flush()
        session.add(Operator(name="Анна", team_id=team.id, extension="211"))
    first = calls(20)
    with database.session() as session:
        import_calls(session, first, source="asterisk")
    # A later export corrects the first call's start by a day, and recordings appear.
    moved = first[0]._replace(started_at=first[0].started_at + timedelta(days=1),
                              started_text=None, recording="2026/03/03/id-0.wav")
    with database.session() as session:
        report = import_calls(session, [moved, first[1]], source="asterisk")
    assert (report.new, report.updated, report.unchanged) == (0, 1, 1)
    with database.session() as session:
        row = session.exec(select(Call).where(Call.external_id == "id-0")).one()
    assert (row.started_at, row.recording_path) == (moved.started_at, "2026/03/03/id-0.wav")
    with database.session() as session:  # a file without recordings keeps them
        again = import_calls(session, [moved._replace(recording=None)], source="asterisk")
        row = session.exec(select(Call).where(Call.external_id == "id-0")).one()
    assert (again.updated, again.unchanged, row.recording_path) == (0, 1, "2026/03/03/id-0.wav")

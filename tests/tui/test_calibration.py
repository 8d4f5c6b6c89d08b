"""Calibration in the app: the lead's sessions and report, the listener's marked queue."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlmodel import select
from textual.widgets import Input, SelectionList

from scorecard.db.engine import open_database
from scorecard.db.models import CalibrationSession, Call, Team, User
from scorecard.services.calibration import create_session
from scorecard.tui.screens.calibration import CalibrationReportScreen, CalibrationScreen
from scorecard.tui.screens.evaluation import EvaluationScreen
from scorecard.tui.screens.grading import GradingScreen
from scorecard.tui.screens.new_calibration import NewCalibrationDialog
from scorecard.tui.screens.queue import QueueScreen
from scorecard.tui.screens.text_dialog import TextDialog
from scorecard.tui.screens.weak_stages import WeakStageScreen
from tests.factories import (
    PAIN,
    SUMMARY,
    assignment_of,
    grade,
    make_test_app,
    seed,
    settled,
    wait_for,
)

DAY = date(2026, 11, 20)


def calibrated(database) -> int:
    """A lead, a third listener and a session on calls 1 and 2: qa and qa2 graded them,
    disagreeing on PAIN (call 1) and SUMMARY (call 2); qa3 has not graded yet."""
    with database.session() as session:
        team = session.exec(select(Team)).one()
        session.add(User(login="lead", display_name="Петрова Ольга", role="lead",
                         team_id=team.id))
        session.add(User(login="qa3", display_name="Сидоров Иван", role="qa"))
    with database.session() as session:
        number = create_session(session, login="lead", title="Ноябрь, охрана",
                                listeners=["qa", "qa2", "qa3"],
                                calls=["17000001.1", "17000002.1"],
                                now=datetime(2026, 11, 21, 9, 0)).session_id
    for login, call, fails in (("qa", "17000001.1", ()), ("qa", "17000002.1", (SUMMARY,)),
                               ("qa2", "17000001.1", (PAIN,)), ("qa2", "17000002.1", ())):
        grade(database, assignment_of(database, number, login, call), login, fails)
    return number


async def test_a_lead_follows_a_session_and_reads_its_report(graded_db) -> None:
    database, _ = graded_db
    number = calibrated(database)
    app = make_test_app(database, login="lead", language="en", today=DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        await pilot.press("b")
        await settled(pilot, CalibrationScreen)
        sessions = app.screen
        [summary] = sessions.sessions
        assert (summary.session_id, summary.graded, summary.expected) == (number, 4, 6)
        row = sessions.query_one("#calibration-sessions").get_row_at(0)
        assert str(row[3]) == "4/6" and str(row[2]) == "open"

        await pilot.press("enter")
        await settled(pilot, CalibrationReportScreen)
        report = app.screen
        units = report.query_one("#calibration-units")
        assert units.row_count == 2  # disagreements only, at first
        assert [str(c) for c in units.get_row_at(0)[2:]] == ["pass", "fail", "…", "50%"]
        assert "Krippendorff's alpha" in str(report.query_one("#calibration-summary").render())
        listeners = report.query_one("#calibration-listeners")
        assert listeners.row_count == 3
        assert str(listeners.get_row_at(0)[2]) == "2/32 (6%)"  # qa against qa2 alone
        await pilot.press("a")
        await wait_for(lambda: units.row_count == 32)
        # Enter on a listener's total opens that listener's blind grade of the call.
        calls = report.query_one("#calibration-calls")
        calls.focus()
        calls.move_cursor(row=0, column=3)  # call, operator, qa, qa2: qa2's grade
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, EvaluationScreen) and app.screen.ready)
        assert app.screen.record.listener == "qa2" and app.screen.record.view.calibration
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, CalibrationReportScreen))
        await pilot.press("escape")
        await wait_for(lambda: isinstance(app.screen, CalibrationScreen))

        await pilot.press("x")
        await wait_for(lambda: isinstance(app.screen, TextDialog))
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, CalibrationScreen)
                       and not sessions.sessions[0].is_open)
    with database.session() as session:
        assert session.get(CalibrationSession, number).closed_at is not None


async def test_a_listener_sees_calibration_calls_marked_in_the_queue(graded_db) -> None:
    database, _ = graded_db
    number = calibrated(database)
    app = make_test_app(database, login="qa3", language="ru")
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot, QueueScreen)
        table = app.screen.query_one("#queue-table")
        statuses = [str(table.get_row_at(n)[3]) for n in range(table.row_count)]
        assert statuses.count(f"калибровка {number} · новый") == 2
        assert statuses.count("общий") == 1
        # Opened, the call says so too: the listener knows the grade is blind and separate.
        table.move_cursor(row=statuses.index(f"калибровка {number} · новый"))
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, GradingScreen)
                       and app.screen.view is not None)
        info = str(app.screen.query_one("#call-info").render())
        assert f"калибровка {number}: оценка вслепую" in info


async def test_a_listener_cannot_read_the_report(graded_db) -> None:
    database, _ = graded_db
    calibrated(database)
    app = make_test_app(database, login="qa", language="en")
    async with app.run_test(size=(120, 30)) as pilot:
        await settled(pilot, QueueScreen)
        # The map's key is offered to those who may calibrate only; pushed by hand, the
        # screen says no instead of showing anything.
        app.push_screen(CalibrationScreen())
        await settled(pilot, CalibrationScreen)
        status = app.screen.query_one("#calibration-status")
        assert "may not run calibration sessions" in str(status.render())
        assert not app.screen.sessions


def test_calibration_report_100x30(snap_compare, tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'calibration.db'}")
    seed(database, fixed_findings=True)
    number = calibrated(database)
    app = make_test_app(database, login="lead", language="ru", today=DAY)

    async def report_open(pilot) -> None:
        await settled(pilot, WeakStageScreen)
        pilot.app.push_screen(CalibrationReportScreen(number, "Ноябрь, охрана"))
        await settled(pilot, CalibrationReportScreen)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(100, 30), run_before=report_open)
    finally:
        database.dispose()


async def test_a_lead_creates_a_session_from_the_app(graded_db) -> None:
    database, ids = graded_db
    with database.session() as session:
        session.add(User(login="lead", display_name="Петрова Ольга", role="lead"))
        # Calls drawn for calibration have something to grade by: call 1 its transcript,
        # call 2 a recording.
        session.get(Call, ids["call2"]).recording_path = "/rec/17000002.1.wav"
    app = make_test_app(database, login="lead", language="ru", today=date(2026, 11, 21))
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        await pilot.press("b")
        await settled(pilot, CalibrationScreen)
        sessions = app.screen
        await pilot.press("n")
        await wait_for(lambda: isinstance(app.screen, NewCalibrationDialog))
        form = app.screen
        # Yesterday's calls, five of them; the qa listeners come marked, the lead does not.
        assert form.query_one("#new-day", Input).value == "2026-11-20"
        listeners = form.query_one("#new-listeners", SelectionList)
        assert sorted(listeners.selected) == ["qa", "qa2"]
        form.query_one("#new-day", Input).value = "20.11.2026"
        await pilot.press("ctrl+s")
        problem = form.query_one("#dialog-problem")
        assert "напишите дату как 2026-11-20" in str(problem.render())
        form.query_one("#new-day", Input).value = "2026-11-19"  # no calls that day
        await pilot.press("ctrl+s")
        await wait_for(lambda: problem.has_class("-error") and not form.creating)
        assert isinstance(app.screen, NewCalibrationDialog)  # still open, nothing lost
        assert form.query_one("#new-title", Input).value == "Калибровка 20.11"
        form.creating = True  # as while a write is under way: a second Enter does nothing
        form.query_one("#new-day", Input).value = "20.11.2026"
        await pilot.press("ctrl+s")
        assert "напишите дату" not in str(problem.render())
        form.creating = False
        form.query_one("#new-day", Input).value = "2026-11-20"
        form.query_one("#new-count", Input).value = "2"
        await pilot.press("ctrl+s")
        await wait_for(lambda: isinstance(app.screen, CalibrationScreen)
                       and len(sessions.sessions) == 1)
        [made] = sessions.sessions
        assert (made.title, made.calls, made.listeners) == ("Калибровка 20.11", 2,
                                                            ("qa", "qa2"))
    with database.session() as session:
        assert session.exec(select(CalibrationSession)).one().created_by_id is not None


async def test_a_report_with_no_grades_yet_says_so(graded_db) -> None:
    """It once stayed on «Counting grades…»: the muted colour of an undefined alpha is
    no colour Rich can draw, and the report failed as it was drawn."""
    database, _ = graded_db
    with database.session() as session:
        team = session.exec(select(Team)).one()
        session.add(User(login="lead", display_name="Петрова Ольга", role="lead",
                         team_id=team.id))
    with database.session() as session:
        create_session(session, login="lead", title="Пусто", listeners=["qa", "qa2"],
                       calls=["17000001.1"], now=datetime(2026, 11, 21, 9, 0))
    app = make_test_app(database, login="lead", language="en", today=DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        await pilot.press("b")
        await settled(pilot, CalibrationScreen)
        await pilot.press("enter")
        await settled(pilot, CalibrationReportScreen)
        summary = str(app.screen.query_one("#calibration-summary").render())
        assert "0 of 2 graded" in summary and "not computable yet" in summary, summary

"""What the screens look like, pinned as SVG snapshots (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.db.engine import open_database
from scorecard.tui.screens.grading import GradingScreen
from scorecard.tui.screens.queue import QueueScreen
from tests.factories import make_test_app, seed, settled, wait_for


@pytest.fixture
def app_factory(tmp_path: Path):
    databases = []

    def build(language: str):
        database = open_database(f"sqlite:///{tmp_path / 'snap.db'}")
        databases.append(database)
        seed(database, fixed_findings=True)
        return make_test_app(database, language=language)

    yield build
    for database in databases:
        database.dispose()


async def queue_loaded(pilot) -> None:
    await wait_for(lambda: isinstance(pilot.app.screen, QueueScreen)
                   and pilot.app.screen._entries)
    await wait_for(lambda: pilot.app.focused is not None
                   and pilot.app.focused.id == "queue-table")
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def first_call_graded_in_part(pilot) -> None:
    await queue_loaded(pilot)
    await pilot.press("enter")
    await wait_for(lambda: isinstance(pilot.app.screen, GradingScreen)
                   and pilot.app.screen.ready)
    await pilot.press("p", "f", "p", "down")
    screen = pilot.app.screen
    # the transcript follows the cursor a message later: wait until it marks that item
    await wait_for(lambda: screen.query_one("#transcript")._current
                   == screen.query_one("#checklist").current_key)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_queue_screen_80x24(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory("ru"), terminal_size=(80, 24), run_before=queue_loaded)


def test_grading_screen_80x24(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory("ru"), terminal_size=(80, 24),
                        run_before=first_call_graded_in_part)


def test_queue_screen_120x40(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory("ru"), terminal_size=(120, 40), run_before=queue_loaded)


def test_grading_screen_120x40_english(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory("en"), terminal_size=(120, 40),
                        run_before=first_call_graded_in_part)


def test_weak_stage_map_100x30(snap_compare, tmp_path) -> None:
    from datetime import date

    from tests.factories import grade_two_calls_failing_price

    database = open_database(f"sqlite:///{tmp_path / 'map.db'}")
    ids = seed(database, fixed_findings=True)
    grade_two_calls_failing_price(database, ids)
    app = make_test_app(database, login="lead", role="lead", language="ru",
                        today=date(2026, 11, 20))

    async def loaded(pilot) -> None:
        from scorecard.tui.screens.weak_stages import WeakStageScreen

        await settled(pilot, WeakStageScreen)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(100, 30), run_before=loaded)
    finally:
        database.dispose()


def _graded_with_a_dispute(tmp_path):
    """Anna's two graded calls submitted on the day, one price item disputed the next."""
    from datetime import datetime

    from sqlalchemy import update

    from scorecard.db.models import Evaluation
    from scorecard.services.access import actor
    from scorecard.services.disputes import open_dispute, own_evaluations
    from tests.factories import grade_two_calls_failing_price

    database = open_database(f"sqlite:///{tmp_path / 'disputes.db'}")
    ids = seed(database, fixed_findings=True)
    grade_two_calls_failing_price(database, ids)
    submitted = datetime(2026, 11, 20, 19, 0)
    with database.session() as session:
        session.execute(update(Evaluation).values(submitted_at=submitted))
    with database.session() as session:
        anna = actor(session, "anna")
        first = own_evaluations(session, viewer=anna, now=submitted)[0]
        price = next(i for i in first.items if i.stage == "price")
        open_dispute(session, actor=anna, evaluation_id=first.evaluation_id, stage="price",
                     item=price.item, comment="Цену назвала в конце разговора",
                     now=datetime(2026, 11, 21, 9, 30))
    return database


async def _settled(pilot, screen_type) -> None:
    await settled(pilot, screen_type)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def test_own_evaluations_100x30(snap_compare, tmp_path) -> None:
    from scorecard.tui.screens.own_evaluations import OwnEvaluationsScreen

    database = _graded_with_a_dispute(tmp_path)
    app = make_test_app(database, login="anna", language="ru")

    async def ready(pilot) -> None:
        await _settled(pilot, OwnEvaluationsScreen)
        await pilot.press("tab", "down", "down", "down", "down", "down", "down")

    try:
        assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
    finally:
        database.dispose()


def test_lead_disputes_100x30(snap_compare, tmp_path) -> None:
    from sqlmodel import select

    from scorecard.db.models import User
    from scorecard.tui.screens.disputes import DisputesScreen

    database = _graded_with_a_dispute(tmp_path)
    with database.session() as session:
        assert session.exec(select(User).where(User.login == "lead")).one()
    app = make_test_app(database, login="lead", language="ru")

    async def ready(pilot) -> None:
        from scorecard.tui.screens.weak_stages import WeakStageScreen

        await settled(pilot, WeakStageScreen)  # the map's rollup rebuilt first
        pilot.app.push_screen(DisputesScreen())
        await _settled(pilot, DisputesScreen)

    try:
        assert snap_compare(app, terminal_size=(100, 30), run_before=ready)
    finally:
        database.dispose()


async def _evaluation_opened(pilot) -> None:
    from scorecard.tui.screens.evaluation import EvaluationScreen
    from scorecard.tui.screens.own_evaluations import OwnEvaluationsScreen

    await _settled(pilot, OwnEvaluationsScreen)
    await pilot.press("enter")
    await wait_for(lambda: isinstance(pilot.app.screen, EvaluationScreen)
                   and pilot.app.screen.ready)
    await _settled(pilot, EvaluationScreen)


def test_evaluation_view_80x24(snap_compare, tmp_path) -> None:
    database = _graded_with_a_dispute(tmp_path)
    app = make_test_app(database, login="anna", language="ru")
    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=_evaluation_opened)
    finally:
        database.dispose()


def test_evaluation_view_120x40_english(snap_compare, tmp_path) -> None:
    database = _graded_with_a_dispute(tmp_path)
    app = make_test_app(database, login="anna", language="en")
    try:
        assert snap_compare(app, terminal_size=(120, 40), run_before=_evaluation_opened)
    finally:
        database.dispose()


def _coaching_task(tmp_path):
    """A coaching task on Anna's price stage with one example call and a note, fixed dates."""
    from datetime import date, datetime

    from scorecard.services.coaching import add_note, create_task

    database = _graded_with_a_dispute(tmp_path)
    with database.session() as session:
        from sqlmodel import select

        from scorecard.db.models import Evaluation, User

        session.add(User(login="trainer", display_name="Trainer", role="trainer"))
        session.flush()
        first = session.exec(select(Evaluation.id).order_by(Evaluation.id)).first()
        task = create_task(session, operator="Иванова Анна", stage="price",
                           goal="Называть цену после ценности", due_on=date(2026, 12, 4),
                           login="trainer", started_on=date(2026, 11, 20), examples=[first])
        add_note(session, task_id=task.id, text="Разобрали звонок, ролевая игра по цене",
                 login="trainer", now=datetime(2026, 11, 21, 10, 0))
        number = task.id
    return database, number


def _coaching_task_snapshot(snap_compare, tmp_path, size, language) -> bool:
    from datetime import date

    from scorecard.tui.screens.coaching import CoachingTaskScreen

    database, number = _coaching_task(tmp_path)
    app = make_test_app(database, login="trainer", language=language,
                        today=date(2026, 11, 20))

    async def shown(pilot) -> None:
        await settled(pilot)
        app.push_screen(CoachingTaskScreen(number, today=date(2026, 11, 22)))
        await _settled(pilot, CoachingTaskScreen)

    try:
        return snap_compare(app, terminal_size=size, run_before=shown)
    finally:
        database.dispose()


def test_coaching_task_80x24(snap_compare, tmp_path) -> None:
    assert _coaching_task_snapshot(snap_compare, tmp_path, (80, 24), "ru")


def test_coaching_task_120x40_english(snap_compare, tmp_path) -> None:
    assert _coaching_task_snapshot(snap_compare, tmp_path, (120, 40), "en")


def _new_task_snapshot(snap_compare, tmp_path, size, language) -> bool:
    from datetime import date

    from scorecard.tui.screens.new_coaching_task import NewCoachingTaskDialog
    from scorecard.tui.screens.weak_stages import WeakStageScreen

    database = _graded_with_a_dispute(tmp_path)
    app = make_test_app(database, login="lead", language=language, today=date(2026, 11, 20))

    async def form(pilot) -> None:
        await _settled(pilot, WeakStageScreen)
        table = app.screen.query_one("#map-table")
        table.move_cursor(column=table.get_column_index("price"))
        await pilot.press("c")
        await wait_for(lambda: isinstance(app.screen, NewCoachingTaskDialog))
        await _settled(pilot, NewCoachingTaskDialog)

    try:
        return snap_compare(app, terminal_size=size, run_before=form)
    finally:
        database.dispose()


def test_new_coaching_task_80x24(snap_compare, tmp_path) -> None:
    assert _new_task_snapshot(snap_compare, tmp_path, (80, 24), "ru")


def test_new_coaching_task_120x40_english(snap_compare, tmp_path) -> None:
    assert _new_task_snapshot(snap_compare, tmp_path, (120, 40), "en")

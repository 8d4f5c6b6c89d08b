"""What the screens look like, pinned as SVG snapshots (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.db.engine import open_database
from scorecard.tui.screens.grading import GradingScreen
from scorecard.tui.screens.queue import QueueScreen
from tests.tui.conftest import make_test_app, seed, wait_for


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


def test_grading_screen_160x45_english(snap_compare, app_factory) -> None:
    assert snap_compare(app_factory("en"), terminal_size=(160, 45),
                        run_before=first_call_graded_in_part)


def test_weak_stage_map_100x30(snap_compare, tmp_path) -> None:
    from datetime import date

    from tests.tui.test_weak_stages import grade_two_calls_failing_price

    database = open_database(f"sqlite:///{tmp_path / 'map.db'}")
    ids = seed(database, fixed_findings=True)
    grade_two_calls_failing_price(database, ids)
    app = make_test_app(database, login="lead", role="lead", language="ru",
                        today=date(2026, 11, 20))

    async def loaded(pilot) -> None:
        from scorecard.tui.screens.weak_stages import WeakStageScreen

        await wait_for(lambda: isinstance(pilot.app.screen, WeakStageScreen)
                       and pilot.app.screen.loads)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(100, 30), run_before=loaded)
    finally:
        database.dispose()

"""The queue screen: where the cursor goes, what fits an 80-column terminal."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from sqlmodel import select

from scorecard.db.models import Assignment, Call, CardVersion, Operator, User
from scorecard.tui.screens.grading import GradingScreen
from scorecard.tui.screens.queue import QueueScreen
from tests.factories import make_test_app, settled, wait_for


def more_calls(database, count: int, operator_name: str = "Иванова Анна") -> None:
    """``count`` more calls for qa, later in the day than the seeded ones."""
    with database.session() as session:
        qa = session.exec(select(User).where(User.login == "qa")).one()
        version = session.exec(select(CardVersion)).one()
        operator = session.exec(select(Operator)).one()
        operator.name = operator_name
        session.add(operator)
        for n in range(count):
            call = Call(external_id=f"more-{n}", operator_id=operator.id,
                        started_at=datetime(2026, 11, 20, 12, n), talk_seconds=60 + n,
                        disposition="answered")
            session.add(call)
            session.flush()
            session.add(Assignment(call_id=call.id, card_version_id=version.id,
                                   assignee_id=qa.id, status="new"))


async def queue_of(pilot) -> QueueScreen:
    app = pilot.app
    await wait_for(lambda: isinstance(app.screen, QueueScreen) and app.screen._entries)
    return app.screen


def row_of(queue: QueueScreen) -> int:
    return queue.query_one("#queue-table").cursor_row


async def test_home_and_end_go_to_the_first_and_last_call(graded_db) -> None:
    database, _ = graded_db
    more_calls(database, 30)
    app = make_test_app(database)
    async with app.run_test(size=(120, 24)) as pilot:
        queue = await queue_of(pilot)
        last = len(queue._entries) - 1
        await pilot.press("end")
        assert row_of(queue) == last
        await pilot.press("home")
        assert row_of(queue) == 0
        await pilot.press("pagedown", "pagedown", "home")
        assert row_of(queue) == 0


async def test_back_from_a_call_the_cursor_moves_on_to_the_next(graded_db) -> None:
    database, ids = graded_db
    more_calls(database, 3)
    app = make_test_app(database)
    async with app.run_test(size=(120, 30)) as pilot:
        queue = await queue_of(pilot)
        table = queue.query_one("#queue-table")
        order = list(queue._order)
        table.move_cursor(row=1)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, GradingScreen) and app.screen.ready)
        await pilot.press("escape")  # left as a draft: still listed, the cursor goes on
        await settled(pilot, QueueScreen)
        assert queue._order[row_of(queue)] == order[2]
        assert queue._entries[order[1]].status == "draft"
        # the last call of the list: the cursor goes back to the one before it
        table.move_cursor(row=len(order) - 1)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, GradingScreen) and app.screen.ready)
        await pilot.press("escape")
        await settled(pilot, QueueScreen)
        assert row_of(queue) == len(order) - 2
        # a refresh keeps the cursor where the listener put it
        table.move_cursor(row=1)
        await pilot.press("r")
        await settled(pilot)
        assert row_of(queue) == 1


async def test_80_columns_show_the_whole_card_and_cut_long_names(graded_db) -> None:
    database, _ = graded_db
    more_calls(database, 2, operator_name="Константинопольская Александра Владимировна")
    app = make_test_app(database, language="ru")
    async with app.run_test(size=(80, 24)) as pilot:
        queue = await queue_of(pilot)
        await pilot.pause()
        table = queue.query_one("#queue-table")
        assert [str(c.value) for c in table.columns] == [
            "operator", "started", "talk", "status", "card"]
        widths = sum(c.get_render_width(table) for c in table.columns.values())
        assert widths <= table.size.width
        row = table.get_row_at(0)
        assert row[-1].plain == "security-cold-call v1"
        assert row[1].plain == "20.11 10:05"
        await pilot.resize_terminal(120, 24)
        await wait_for(lambda: "call" in [str(c.value) for c in table.columns])
        assert table.get_row_at(0)[1].plain == "20.11.2026 10:05"
        # narrower again, but still narrow at both widths: the columns are refitted too
        await pilot.resize_terminal(99, 24)
        await wait_for(lambda: "call" not in [str(c.value) for c in table.columns])
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await wait_for(lambda: sum(c.get_render_width(table) for c in table.columns.values())
                       <= table.size.width)
        assert table.get_row_at(0)[-1].plain == "security-cold-call v1"


async def test_names_are_shown_as_they_are_never_as_markup(graded_db) -> None:
    database, _ = graded_db
    more_calls(database, 1, operator_name="[/] Ли [bold]Вэй[/bold]")
    app = make_test_app(database)
    async with app.run_test(size=(120, 24)) as pilot:
        queue = await queue_of(pilot)
        await pilot.pause()
        cell = queue.query_one("#queue-table").get_row_at(0)[0]
        assert isinstance(cell, Text) and cell.plain == "[/] Ли [bold]Вэй[/bold]"


async def test_the_first_frame_already_lists_the_calls(graded_db) -> None:
    """The listener's queue is read before the app takes the terminal: the queue screen
    does not start on «Loading…» and a worker round trip."""
    from scorecard.config import Settings
    from scorecard.services.access import Identity
    from scorecard.tui import make_app

    database, _ = graded_db
    app = make_app(database, Settings(), Identity("qa"), "en")
    async with app.run_test(size=(120, 24)) as pilot:
        queue = app.screen
        assert isinstance(queue, QueueScreen) and len(queue._entries) == 3
        await pilot.pause()
        assert queue.loads == 1  # and no second, needless reading when it first shows

"""No control sequence from the data reaches the terminal through the app (an operator
named with an OSC title sequence once retitled the listener's window)."""

from __future__ import annotations

from rich.segment import ControlType, Segment
from sqlmodel import select
from textual.color import Color
from textual.geometry import Region
from textual.widgets import DataTable

from scorecard.db.models import Operator
from scorecard.tui.inert import DropControlCharacters
from tests.factories import make_test_app, wait_for

EVIL = "Зло\x1b]2;PWNED\x07\x1b[31mКрасный\u202e"


def test_control_characters_are_dropped_and_columns_kept() -> None:
    [segment] = DropControlCharacters().apply([Segment(EVIL)], Color(0, 0, 0))
    assert segment.text == "Зло]2;PWNED[31mКрасный"
    kept = Segment("\x1b[2J", control=[(ControlType.CLEAR,)])  # the app's own pass
    assert DropControlCharacters().apply([kept], Color(0, 0, 0)) == [kept]


async def test_the_queue_draws_an_evil_name_inert(graded_db) -> None:
    database, _ = graded_db
    with database.session() as session:
        session.exec(select(Operator)).one().name = EVIL
    app = make_test_app(database)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(lambda: bool(app.screen.query(DataTable)))
        table = app.screen.query_one(DataTable)
        await wait_for(lambda: table.row_count > 0)
        await pilot.pause()
        lines = table.render_lines(Region(0, 0, table.size.width, table.size.height))
        await pilot.press("ctrl+q")
    text = "".join(segment.text for line in lines for segment in line
                   if not segment.control)
    assert "PWNED" in text and "\x1b" not in text and "\x07" not in text

"""A list screen shows only its newest read: an outrun one never lands on top of it."""

from __future__ import annotations

import threading

from scorecard.tui.screens.table_screen import TableScreen
from tests.factories import make_test_app, wait_for


class Months(TableScreen):
    def __init__(self, release: threading.Event) -> None:
        super().__init__()
        self.release = release
        self.shown: list[str] = []

    def ask(self, month: str, slow: bool) -> None:
        def query(session) -> str:  # noqa: ANN001 - a Session
            if slow:
                self.release.wait(10)
            return month

        self.read(query, self.shown.append)


async def test_paging_fast_shows_the_last_month_asked_for(graded_db) -> None:
    database, _ = graded_db
    app = make_test_app(database)
    release = threading.Event()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = Months(release)
        await app.push_screen(screen)
        screen.ask("October", slow=True)
        screen.ask("November", slow=False)
        await wait_for(lambda: screen.shown == ["November"])
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.shown == ["November"] and screen.loads == 1

"""What a worker loaded reaches the screen only while it is the newest request."""

from __future__ import annotations

import threading

from scorecard.tui.fetch import deliver
from tests.factories import make_test_app, wait_for


async def test_an_outrun_read_never_lands_on_a_fresh_one(graded_db) -> None:
    database, _ = graded_db
    app = make_test_app(database)
    shown: list[str] = []
    release = threading.Event()

    def read(name: str, wait: bool) -> None:
        if wait:
            release.wait(10)  # a slow query, outrun by a second request meanwhile
        deliver(app, shown.append, name)

    async with app.run_test(size=(100, 30)) as pilot:
        slow = app.run_worker(lambda: read("old month", True), thread=True, exclusive=True,
                              group="load")
        await pilot.pause()
        fresh = app.run_worker(lambda: read("new month", False), thread=True,
                               exclusive=True, group="load")
        await wait_for(lambda: shown == ["new month"])
        release.set()
        await wait_for(lambda: slow.is_finished and fresh.is_finished)
        await pilot.pause()
    assert shown == ["new month"]

"""The base of the list screens: what they show is read on a worker, and only the newest
read is shown.

A screen calls :meth:`TableScreen.read` with a query (run in one unit of work on a worker
thread) and the method that shows its result. Each call is a new request; the worker posts
its result as a :class:`TableScreen.Loaded` message naming the request, and a result that
a newer request has outrun (paging months quickly, refreshing twice) is dropped, never
drawn under the newer request's heading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.worker import get_current_worker

from scorecard.tui.fetch import fetch

if TYPE_CHECKING:
    from sqlmodel import Session

    from scorecard.tui.app import ScorecardApp


class TableScreen(Screen[None]):
    app: ScorecardApp

    @dataclass
    class Loaded(Message):
        """What one read found, for the screen that asked and the request it answers."""

        request: int
        found: Any
        show: Callable[[Any], None]

    def __init__(self) -> None:
        super().__init__()
        self._request = 0
        self.loads = 0
        """How many reads were shown (a figure for tests and benchmarks)."""
        self._visiting = False
        self.coming_back = False
        """Back from a screen opened with :meth:`visit`, while the read it asks is set off."""

    def load(self) -> None:
        """Read what the screen shows (with :meth:`read`)."""
        raise NotImplementedError

    def visit(self, screen: Screen[Any]) -> None:
        """Open ``screen``; read again when back from it: what was done there (a task's
        notes, new pay terms, a session's progress) shows here too."""
        self._visiting = True
        self.app.push_screen(screen)

    def on_screen_resume(self) -> None:
        if self._visiting:
            self._visiting = False
            self.coming_back = True
            self.load()
            self.coming_back = False

    def read(self, query: Callable[[Session], Any], show: Callable[[Any], None], *,
             refused: Callable[[str], None] | None = None) -> None:
        """Run ``query`` on a worker and ``show`` its result, unless a newer read came first.

        ``refused``: where to say a refusal the user can act on, instead of a notice (like a
        result: only the newest read's, counted in :attr:`loads`).
        """
        self._request += 1
        self._read(self._request, query, show, refused)

    @work(thread=True, exclusive=True, group="table-read", exit_on_error=False)
    def _read(self, request: int, query: Callable[[Session], Any],
              show: Callable[[Any], None], refused: Callable[[str], None] | None) -> None:
        said = None if refused is None else (
            lambda message: self._show_refusal(request, message, refused))
        found = fetch(self.app, query, refused=said)
        if found is not None and not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(request, found, show))

    def _show_refusal(self, request: int, message: str,
                      refused: Callable[[str], None]) -> None:
        """A refusal is shown like a result: unless a newer read came first, and counted."""
        if request == self._request:
            refused(message)
            self.loads += 1

    def on_table_screen_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.request != self._request:
            return  # outrun by a newer read
        self.present(message.found, message.show)

    def present(self, found: Any, show: Callable[[Any], None]) -> None:
        """Show what was read (by :meth:`read`, or before the screen existed)."""
        show(found)
        self.loads += 1

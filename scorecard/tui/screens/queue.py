"""The queue screen: the listener's calls and the shared queue, sortable; open or take next.

Loading and claiming run in worker threads; the table is filled when the rows arrive, and
again whenever the listener comes back from grading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from scorecard.tui.keys import bind
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.transcript import clock

if TYPE_CHECKING:
    from scorecard.services.queue import QueueEntry
    from scorecard.tui.app import ScorecardApp

SUBMITTED_DAYS = 7
"""How far back the listener's own submitted evaluations are listed for correction."""

COLUMNS = ("operator", "started", "talk", "status", "card", "call")
"""Most useful first, so an 80-column terminal shows what a listener picks by."""


class QueueScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("queue.open", "enter", "open_selected", "queue.open"),
        bind("queue.next", "n", "next_call", "queue.next"),
        bind("queue.sort", "s", "sort_next", "queue.sort"),
        bind("queue.reverse", "S", "sort_reverse", "queue.reverse", show=False),
        bind("queue.refresh", "r,f5", "refresh_queue", "queue.refresh"),
        bind("queue.submitted", "d", "toggle_submitted", "queue.show_submitted"),
        bind("queue.quit", "q", "app.quit", "app.quit", show=False),
    ]

    app: ScorecardApp

    def __init__(self) -> None:
        super().__init__()
        self._entries: dict[str, QueueEntry] = {}
        self._sort_column = COLUMNS.index("started")
        self._sort_reverse = False
        self._show_submitted = False
        self.loads = 0
        """How many times the table was filled; tests and benchmarks wait on it."""

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield Static(t("queue.loading"), id="queue-status")
        table: DataTable[str] = DataTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        for column in COLUMNS:
            table.add_column(t(f"queue.col.{column}"), key=column)
        yield table
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("queue.title")
        self.load()

    def on_screen_resume(self) -> None:
        self.title = self.app.t("queue.title")
        if self._entries:
            self.load()

    # -- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="queue-load", exit_on_error=False)
    def load(self) -> None:
        from datetime import timedelta

        from scorecard.db.models import utcnow
        from scorecard.services.queue import list_queue

        since = utcnow() - timedelta(days=SUBMITTED_DAYS) if self._show_submitted else None
        try:
            with self.app.database.session() as session:
                entries = list_queue(session, self.app.login, submitted_since=since)
        except Exception as exc:  # shown on screen; the app stays usable
            self.app.call_from_thread(self._show_error, str(exc))
            return
        self.app.call_from_thread(self._fill, entries)

    def _fill(self, entries: list[QueueEntry]) -> None:
        t = self.app.t
        self._entries = {str(entry.assignment_id): entry for entry in entries}
        self._render_rows()
        self.loads += 1
        mine = sum(e.mine for e in entries)
        status = self.query_one("#queue-status", Static)
        status.update(t("queue.empty") if not entries else t(
            "queue.subtitle", user=self.app.login, mine=mine, shared=len(entries) - mine))
        self.query_one("#queue-table", DataTable).focus()

    def _render_rows(self) -> None:
        t = self.app.t
        table = self.query_one("#queue-table", DataTable)
        selected = self._selected_key()
        table.clear()
        for key, entry in sorted(self._entries.items(), key=lambda kv: self._sort_value(kv[1]),
                                 reverse=self._sort_reverse):
            status = entry.status if entry.mine else "shared"
            label = t(f"queue.status.{status}")
            if entry.calibration is not None:
                label = t("calibration.queue_mark", status=label, session=entry.calibration)
            table.add_row(
                entry.operator or "—", f"{entry.started_at:%d.%m.%Y %H:%M}",
                clock(entry.talk_seconds).strip(), label, entry.card,
                entry.external_id, key=key,
            )
        if selected in self._entries:
            table.move_cursor(row=table.get_row_index(selected))

    def _show_error(self, message: str) -> None:
        self.query_one("#queue-status", Static).update(message)
        self.notify(message, severity="error", timeout=10)

    def _selected_key(self) -> str | None:
        table = self.query_one("#queue-table", DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    # -- sorting ---------------------------------------------------------------------------

    def _sort_value(self, entry: QueueEntry) -> tuple[object, ...]:
        column = COLUMNS[self._sort_column]
        value: object = {
            "call": entry.external_id, "operator": entry.operator or "",
            "started": entry.started_at, "talk": entry.talk_seconds, "card": entry.card,
            "status": (not entry.mine, entry.status),
        }[column]
        return (value, entry.started_at, entry.assignment_id)

    def action_sort_next(self) -> None:
        self._sort_column = (self._sort_column + 1) % len(COLUMNS)
        self._apply_sort()

    def action_sort_reverse(self) -> None:
        self._sort_reverse = not self._sort_reverse
        self._apply_sort()

    def _apply_sort(self) -> None:
        self._render_rows()
        column = self.app.t(f"queue.col.{COLUMNS[self._sort_column]}")
        arrow = " ↓" if self._sort_reverse else ""
        self.notify(self.app.t("queue.sorted_by", column=column + arrow), timeout=2)

    def action_refresh_queue(self) -> None:
        self.load()

    def action_toggle_submitted(self) -> None:
        self._show_submitted = not self._show_submitted
        self.notify(self.app.t("queue.submitted_shown" if self._show_submitted
                               else "queue.submitted_hidden"), timeout=2)
        self.load()

    # -- opening ---------------------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open(event.row_key.value)

    def action_open_selected(self) -> None:
        key = self._selected_key()
        if key is not None:
            self._open(key)

    def _open(self, key: str) -> None:
        entry = self._entries.get(key)
        if entry is not None and entry.status == "submitted":
            self.claim(int(key), submitted=True)  # already graded: nothing to claim
        else:
            self.claim(int(key))

    def action_next_call(self) -> None:
        self.claim(None)

    @work(thread=True, exclusive=True, group="queue-claim", exit_on_error=False)
    def claim(self, assignment_id: int | None, *, submitted: bool = False) -> None:
        """Claim the chosen call, or the next one when ``assignment_id`` is None, and load it.

        A submitted evaluation is only loaded: it is the listener's already.
        """
        from scorecard.services.queue import claim, claim_next

        app = self.app
        entry: QueueEntry | None
        try:
            if submitted and assignment_id is not None:
                entry = self._entries[str(assignment_id)]
            elif assignment_id is None:
                entry = claim_next(app.database, app.login, claim_minutes=app.claim_minutes)
            else:
                entry = claim(app.database, app.login, assignment_id,
                              claim_minutes=app.claim_minutes)
        except Exception as exc:  # shown on screen; the app stays usable
            app.call_from_thread(self._show_error, str(exc))
            return
        if entry is None:
            app.call_from_thread(self._nothing_to_open, assignment_id)
            return
        from scorecard.tui.screens.grading import prepare

        prepared = prepare(app, entry.assignment_id, lambda outcome: None)
        app.call_from_thread(app.open_call, entry.assignment_id, prepared=prepared)

    def _nothing_to_open(self, assignment_id: int | None) -> None:
        key = "queue.nothing_left" if assignment_id is None else "error.claimed_by_other"
        self.notify(self.app.t(key), severity="warning")
        self.load()

    def palette_commands(self) -> list[SystemCommand]:
        t = self.app.t
        return [SystemCommand(t("command.next"), t("command.next"), self.action_next_call),
                SystemCommand(t("command.refresh"), t("command.refresh"), self.load)]

"""The queue screen: the listener's calls and the shared queue, sortable; open or take next.

Loading and claiming run in worker threads; the table is filled when the rows arrive, and
again whenever the listener comes back from grading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.tui.keys import bind
from scorecard.tui.problems import describe
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable, fit_widths
from scorecard.tui.widgets.transcript import clock

if TYPE_CHECKING:
    from scorecard.services.queue import QueueEntry
    from scorecard.tui.app import ScorecardApp

SUBMITTED_DAYS = 7
"""How far back the listener's own submitted evaluations are listed for correction."""

COLUMNS = ("operator", "started", "talk", "status", "card", "call")
"""Most useful first, so an 80-column terminal shows what a listener picks by."""
NARROW = 100
"""Below this width the call id (also in the grading screen's header) is left out and the
date loses its year, so the card column is never cut."""


class QueueScreen(TableScreen):
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
        self._order: list[str] = []
        """Row keys in the order last shown."""
        self._after: str | None = None
        """The call the listener just left, whose successor gets the cursor."""
        self._resumed = False
        self._rendered_width = 0

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield Static(t("queue.loading"), id="queue-status")
        yield ListTable(id="queue-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def _width(self) -> int:
        return self.size.width or self.app.size.width  # before the first layout: the app's

    def on_resize(self) -> None:
        if self._width() != self._rendered_width:  # columns and their widths follow it
            self._render_rows()

    def on_mount(self) -> None:
        self.title = self.app.t("queue.title")
        preloaded, self.app.preloaded_queue = self.app.preloaded_queue, None
        if preloaded is None:
            self.load()
        else:
            self.present(preloaded, self._fill)

    def on_screen_resume(self) -> None:
        self.title = self.app.t("queue.title")
        # Back from a call: the cursor goes on to the call after it, as a listener works
        # down the list (the call left stays listed, as a draft, until it is submitted).
        self._after, self.app.last_opened = self.app.last_opened, None
        if self._resumed:  # the first resume is the screen appearing, freshly loaded
            self.load()
        self._resumed = True

    # -- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        from scorecard.services.queue import list_queue

        days = SUBMITTED_DAYS if self._show_submitted else None
        self.read(lambda session: list_queue(session, self.app.login, submitted_days=days),
                  self._fill, refused=self._show_error)

    def _fill(self, entries: list[QueueEntry]) -> None:
        t = self.app.t
        self._entries = {str(entry.assignment_id): entry for entry in entries}
        self._render_rows()
        mine = sum(e.mine for e in entries)
        status = self.query_one("#queue-status", Static)
        status.update(t("queue.empty") if not entries else t(
            "queue.subtitle", user=self.app.login, mine=mine, shared=len(entries) - mine))
        self.query_one("#queue-table", DataTable).focus()

    def _render_rows(self) -> None:
        t = self.app.t
        table = self.query_one("#queue-table", DataTable)
        selected = self._cursor_target()
        width = self._rendered_width = self._width()
        narrow = 0 < width < NARROW
        columns = tuple(c for c in COLUMNS if not (narrow and c == "call"))
        date_format = "%d.%m.%Y %H:%M" if "call" in columns else "%d.%m %H:%M"
        order = sorted(self._entries, key=lambda key: self._sort_value(self._entries[key]),
                       reverse=self._sort_reverse)
        rows = []
        for key in order:
            entry = self._entries[key]
            status = entry.status if entry.mine else "shared"
            label = t(f"queue.status.{status}")
            if entry.calibration is not None:
                label = t("calibration.queue_mark", status=label, session=entry.calibration)
            cells = {"operator": entry.operator or "—",
                     "started": f"{entry.started_at:{date_format}}",
                     "talk": clock(entry.talk_seconds).strip(), "status": label,
                     "card": entry.card, "call": entry.external_id}
            rows.append([cells[column] for column in columns])
        headers = [t(f"queue.col.{column}") for column in columns]
        widths = fit_widths(headers, rows, width,
                            shrink=[columns.index(c) for c in ("operator", "card", "call")
                                    if c in columns])
        table.clear(columns=True)
        for column, header, column_width in zip(columns, headers, widths, strict=True):
            table.add_column(header, key=column, width=column_width)
        for key, row in zip(order, rows, strict=True):
            table.add_row(*row, key=key)
        self._order = order
        if selected in self._entries:
            table.move_cursor(row=table.get_row_index(selected), animate=False)

    def _cursor_target(self) -> str | None:
        """The row the cursor belongs on: the one it is on, or, back from a call, the next
        call after it in the order shown (an earlier one when it was the last)."""
        after, self._after = self._after, None
        if after is None or after not in self._order:
            return self._selected_key()
        position = self._order.index(after)
        following = [k for k in self._order[position + 1:] if k in self._entries]
        preceding = [k for k in self._order[:position] if k in self._entries]
        return (following or preceding[-1:] or [None])[0]

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
        minutes = app.settings.claim_minutes
        entry: QueueEntry | None
        try:
            if submitted and assignment_id is not None:
                entry = self._entries[str(assignment_id)]
            elif assignment_id is None:
                entry = claim_next(app.database, app.login, claim_minutes=minutes)
            else:
                entry = claim(app.database, app.login, assignment_id,
                              claim_minutes=minutes)
        except Exception as exc:  # shown on screen; the app stays usable
            app.call_from_thread(self._show_error, describe(app, exc))
            return
        if entry is None:
            app.call_from_thread(self._nothing_to_open, assignment_id)
            return
        from scorecard.tui.screens.grading_load import prepare

        prepared = prepare(app, entry.assignment_id)
        app.call_from_thread(app.open_call, entry.assignment_id, prepared=prepared)

    def _nothing_to_open(self, assignment_id: int | None) -> None:
        key = "queue.nothing_left" if assignment_id is None else "error.claimed_by_other"
        self.notify(self.app.t(key), severity="warning")
        self.load()

    def palette_commands(self) -> list[SystemCommand]:
        t = self.app.t
        return [SystemCommand(t("command.next"), t("command.next"), self.action_next_call),
                SystemCommand(t("command.refresh"), t("command.refresh"), self.load)]

"""The audit log for admins and leads: who changed what, when, from what to what, and why.

Newest first, 500 at a time (``n`` pages back); ``/`` filters by action, entity, user or
reason. Entries read in words (item wordings, answers before → after, totals), and Enter
opens the evaluation an entry is about. The log itself is append-only in the database;
this screen only reads it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.tui.keys import bind
from scorecard.tui.local_time import local
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable
from scorecard.tui.wording import action_title, entry_in_words

if TYPE_CHECKING:
    from scorecard.services.audit_log import Entry
    from scorecard.tui.app import ScorecardApp

PAGE = 500


class AuditScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("audit.open", "enter", "open", "audit.open"),
        bind("audit.filter", "slash", "filter", "audit.filter"),
        bind("audit.older", "n", "older", "audit.older"),
        bind("audit.newest", "home", "newest", "audit.newest", show=False),
        bind("audit.back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self) -> None:
        super().__init__()
        self.contains: str | None = None
        self.before_id: int | None = None
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="audit-summary", markup=False)
        yield ListTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("audit.title")
        self.load()

    def load(self) -> None:
        from scorecard.services.audit_log import entries

        self.read(lambda session: entries(
            session, viewer=self.app.actor, contains=self.contains, limit=PAGE,
            before_id=self.before_id), self._fill)

    def _fill(self, found: list[Entry]) -> None:
        t = self.app.t
        self.entries = found
        table = self.query_one("#audit-table", DataTable)
        table.clear(columns=True)
        for column in ("at", "user", "action", "entity", "what"):
            table.add_column(t(f"audit.col.{column}"), key=column)
        for e in found:
            entity = f"{e.entity} {e.entity_id}" if e.entity_id is not None else e.entity
            what = entry_in_words(e, t) or e.reason or ""
            table.add_row(f"{local(e.at):%d.%m.%Y %H:%M:%S}", e.actor or "—",
                          action_title(e.action, t), entity, what[:80], key=str(e.id))
        self.query_one("#audit-summary", Static).update(t(
            "audit.summary", count=len(found), filter=self.contains or "—"))
        self._describe(0)
        table.focus()

    @on(DataTable.RowHighlighted, "#audit-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)

    def _describe(self, row: int) -> None:
        detail = self.query_one("#audit-detail", Static)
        if not 0 <= row < len(self.entries):
            detail.update("")
            return
        e = self.entries[row]
        t = self.app.t
        words = entry_in_words(e, t)
        detail.update(t("audit.detail", old=e.old or "—", new=e.new or "—",
                        reason=e.reason or "—") + (f"\n{words}" if words else ""))

    @on(DataTable.RowSelected, "#audit-table")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from scorecard.tui.screens.evaluation import open_evaluation

        row = self.query_one("#audit-table", DataTable).cursor_row
        if not 0 <= row < len(self.entries):
            return
        evaluation = self.entries[row].evaluation_id
        if evaluation is None:
            self.notify(self.app.t("audit.no_evaluation"), severity="warning", timeout=3)
        open_evaluation(self.app, evaluation)

    def action_filter(self) -> None:
        from scorecard.tui.screens.text_dialog import TextDialog

        def apply(text: str | None) -> None:
            if text is None:
                return
            self.contains, self.before_id = text or None, None
            self.load()

        self.app.push_screen(TextDialog(self.app.t("audit.filter_title"),
                                        text=self.contains or ""), apply)

    def action_older(self) -> None:
        if len(self.entries) == PAGE:
            self.before_id = self.entries[-1].id
            self.load()

    def action_newest(self) -> None:
        self.before_id = None
        self.load()

"""The lead's disputes: what operators contest, with the listener's answer and comment.

Enter opens the disputed evaluation (the call, the evidence, the grade's history); ``a``
accepts the dispute under the cursor (the item becomes a pass and the grade is
recounted), ``x`` rejects it; both ask for the reason the operator will read. ``h`` shows
resolved disputes too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.tui.keys import bind
from scorecard.tui.local_time import local
from scorecard.tui.problems import tell_from_thread
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable
from scorecard.tui.wording import stage_title

if TYPE_CHECKING:
    from scorecard.services.disputes import DisputeView
    from scorecard.tui.app import ScorecardApp


class DisputesScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("disputes.open", "enter", "open", "evaluation.open"),
        bind("disputes.accept", "a", "resolve(True)", "disputes.accept"),
        bind("disputes.reject", "x", "resolve(False)", "disputes.reject"),
        bind("disputes.history", "h", "toggle_resolved", "disputes.history"),
        bind("disputes.back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self) -> None:
        super().__init__()
        self.include_resolved = False
        self.disputes: list[DisputeView] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="disputes-summary", markup=False)
        yield ListTable(id="disputes-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="disputes-detail", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("disputes.title")
        self.load()

    def load(self) -> None:
        from scorecard.services.disputes import disputes_for

        self.read(lambda session: disputes_for(
            session, viewer=self.app.actor, include_resolved=self.include_resolved), self._fill)

    def _fill(self, disputes: list[DisputeView]) -> None:
        t = self.app.t
        self.disputes = disputes
        table = self.query_one("#disputes-table", DataTable)
        table.clear(columns=True)
        # The item's wording is long: it goes last so the short columns stay readable.
        for column in ("opened", "operator", "call", "stage", "listener", "status", "item"):
            table.add_column(t(f"disputes.col.{column}"), key=column)
        for d in disputes:
            table.add_row(f"{local(d.opened_at):%d.%m %H:%M}", d.operator, d.call,
                          stage_title(d.stage, t),
                          d.listener, t(f"own.dispute.{d.status}"), d.text,
                          key=str(d.dispute_id))
        waiting = sum(d.status == "open" for d in disputes)
        self.query_one("#disputes-summary", Static).update(t("disputes.summary", open=waiting))
        self._describe(0)
        table.focus()

    @on(DataTable.RowHighlighted, "#disputes-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._describe(event.cursor_row)

    def _describe(self, row: int) -> None:
        detail = self.query_one("#disputes-detail", Static)
        if not 0 <= row < len(self.disputes):
            detail.update(self.app.t("disputes.none"))
            return
        d = self.disputes[row]
        detail.update(self.app.t(
            "disputes.detail", operator=d.operator, comment=d.comment, listener=d.listener,
            listener_comment=d.listener_comment or "—", resolution=d.resolution or "—"))

    @on(DataTable.RowSelected, "#disputes-table")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from scorecard.tui.screens.evaluation import open_evaluation

        row = self.query_one("#disputes-table", DataTable).cursor_row
        if 0 <= row < len(self.disputes):
            open_evaluation(self.app, self.disputes[row].evaluation_id)

    def action_toggle_resolved(self) -> None:
        self.include_resolved = not self.include_resolved
        self.load()

    def action_resolve(self, accept: bool) -> None:
        from scorecard.tui.screens.text_dialog import TextDialog

        row = self.query_one("#disputes-table", DataTable).cursor_row
        if not 0 <= row < len(self.disputes) or self.disputes[row].status != "open":
            self.notify(self.app.t("disputes.pick_open"), severity="warning")
            return
        dispute = self.disputes[row]
        title = self.app.t("disputes.accept_title" if accept else "disputes.reject_title",
                           operator=dispute.operator, item=dispute.text)
        self.app.push_screen(
            TextDialog(title, placeholder=self.app.t("disputes.reason"), required=True),
            lambda reason: self.send(dispute.dispute_id, accept, reason) if reason else None)

    @work(thread=True, group="disputes-resolve", exit_on_error=False)
    def send(self, dispute_id: int, accept: bool, reason: str) -> None:
        from scorecard.services.disputes import resolve

        app = self.app
        try:
            with app.database.session() as session:
                resolve(session, actor=app.actor, dispute_id=dispute_id, accept=accept,
                        reason=reason)
        except Exception as exc:  # refused or storage: the lead is told why
            tell_from_thread(app, exc)
            return
        app.call_from_thread(self.notify, app.t(
            "disputes.accepted" if accept else "disputes.rejected"))
        app.call_from_thread(self.load)

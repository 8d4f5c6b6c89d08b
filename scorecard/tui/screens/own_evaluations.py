"""The operator's own screen: their graded calls, each item's answer, and disputes.

An operator sees nothing of anyone else (the service refuses it). The upper table lists
their evaluations, newest first; the lower one the selected evaluation's items with the
listener's comment and any dispute's outcome, the critical item that set the total to zero
marked. Enter opens the evaluation with the call's transcript and the detector's evidence
(numbers masked as for every operator); ``d`` disputes the failed item under the cursor
with a comment, while the window is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
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
from scorecard.tui.wording import ANSWER_MARKS, points, stage_title

if TYPE_CHECKING:
    from scorecard.i18n import Catalogue
    from scorecard.services.disputes import ItemView, OwnEvaluation
    from scorecard.tui.app import ScorecardApp

class OwnEvaluationsScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("own.open", "enter", "open", "evaluation.open"),
        bind("own.items", "tab", "switch_table", "own.items"),
        bind("own.dispute", "d", "dispute", "own.dispute"),
        bind("own.refresh", "r", "refresh", "own.refresh"),
        bind("own.quit", "q", "app.quit", "app.quit", show=False),
    ]

    app: ScorecardApp

    def __init__(self) -> None:
        super().__init__()
        self.evaluations: list[OwnEvaluation] = []
        self._shown: int | None = None
        """The evaluation whose items are on screen."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="own-summary", markup=False)
        yield ListTable(id="own-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="own-detail", markup=False)
        yield ListTable(id="own-items", cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("own.title")
        self.load()

    def load(self) -> None:
        from scorecard.services.disputes import own_evaluations

        self.read(lambda session: own_evaluations(
            session, viewer=self.app.actor, window_days=self.app.settings.dispute_days), self._fill)

    def _fill(self, evaluations: list[OwnEvaluation]) -> None:
        t = self.app.t
        table = self.query_one("#own-table", DataTable)
        keep = table.cursor_row
        self.evaluations = evaluations
        table.clear(columns=True)
        for column in ("started", "call", "total", "status", "disputes", "until"):
            table.add_column(t(f"own.col.{column}"), key=column)
        colours = self.app.theme_variables
        for e in evaluations:
            total = points(e.total)
            style = colours.get("error", "") if e.critical_fail else ""
            disputes = ", ".join(t(f"own.dispute.{d.dispute_status}") for d in e.disputes)
            table.add_row(f"{e.call_started_at:%d.%m.%Y %H:%M}", e.call,
                          Text(total + (" !" if e.critical_fail else ""), style=style),
                          t(f"own.status.{e.status}"), disputes or "—",
                          f"{local(e.open_until):%d.%m %H:%M}" if e.open_until else t("own.closed"),
                          key=str(e.evaluation_id))
        self.query_one("#own-summary", Static).update(t(
            "own.summary", count=len(evaluations), days=self.app.settings.dispute_days))
        if evaluations:
            table.move_cursor(row=min(keep, len(evaluations) - 1))
            self._show(self.evaluations[table.cursor_row])
        if not self.query_one("#own-items", DataTable).has_focus:
            table.focus()  # a reload after a dispute leaves the listener's place alone

    @on(DataTable.RowHighlighted, "#own-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.evaluations):
            self._show(self.evaluations[event.cursor_row])

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from scorecard.tui.screens.evaluation import open_evaluation

        if self.evaluations:
            row = self.query_one("#own-table", DataTable).cursor_row
            open_evaluation(self.app, self.evaluations[row].evaluation_id)

    def _show(self, evaluation: OwnEvaluation) -> None:
        t = self.app.t
        items = self.query_one("#own-items", DataTable)
        # The same evaluation shown again (after a dispute): the cursor stays on its item.
        keep = items.cursor_row if evaluation.evaluation_id == self._shown else 0
        self._shown = evaluation.evaluation_id
        items.clear(columns=True)
        # Short columns first: the item's wording and the comment are long.
        for column in ("answer", "stage", "dispute", "item", "comment"):
            items.add_column(t(f"own.col.{column}"), key=column)
        colours = self.app.theme_variables
        for item in evaluation.items:
            mark = Text(ANSWER_MARKS.get(item.answer or "", "?") + (" 0!" if item.zeroed else ""),
                        style=colours.get({"pass": "success", "fail": "error"}.get(
                            item.answer or "", "text-muted"), ""))
            items.add_row(mark, stage_title(item.stage, t), _dispute(item, t), item.text,
                          item.comment or "", key=f"{item.stage}/{item.item}")
        detail = t("own.detail", call=evaluation.call,
                   total=points(evaluation.total))
        zeroed = [f"«{item.text}»" for item in evaluation.items if item.zeroed]
        if zeroed:
            detail += " · " + t("own.zeroed", items=", ".join(zeroed))
        self.query_one("#own-detail", Static).update(detail)
        if evaluation.items:
            items.move_cursor(row=min(keep, len(evaluation.items) - 1))

    def action_switch_table(self) -> None:
        table = self.query_one("#own-table", DataTable)
        items = self.query_one("#own-items", DataTable)
        (table if items.has_focus else items).focus()

    def action_refresh(self) -> None:
        self.load()

    def _current(self) -> tuple[OwnEvaluation, ItemView] | None:
        table = self.query_one("#own-table", DataTable)
        if not self.evaluations:
            return None
        evaluation = self.evaluations[table.cursor_row]
        row = self.query_one("#own-items", DataTable).cursor_row
        if not 0 <= row < len(evaluation.items):
            return None
        return evaluation, evaluation.items[row]

    def action_dispute(self) -> None:
        from scorecard.tui.screens.text_dialog import TextDialog

        t = self.app.t
        current = self._current()
        if current is None:
            return
        evaluation, item = current
        if item.answer != "fail":
            self.notify(t("own.only_failed"), severity="warning")
            return
        if evaluation.open_until is None:
            self.notify(t("own.window_closed", days=self.app.settings.dispute_days),
                        severity="warning")
            return
        if item.dispute_status == "open":
            self.notify(t("own.already"), severity="warning")
            return
        self.app.push_screen(
            TextDialog(t("own.dispute_title", item=item.text),
                       placeholder=t("own.dispute_placeholder"), required=True),
            lambda comment: self.send_dispute(evaluation.evaluation_id, item, comment)
            if comment else None)

    @work(thread=True, group="own-dispute", exit_on_error=False)
    def send_dispute(self, evaluation_id: int, item: ItemView, comment: str) -> None:
        from scorecard.services.disputes import open_dispute

        app = self.app
        try:
            with app.database.session() as session:
                open_dispute(session, actor=app.actor, evaluation_id=evaluation_id,
                             stage=item.stage, item=item.item, comment=comment,
                             window_days=app.settings.dispute_days)
        except Exception as exc:  # refused or storage: the operator is told why
            tell_from_thread(app, exc)
            return
        app.call_from_thread(self.notify, app.t("own.sent"))
        app.call_from_thread(self.load)


def _dispute(item: ItemView, t: Catalogue) -> str:
    if item.dispute_status is None:
        return ""
    state = t(f"own.dispute.{item.dispute_status}")
    return f"{state}: {item.resolution}" if item.resolution else state

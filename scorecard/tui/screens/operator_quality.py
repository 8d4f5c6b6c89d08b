"""One operator's quality for a period: the items failed most often and every grade.

Reached from the lead's weak-stage map; Escape goes back to it. Enter on a grade opens
the evaluation; ``w`` swaps the tables for the weekly trend chart
(:mod:`scorecard.tui.widgets.trend_chart`) and back.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.i18n import MESSAGES
from scorecard.tui.keys import bind
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable
from scorecard.tui.wording import points

if TYPE_CHECKING:
    from scorecard.services.quality import OperatorQuality
    from scorecard.tui.app import ScorecardApp


class OperatorQualityScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("operator.open", "enter", "open", "evaluation.open"),
        bind("operator.back", "escape", "app.pop_screen", "app.back"),
        bind("operator.trends", "w", "trends", "trends.key"),
    ]

    app: ScorecardApp

    def __init__(self, operator: str, first: date, last: date, *,
                 today: date | None = None) -> None:
        super().__init__()
        self.operator, self.first, self.last = operator, first, last
        self.today = today or date.today()
        """Where the trend chart ends when the period runs on past it."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="operator-summary", markup=False)
        yield ListTable(id="failed-items", cursor_type="row")
        yield ListTable(id="evaluations", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.operator
        self.load()

    def load(self) -> None:
        from scorecard.services.quality import evaluations_of, item_texts, quality_breakdown

        def query(session):  # noqa: ANN001, ANN202 - a Session, a tuple
            who = self.app.actor
            found = quality_breakdown(session, viewer=who, first=self.first, last=self.last,
                                      operator=self.operator)
            return (found[0] if found else None,
                    evaluations_of(session, viewer=who, operator=self.operator, first=self.first,
                                   last=self.last),
                    item_texts(session, self.operator))

        self.read(query, lambda found: self._fill(*found))

    def _fill(self, quality: OperatorQuality | None, grades: list[tuple],
              texts: dict[tuple[str, str], str]) -> None:
        t = self.app.t
        summary = self.query_one("#operator-summary", Static)
        if quality is None or quality.total.mean is None:
            summary.update(t("map.no_grades"))
            return
        interval = "" if quality.total.low is None else \
            f" ({quality.total.low:.0f}–{quality.total.high:.0f})"
        summary.update(t("map.summary", mean=f"{quality.total.mean:.1f}", interval=interval,
                         n=quality.total.evaluations, critical=quality.critical_fails))
        items = self.query_one("#failed-items", DataTable)
        items.add_columns(t("map.col.item"), t("map.col.failed"), t("map.col.pass_rate"))
        failed = sorted(quality.items.items(), key=lambda kv: (-kv[1][1], kv[0]))
        for (stage, item), (passed, fails) in failed[:10]:
            if fails:
                label = f"{t(f'stage.{stage}') if f'stage.{stage}' in MESSAGES else stage}: " \
                    f"{texts.get((stage, item), item)}"
                items.add_row(label, str(fails), f"{passed / (passed + fails):.0%}")
        table = self.query_one("#evaluations", DataTable)
        table.add_columns(t("queue.col.started"), t("queue.col.call"), t("map.col.total"),
                          t("grading.critical_mark"), t("map.col.listener"))
        for started, external, total, critical, listener, evaluation in grades:
            table.add_row(f"{started:%d.%m.%Y %H:%M}", external,
                          points(total), "!" if critical else "",
                          listener, key=str(evaluation))
        table.focus()

    @on(DataTable.RowSelected, "#evaluations")
    def _selected(self) -> None:
        self.action_open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open":  # the grades are not on screen while the chart is
            return bool(self.query_one("#evaluations").display)
        return True

    def action_open(self) -> None:
        from scorecard.tui.screens.evaluation import open_evaluation

        table = self.query_one("#evaluations", DataTable)
        if table.row_count and table.display:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            open_evaluation(self.app, int(key) if key else None)

    async def action_trends(self) -> None:
        """Swap the tables for the weekly trend chart, or back; the chart is built (and
        textual-plotext imported) the first time it is asked for."""
        from scorecard.tui.widgets.trend_chart import TrendPanel

        panel = next(iter(self.query(TrendPanel)), None)
        shown = panel is None or not panel.display
        if panel is None:
            panel = TrendPanel(self.operator, until=min(self.last, self.today), id="trends")
            await self.mount(panel, after="#operator-summary")
        panel.display = shown
        for table in self.query(DataTable):
            table.display = not shown
        (panel.query_one("#trend-chart") if shown else self.query_one("#evaluations")).focus()
        self.call_after_refresh(self.query_one(KeyBar).refresh_keys)

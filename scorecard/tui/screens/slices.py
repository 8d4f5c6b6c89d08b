"""The lead's slice screen: who lags on which metric at this slice, and the tasks.

The slice is the latest configured time already passed today (or the first one); ``[`` and
``]`` move between slices (past the day's last one into the next day), ``,`` and ``.``
between days, ``g`` goes to any date. ``x`` on a lagging cell gives that operator a task
for that metric, once confirmed: reach the norm pro-rated to the next slice.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.domain.slices import SLICE_METRICS, SliceRules
from scorecard.tui.keys import bind
from scorecard.tui.problems import tell_from_thread
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable

if TYPE_CHECKING:
    from scorecard.domain.slices import SliceRow
    from scorecard.services.slices import TaskCheck
    from scorecard.tui.app import ScorecardApp


class SliceScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("slices.previous", "left_square_bracket", "step(-1)", "slices.previous"),
        bind("slices.next", "right_square_bracket", "step(1)", "slices.next"),
        bind("slices.previous_day", "comma", "shift_day(-1)", "slices.previous_day"),
        bind("slices.next_day", "full_stop", "shift_day(1)", "slices.next_day"),
        bind("slices.go", "g", "go_to_day", "slices.go"),
        bind("slices.task", "x", "task", "slices.task"),
        bind("slices.back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self, *, day: date, now: time | None = None,
                 rules: SliceRules | None = None) -> None:
        super().__init__()
        self.day = day
        self.rules = rules or SliceRules()
        now = now or datetime.now().time()
        passed = [t for t in self.rules.times if t <= now]
        self.at = passed[-1] if passed else self.rules.times[0]
        self.rows: list[SliceRow] = []
        self.checks: list[TaskCheck] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="slice-status", markup=False)
        yield ListTable(id="slice-table", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="slice-tasks", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("slices.title")
        self.load()

    def load(self) -> None:
        from scorecard.services.slices import check_tasks, slice_report

        self.read(lambda session: (
            slice_report(session, self.day, self.at, self.rules, viewer=self.app.actor),
            check_tasks(session, self.day, self.at, viewer=self.app.actor)),
            lambda found: self._fill(*found))

    def _fill(self, rows: list[SliceRow], checks: list[TaskCheck]) -> None:
        t = self.app.t
        self.rows, self.checks = rows, checks
        table = self.query_one("#slice-table", DataTable)
        table.clear(columns=True)
        table.add_column(t("map.col.operator"), key="operator")
        for metric in SLICE_METRICS:
            table.add_column(t(f"slices.metric.{metric}"), key=metric)
        colours = self.app.theme_variables
        for row in rows:
            cells: list[Text | str] = [row.operator]
            for cell in row.cells:
                style = f"bold {colours.get('error', '')}" if cell.lagging else ""
                cells.append(Text(f"{cell.shown()}{' !' if cell.lagging else ''}", style=style))
            table.add_row(*cells, key=str(row.operator_id))
        lagging = sum(row.lagging for row in rows)
        self.query_one("#slice-status", Static).update(t(
            "slices.status", day=f"{self.day:%d.%m.%Y}", at=f"{self.at:%H:%M}",
            lagging=lagging, operators=len(rows), share=f"{self.rules.lag_below:.0%}"))
        self.query_one("#slice-tasks", Static).update("\n".join(
            t("slices.checked", operator=c.operator, metric=t(f"slices.metric.{c.metric}"),
              actual=c.actual, target=f"{c.target:g}", due=f"{c.due_at:%H:%M}",
              result=t(f"slices.result.{c.result}")) for c in checks))

    def action_step(self, step: int) -> None:
        times = self.rules.times
        position = (times.index(self.at) if self.at in times else 0) + step
        if position < 0:  # before the day's first slice: the day before's last
            self.day, position = self.day - timedelta(days=1), len(times) - 1
        elif position >= len(times):
            self.day, position = self.day + timedelta(days=1), 0
        self.at = times[position]
        self.load()

    def action_shift_day(self, days: int) -> None:
        self.day += timedelta(days=days)
        self.load()

    def action_go_to_day(self) -> None:
        from scorecard.domain.periods import parse_day
        from scorecard.tui.screens.text_dialog import TextDialog

        def go(text: str | None) -> None:
            if not text:
                return
            day = parse_day(text, year=self.day.year)
            if day is None:
                self.notify(self.app.t("slices.bad_day", day=text), severity="warning")
                return
            self.day = day
            self.load()

        self.app.push_screen(TextDialog(self.app.t("slices.go_title"),
                                        text=f"{self.day:%d.%m.%Y}"), go)

    def action_task(self) -> None:
        table = self.query_one("#slice-table", DataTable)
        if not table.row_count:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate)
        row = next((r for r in self.rows if str(r.operator_id) == key.row_key.value), None)
        cell = next((c for c in row.cells if c.metric == key.column_key.value), None) \
            if row else None
        if row is None or cell is None or not cell.lagging or cell.expected is None:
            self.notify(self.app.t("slices.pick_lagging"), severity="warning")
            return
        from scorecard.tui.screens.text_dialog import TextDialog

        t = self.app.t
        operator, metric = row.operator, cell.metric
        # Confirmed first (Enter), with an optional note; Escape sets nothing.
        self.app.push_screen(
            TextDialog(t("slices.task_confirm", operator=operator,
                         metric=t(f"slices.metric.{metric}")),
                       placeholder=t("slices.task_note")),
            lambda note: None if note is None else self.set_task(operator, metric,
                                                                 note.strip() or None))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The task key only for those who may set tasks (a trainer sees the slices)."""
        from scorecard.services.access import Permission

        return action != "task" or self.app.actor.may(Permission.SET_SLICE_TASKS)

    @work(thread=True, group="slice-task", exit_on_error=False)
    def set_task(self, operator: str, metric: str, note: str | None = None) -> None:
        from scorecard.services.slices import set_task

        app = self.app
        try:
            with app.database.session() as session:
                task = set_task(session, operator=operator, day=self.day, at=self.at,
                                metric=metric, target=None, login=app.login, rules=self.rules,
                                note=note)
                due, target = task.due_at, task.target
        except Exception as exc:  # refused (not a lead) or storage: say it
            tell_from_thread(app, exc)
            return
        app.call_from_thread(self.notify, app.t(
            "slices.task_set", operator=operator, metric=app.t(f"slices.metric.{metric}"),
            target=f"{target:g}", due=f"{due:%H:%M}"))

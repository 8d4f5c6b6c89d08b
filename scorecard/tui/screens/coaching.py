"""The trainer's coaching screen: open tasks with their measured effect, escalated first."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.i18n import MESSAGES
from scorecard.tui.keys import bind
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable

if TYPE_CHECKING:
    from scorecard.services.coaching import FollowUp
    from scorecard.tui.app import ScorecardApp


class CoachingScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("coaching.back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self, *, today: date | None = None) -> None:
        super().__init__()
        self._today = today
        self.tasks: list[FollowUp] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="coaching-summary", markup=False)
        yield ListTable(id="coaching-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("coaching.title")
        self.load()

    def load(self) -> None:
        from scorecard.services.coaching import follow_ups

        self.read(lambda session: follow_ups(session, viewer=self.app.actor, today=self._today),
                  self._fill)

    def _fill(self, tasks: list[FollowUp]) -> None:
        t = self.app.t
        self.tasks = tasks
        table = self.query_one("#coaching-table", DataTable)
        table.clear(columns=True)
        for column in ("operator", "stage", "before", "after", "verdict", "due", "goal"):
            table.add_column(t(f"coaching.col.{column}"), key=column)
        colours = self.app.theme_variables
        for task in tasks:
            stage = t(f"stage.{task.stage}") if f"stage.{task.stage}" in MESSAGES else task.stage
            verdict = Text(t(f"coaching.verdict.{task.verdict}"), style=colours.get(
                {"improved": "success", "not improved": "error"}.get(task.verdict,
                                                                     "text-muted"), ""))
            due = Text(f"{task.due_on:%d.%m.%Y}"
                       + (f" {t('coaching.overdue')}" if task.overdue else ""),
                       style=colours.get("error", "") if task.overdue else "")
            table.add_row(task.operator, stage, _mean(task.before), _mean(task.after), verdict,
                          due, task.goal, key=str(task.task_id))
        self.query_one("#coaching-summary", Static).update(t(
            "coaching.summary", open=len(tasks), escalated=sum(t.escalated for t in tasks)))
        table.focus()


def _mean(pair: tuple[int, float | None]) -> str:
    n, mean = pair
    return "—" if mean is None else f"{mean:.0f} ({n})"

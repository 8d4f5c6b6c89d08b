"""The lead's weak-stage map: operators × stages for a team and a month, weakest first.

Each cell is the stage's mean score over the period's graded calls, with how many calls are
behind it; too few to judge is shown as such instead of a colour. Enter opens the
operator's most failed items. The month moves with ``[`` and ``]``, the team with ``t``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.domain.cards import STANDARD_STAGES
from scorecard.domain.periods import month_of
from scorecard.tui.fetch import deliver, fetch
from scorecard.tui.keys import bind
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable
from scorecard.tui.wording import stage_title

if TYPE_CHECKING:
    from scorecard.services.quality import OperatorQuality
    from scorecard.tui.app import ScorecardApp
    from scorecard.tui.screens.new_coaching_task import TaskFor

MIN_EVALUATIONS = 5
"""Below this many graded calls a stage's score is too noisy to judge."""


class WeakStageScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("map.open", "enter", "open_operator", "map.open"),
        bind("map.previous", "left_square_bracket", "shift_month(-1)", "map.previous"),
        bind("map.next", "right_square_bracket", "shift_month(1)", "map.next"),
        bind("map.team", "t", "next_team", "map.team"),
        bind("map.coach", "c", "coach", "map.coach"),
        bind("map.coaching", "k", "coaching", "map.coaching"),
        bind("map.slices", "s", "slices", "map.slices"),
        bind("map.kpi", "p", "kpi", "map.kpi"),
        bind("map.queue", "g", "grade", "map.queue"),
        bind("map.disputes", "d", "disputes", "map.disputes"),
        bind("map.audit", "l", "audit", "map.audit"),
        bind("map.calibration", "b", "calibration", "calibration.menu"),
        bind("map.quit", "q", "app.quit", "app.quit", show=False),
    ]
    NEEDS: ClassVar[dict[str, str]] = {
        "coach": "COACH", "coaching": "COACH", "slices": "VIEW_SLICES", "kpi": "VIEW_KPI",
        "grade": "GRADE", "disputes": "RESOLVE_DISPUTES", "audit": "VIEW_AUDIT",
        "calibration": "CALIBRATE",
    }
    """The permission each key's screen needs: keys the user may not use are not offered
    (the services refuse them anyway)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide (and disable) the keys of screens the user's role may not open."""
        from scorecard.services.access import Permission

        needed = self.NEEDS.get(action)
        return needed is None or self.app.actor.may(Permission[needed])

    app: ScorecardApp

    def __init__(self, *, today: date | None = None) -> None:
        super().__init__()
        self._today = today or date.today()
        self._first, self._last = month_of(self._today)
        self._teams: list[str | None] = [None]
        self._team: str | None = None
        self.rows: list[OperatorQuality] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="map-status", markup=False)
        yield ListTable(id="map-table", cursor_type="cell", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("map.title")
        self.load()

    def load(self) -> None:
        from scorecard.services.quality import quality_breakdown
        from scorecard.services.teams import visible_team_names

        who = self.app.actor
        self.read(lambda session: (
            [None, *visible_team_names(session, viewer=who)],
            quality_breakdown(session, viewer=who, first=self._first, last=self._last,
                              team=self._team, items=False)),
            lambda found: self._fill(*found))

    def _fill(self, teams: list[str | None], rows: list[OperatorQuality]) -> None:
        t = self.app.t
        self._teams = teams
        self.rows = sorted(rows, key=_weakest_score)
        stages = [s for s in STANDARD_STAGES if any(s in r.stages for r in rows)]
        stages += sorted({s for r in rows for s in r.stages} - set(stages))
        table = self.query_one("#map-table", DataTable)
        table.clear(columns=True)
        table.add_column(t("map.col.operator"), key="operator")
        table.add_column(t("map.col.calls"), key="calls")
        table.add_column(t("map.col.total"), key="total")
        for stage in stages:
            table.add_column(stage_title(stage, t),
                             key=stage)
        colours = self.app.theme_variables
        for row in self.rows:
            cells: list[Text | str] = [row.operator, str(row.total.evaluations),
                                       _score(row.total.mean, row.total.evaluations, colours,
                                              count=False)]
            for stage in stages:
                n, mean = row.stages.get(stage, (0, None))
                cells.append(_score(mean, n, colours))
            table.add_row(*cells, key=str(row.operator_id))
        period = f"{self._first:%m.%Y}"
        team = self._team or t("map.all_teams")
        self.query_one("#map-status", Static).update(
            t("map.status", period=period, team=team, operators=len(rows),
              minimum=MIN_EVALUATIONS))
        table.focus()

    def action_shift_month(self, step: int) -> None:
        anchor = self._first + timedelta(days=40) if step > 0 else self._first - timedelta(days=1)
        self._first, self._last = month_of(anchor)
        self.load()

    def action_next_team(self) -> None:
        position = self._teams.index(self._team) if self._team in self._teams else 0
        self._team = self._teams[(position + 1) % len(self._teams)]
        self.load()

    def action_grade(self) -> None:
        from scorecard.tui.screens.queue import QueueScreen

        self.app.push_screen(QueueScreen())

    @on(DataTable.CellSelected, "#map-table")
    def _selected(self, event: DataTable.CellSelected) -> None:
        self._open(event.cell_key.row_key.value)

    def action_open_operator(self) -> None:
        cell = self._cursor_cell()
        if cell is not None:
            self._open(cell[0])

    def _cursor_cell(self) -> tuple[str | None, str | None] | None:
        """(operator row key, column key) under the cursor."""
        table = self.query_one("#map-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate)
        return key.row_key.value, key.column_key.value

    def action_coach(self) -> None:
        """A coaching task for the operator and stage under the cursor: the form opens with
        the operator's graded calls of the month to pick examples from."""
        cell = self._cursor_cell()
        row = next((r for r in self.rows if cell and str(r.operator_id) == cell[0]), None)
        stage = cell[1] if cell else None
        if row is None or stage is None or stage not in row.stages:
            self.notify(self.app.t("map.pick_stage"), severity="warning")
            return
        self.offer_task(row.operator, stage)

    @work(thread=True, exclusive=True, group="map-coach", exit_on_error=False)
    def offer_task(self, operator: str, stage: str) -> None:
        from scorecard.services.coaching import example_candidates
        from scorecard.tui.screens.new_coaching_task import TaskFor

        app = self.app
        candidates = fetch(app, lambda session: example_candidates(
            session, viewer=app.actor, operator=operator, stage=stage, first=self._first,
            last=self._last))
        if candidates is not None:
            deliver(app, self._ask_task, TaskFor(operator, stage, stage_title(stage, app.t),
                                                  candidates))

    def _ask_task(self, task_for: TaskFor) -> None:
        from scorecard.tui.screens.new_coaching_task import NewCoachingTaskDialog

        def created(number: int | None) -> None:
            if number is not None:
                self.notify(self.app.t("map.coach_set", operator=task_for.operator,
                                       task=number))

        self.app.push_screen(NewCoachingTaskDialog(task_for, today=self._today), created)

    def action_slices(self) -> None:
        from scorecard.tui.screens.slices import SliceScreen

        self.app.push_screen(SliceScreen(day=self._today, rules=self.app.settings.slices))

    def action_kpi(self) -> None:
        from scorecard.tui.screens.kpi import KpiScreen

        self.app.push_screen(KpiScreen(today=self._first, terms=self.app.settings.kpi_terms))

    def action_coaching(self) -> None:
        from scorecard.tui.screens.coaching import CoachingScreen

        self.app.push_screen(CoachingScreen(today=self._today))

    def action_disputes(self) -> None:
        from scorecard.tui.screens.disputes import DisputesScreen

        self.app.push_screen(DisputesScreen())

    def action_audit(self) -> None:
        from scorecard.tui.screens.audit import AuditScreen

        self.app.push_screen(AuditScreen())

    def action_calibration(self) -> None:
        from scorecard.tui.screens.calibration import CalibrationScreen

        self.app.push_screen(CalibrationScreen())

    def _open(self, key: str | None) -> None:
        from scorecard.tui.screens.operator_quality import OperatorQualityScreen

        row = next((r for r in self.rows if str(r.operator_id) == key), None)
        if row is not None:
            self.app.push_screen(OperatorQualityScreen(row.operator, self._first, self._last,
                                                       today=self._today))


def _weakest_score(row: OperatorQuality) -> float:
    judged = [mean for n, mean in row.stages.values() if n >= MIN_EVALUATIONS]
    return min(judged) if judged else 101.0  # nothing to judge yet: at the bottom


def _score(mean: float | None, n: int, colours: dict[str, str], *, count: bool = True) -> Text:
    """A coloured score with the number of grades behind it; too few is grey with ``?``."""
    if mean is None or n == 0:
        return Text("—", style=colours.get("text-muted", ""))
    behind = f" ({n})" if count else ""
    if n < MIN_EVALUATIONS:
        return Text(f"{mean:.0f}?{behind}", style=colours.get("text-muted", ""))
    colour = colours.get("error" if mean < 60 else "warning" if mean < 80 else "success", "")
    return Text(f"{mean:.0f}{behind}", style=f"bold {colour}")

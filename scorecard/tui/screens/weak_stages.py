"""The lead's weak-stage map: operators × stages for a team and a month.

Each cell is the stage's mean score over the period's graded calls, with how many calls are
behind it when that differs from the operator's graded calls; too few to judge is shown as
such instead of a colour. ``o`` chooses the order (total, weakest stage, graded calls) and
the status line says which. A total below every stage is explained there: a failed critical
item sets its call's total to zero. Enter opens the operator's most failed items. The month
moves with ``[`` and ``]``, the team with ``t``. Names stay whole and in view (the table
scrolls sideways under them); stage titles shorten on a narrow terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.domain.cards import STANDARD_STAGES
from scorecard.domain.periods import month_of, shift_month
from scorecard.i18n import MESSAGES
from scorecard.tui.fetch import deliver, fetch
from scorecard.tui.keys import bind
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable
from scorecard.tui.wording import stage_title

if TYPE_CHECKING:
    from scorecard.i18n import Catalogue
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
        bind("map.sort", "o", "next_order", "map.sort"),
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
        self.order = ORDERS[0]
        self.rows: list[OperatorQuality] = []
        self._empty_month: date | None = None
        """The month asked for at first, shown empty: the map opened on the one before."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="map-status", markup=False)
        yield ListTable(id="map-table", cursor_type="cell", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("map.title")
        self.load()

    def load(self) -> None:
        from scorecard.services.quality import last_graded_day, quality_breakdown
        from scorecard.services.teams import visible_team_names

        who, first_read = self.app.actor, not self.loads
        asked, team = (self._first, self._last), self._team

        def query(session):  # noqa: ANN001, ANN202 - a Session, what the map shows
            shown = asked
            rows = quality_breakdown(session, viewer=who, first=shown[0], last=shown[1],
                                     team=team, items=False)
            # Early in a month nothing is graded yet (or a team paused grading): the lead
            # opens on the last month with grades, told so, rather than on an empty map.
            last = (last_graded_day(session, viewer=who, before=asked[0])
                    if first_read and not rows and team is None else None)
            if last is not None:
                shown = month_of(last)
                rows = quality_breakdown(session, viewer=who, first=shown[0], last=shown[1],
                                         team=team, items=False)
            return [None, *visible_team_names(session, viewer=who)], rows, shown

        self.read(query, lambda found: self._fill(*found))

    def _fill(self, teams: list[str | None], rows: list[OperatorQuality],
              shown: tuple[date, date]) -> None:
        t = self.app.t
        if shown[0] != self._first:  # opened on the month before: the asked one was empty
            self._empty_month, (self._first, self._last) = self._first, shown
        self._teams = teams
        self.rows = sorted(rows, key=ORDER_KEYS[self.order])
        stages = [s for s in STANDARD_STAGES if any(s in r.stages for r in rows)]
        stages += sorted({s for r in rows for s in r.stages} - set(stages))
        # On a narrow terminal the stage columns give way first: short titles (names never
        # shorten; the table scrolls sideways under them).
        names = max((cell_len(r.operator) for r in rows), default=0)
        wide = names + 16 + sum(max(cell_len(stage_title(s, t)), 7) for s in stages)
        short = self.app.size.width < wide + 2 * (3 + len(stages)) + 2
        table = self.query_one("#map-table", DataTable)
        table.clear(columns=True)
        table.add_column(t("map.col.operator"), key="operator")
        table.add_column(t("map.col.calls"), key="calls")
        table.add_column(t("map.col.total"), key="total")
        for stage in stages:
            table.add_column(_short_title(stage, t) if short else stage_title(stage, t),
                             key=stage)
        table.fixed_columns = 1  # the name stays in view when the table scrolls sideways
        colours = self.app.theme_variables
        for row in self.rows:
            graded = row.total.evaluations
            total = _score(row.total.mean, graded, colours, count=False)
            if row.critical_fails:
                total.append(" !", style=colours.get("error", ""))
            cells: list[Text | str] = [row.operator, str(graded), total]
            for stage in stages:
                n, mean = row.stages.get(stage, (0, None))
                cells.append(_score(mean, n, colours, count=n != graded))
            table.add_row(*cells, key=str(row.operator_id))
        period = f"{self._first:%m.%Y}"
        # Whoever sees one team (a lead limited to theirs) is told its name, not «all teams».
        team = self._team or (teams[1] if len(teams) == 2 else t("map.all_teams"))
        lines = [t("map.status", period=period, team=team, operators=len(rows),
                   minimum=MIN_EVALUATIONS),
                 t("map.order", order=t(f"map.order.{self.order}"))]
        if self._empty_month is not None:
            lines.insert(0, t("map.earlier", empty=f"{self._empty_month:%m.%Y}", shown=period))
        zeroed = [r for r in rows if r.critical_fails]
        if zeroed:
            lines.append(t("map.critical", operators=len(zeroed),
                           calls=sum(r.critical_fails for r in zeroed)))
        self.query_one("#map-status", Static).update("\n".join(lines))
        table.focus()

    def action_next_order(self) -> None:
        """Sorted again in place: the order changes nothing that was read."""
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self._fill(self._teams, self.rows, (self._first, self._last))

    def action_shift_month(self, step: int) -> None:
        self._first, self._last = shift_month(self._first, step)
        self._empty_month = None
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


def _weakest_score(row: OperatorQuality) -> tuple[float, str]:
    judged = [mean for n, mean in row.stages.values() if n >= MIN_EVALUATIONS]
    # Nothing to judge yet: at the bottom.
    return (min(judged) if judged else 101.0), row.operator


ORDER_KEYS: dict[str, Callable[[OperatorQuality], tuple[float, str]]] = {
    "total": lambda row: (101.0 if row.total.mean is None else row.total.mean, row.operator),
    "weakest": _weakest_score,
    "graded": lambda row: (-row.total.evaluations, row.operator),
}
"""How the rows can be ordered; each ties on the name, so the order is always the same."""
ORDERS = tuple(ORDER_KEYS)


def _short_title(stage: str, t: Catalogue) -> str:
    key = f"stage.short.{stage}"
    return t(key) if key in MESSAGES else stage_title(stage, t)


def _score(mean: float | None, n: int, colours: dict[str, str], *, count: bool = True) -> Text:
    """A coloured score with the number of grades behind it; too few is grey with ``?``."""
    if mean is None or n == 0:
        return Text("—", style=colours.get("text-muted", ""))
    behind = f" ({n})" if count else ""
    if n < MIN_EVALUATIONS:
        return Text(f"{mean:.0f}?{behind}", style=colours.get("text-muted", ""))
    colour = colours.get("error" if mean < 60 else "warning" if mean < 80 else "success", "")
    return Text(f"{mean:.0f}{behind}", style=f"bold {colour}")

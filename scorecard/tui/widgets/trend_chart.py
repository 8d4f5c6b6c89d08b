"""The weekly trend chart: an operator's quality by week against the team's, total or by stage.

:class:`TrendPanel` loads :func:`scorecard.services.trends.operator_trends` on a worker and
owns the keys (``s`` moves from the total to each stage in card order and back, ``S`` the
other way);
:class:`TrendChart` only draws. This module imports textual-plotext at the top, so screens
import it when a chart is first asked for, never at start-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.color import Color
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from scorecard.i18n import MESSAGES
from scorecard.tui.fetch import deliver, fetch
from scorecard.tui.keys import bind

if TYPE_CHECKING:
    from datetime import date

    from scorecard.services.trends import Trends, WeekPoint
    from scorecard.tui.app import ScorecardApp

TEAM_COLOUR = "gray"
"""The team's line is dim: it is the background the operator's line is read against."""


def segments(points: list[WeekPoint]) -> list[list[tuple[int, float]]]:
    """Runs of consecutive weeks with a mean: each is drawn as its own line, so a week
    without grades leaves a gap instead of a line drawn through (or down to) nothing."""
    runs: list[list[tuple[int, float]]] = []
    previous = None
    for week, point in enumerate(points):
        if point.mean is None:
            continue
        if previous is not None and week == previous + 1:
            runs[-1].append((week, point.mean))
        else:
            runs.append([(week, point.mean)])
        previous = week
    return runs


class TrendChart(PlotextPlot):
    """The operator's weekly line and the team's dim one, y 0–100, weeks by their Monday."""

    can_focus = True

    app: ScorecardApp

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.trends: Trends | None = None
        self.stage: str | None = None
        """The stage shown; None: the quality total."""

    @property
    def stages(self) -> list[str]:
        """The stages worth a chart: graded at least once in the span, in card order."""
        if self.trends is None:
            return []
        lines = [self.trends.mine] + ([self.trends.team_line] if self.trends.team_line else [])
        return [s for s in self.trends.stages
                if any(p.evaluations for line in lines for p in line.stages.get(s, []))]

    @property
    def lines(self) -> tuple[list[WeekPoint], list[WeekPoint] | None]:
        """The operator's points and the team's (None without a team) for what is shown."""
        assert self.trends is not None
        team = self.trends.team_line
        if self.stage is None:
            return self.trends.mine.total, team.total if team else None
        return (self.trends.mine.stages[self.stage],
                team.stages[self.stage] if team else None)

    def stage_title(self, stage: str) -> str:
        assert self.trends is not None
        title = self.trends.stage_titles.get(stage, stage)
        if title == stage and f"stage.{stage}" in MESSAGES:
            return self.app.t(f"stage.{stage}")
        return title

    @property
    def heading(self) -> str:
        t = self.app.t
        if self.stage is None:
            return t("trends.title.total")
        return t("trends.title.stage", stage=self.stage_title(self.stage))

    def show(self, trends: Trends) -> None:
        self.trends = trends
        if self.stage not in self.stages:
            self.stage = None
        self.draw()

    def step_stage(self, step: int) -> None:
        """Show the next (``step`` 1) or previous (-1) stage; the total sits between the last
        stage and the first."""
        order: list[str | None] = [None, *self.stages]
        self.stage = order[(order.index(self.stage) + step) % len(order)]
        self.draw()

    def draw(self) -> None:
        if self.trends is None:
            return
        t, plt = self.app.t, self.plt
        plt.clear_data()
        mine, team = self.lines
        if team is not None:
            self._line(team, TEAM_COLOUR, t("trends.legend.team", team=self.trends.team))
        accent = self.app.theme_variables.get("primary")
        colour = Color.parse(accent).rgb if accent else "blue"
        self._line(mine, colour, self.trends.operator)
        weeks = list(range(len(self.trends.weeks)))
        plt.title(self.heading)
        plt.ylim(0, 100)
        plt.yticks([0, 25, 50, 75, 100])
        plt.xlim(-0.5, len(weeks) - 0.5)
        plt.xticks(weeks, [f"{monday:%d.%m}" for monday in self.trends.weeks])
        self.refresh()

    def _line(self, points: list[WeekPoint], colour: object, label: str) -> None:
        """One line with its legend label once; a lone week is drawn as a point."""
        for n, run in enumerate(segments(points)):
            xs, ys = [x for x, _ in run], [y for _, y in run]
            draw = self.plt.plot if len(run) > 1 else self.plt.scatter
            draw(xs, ys, color=colour, marker="braille", label=label if n == 0 else None)


class TrendPanel(Vertical):
    """A chart with a line of counts under it, loaded for one operator."""

    DEFAULT_CSS = """
    TrendPanel {
        height: 1fr;
        min-height: 12;
    }
    TrendPanel > TrendChart {
        height: 1fr;
    }
    TrendPanel > #trend-counts {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("trends.next_stage", "s", "step_stage(1)", "trends.next_stage"),
        bind("trends.previous_stage", "S", "step_stage(-1)", "trends.previous_stage", show=False),
    ]

    app: ScorecardApp

    def __init__(self, operator: str, *, until: date, weeks: int | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.operator, self.until, self.weeks = operator, until, weeks
        self.loads = 0
        """How many times the chart was filled; tests wait on it."""

    def compose(self) -> ComposeResult:
        yield TrendChart(id="trend-chart")
        yield Static(self.app.t("trends.loading"), id="trend-counts", markup=False)

    def on_mount(self) -> None:
        self.load()

    @property
    def chart(self) -> TrendChart:
        return self.query_one(TrendChart)

    @work(thread=True, exclusive=True, group="trend-load", exit_on_error=False)
    def load(self) -> None:
        from scorecard.services.trends import DEFAULT_WEEKS, operator_trends

        found = fetch(self.app, lambda session: operator_trends(
            session, viewer=self.app.actor, operator=self.operator, until=self.until,
            weeks=self.weeks or DEFAULT_WEEKS))
        if found is not None:
            deliver(self.app, self._fill, found)

    def _fill(self, trends: Trends) -> None:
        self.chart.show(trends)
        self._count()
        self.loads += 1

    def _count(self) -> None:
        """The grades behind each week's point: a mean of two grades is not a trend."""
        t = self.app.t
        mine, team = self.chart.lines
        if not any(p.evaluations for p in mine + (team or [])):
            text = t("trends.no_grades")
        else:
            counts = " · ".join(str(p.evaluations) for p in mine)
            text = t("trends.counts", counts=counts)
            if team is not None:
                text += " " + t("trends.team_counts",
                                counts=" · ".join(str(p.evaluations) for p in team))
        self.query_one("#trend-counts", Static).update(text)

    def action_step_stage(self, step: int) -> None:
        if self.chart.trends is None:
            return
        self.chart.step_stage(step)
        self._count()

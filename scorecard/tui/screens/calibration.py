"""The lead's calibration screens: the sessions with their progress, and a session's report.

Reached from the weak-stage map. The list shows every session (open first) with grades
given of grades expected; Enter opens the report: Krippendorff's alpha read in plain words,
each listener's deviation from the group, the calls' totals side by side, and the items of
every call with the disagreements highlighted (``a`` shows every item or only those).
``n`` creates a session on a day's random calls (the form in :mod:`.new_calibration`; a
session on chosen calls is made with ``scorecard calibration create``); ``x`` closes the
session under the cursor. Everything is read and written in workers.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.tui.fetch import fetch
from scorecard.tui.keys import bind
from scorecard.tui.local_time import local
from scorecard.tui.problems import tell_from_thread
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable
from scorecard.tui.wording import stage_title

if TYPE_CHECKING:
    from sqlmodel import Session

    from scorecard.services.calibration import (
        CalibrationReport,
        CreatedSession,
        SessionSummary,
    )
    from scorecard.tui.app import ScorecardApp
    from scorecard.tui.screens.new_calibration import Choices

STYLES = Path(__file__).resolve().parents[1] / "styles" / "calibration.tcss"

ITEM_WIDTH = 48
"""Longer item texts are cut, so the listeners' answers stay on an 80–100 column screen."""
READING_COLOUR = {"good": "success", "tentative": "warning", "poor": "error"}
"""Theme colours of alpha's readings; the undefined ones stay dim."""


class CalibrationScreen(TableScreen):
    """Every calibration session with its progress."""

    CSS_PATH = STYLES
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("calibration.open", "enter", "open_report", "calibration.open"),
        bind("calibration.new", "n", "new_session", "calibration.new"),
        bind("calibration.close", "x", "close_session", "calibration.close"),
        bind("calibration.refresh", "r,f5", "refresh", "calibration.refresh"),
        bind("calibration.back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[SessionSummary] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="calibration-status", markup=False)
        yield ListTable(id="calibration-sessions", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("calibration.title")
        self.load()

    def load(self) -> None:
        from scorecard.services.calibration import list_sessions

        # A refusal is said where the list would be.
        self.read(lambda session: list_sessions(session, viewer=self.app.actor), self._fill,
                  refused=self._refused)

    def _refused(self, message: str) -> None:
        self.query_one("#calibration-status", Static).update(message)
        self.notify(message, severity="error", timeout=10)

    def _fill(self, sessions: list[SessionSummary]) -> None:
        t = self.app.t
        self.sessions = sessions
        table = self.query_one("#calibration-sessions", DataTable)
        selected = self._selected()
        table.clear(columns=True)
        for column in ("session", "title", "state", "progress", "calls", "listeners",
                       "created"):
            table.add_column(t(f"calibration.col.{column}"), key=column)
        colours = self.app.theme_variables
        for s in sessions:
            closed = f"{local(s.closed_at):%d.%m}" if s.closed_at else ""
            state = Text(t("calibration.state.open"), style=colours.get("success", "")) \
                if s.is_open else Text(t("calibration.state.closed", day=closed),
                                       style=colours.get("text-muted", ""))
            done = s.expected and s.graded >= s.expected
            progress = Text(f"{s.graded}/{s.expected}",
                            style=f"bold {colours.get('success', '')}" if done else "")
            table.add_row(str(s.session_id), s.title, state, progress, str(s.calls),
                          ", ".join(s.listeners),
                          f"{local(s.created_at):%d.%m.%Y} {s.created_by}", key=str(s.session_id))
        if selected is not None and any(str(s.session_id) == selected for s in sessions):
            table.move_cursor(row=table.get_row_index(selected))
        status = self.query_one("#calibration-status", Static)
        status.update(t("calibration.empty") if not sessions else t(
            "calibration.status", open=sum(s.is_open for s in sessions), total=len(sessions)))
        table.focus()

    def _selected(self) -> str | None:
        table = self.query_one("#calibration-sessions", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _current(self) -> SessionSummary | None:
        key = self._selected()
        return next((s for s in self.sessions if str(s.session_id) == key), None)

    @on(DataTable.RowSelected, "#calibration-sessions")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open_report()

    def action_open_report(self) -> None:
        current = self._current()
        if current is not None:
            self.visit(CalibrationReportScreen(current.session_id, current.title))

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="calibration-new", exit_on_error=False)
    def action_new_session(self) -> None:
        from scorecard.services.access import MATRIX, Permission
        from scorecard.services.teams import list_teams
        from scorecard.services.users import list_users
        from scorecard.tui.screens.new_calibration import Choices

        actor = self.app.actor

        def choices(session: Session) -> Choices:
            actor.require(Permission.CALIBRATE)
            graders = [u for u in list_users(session)
                       if u.active and u.role in MATRIX[Permission.GRADE]]
            teams = [] if actor.scope() is not None else [t.name for t in list_teams(session)]
            return Choices([(f"{u.display_name} ({u.login}, {u.role})", u.login, u.role == "qa")
                            for u in graders], teams)

        found = fetch(self.app, choices)
        if found is not None:
            self.app.call_from_thread(self._ask_new, found)

    def _ask_new(self, choices: Choices) -> None:
        from scorecard.tui.screens.new_calibration import NewCalibrationDialog

        self.app.push_screen(NewCalibrationDialog(choices), self._created)

    def _created(self, created: CreatedSession | None) -> None:
        if created is None:
            return
        self.notify(self.app.t("calibration.created", session=created.session_id,
                               calls=len(created.calls), listeners=len(created.listeners)))
        self.load()

    def action_close_session(self) -> None:
        from scorecard.tui.screens.text_dialog import TextDialog

        current = self._current()
        if current is None:
            return
        if not current.is_open:
            self.notify(self.app.t("calibration.closed_already", session=current.session_id),
                        severity="warning")
            return
        # Enter confirms, Escape keeps the session open: closing cancels what is ungraded.
        self.app.push_screen(
            TextDialog(self.app.t("calibration.close_confirm", session=current.session_id,
                                  graded=current.graded, expected=current.expected)),
            lambda answer: self.close_session(current.session_id) if answer is not None
            else None)

    @work(thread=True, group="calibration-close", exit_on_error=False)
    def close_session(self, session_id: int) -> None:
        from scorecard.services.calibration import close_session

        app = self.app
        try:
            with app.database.session() as session:
                summary = close_session(session, login=app.login, session_id=session_id)
        except Exception as exc:  # refused (not theirs) or storage: say it
            tell_from_thread(app, exc)
            return
        app.call_from_thread(self.notify, app.t(
            "calibration.closed_now", session=session_id, graded=summary.graded,
            expected=summary.expected))
        app.call_from_thread(self.load)


class CalibrationReportScreen(TableScreen):
    """One session's report: agreement, listeners' deviation, the items."""

    CSS_PATH = STYLES
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("calibration.all_items", "a", "toggle_items", "calibration.all_items"),
        bind("calibration.refresh", "r,f5", "refresh", "calibration.refresh"),
        bind("calibration.report_back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self, session_id: int, title: str) -> None:
        super().__init__()
        self.session_id = session_id
        self._title = title
        self.report: CalibrationReport | None = None
        self.every_item = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="calibration-summary", markup=False)
        yield ListTable(id="calibration-listeners", cursor_type="row")
        yield ListTable(id="calibration-calls", cursor_type="cell")
        yield ListTable(id="calibration-units", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("calibration.report_title", session=self.session_id,
                                title=self._title)
        self.load()

    def load(self) -> None:
        from scorecard.services.calibration import report

        # Refused (a listener not done grading yet): said in place of the report.
        self.read(lambda session: report(
            session, viewer=self.app.actor, session_id=self.session_id), self._fill,
            refused=self._refused)

    def _refused(self, message: str) -> None:
        self.query_one("#calibration-summary", Static).update(message)
        self.notify(message, severity="error", timeout=10)

    def _fill(self, report: CalibrationReport) -> None:
        self.report = report
        self._fill_summary(report)
        self._fill_listeners(report)
        self._fill_calls(report)
        self._fill_units()
        self.query_one("#calibration-units", DataTable).focus()

    def _fill_summary(self, report: CalibrationReport) -> None:
        t = self.app.t
        colours = self.app.theme_variables
        a, s = report.agreement, report.session
        alpha = "—" if a.alpha is None else f"{a.alpha:.3f}"
        line = Text()
        line.append(t("calibration.progress", graded=s.graded, expected=s.expected,
                      calls=s.calls) + "   ")
        line.append(t("calibration.alpha", alpha=alpha) + " ")
        line.append(t(f"calibration.reading.{a.reading}"),
                    style=_reading_style(a.reading, colours))
        observed = "—" if a.observed is None else f"{a.observed:.0%}"
        line.append("\n" + t("calibration.observed", units=a.units, observed=observed,
                             disagree=len(report.disagreements)))
        weak = [(stage, sa) for stage, sa in report.stages.items()
                if sa.alpha is not None and sa.reading == "poor"]
        if weak:
            line.append("\n" + t("calibration.weak_stages", stages=", ".join(
                f"{self._stage(stage)} {sa.alpha:.2f}" for stage, sa in weak)))
        self.query_one("#calibration-summary", Static).update(line)

    def _fill_listeners(self, report: CalibrationReport) -> None:
        t = self.app.t
        colours = self.app.theme_variables
        table = self.query_one("#calibration-listeners", DataTable)
        table.clear(columns=True)
        for column in ("listener", "graded", "differs", "bias", "distance"):
            table.add_column(t(f"calibration.col.{column}"), key=column)
        for d in report.listeners:
            share = d.differ_share
            differs = Text(f"{d.differs}/{d.compared}"
                           + ("" if share is None else f" ({share:.0%})"),
                           style=colours.get("error", "") if share is not None and share > 0.2
                           else "")
            table.add_row(f"{d.name} ({d.login})", f"{d.graded}/{d.expected}", differs,
                          _number(d.total_bias, signed=True), _number(d.total_distance),
                          key=d.login)

    def _fill_calls(self, report: CalibrationReport) -> None:
        t = self.app.t
        table = self.query_one("#calibration-calls", DataTable)
        table.clear(columns=True)
        listeners = [d.login for d in report.listeners]
        table.add_column(t("calibration.col.call"), key="call")
        table.add_column(t("calibration.col.operator"), key="operator")
        for login in listeners:
            table.add_column(login, key=f"total:{login}")
        table.add_column(t("calibration.col.spread"), key="spread")
        for c in report.calls:
            totals = [(_number(c.totals[login]) + ("!" if c.critical.get(login) else ""))
                      if login in c.totals else "…" for login in listeners]
            table.add_row(c.call, c.operator or "—", *totals, _number(c.spread), key=c.call)

    def _fill_units(self) -> None:
        report = self.report
        if report is None:
            return
        t = self.app.t
        colours = self.app.theme_variables
        table = self.query_one("#calibration-units", DataTable)
        table.clear(columns=True)
        listeners = [d.login for d in report.listeners]
        table.add_column(t("calibration.col.call"), key="call")
        table.add_column(t("calibration.col.item"), key="item")
        for login in listeners:
            table.add_column(login, key=f"answer:{login}")
        table.add_column(t("calibration.col.agreement"), key="agreement")
        rows = report.units if self.every_item else report.disagreements
        for n, unit in enumerate(rows):
            style = f"bold {colours.get('error', '')}" if unit.disagree else ""
            answers = [Text(t(f"calibration.answer.{answer}") if answer else "…",
                            style=style if answer and answer != unit.majority else "")
                       for answer in (unit.answers[login] for login in listeners)]
            agreement = "—" if unit.agreement is None else f"{unit.agreement:.0%}"
            item = _shortened(f"{self._stage(unit.stage)} / {unit.text}", ITEM_WIDTH)
            table.add_row(unit.call, Text(item, style=style),
                          *answers, Text(agreement, style=style), key=str(n))
        if not rows:
            table.add_row(t("calibration.no_disagreements"), "", *["" for _ in listeners], "")

    def _stage(self, stage: str) -> str:
        return stage_title(stage, self.app.t)

    @on(DataTable.CellSelected, "#calibration-calls")
    def _open_grade(self, event: DataTable.CellSelected) -> None:
        """Enter on a listener's total opens their evaluation of the call."""
        from scorecard.tui.screens.evaluation import open_evaluation

        column = str(event.cell_key.column_key.value or "")
        if self.report is None or not column.startswith("total:"):
            self.notify(self.app.t("calibration.pick_listener"), severity="warning", timeout=3)
            return
        login = column.removeprefix("total:")
        call = next((c for c in self.report.calls if c.call == event.cell_key.row_key.value),
                    None)
        open_evaluation(self.app, call.evaluations.get(login) if call else None)

    def action_toggle_items(self) -> None:
        self.every_item = not self.every_item
        self._fill_units()
        self.notify(self.app.t("calibration.showing_all" if self.every_item
                               else "calibration.showing_disagreements"), timeout=2)

    def action_refresh(self) -> None:
        self.load()


def _reading_style(reading: str, colours: dict[str, str]) -> str:
    """Bold in the reading's theme colour; an undefined reading (no grades yet) stays dim.
    (The theme's muted text is "auto 60%", which is no colour a Rich style can take.)"""
    colour = READING_COLOUR.get(reading)
    return f"bold {colours.get(colour, '')}" if colour else "dim"


def _shortened(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _number(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if signed else f"{value:.1f}"

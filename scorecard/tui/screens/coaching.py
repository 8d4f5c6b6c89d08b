"""The coach's screens: tasks with their measured effect (escalated first), and one task
with its notes, example calls and the grades its follow-up is measured on.

On both, ``n`` adds a note and ``x`` closes the task with its outcome; on the list Enter
opens a task and ``h`` shows closed tasks too; on a task Enter opens the graded call under
the cursor. New tasks are set from the weak-stage map (``c`` on an operator's stage).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Header, Static

from scorecard.tui.keys import bind
from scorecard.tui.local_time import local
from scorecard.tui.problems import tell_from_thread
from scorecard.tui.screens.table_screen import TableScreen
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.table import ListTable
from scorecard.tui.wording import points, stage_title

if TYPE_CHECKING:
    from sqlmodel import Session

    from scorecard.services.coaching import FollowUp, GradedCall, TaskDetail
    from scorecard.tui.app import ScorecardApp


class CoachingScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("coaching.open", "enter", "open", "evaluation.open"),
        bind("coaching.note", "n", "note", "coaching.note"),
        bind("coaching.close", "x", "close_task", "coaching.close"),
        bind("coaching.closed", "h", "toggle_closed", "coaching.closed"),
        bind("coaching.back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self, *, today: date | None = None) -> None:
        super().__init__()
        self._today = today
        self.include_closed = False
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

        self.read(lambda session: follow_ups(session, viewer=self.app.actor, today=self._today,
                                             include_closed=self.include_closed), self._fill)

    def _fill(self, tasks: list[FollowUp]) -> None:
        t = self.app.t
        self.tasks = tasks
        table = self.query_one("#coaching-table", DataTable)
        keep = table.cursor_row
        table.clear(columns=True)
        for column in ("operator", "stage", "before", "after", "verdict", "due", "goal"):
            table.add_column(t(f"coaching.col.{column}"), key=column)
        colours = self.app.theme_variables
        for task in tasks:
            verdict = Text(t(f"coaching.verdict.{task.verdict}"), style=colours.get(
                {"improved": "success", "not improved": "error"}.get(task.verdict,
                                                                     "text-muted"), ""))
            due = Text(f"{task.due_on:%d.%m.%Y}"
                       + (f" {t('coaching.overdue')}" if task.overdue else "")
                       + (f" {t(f'coaching.status.{task.status}')}"
                          if task.status != "open" else ""),
                       style=colours.get("error", "") if task.overdue else "")
            table.add_row(task.operator, stage_title(task.stage, t), _mean(task.before),
                          _mean(task.after), verdict, due, task.goal, key=str(task.task_id))
        self.query_one("#coaching-summary", Static).update(t(
            "coaching.summary", open=sum(f.status == "open" for f in tasks),
            escalated=sum(f.escalated for f in tasks)))
        if tasks:
            table.move_cursor(row=min(keep, len(tasks) - 1))
        table.focus()

    def _chosen(self) -> FollowUp | None:
        row = self.query_one("#coaching-table", DataTable).cursor_row
        return self.tasks[row] if 0 <= row < len(self.tasks) else None

    @on(DataTable.RowSelected, "#coaching-table")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        task = self._chosen()
        if task is not None:
            self.visit(CoachingTaskScreen(task.task_id, today=self._today))

    def action_note(self) -> None:
        task = self._chosen()
        if task is not None:
            ask_note(self.app, task.task_id, task.status, self.load)

    def action_close_task(self) -> None:
        task = self._chosen()
        if task is not None:
            ask_close(self.app, task.task_id, task.status, self.load)

    def action_toggle_closed(self) -> None:
        self.include_closed = not self.include_closed
        self.load()


class CoachingTaskScreen(TableScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("coaching_task.open", "enter", "open", "evaluation.open"),
        bind("coaching_task.note", "n", "note", "coaching.note"),
        bind("coaching_task.close", "x", "close_task", "coaching.close"),
        bind("coaching_task.back", "escape", "app.pop_screen", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self, task_id: int, *, today: date | None = None) -> None:
        super().__init__()
        self.task_id = task_id
        self._today = today
        self.detail: TaskDetail | None = None
        self.calls: list[GradedCall] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.app.t("map.loading"), id="task-summary", markup=False)
        yield Static("", id="task-notes", markup=False)
        yield ListTable(id="task-calls", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.title = self.app.t("coaching.task_title", task=self.task_id)
        self.load()

    def load(self) -> None:
        from scorecard.services.coaching import task_detail

        self.read(lambda session: task_detail(session, viewer=self.app.actor,
                                              task_id=self.task_id, today=self._today),
                  self._fill, refused=self._refused)

    def _refused(self, message: str) -> None:
        self.query_one("#task-summary", Static).update(message)

    def _fill(self, detail: TaskDetail) -> None:
        t = self.app.t
        self.detail = detail
        f = detail.follow_up
        lines = [
            t("coaching.task_line", operator=f.operator, stage=stage_title(f.stage, t),
              started=f"{f.started_on:%d.%m.%Y}", due=f"{f.due_on:%d.%m.%Y}",
              status=t(f"coaching.status.{f.status}"), coach=detail.created_by),
            t("coaching.task_goal", goal=f.goal),
            t("coaching.task_effect", before=_mean(f.before), after=_mean(f.after),
              verdict=t(f"coaching.verdict.{f.verdict}")),
        ]
        if detail.outcome:
            lines.append(t("coaching.task_outcome", outcome=detail.outcome))
        self.query_one("#task-summary", Static).update("\n".join(lines))
        notes = [f"{local(n.at):%d.%m %H:%M} {n.author}: {n.text}" for n in detail.notes]
        self.query_one("#task-notes", Static).update(
            "\n".join(notes) if notes else t("coaching.no_notes"))
        table = self.query_one("#task-calls", DataTable)
        table.clear(columns=True)
        for column in ("kind", "day", "call", "stage", "total"):
            table.add_column(t(f"coaching.calls.{column}"), key=column)
        self.calls = []
        for kind, calls in (("example", detail.examples), ("after", detail.after),
                            ("before", detail.before)):
            for c in calls:
                self.calls.append(c)
                table.add_row(t(f"coaching.kind.{kind}"), f"{c.started_at:%d.%m.%Y %H:%M}",
                              c.call, points(c.stage_score), points(c.total))
        table.focus()

    @on(DataTable.RowSelected, "#task-calls")
    def _selected(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from scorecard.tui.screens.evaluation import open_evaluation

        row = self.query_one("#task-calls", DataTable).cursor_row
        if 0 <= row < len(self.calls):
            open_evaluation(self.app, self.calls[row].evaluation_id)

    def action_note(self) -> None:
        if self.detail is not None:
            ask_note(self.app, self.task_id, self.detail.follow_up.status, self.load)

    def action_close_task(self) -> None:
        if self.detail is not None:
            ask_close(self.app, self.task_id, self.detail.follow_up.status, self.load)


def ask_note(app: ScorecardApp, task_id: int, status: str, then: Callable[[], None]) -> None:
    """Ask for a note on an open task and add it (on a worker), then ``then``."""
    from scorecard.services.coaching import add_note

    _ask_and_write(app, task_id, status, then, "coaching.note_title",
                   "coaching.note_placeholder", "coaching.noted",
                   lambda session, text: add_note(session, task_id=task_id, text=text,
                                                  login=app.login))


def ask_close(app: ScorecardApp, task_id: int, status: str, then: Callable[[], None]) -> None:
    """Ask for the outcome of an open task and close it as done (on a worker)."""
    from scorecard.services.coaching import close_task

    _ask_and_write(app, task_id, status, then, "coaching.close_title",
                   "coaching.outcome_placeholder", "coaching.closed_done",
                   lambda session, text: close_task(session, task_id=task_id, login=app.login,
                                                    outcome=text))


def _ask_and_write(app: ScorecardApp, task_id: int, status: str, then: Callable[[], None],
                   title: str, placeholder: str, done: str,
                   write: Callable[[Session, str], object]) -> None:
    """Ask for a text about an open task (catalogue keys ``title``, ``placeholder``) and
    ``write`` it: said when ``done``, then ``then``; a closed task is refused first."""
    from scorecard.tui.screens.text_dialog import TextDialog

    if status != "open":
        app.notify(app.t("coaching.closed_already"), severity="warning")
        return

    def answered(text: str | None) -> None:
        if text:
            _change(app, then, lambda session: write(session, text), app.t(done))

    app.push_screen(TextDialog(app.t(title, task=task_id), placeholder=app.t(placeholder),
                               required=True), answered)


def _change(app: ScorecardApp, then: Callable[[], None], write: Callable[[Session], object],
            done: str) -> None:
    """``write`` in one unit of work on a worker; said when done (and ``then``), or why not."""
    def run() -> None:
        try:
            with app.database.session() as session:
                write(session)
        except Exception as exc:  # refused or storage: the coach is told why
            tell_from_thread(app, exc)
            return
        app.call_from_thread(app.notify, done)
        app.call_from_thread(then)

    app.run_worker(run, thread=True, group="coaching-change", exit_on_error=False)


def _mean(pair: tuple[int, float | None]) -> str:
    n, mean = pair
    return "—" if mean is None else f"{mean:.0f} ({n})"

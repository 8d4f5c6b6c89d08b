"""The coach's form for a new coaching task: goal, due date, and graded calls as examples.

Opened from the weak-stage map on an operator's stage. Tab moves between the fields, Space
marks example calls (the operator's weakest on that stage come first), Ctrl+S (or Enter in
a text field) sets the task, Escape cancels. The task is created here, on a worker: a
refusal is shown in the form, which stays open with everything typed in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, SelectionList, Static

from scorecard.domain.periods import parse_day
from scorecard.tui.screens.form_dialog import FormDialog, form_keys
from scorecard.tui.wording import points

if TYPE_CHECKING:
    from scorecard.services.coaching import GradedCall
    from scorecard.tui.app import ScorecardApp

DUE_DAYS = 14
"""The due date offered: two weeks, the usual coaching cycle."""


@dataclass(frozen=True)
class TaskFor:
    """Whom and what the task is for, and the calls offered as examples."""

    operator: str
    stage: str
    stage_title: str
    candidates: list[GradedCall]


class NewCoachingTaskDialog(FormDialog[int]):
    """Dismissed with the new task's number, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = form_keys("coaching.create")

    app: ScorecardApp

    def __init__(self, task_for: TaskFor, *, today: date) -> None:
        super().__init__()
        self.task_for = task_for
        self.today = today

    def compose(self) -> ComposeResult:
        t = self.app.t
        who = self.task_for
        with Vertical(id="dialog", classes="-form"):
            yield Label(t("coaching.new_title", operator=who.operator, stage=who.stage_title),
                        id="dialog-title")
            yield Label(t("coaching.field.goal"))
            yield Input(t("coaching.default_goal", stage=who.stage_title), id="new-goal",
                        compact=True)
            yield Label(t("coaching.field.due"))
            yield Input(f"{self.today + timedelta(days=DUE_DAYS):%d.%m.%Y}", id="new-due",
                        placeholder="28.11.2026", compact=True)
            yield Label(t("coaching.field.examples"))
            yield SelectionList[int](*[
                (t("coaching.example", call=c.call, day=f"{c.started_at:%d.%m}",
                   stage=points(c.stage_score), total=points(c.total)),
                 c.evaluation_id) for c in who.candidates], id="new-examples", compact=True)
            yield Static(t("coaching.create_hint"), id="dialog-problem")

    def create(self) -> None:
        from scorecard.services.coaching import create_task

        t = self.app.t
        text = self.query_one("#new-due", Input).value
        due = parse_day(text, year=self.today.year)
        if due is None:
            self.problem(t("coaching.bad_due", day=text.strip()), error=True)
            return
        goal = self.query_one("#new-goal", Input).value
        examples = list(self.query_one("#new-examples", SelectionList).selected)
        login, who, today = self.app.login, self.task_for, self.today

        def write(session) -> int | None:  # noqa: ANN001 - a Session
            return create_task(session, operator=who.operator, stage=who.stage, goal=goal,
                               due_on=due, login=login, started_on=today,
                               examples=examples).id

        self.submit(write, t("coaching.creating"))

"""The lead's form for a new calibration session: a day's random calls for chosen listeners.

Tab moves between the fields, Space marks listeners, Ctrl+S (or Enter in a text field)
creates, Escape cancels. The session is created here, on a worker: a refusal (no answered
calls that day, one listener only, another team) is shown in the form, which stays open
with everything typed in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, SelectionList, Static

from scorecard.services.calibration import CreatedSession, create_session
from scorecard.tui.screens.form_dialog import FormDialog, form_keys

if TYPE_CHECKING:
    from scorecard.tui.app import ScorecardApp

DEFAULT_CALLS = 5


@dataclass(frozen=True)
class Choices:
    """What the form offers: who may grade, and the teams to draw from."""

    listeners: list[tuple[str, str, bool]]
    """(label, login, marked at first): qa listeners come marked."""
    teams: list[str]
    """Empty for a lead with a team: the calls are theirs anyway."""


class NewCalibrationDialog(FormDialog[CreatedSession]):
    BINDINGS: ClassVar[list[BindingType]] = form_keys("calibration.create")

    app: ScorecardApp

    def __init__(self, choices: Choices) -> None:
        super().__init__()
        self.choices = choices

    def compose(self) -> ComposeResult:
        t = self.app.t
        day = self.app.today - timedelta(days=1)
        with Vertical(id="dialog", classes="-form"):
            yield Label(t("calibration.new_title"), id="dialog-title")
            yield Label(t("calibration.field.title"))
            yield Input(t("calibration.default_title", day=f"{day:%d.%m}"), id="new-title",
                        compact=True)
            yield Label(t("calibration.field.day"))
            yield Input(day.isoformat(), placeholder="2026-11-20", id="new-day", compact=True)
            yield Label(t("calibration.field.count"))
            yield Input(str(DEFAULT_CALLS), type="integer", id="new-count", compact=True)
            if self.choices.teams:
                yield Label(t("calibration.field.team"))
                yield Select([(name, name) for name in self.choices.teams],
                             prompt=t("calibration.field.all_teams"), id="new-team",
                             compact=True)
            yield Label(t("calibration.field.listeners"))
            yield SelectionList[str](*self.choices.listeners, id="new-listeners",
                                     compact=True)
            yield Static(t("calibration.create_hint"), id="dialog-problem")

    def create(self) -> None:
        t = self.app.t
        text = self.query_one("#new-day", Input).value.strip()
        try:
            day = datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            self.problem(t("calibration.bad_day", day=text))
            return
        count_text = self.query_one("#new-count", Input).value.strip()
        count = int(count_text) if count_text.lstrip("-").isdigit() else 0
        team = None
        if self.choices.teams:
            chosen = self.query_one("#new-team", Select).value
            team = chosen if isinstance(chosen, str) else None
        title = self.query_one("#new-title", Input).value
        listeners = list(self.query_one("#new-listeners", SelectionList).selected)
        login = self.app.login
        self.submit(lambda session: create_session(
            session, login=login, title=title, listeners=listeners, day=day, team=team,
            count=count), t("calibration.creating"))

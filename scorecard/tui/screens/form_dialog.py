"""The base of the forms that create something (a calibration session, a coaching task).

Tab moves between the fields, Enter in a text field or Ctrl+S submits, Escape cancels. The
subclass checks what was typed in :meth:`FormDialog.action_create` and writes on a worker;
a refusal is shown in the form (:meth:`FormDialog.refused`), which stays open with
everything typed in it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from scorecard.tui.app import ScorecardApp

Created = TypeVar("Created")


class FormDialog(ModalScreen[Created | None]):
    CSS_PATH = Path(__file__).resolve().parents[1] / "styles" / "calibration.tcss"

    app: ScorecardApp

    def __init__(self) -> None:
        super().__init__()
        self.creating = False
        """A write is under way: a second Enter does not start another."""

    def on_input_submitted(self) -> None:
        self.action_create()

    def action_create(self) -> None:
        raise NotImplementedError

    def refused(self, message: str) -> None:
        self.creating = False
        self.problem(message, error=True)

    def problem(self, message: str, *, error: bool = False) -> None:
        problem = self.query_one("#dialog-problem", Static)
        problem.update(message)
        problem.set_class(error, "-error")

    def action_cancel(self) -> None:
        self.dismiss(None)

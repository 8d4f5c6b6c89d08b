"""The base of the forms that create something (a calibration session, a coaching task,
pay terms).

Tab moves between the fields, Enter in a text field or Ctrl+S submits, Escape cancels. The
subclass checks what was typed in :meth:`FormDialog.create` and hands the write to
:meth:`FormDialog.submit`, which runs it on a worker: a refusal is shown in the form, which
stays open with everything typed in it; success dismisses it with the write's result.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from textual import work
from textual.binding import BindingType
from textual.screen import ModalScreen
from textual.widgets import Static

from scorecard.tui.keys import bind
from scorecard.tui.problems import describe

if TYPE_CHECKING:
    from sqlmodel import Session

    from scorecard.tui.app import ScorecardApp

Created = TypeVar("Created")


def form_keys(create: str) -> list[BindingType]:
    """A form's keys: Ctrl+S writes (``create``: the binding's id and catalogue key), Esc
    cancels."""
    return [bind(create, "ctrl+s", "create", create, priority=True),
            bind("dialog.cancel", "escape", "cancel", "dialog.cancel")]


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
        if not self.creating:  # a second Enter while saving neither checks nor writes
            self.create()

    def create(self) -> None:
        """Check what was typed; say what is wrong, or :meth:`submit` the write."""
        raise NotImplementedError

    def submit(self, write: Callable[[Session], Created], busy: str) -> None:
        """Say ``busy`` and run ``write`` in one unit of work on a worker."""
        self.creating = True
        self.problem(busy)
        self._write(write)

    @work(thread=True, exclusive=True, group="form-write", exit_on_error=False)
    def _write(self, write: Callable[[Session], Created]) -> None:
        app = self.app
        try:
            with app.database.session() as session:
                created = write(session)
        except Exception as exc:  # a refusal or storage: said in the form, which stays open
            app.call_from_thread(self.refused, describe(app, exc))
            return
        app.call_from_thread(self.dismiss, created)

    def refused(self, message: str) -> None:
        self.creating = False
        self.problem(message, error=True)

    def problem(self, message: str, *, error: bool = False) -> None:
        problem = self.query_one("#dialog-problem", Static)
        problem.update(message)
        problem.set_class(error, "-error")

    def action_cancel(self) -> None:
        self.dismiss(None)

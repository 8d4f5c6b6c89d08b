"""A small modal that asks for one piece of text: an item comment or a reason for a change.

Enter saves, Escape cancels; a required text refuses to close empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from scorecard.tui.keys import bind

if TYPE_CHECKING:
    from scorecard.tui.app import ScorecardApp


class TextDialog(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("dialog.cancel", "escape", "cancel", "dialog.cancel"),
    ]

    app: ScorecardApp

    def __init__(self, title: str, *, text: str = "", placeholder: str = "",
                 required: bool = False) -> None:
        super().__init__()
        self._title, self._text, self._placeholder = title, text, placeholder
        self._required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self._title, id="dialog-title")
            yield Input(self._text, placeholder=self._placeholder, id="dialog-input")
            yield Static("", id="dialog-problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if self._required and not text:
            self.query_one("#dialog-problem", Static).update(self.app.t("dialog.reason_required"))
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

"""The key help: every key of the screen it was opened over, in the user's
language, including the ones the key bar leaves out for lack of room."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

from scorecard.tui.keys import bind, described_keys

if TYPE_CHECKING:
    from scorecard.tui.app import ScorecardApp


class KeysHelp(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("keys.close", "escape,enter,q", "dismiss", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self, over: Screen[object]) -> None:
        super().__init__()
        self._over = over

    def compose(self) -> ComposeResult:
        t = self.app.t
        rows = described_keys(self._over, t, shown_only=False)
        width = max((cell_len(key) for key, _ in rows), default=0)
        table = Text()
        for key, description in rows:
            table.append(key + " " * (width - cell_len(key) + 2), style="bold")
            table.append(description + "\n")
        table.rstrip()
        with VerticalScroll(id="dialog"):
            yield Label(t("keys.title"), id="dialog-title")
            yield Static(table, id="keys-table")

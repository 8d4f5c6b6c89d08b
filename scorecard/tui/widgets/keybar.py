"""The key bar at the bottom of every screen: the keys that matter there, in the user's
language, wrapped onto a second line rather than cut when the terminal is narrow.

Textual's Footer rebuilds a widget per key whenever focus or the screen changes; on the
grading screen that cost a tenth of a second on every call opened. This bar draws the same
information as text, once per screen, and again when keys are remapped or the width changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from scorecard.tui.keys import described_keys

if TYPE_CHECKING:
    from scorecard.tui.app import ScorecardApp


class KeyBar(Static):
    app: ScorecardApp

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 3;
        background: $footer-background;
        color: $footer-description-foreground;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)
        self._keys: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.call_after_refresh(self.refresh_keys)

    def on_resize(self) -> None:
        self._draw()

    def refresh_keys(self) -> None:
        """Read the screen's shown bindings, one per action, as the keymap has them."""
        self._keys = described_keys(self.screen, self.app.t, shown_only=True)
        self._draw()

    def _draw(self) -> None:
        """Lay the keys out greedily; a key and its description never part across lines."""
        width = self.content_region.width or self.app.size.width - 2
        key_style = f"bold {self.app.theme_variables.get('footer-key-foreground', '')}"
        line = Text(no_wrap=True, overflow="ellipsis")
        used = 0
        for key, description in self._keys:
            cells = cell_len(key) + 1 + cell_len(description)
            if used and used + 2 + cells > width:
                line.append("\n")
                used = 0
            elif used:
                line.append("  ")
                used += 2
            line.append(key, style=key_style)
            line.append(f" {description}")
            used += cells
        self.update(line)

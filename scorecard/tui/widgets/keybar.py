"""The key bar at the bottom of every screen: the keys that matter there, in one line.

Textual's Footer rebuilds a widget per key whenever focus or the screen changes; on the
grading screen that cost a tenth of a second on every call opened. This bar draws the same
information as one line of text, once per screen (and again when keys are remapped).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-description-foreground;
        padding: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False)

    def on_mount(self) -> None:
        self.call_after_refresh(self.refresh_keys)

    def refresh_keys(self) -> None:
        """Draw the screen's shown bindings, one per action, as the keymap has them."""
        key_style = self.app.theme_variables.get("footer-key-foreground", "")
        line = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            line.append(f"{self.app.get_key_display(binding)} ", style=f"bold {key_style}")
            line.append(f"{binding.description}  ")
        self.update(line)

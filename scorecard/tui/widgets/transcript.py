"""The transcript pane: turns with time codes, speakers told apart, trigger hits highlighted.

It renders through the line API (only the visible lines are drawn), and wraps the whole
transcript once per width, so a 3,000-word call opens and scrolls without delay. Each hit
takes the colour of its card stage; the hit of the item under the cursor is shown reversed
and scrolled into view.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from scorecard.domain.transcripts import Turn
from scorecard.tui.widgets.palette import STAGE_CLASSES, STAGE_CSS


@dataclass(frozen=True, slots=True)
class Highlight:
    """Evidence to colour: a character span of one turn, in one stage's colour."""

    turn: int
    start: int
    end: int
    stage_index: int
    key: tuple[str, str]
    """The (stage id, item id) whose evidence this is."""


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "     "
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes:02d}:{rest:02d}"


class TranscriptView(ScrollView, can_focus=True):
    """A read-only, scrollable transcript with highlighted evidence."""

    COMPONENT_CLASSES = {
        "transcript--time", "transcript--operator", "transcript--client",
        "transcript--unknown", "transcript--current", *STAGE_CLASSES,
    }

    DEFAULT_CSS = (
        """
    TranscriptView {
        background: $surface;
        padding: 0 1;
        & > .transcript--time { color: $text-muted; }
        & > .transcript--operator { color: $primary; text-style: bold; }
        & > .transcript--client { color: $secondary; text-style: bold; }
        & > .transcript--unknown { color: $text-muted; text-style: bold; }
        & > .transcript--current { text-style: reverse bold; }
    """
        + STAGE_CSS
        + "}"
    )

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._turns: tuple[Turn, ...] = ()
        self._labels: Mapping[str, str] = {}
        self._highlights: list[Highlight] = []
        self._current: tuple[str, str] | None = None
        self._lines: list[Strip] = []
        self._turn_lines: list[int] = []
        self._wrapped_width = -1

    # -- content -----------------------------------------------------------------------------

    def show(
        self, turns: Sequence[Turn], highlights: Sequence[Highlight], labels: Mapping[str, str]
    ) -> None:
        """Show a transcript; ``labels`` names the speakers (operator, client, unknown)."""
        self._turns = tuple(turns)
        self._labels = labels
        self._highlights = list(highlights)
        self._rewrap(force=True)

    def set_current(self, key: tuple[str, str] | None) -> None:
        """Mark one item's evidence and scroll to it (no scrolling when it has none)."""
        if key == self._current:
            return
        self._current = key
        self._rewrap(force=True)
        target = next((h for h in self._highlights if h.key == key), None)
        if target is not None:
            self.scroll_to_turn(target.turn)

    def scroll_to_turn(self, turn: int) -> None:
        if 0 <= turn < len(self._turn_lines):
            top = max(0, self._turn_lines[turn] - max(1, self.size.height // 3))
            self.scroll_to(y=top, animate=False)

    def turn_at_top(self) -> int | None:
        """The turn shown at the top of the pane, for playing from "here"."""
        if not self._turn_lines:
            return None
        y = self.scroll_offset.y
        current = 0
        for index, first in enumerate(self._turn_lines):
            if first > y:
                break
            current = index
        return current

    def turn_start(self, turn: int) -> float | None:
        return self._turns[turn].start if 0 <= turn < len(self._turns) else None

    # -- rendering -------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._rewrap()

    def _rewrap(self, *, force: bool = False) -> None:
        width = max(10, self.scrollable_content_region.width or self.size.width or 80)
        if not force and width == self._wrapped_width:
            return
        self._wrapped_width = width
        console = self.app.console
        options = console.options.update_width(width)
        base = self.rich_style
        lines: list[Strip] = []
        starts: list[int] = []
        by_turn: dict[int, list[Highlight]] = {}
        for highlight in self._highlights:
            by_turn.setdefault(highlight.turn, []).append(highlight)
        for index, turn in enumerate(self._turns):
            starts.append(len(lines))
            text = self._turn_text(turn, by_turn.get(index, ()))
            for line in console.render_lines(text, options, style=base, pad=False):
                lines.append(Strip(line))
            lines.append(Strip([Segment(" " * width, base)], width))
        self._lines = lines
        self._turn_lines = starts
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def _turn_text(self, turn: Turn, highlights: Sequence[Highlight]) -> Text:
        speaker = turn.speaker if turn.speaker in ("operator", "client") else "unknown"
        label = self._labels.get(speaker, speaker)
        text = Text(no_wrap=False, overflow="fold")
        text.append(f"{clock(turn.start)} ", self._style("transcript--time"))
        text.append(f"{label}: ", self._style(f"transcript--{speaker}"))
        offset = len(text)
        text.append(turn.text)
        for highlight in highlights:
            style = self._style(STAGE_CLASSES[highlight.stage_index % len(STAGE_CLASSES)])
            if highlight.key == self._current:
                style = style + self._style("transcript--current")
            text.stylize(style, offset + highlight.start, offset + highlight.end)
        return text

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        return self._lines[index].crop_extend(scroll_x, scroll_x + width, self.rich_style)

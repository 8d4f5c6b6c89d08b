"""The transcript pane: turns with time codes, speakers told apart, trigger hits highlighted.

It renders through the line API (only the visible lines are drawn), and wraps the whole
transcript once per width, so a 3,000-word call opens and scrolls without delay. Each hit
takes the colour of its card stage; the hit of the item under the cursor is shown reversed
and scrolled into view.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
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
        "transcript--unknown", "transcript--current", "transcript--playing", *STAGE_CLASSES,
    }

    DEFAULT_CSS = (
        """
    TranscriptView {
        background: $surface;
        padding: 0 1;
        scrollbar-gutter: stable;  /* a scrollbar appearing must not rewrap everything */
        & > .transcript--time { color: $text-muted; }
        & > .transcript--operator { color: $primary; text-style: bold; }
        & > .transcript--client { color: $text-muted; text-style: bold; }
        & > .transcript--unknown { color: $text-muted; text-style: bold; }
        & > .transcript--current { text-style: reverse bold; }
        & > .transcript--playing { background: $accent 35%; }
    """
        + STAGE_CSS
        + "}"
    )

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._turns: tuple[Turn, ...] = ()
        self._labels: Mapping[str, str] = {}
        self._by_turn: dict[int, list[Highlight]] = {}
        self._current: tuple[str, str] | None = None
        self._playing: int | None = None
        """The turn the recording is at, marked while it plays."""
        self._starts: list[tuple[float, int]] = []
        self._turn_texts: dict[int, Text] = {}
        """Styled turns, built when first drawn; a cursor move rebuilds only those it touches."""
        self._lines: list[tuple[int, int, int]] = []
        """(turn, start, end) of every screen line: wrapping is plain-text work, styling and
        rendering happen only for the lines on screen."""
        self._strips: dict[int, Strip] = {}
        self._turn_lines: list[int] = []
        self._wrapped_width = 0

    # -- content -----------------------------------------------------------------------------

    def show(
        self, turns: Sequence[Turn], highlights: Sequence[Highlight], labels: Mapping[str, str]
    ) -> None:
        """Show a transcript; ``labels`` names the speakers (operator, client, unknown)."""
        self._turns = tuple(turns)
        self._labels = labels
        self._by_turn = {}
        for highlight in highlights:
            self._by_turn.setdefault(highlight.turn, []).append(highlight)
        # Everything cached belongs to the call shown before: the pane is reused per call.
        self._turn_texts.clear()
        self._strips.clear()
        self._current = None
        self._playing = None
        self._starts = sorted((t.start, n) for n, t in enumerate(self._turns)
                              if t.start is not None)
        self._wrapped_width = 0
        self.scroll_to(y=0, animate=False)
        self._rewrap()

    def set_current(self, key: tuple[str, str] | None) -> None:
        """Mark one item's evidence and scroll to it (no scrolling when it has none)."""
        if key == self._current:
            return
        touched = {h.turn for hs in self._by_turn.values() for h in hs
                   if h.key in (key, self._current)}
        self._current = key
        self._restyle(touched)
        target = next((h for hs in self._by_turn.values() for h in hs if h.key == key), None)
        if target is not None:
            self.scroll_to_turn(target.turn)

    def set_playing(self, turn: int | None) -> None:
        """Mark the turn the recording is at, and keep it in view."""
        if turn == self._playing:
            return
        touched = {n for n in (self._playing, turn) if n is not None}
        self._playing = turn
        self._restyle(touched)
        if turn is not None and 0 <= turn < len(self._turn_lines):
            first = self._turn_lines[turn]
            last = (self._turn_lines[turn + 1] if turn + 1 < len(self._turn_lines)
                    else len(self._lines)) - 1
            top, height = self.scroll_offset.y, self.scrollable_content_region.height
            if first < top or last >= top + height:
                self.scroll_to_turn(turn)

    def _restyle(self, turns: set[int]) -> None:
        """Draw ``turns`` again (their marks changed); the other turns' text is kept."""
        for turn in turns:
            self._turn_texts.pop(turn, None)
        if turns:
            self._strips.clear()
            self.refresh()

    def turn_at_time(self, seconds: float) -> int | None:
        """The turn being said at ``seconds`` into the call (the last one begun by then)."""
        position = bisect_right(self._starts, (seconds, len(self._turns))) - 1
        return self._starts[position][1] if position >= 0 else None

    @property
    def playing(self) -> int | None:
        return self._playing

    def scroll_to_turn(self, turn: int) -> None:
        if 0 <= turn < len(self._turn_lines):
            top = max(0, self._turn_lines[turn] - max(1, self.size.height // 3))
            self.scroll_to(y=top, animate=False)

    def turn_at_top(self) -> int | None:
        """The turn shown at the top of the pane, for playing from "here"."""
        if not self._turn_lines:
            return None
        return max(0, bisect_right(self._turn_lines, self.scroll_offset.y) - 1)

    def turn_start(self, turn: int) -> float | None:
        return self._turns[turn].start if 0 <= turn < len(self._turns) else None

    # -- rendering -------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        """Wrap every turn at the pane's width; waits until the pane has one."""
        width = self.scrollable_content_region.width
        if width <= 0 or width == self._wrapped_width:
            return
        self._wrapped_width = width
        lines: list[tuple[int, int, int]] = []
        starts: list[int] = []
        for index, turn in enumerate(self._turns):
            starts.append(len(lines))
            plain = self._prefix(turn) + _one_line(turn.text)
            lines.extend((index, a, b) for a, b in wrap_offsets(plain, width))
            lines.append((index, -1, -1))  # a blank line between turns
        self._lines, self._turn_lines = lines, starts
        self._strips.clear()
        self.virtual_size = Size(width, len(lines))
        self.refresh()

    def _prefix(self, turn: Turn) -> str:
        return f"{clock(turn.start)} {self._labels.get(_speaker(turn), _speaker(turn))}: "

    def _turn_text(self, index: int) -> Text:
        text = self._turn_texts.get(index)
        if text is not None:
            return text
        turn = self._turns[index]
        speaker = _speaker(turn)
        text = Text()
        text.append(f"{clock(turn.start)} ", self._style("transcript--time"))
        text.append(f"{self._labels.get(speaker, speaker)}: ",
                    self._style(f"transcript--{speaker}"))
        offset = len(text)
        text.append(_one_line(turn.text))
        if index == self._playing:
            text.stylize(self._style("transcript--playing"), 0, len(text))
        for highlight in self._by_turn.get(index, ()):
            style = self._style(STAGE_CLASSES[highlight.stage_index % len(STAGE_CLASSES)])
            if highlight.key == self._current:
                style = style + self._style("transcript--current")
            text.stylize(style, offset + highlight.start, offset + highlight.end)
        self._turn_texts[index] = text
        return text

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        if index >= len(self._lines):
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(index)
        if strip is None:
            turn, start, end = self._lines[index]
            if start < 0:
                strip = Strip.blank(width, self.rich_style)
            else:
                line = self._turn_text(turn)[start:end]
                strip = Strip(list(line.render(self.app.console))).apply_style(self.rich_style)
            self._strips[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)


_WORD = re.compile(r"\S+")


def _one_line(text: str) -> str:
    """Line breaks inside a turn become spaces: same length, so evidence offsets still hold."""
    return text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


def _speaker(turn: Turn) -> str:
    return turn.speaker if turn.speaker in ("operator", "client") else "unknown"


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of plain text: the (start, end) of each line.

    Spaces at a break are dropped and a word wider than the pane is cut. Transcripts are
    letters one cell wide, so a cut counts characters; widths are measured per word.
    """
    lines: list[tuple[int, int]] = []
    start, end, used = 0, -1, 0  # end < 0: nothing on the current line yet
    for match in _WORD.finditer(text):
        word_start, word_end = match.span()
        cells = cell_len(match.group())
        if end >= 0 and used + (word_start - end) + cells > width:
            lines.append((start, end))
            end = -1
        if end < 0:
            while cells > width:
                lines.append((word_start, word_start + width))
                word_start += width
                cells -= width
            start, end, used = word_start, word_end, cells
        else:
            used += (word_start - end) + cells
            end = word_end
    if end >= 0:
        lines.append((start, end))
    return lines or [(0, 0)]

"""What the app draws carries no terminal control sequence from the data.

Names, logins and transcripts come from imported files; an ESC or OSC sequence in an
operator's name would otherwise reach the terminal inside the cell that shows it (retitle
the window, write the clipboard, move the cursor). The filter sees every line the app draws,
after layout: control characters take no cell, so dropping them keeps every column where it
was.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from scorecard.domain.inert import without_controls


class DropControlCharacters(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [segment if segment.control or segment.text.isprintable()
                else Segment(without_controls(segment.text), segment.style)
                for segment in segments]

"""The table every list screen uses: a DataTable whose cells are plain text and whose
Home and End go to the first and last row.

Textual reads a string cell as Rich markup, so a name with square brackets in it would be
drawn as a style, or refuse to draw at all; names, logins and call ids come from imported
files, so every string cell is shown as the text it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import CellType, RowKey


def plain(value: object) -> object:
    """A string as literal text (no markup); anything else as it is."""
    if isinstance(value, str):
        return Text(value, no_wrap=True, overflow="ellipsis", end="")
    return value


def fit_widths(
    headers: Sequence[str], rows: Sequence[Sequence[str]], width: int, *,
    shrink: Sequence[int], minimum: int = 12,
) -> list[int]:
    """Column widths that fit a table of ``width`` cells: every column as wide as its
    widest cell, unless the whole is too wide; then the columns in ``shrink`` give up room
    in that order, down to ``minimum`` each, and their long values end in an ellipsis.

    Every width is given, none left to the table to measure: a table measures its rows
    when it is next idle, and a screen drawn before that shows every column as narrow as
    its header."""
    natural = [max([cell_len(h), *(cell_len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    # Each column has a cell of padding either side; the vertical scrollbar takes two.
    room = width - 2 * len(headers) - 2
    widths = list(natural)
    over = sum(natural) - room
    for index in shrink:
        if over <= 0 or width <= 0:
            break
        cut = min(over, max(0, natural[index] - minimum))
        if cut:
            widths[index] = natural[index] - cut
            over -= cut
    return widths


class ListTable(DataTable[object]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "first", show=False),
        Binding("end", "last", show=False),
    ]

    def add_row(
        self, *cells: CellType, height: int | None = 1, key: str | None = None,
        label: object = None,
    ) -> RowKey:
        return super().add_row(*(plain(cell) for cell in cells), height=height, key=key,
                               label=plain(label) if label is not None else None)

    def action_first(self) -> None:
        """Home: the first row (in a table of cells, the first cell of the row)."""
        if self.cursor_type == "row":
            self.action_scroll_top()
        else:
            self.action_scroll_home()

    def action_last(self) -> None:
        if self.cursor_type == "row":
            self.action_scroll_bottom()
        else:
            self.action_scroll_end()

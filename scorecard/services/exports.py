"""Spreadsheets for people to open: every text cell typed as text, never a formula."""

from __future__ import annotations

from pathlib import Path

from scorecard.domain.inert import printable
from scorecard.errors import ScorecardError


def check_target(path: Path, *, named: str = "") -> None:
    """Refuse an output path onto a folder or into a folder that is not there, before
    anything is written (``named``: how the user gave it, e.g. "--out ")."""
    if path.is_dir():
        raise ScorecardError(f"{named}{path}: that is a folder; give a file name")
    if not path.parent.is_dir():
        raise ScorecardError(f"{named}{path}: no folder {path.parent}")


def export_xlsx(records: list[dict[str, object]], path: Path, sheet: str) -> None:
    """The records as a spreadsheet: a header row, then one row per record."""
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    page.title = printable(sheet)[:31].translate(str.maketrans("[]:*?/\\", "_______"))
    # Every key any record has (lines paid by different schemes have different parts),
    # in the order they first appear.
    header = list(dict.fromkeys(key for record in records for key in record))
    rows = [[record.get(key) for key in header] for record in records]
    for row, values in enumerate([header, *rows], start=1):
        for column, value in enumerate(values, start=1):
            cell = page.cell(row=row, column=column)
            if isinstance(value, str):
                cell.value = printable(value)
                # openpyxl makes "=…" a formula; a typed string cell is shown as written.
                cell.data_type = "s"
            else:
                cell.value = value
    check_target(path)
    try:
        book.save(path)
    except OSError as error:
        raise ScorecardError(f"{path}: cannot write the spreadsheet: "
                             f"{error.strerror or error}") from None

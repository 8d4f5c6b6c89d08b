"""Rows out of CSV and XLSX exports, with the line number each row came from."""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scorecard.ingest.encoding import InputFileError, decode

#: Stands where the file had a NUL byte, so the row holding it can be rejected alone.
NUL_MARK = "\x01"

Row = tuple[int, list[str]]
"""(line number in the file, the row's fields)"""


def read_rows(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> Iterator[Row]:
    """Rows of a CSV (``,`` or ``;``, guessed from the first line) or of an XLSX's first sheet."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path)
        return
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read: {exc.strerror}") from None
    # NUL bytes are a broken line, not a broken file: they are rejected row by row.
    text = decode(raw.replace(b"\x00", NUL_MARK.encode()), source=str(path), encoding=encoding)
    if delimiter is None:
        first = text[: text.find("\n") if "\n" in text else len(text)]
        delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for fields in reader:
            yield line, fields
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputFileError(f"{path}:{reader.line_num}: broken CSV: {exc}") from None


def read_header(
    rows: Iterator[Row], names: dict[str, str], source: str
) -> tuple[dict[str, int], list[str]]:
    """(our field name -> column position, the header as written), from the first row.

    ``names`` maps the export's header words (case-folded) to our field names; unknown
    columns are ignored.
    """
    try:
        _, header = next(rows)
    except StopIteration:
        raise InputFileError(f"{source}: the file is empty") from None
    columns: dict[str, int] = {}
    for position, title in enumerate(header):
        field = names.get(title.strip().casefold())
        if field is not None and field not in columns:
            columns[field] = position
    return columns, header


def _xlsx_rows(path: Path) -> Iterator[Row]:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - openpyxl is a dependency
        raise InputFileError(f"{path}: reading XLSX needs openpyxl") from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputFileError(f"{path}: not a readable XLSX file ({exc})") from None
    sheet = workbook.worksheets[0]
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, ["" if v is None else str(v).strip() for v in values]
    workbook.close()


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of rows are built.

    Rows are lists and tuples without cycles; each full collection would walk all of them
    again, which doubles the time of a million-row import for nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()

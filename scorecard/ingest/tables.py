"""Rows out of CSV and XLSX exports, with the line number each row came from.

CSV rows come out exactly as the ``csv`` module reads them, but mostly without it: a
million-line call record file spent most of its reading time there. A stretch of lines that
all quote every field (with ``""`` escapes), or that quote none, is split with a few ``str``
methods over the whole stretch; any other stretch goes to the ``csv`` module.

Decoding is :mod:`scorecard.ingest.encoding`'s; this module turns NUL bytes into a mark that
rejects their row alone, and names the column of each line whose undecodable bytes were
replaced (:func:`read_rows_reporting`, :func:`place_warnings`).
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from scorecard.ingest.encoding import (
    DecodeWarning,
    InputFileError,
    decode_reporting,
    excerpt,
    wide_encoding,
)

#: Stands where the file had a NUL byte, so the row holding it can be rejected alone.
NUL_MARK = "\x01"

Row = tuple[int, list[str]]
"""(line number in the file, the row's fields)"""


@dataclass(frozen=True, slots=True)
class Rejected:
    """A line of an input file that was not taken, and why."""

    line: int
    reason: str


# Stand-ins for what lies between two quoted fields while a stretch is split; a text that
# holds either already goes to the csv module.
_SEP = "\x00"  # a delimiter
_BREAK = "\x03"  # a line break
#: Characters split at a time: many lines, so that the work on the whole stretch pays, yet
#: few enough to stay in the processor's cache.
_STRETCH = 1 << 15


def read_rows(
    path: Path, *, encoding: str | None = None, delimiter: str | None = None
) -> Iterator[Row]:
    """Rows of a CSV (``,``, ``;`` or tabs, guessed from the first line) or of an XLSX's
    first sheet."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        yield from _xlsx_rows(path)
        return
    text, controls = read_text(path, encoding=encoding)
    yield from csv_rows(text, delimiter or guess_delimiter(text), str(path), controls=controls)


def read_rows_reporting(
    path: Path,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
    header: bool = False,
    columns: Sequence[str] = (),
) -> tuple[Iterator[Row], list[DecodeWarning]]:
    """:func:`read_rows`, and the lines whose undecodable bytes were replaced with U+FFFD.

    Unlike read_rows, the file is read and decoded at once, so its errors are raised here
    and the warnings are all there before the first row. Each warning names its column
    (see :func:`place_warnings`) by ``columns`` (the layout's names, by position), else by
    the file's first row when ``header``, else as "column N". A caller reports them as
    ``note: {path}:{warning.line}: {warning.reason}``.
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_rows(path), []  # cells are text already
    text, controls, warnings = text_and_warnings_of(read_bytes(path), str(path),
                                                    encoding=encoding)
    delimiter = delimiter or guess_delimiter(text)
    if warnings:
        titles = list(columns) if columns or not header else _first_row(text, delimiter)
        warnings = place_warnings(warnings, delimiter, titles)
    return csv_rows(text, delimiter, str(path), controls=controls), warnings


def read_text(path: Path, *, encoding: str | None = None) -> tuple[str, bool]:
    """The text of a CSV file, NUL bytes turned into NUL_MARK (see :func:`text_of`), and whether
    it may hold control characters ``\\x00``-``\\x03`` (NUL_MARK among them)."""
    return text_of(read_bytes(path), str(path), encoding=encoding)


def read_bytes(path: Path) -> bytes:
    """The bytes of an input file; a missing or unreadable file is an InputFileError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot read: {exc.strerror}") from None


def text_of(raw: bytes, source: str, *, encoding: str | None = None) -> tuple[str, bool]:
    """What :func:`read_text` gives for a file of these bytes."""
    text, controls, _ = text_and_warnings_of(raw, source, encoding=encoding)
    return text, controls


def text_and_warnings_of(
    raw: bytes, source: str, *, encoding: str | None = None
) -> tuple[str, bool, list[DecodeWarning]]:
    """:func:`text_of`, and the lines whose undecodable bytes were replaced (their
    ``line_text`` lets :func:`place_warnings` name the column)."""
    if wide_encoding(raw, encoding) is not None:
        # UTF-16/32: NUL bytes are half of every ASCII character, not broken lines; a NUL
        # character still is one.
        decoded = decode_reporting(raw, source=source, encoding=encoding)
        return decoded.text.replace("\x00", NUL_MARK), True, decoded.warnings
    controls = encoding is not None or has_controls(raw)
    # NUL bytes are a broken line, not a broken file: they are rejected row by row.
    decoded = decode_reporting(raw.replace(b"\x00", NUL_MARK.encode()), source=source,
                               encoding=encoding)
    return decoded.text, controls or not decoded.ascii_compatible, decoded.warnings


def place_warnings(
    warnings: list[DecodeWarning], delimiter: str, columns: Sequence[str] = ()
) -> list[DecodeWarning]:
    """The warnings, each naming the column of its line's first replaced byte
    (``columns[i]``, else "column N") with that field's value as its excerpt.

    Only a line that is a whole row can be split into fields: one with an odd number of
    quotes is part of a row over several lines, and its warning stays as it was.
    """
    placed = []
    for warning in warnings:
        line = warning.line_text
        fields: list[str] = []
        if line and line.count('"') % 2 == 0:
            try:
                fields = next(csv.reader([line], delimiter=delimiter), [])
            except csv.Error:  # a field over the size limit: the row reader says so
                pass
        for position, value in enumerate(fields):
            if "\ufffd" in value:
                title = columns[position].strip() if position < len(columns) else ""
                warning = replace(warning, column=title or f"column {position + 1}",
                                  excerpt=excerpt(value, value.index("\ufffd")))
                break
        placed.append(warning)
    return placed


def _first_row(text: str, delimiter: str) -> list[str]:
    """The fields of the text's first row (a header), as csv_rows reads them."""
    try:
        return next(csv.reader(_Lines(text, 0), delimiter=delimiter), [])
    except csv.Error:
        return []


def has_controls(raw: bytes) -> bool:
    """Whether the bytes hold any of ``\x00``-``\x03`` (NUL bytes, or the stand-ins).

    In the ASCII-compatible encodings (UTF-8, cp1251 and the others found without
    --encoding), these characters are those bytes and nothing else; looking for bytes is
    much cheaper than for characters.
    """
    return any(bytes([code]) in raw for code in range(4))


def guess_delimiter(text: str) -> str:
    """A tab when the first line has more tabs than commas and semicolons (Excel's «Unicode
    text», tab-separated UTF-16), else ``;`` when it has more of them than commas, else
    ``,``."""
    first = text[: text.find("\n") if "\n" in text else len(text)]
    commas, semicolons = first.count(","), first.count(";")
    if first.count("\t") > max(commas, semicolons):
        return "\t"
    return ";" if semicolons > commas else ","


def csv_rows(text: str, delimiter: str, source: str, *, controls: bool = True) -> Iterator[Row]:
    """Rows of CSV ``text``, each numbered by the line it starts on, as ``csv.reader`` reads them.

    ``controls=False`` promises that the text holds no ``\\x00``-``\\x03``. A ``csv.Error`` (a
    field over ``csv.field_size_limit()``) is an InputFileError naming ``source:line``.
    """
    if delimiter in ('"', "\r", "\n", _SEP, _BREAK) or (
        controls and (_SEP in text or _BREAK in text)
    ):
        yield from _csv_module_rows(text, delimiter, source)
        return
    crlf = "\r" in text  # else every line ends with \n; with \r, a stretch must prove it
    terminator = "\r\n" if crlf else "\n"
    between = f'"{delimiter}"'
    limit = csv.field_size_limit()  # a longer line may hold a field csv refuses: csv decides
    number = 0  # lines read so far
    skip = misses = 0  # after stretches that are not simple, the next few go straight to csv
    start, end = 0, len(text)
    while start < end:
        cut = text.find(terminator, start + _STRETCH)
        stop = end if cut < 0 else cut + len(terminator)
        if skip:
            skip -= 1
        else:
            rows = _simple_stretch(text, start, stop, terminator, delimiter, between, limit)
            if rows is not None:
                misses = 0
                for fields in rows:
                    number += 1
                    yield number, fields
                start = stop
                continue
            misses += 1
            skip = (1 << min(misses, 6)) - 1
        start, number = yield from _csv_records(text, start, stop, number, delimiter, source)


def _simple_stretch(
    text: str, start: int, stop: int, terminator: str, delimiter: str, between: str, limit: int
) -> list[list[str]] | None:
    """The fields of every line in ``text[start:stop]`` if all of them quote every field, or
    none; None for any other stretch.

    Delimiters and line breaks between quoted fields become stand-ins; if the quotes left are
    all doubled ones and no other line break is left, the stretch is exactly the quoted form
    of the fields split at the stand-ins, so ``csv`` would read those same fields.
    """
    ending = stop - len(terminator) if text.endswith(terminator, start, stop) else stop
    if stop - start > limit and _longest_line(text, start, stop, terminator) > limit:
        return None  # a field may be over the limit: the csv module says so
    if text[start] != '"':  # then no line may quote anything
        stretch = text[start:ending]
        if '"' in stretch or (terminator == "\r\n" and not (
                stretch.count("\r") == stretch.count("\n") == stretch.count("\r\n"))):
            return None
        return [line.split(delimiter) if line else [] for line in stretch.split(terminator)]
    if ending - start < 2 or text[ending - 1] != '"':
        return None
    body = text[start + 1:ending - 1].replace(between, _SEP).replace(
        f'"{terminator}"', _BREAK)
    if "\n" in body or (terminator == "\r\n" and "\r" in body):  # else the text has no \r
        return None
    if '"' in body:
        plain = body.replace('""', '"')
        if plain.count('"') != len(body) - len(plain):  # a quote left that was not doubled
            return None
        body = plain
    return [line.split(_SEP) for line in body.split(_BREAK)]


def _longest_line(text: str, start: int, stop: int, terminator: str) -> int:
    """The length of the longest line in ``text[start:stop]``."""
    return max(map(len, text[start:stop].split(terminator)))


def _csv_records(
    text: str, start: int, until: int, number: int, delimiter: str, source: str
) -> Generator[Row, None, tuple[int, int]]:
    """The csv module's rows from ``start`` on, up to the one that ends at or past ``until``;
    returns where the next line starts and the lines read so far (``number`` before)."""
    feed = _Lines(text, start)
    reader = csv.reader(feed, delimiter=delimiter)
    while feed.position < until:
        first, row_start = feed.count, feed.position
        try:
            fields = next(reader)
        except StopIteration:  # the text ended
            break
        except csv.Error as exc:
            line = number + feed.count - first
            raise _broken(exc, source, line, number + 1, text, row_start, delimiter) from None
        yield number + 1, fields
        number += feed.count - first
    return feed.position, number


def _broken(exc: csv.Error, source: str, line: int, first_line: int, text: str,
            row_start: int, delimiter: str) -> InputFileError:
    """The error of a row the csv module refused (on ``line``; the row starts on
    ``first_line``, at ``row_start``): a field longer than it takes (the one error its
    default dialect has), named by the row's line and the field's column when found."""
    limit = csv.field_size_limit()
    column = _long_field(text, row_start, delimiter, limit)
    if column is None:
        return InputFileError(f"{source}:{line}: broken CSV: {exc}")
    # A field this long is a quote left open (the rest of the file in one field) or a
    # file that is no table: either way no row of it can be trusted, so the file is refused.
    return InputFileError(f"{source}:{first_line}: column {column}: a field longer than "
                          f"{limit} characters, the most a CSV field may hold (a quote left "
                          "open?)")


def _long_field(text: str, start: int, delimiter: str, limit: int) -> int | None:
    """The 1-based column of the first field over ``limit`` characters in the row that starts
    at ``start`` (None when none is found), found with ``str.find`` bounded by the line's
    end rather than a loop over the characters of a field that may be megabytes long."""
    position, column, line_end = start, 1, -1
    while True:
        quoted = text.startswith('"', position)
        after = position
        if quoted:
            after = position + 1
            while (after := text.find('"', after)) >= 0 and text.startswith('"', after + 1):
                after += 2  # a doubled quote inside the field
            after = len(text) if after < 0 else after + 1
        if line_end < after:  # the row goes on past a line break inside quotes
            line_end = _line_end(text, after)
        cut = text.find(delimiter, after, line_end)
        stop = line_end if cut < 0 else cut
        if stop - position - 2 * quoted > limit:
            return column
        if cut < 0:
            return None  # the row ended
        position, column = cut + len(delimiter), column + 1


def _line_end(text: str, start: int) -> int:
    """Where the line break (``\n`` or ``\r``) after ``start`` is; the text's end if none."""
    newline = text.find("\n", start)
    newline = len(text) if newline < 0 else newline
    carriage = text.find("\r", start, newline)
    return newline if carriage < 0 else carriage


class _Lines:
    """Lines of ``text`` from ``position`` on, split as ``io.StringIO(text, newline="")`` does
    (at ``\\n``, ``\\r\\n`` and ``\\r``), for the csv module; ``count`` says how many it gave."""

    def __init__(self, text: str, position: int) -> None:
        self.text, self.position, self.count = text, position, 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        text, start = self.text, self.position
        if start >= len(text):
            raise StopIteration
        newline = text.find("\n", start)
        bound = len(text) if newline < 0 else newline
        carriage = text.find("\r", start, bound)
        if carriage >= 0:
            stop = carriage + (2 if carriage + 1 == newline else 1)
        else:
            stop = bound if newline < 0 else newline + 1
        self.position = stop
        self.count += 1
        return text[start:stop]


def _csv_module_rows(text: str, delimiter: str, source: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for fields in reader:
            yield line, fields
            line = reader.line_num + 1
    except csv.Error as exc:
        feed = _Lines(text, 0)  # where the refused row starts: past the lines before it
        for _ in range(line - 1):
            next(feed, None)
        raise _broken(exc, source, reader.line_num, line, text, feed.position,
                      delimiter) from None


def is_blank(fields: Sequence[str]) -> bool:
    """Whether a row says nothing: a blank line, or a spreadsheet's empty row (``,,,,``),
    which every reader skips without a word, as the csv module's users expect."""
    return not "".join(fields).strip()


def first_row(rows: Iterator[Row], source: str) -> Row:
    """The first row that is not blank (a header, say); InputFileError when there is none."""
    for line, fields in rows:
        if not is_blank(fields):
            return line, fields
    raise InputFileError(f"{source}: the file is empty")


def read_header(
    rows: Iterator[Row], names: dict[str, str], source: str
) -> tuple[dict[str, int], list[str]]:
    """(our field name -> column position, the header as written), from the first row that
    is not blank.

    ``names`` maps the export's header words (case-folded) to our field names; unknown
    columns are ignored.
    """
    _, header = first_row(rows, source)
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
    try:
        if not workbook.worksheets:
            raise InputFileError(f"{path}: the workbook has no sheet")
        sheet = workbook.worksheets[0]
        # Read-only mode reads as many rows and columns as the sheet's <dimension> tag says,
        # and writers leave it stale: rows past it would be lost without a word.
        sheet.reset_dimensions()
        number = 0
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, ["" if v is None else str(v).strip() for v in values]
        except Exception as exc:  # the sheet is read as it goes: a cut or damaged one breaks
            raise InputFileError(f"{path}: not a readable XLSX file: its sheet breaks off "
                                 f"after row {number} ({type(exc).__name__}: {exc})") from None
    finally:
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

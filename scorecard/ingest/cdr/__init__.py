"""Call-record readers: Asterisk ``Master.csv``, FreeSWITCH ``mod_cdr_csv`` and any table
through a mapping.

Every reader turns a file into :class:`~scorecard.ingest.cdr.records.CallRecord` s and the
lines it rejected (:class:`~scorecard.ingest.tables.Rejected`). This module owns the entry
point for Asterisk files, which picks the column reader (:mod:`.asterisk_columns`, with
Apache Arrow, for clean files) or the row reader (:mod:`.asterisk`) for everything else;
FreeSWITCH is :mod:`.freeswitch`, mapped exports :mod:`.mapped`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from itertools import chain
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from scorecard.ingest.cdr.asterisk import COLUMNS, parse_cdr
from scorecard.ingest.cdr.layouts import (
    CDR_CSV,
    Layout,
    content_layout,
    header_layout,
    in_cdr_csv_order,
    likely_cause,
    looks_like_freeswitch,
)
from scorecard.ingest.cdr.records import CallRecord
from scorecard.ingest.cdr.rules import NO_RULES, CentreRules
from scorecard.ingest.encoding import DecodeWarning, InputFileError

if TYPE_CHECKING:
    from scorecard.ingest.cdr.asterisk_columns import ColumnsRead
from scorecard.ingest.tables import (
    Rejected,
    Row,
    csv_rows,
    guess_delimiter,
    is_blank,
    place_warnings,
    read_bytes,
    read_rows,
    text_and_warnings_of,
    text_of,
)


class CdrFile(NamedTuple):
    """What reading a call-record file found."""

    calls: list[CallRecord]
    rejected: list[Rejected]
    layout: Layout
    hint: str | None
    """When most rows were rejected for one reason: its likely cause."""
    warnings: Sequence[DecodeWarning] = ()
    """Lines whose undecodable bytes were replaced (the rest of the file read as it is)."""


def read_cdr(
    path: Path, extensions: Mapping[str, object], *, encoding: str | None = None,
    rules: CentreRules = NO_RULES,
) -> tuple[list[CallRecord], list[Rejected]]:
    """Calls and rejected lines of a Master.csv file (see :func:`read_cdr_file`)."""
    found = read_cdr_file(path, extensions, encoding=encoding, rules=rules)
    return found.calls, found.rejected


def read_cdr_file(
    path: Path, extensions: Mapping[str, object], *, encoding: str | None = None,
    rules: CentreRules = NO_RULES,
) -> CdrFile:
    """The calls of an Asterisk call-record file (or an XLSX holding its rows), in
    ``cdr_csv``'s layout, FreePBX's ``cdr`` table's, or any order a header row names.

    What ``parse_cdr(read_rows(path), ...)`` gives, with less work: a headerless file that
    is all valid rows, in UTF-8 or (found, not forced) cp1251, is read column by column
    (:mod:`.asterisk_columns`, when the ``arrow`` extra is installed); any other file row
    by row, and rows are only searched for NUL bytes when the file may hold any.
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _by_rows(read_rows(path, encoding=encoding), extensions, nul_check=True,
                        rules=rules)
    # Columns are read only when the encoding is found, not forced.
    columns = _column_reader() if encoding is None else None
    utf8 = False
    if columns is not None:
        found, utf8 = columns.read_file(path, extensions, rules)
        if found is not None:
            return _with_hint(found)
    raw = read_bytes(path)
    text, controls, warnings = text_and_warnings_of(raw, str(path), encoding=encoding)
    del raw
    delimiter = guess_delimiter(text)
    warnings = place_warnings(warnings, delimiter, COLUMNS)
    # Found to be cp1251, or UTF-8 with stray bytes replaced: its UTF-8 form, by columns.
    if columns is not None and not utf8:
        encoded = text.encode()
        if (found := columns.read_columns(encoded, extensions, rules)) is not None:
            return _with_hint(found)._replace(warnings=warnings)
    rows = csv_rows(text, delimiter, str(path), controls=controls)
    del text  # the rows hold it while they need it
    return _by_rows(rows, extensions, nul_check=controls, rules=rules)._replace(
        warnings=warnings)


def _with_hint(found: ColumnsRead) -> CdrFile:
    """What the column reader found, with the hint a file whose rows mostly failed gets."""
    calls, rejected, layout, first_bytes = found
    total = len(calls) + len(rejected)
    if len(rejected) * 2 <= total:
        return CdrFile(calls, rejected, layout, None)
    head = first_bytes.decode("utf-8", errors="replace")
    sample = [fields for _, fields in csv_rows(head, guess_delimiter(head), "",
                                               controls=False)][int(layout.header):][:5]
    return CdrFile(calls, rejected, layout, likely_cause(sample, rejected, total, layout))


def _by_rows(rows: Iterator[Row], extensions: Mapping[str, object], *,
             nul_check: bool, rules: CentreRules) -> CdrFile:
    """Read row by row, in the layout the first row that is not blank shows."""
    # Blank lines before it are skipped, as everywhere.
    first = next((row for row in rows if not is_blank(row[1])), None)
    if first is None:
        return CdrFile([], [], CDR_CSV, None)
    layout = header_layout(first[1])
    first_line = [] if layout is not None else [first]
    layout = layout or content_layout(first[1])
    sample: list[list[str]] = []

    def remembered(rest: Iterator[Row]) -> Iterator[Row]:
        for row in rest:
            if len(sample) < 5:
                sample.append(row[1])
            yield row

    all_rows = remembered(chain(first_line, rows))
    calls, rejected = parse_cdr(in_cdr_csv_order(all_rows, layout), extensions,
                                nul_check=nul_check, rules=rules)
    total = len(calls) + len(rejected)  # rows, near enough: merged legs count once
    return CdrFile(calls, rejected, layout, likely_cause(sample, rejected, total, layout))


def sniff_format(path: Path, *, encoding: str | None = None) -> str:
    """asterisk or freeswitch, from the first row of the file."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        first = next(iter(read_rows(path, encoding=encoding)), (0, []))[1]
    else:
        try:
            with path.open("rb") as handle:
                raw = handle.read(1 << 16)
        except FileNotFoundError:
            raise InputFileError(f"{path}: no such file") from None
        except OSError as exc:
            raise InputFileError(f"{path}: cannot read: {exc.strerror}") from None
        cut = raw.rfind(b"\n")
        raw = raw[:cut] if cut > 0 else raw
        # Decoded as the whole file will be: UTF-16 (found or forced) is no ASCII, and an
        # encoding that is not one is refused here as there.
        text, _ = text_of(raw, str(path), encoding=encoding)
        first = next((fields for _, fields in csv_rows(text, guess_delimiter(text), str(path))
                      if any(field.strip() for field in fields)), [])
    return "freeswitch" if looks_like_freeswitch(first) else "asterisk"


def _column_reader() -> ModuleType | None:
    """The column reader, when Apache Arrow (the ``arrow`` extra) is installed."""
    try:
        from scorecard.ingest.cdr import asterisk_columns
    except ImportError:  # without it every file is read row by row, with the same results
        return None
    return asterisk_columns

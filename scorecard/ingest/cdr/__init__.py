"""Call-record readers: Asterisk ``Master.csv``, FreeSWITCH ``mod_cdr_csv`` and any table
through a mapping.

Every reader turns a file into :class:`~scorecard.ingest.cdr.records.CallRecord` s and the
lines it rejected (:class:`~scorecard.ingest.tables.Rejected`). This module owns the entry
point for Asterisk files, which picks the column reader (:mod:`.asterisk_columns`, with
Apache Arrow, for clean files) or the row reader (:mod:`.asterisk`) for everything else;
FreeSWITCH is :mod:`.freeswitch`, mapped exports :mod:`.mapped`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from scorecard.ingest.cdr.asterisk import parse_cdr
from scorecard.ingest.cdr.records import CallRecord
from scorecard.ingest.tables import (
    Rejected,
    csv_rows,
    guess_delimiter,
    read_bytes,
    read_rows,
    text_of,
)


def read_cdr(
    path: Path, extensions: Mapping[str, object], *, encoding: str | None = None
) -> tuple[list[CallRecord], list[Rejected]]:
    """Calls and rejected lines of a Master.csv file (or of an XLSX holding its rows).

    What ``parse_cdr(read_rows(path), ...)`` gives, with less work: a file that is all valid
    rows, in UTF-8 or (found, not forced) cp1251, is read column by column
    (:mod:`.asterisk_columns`, when the ``arrow`` extra is installed); any other file row
    by row, and rows are only searched for NUL bytes when the file may hold any.
    """
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return parse_cdr(read_rows(path, encoding=encoding), extensions)
    # Columns are read only when the encoding is found, not forced.
    columns = _column_reader() if encoding is None else None
    raw = read_bytes(path)
    utf8 = False
    if columns is not None:
        utf8 = columns.is_utf8(raw)
        if utf8 and (calls := columns.read_columns(raw, extensions)) is not None:
            return calls, []
    text, controls = text_of(raw, str(path), encoding=encoding)
    del raw
    # Found to be cp1251: its UTF-8 form, by columns.
    if (columns is not None and not utf8
            and (calls := columns.read_columns(text.encode(), extensions)) is not None):
        return calls, []
    rows = csv_rows(text, guess_delimiter(text), str(path), controls=controls)
    del text  # the rows hold it while they need it
    return parse_cdr(rows, extensions, nul_check=controls)


def _column_reader() -> ModuleType | None:
    """The column reader, when Apache Arrow (the ``arrow`` extra) is installed."""
    try:
        from scorecard.ingest.cdr import asterisk_columns
    except ImportError:  # without it every file is read row by row, with the same results
        return None
    return asterisk_columns

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
    try:
        from scorecard.ingest.cdr.asterisk_columns import is_utf8, read_columns
    except ImportError:  # without the arrow extra every file is read row by row
        is_utf8 = read_columns = None

    raw = read_bytes(path)
    found = encoding is None  # the encoding is found, not forced: columns may be read
    if found and read_columns is not None and is_utf8 is not None:
        utf8 = is_utf8(raw)
        if utf8 and (calls := read_columns(raw, extensions)) is not None:
            return calls, []
    else:
        utf8 = False
    text, controls = text_of(raw, str(path), encoding=encoding)
    del raw
    # Found to be cp1251: its UTF-8 form, by columns.
    if (found and not utf8 and read_columns is not None
            and (calls := read_columns(text.encode(), extensions)) is not None):
        return calls, []
    rows = csv_rows(text, guess_delimiter(text), str(path), controls=controls)
    del text  # the rows hold it while they need it
    return parse_cdr(rows, extensions, nul_check=controls)

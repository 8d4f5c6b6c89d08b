"""Which layout a call-record file is in, found from its header or its content, and what to
say when most of its rows fail the same way.

Asterisk's ``cdr_csv`` writes no header and a fixed column order; FreePBX's
``asteriskcdrdb.cdr`` table, dumped with or without a header, starts with ``calldate`` and
has no answer or end column; a ``cdr_csv`` with a custom template, or a file someone saved
from a spreadsheet, may have a header in any order. Each is read by the Asterisk rules once
its rows are put in ``cdr_csv`` order (:func:`in_cdr_csv_order`). FreeSWITCH's
``mod_cdr_csv`` is told apart by its hangup causes.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from scorecard.ingest.cdr.asterisk import COLUMNS, DISPOSITIONS
from scorecard.ingest.tables import Rejected, Row

#: The recording file column, put after cdr_csv's 21 columns.
RECORDING = len(COLUMNS)
#: FreePBX's ``cdr`` table, in its column order.
FREEPBX_COLUMNS = ("calldate", "clid", "src", "dst", "dcontext", "channel", "dstchannel",
                   "lastapp", "lastdata", "duration", "billsec", "disposition", "amaflags",
                   "accountcode", "uniqueid", "userfield", "did", "recordingfile", "cnum",
                   "cnam", "outbound_cnum", "outbound_cnam", "dst_cnam", "linkedid",
                   "peeraccount", "sequence")
#: Header words, case-folded, to the cdr_csv column (or RECORDING) they hold.
HEADER_NAMES: dict[str, int] = {name: position for position, name in enumerate(COLUMNS)}
HEADER_NAMES.update({"calldate": COLUMNS.index("start"), "recordingfile": RECORDING,
                     "recording": RECORDING, "account code": 0, "source": 1,
                     "destination": 2, "dst channel": 6, "last app": 7, "last data": 8,
                     "start time": 9, "answer time": 10, "end time": 11, "unique id": 16,
                     "linked id": 19, "billable seconds": 13})

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|\d{1,4}[/.]\d{1,2}[/.]\d{2,4} \d{1,2}:\d{2}")
_CAUSE = re.compile(r"^[A-Z]+(_[A-Z]+)+$")


@dataclass(frozen=True)
class Layout:
    """How a file's rows map onto cdr_csv's columns."""

    name: str
    """asterisk, freepbx or header (a header row named the columns)."""
    positions: tuple[int | None, ...] | None = None
    """For each cdr_csv column (and RECORDING), where the file has it (None: it has not);
    None: the file is in cdr_csv order."""
    header: bool = False


CDR_CSV = Layout("asterisk")


def header_layout(first: Sequence[str]) -> Layout | None:
    """The layout a header row names, when the first row is one."""
    found: dict[int, int] = {}
    for position, title in enumerate(first):
        column = HEADER_NAMES.get(title.strip().strip('"').casefold())
        if column is not None:
            found.setdefault(column, position)
    start, disposition = COLUMNS.index("start"), COLUMNS.index("disposition")
    if len(found) < 4 or start not in found or disposition not in found:
        return None
    return Layout("header", tuple(found.get(c) for c in range(RECORDING + 1)), header=True)


def content_layout(first: Sequence[str]) -> Layout:
    """cdr_csv's order, or FreePBX's when the row reads as a FreePBX ``cdr`` row."""
    if (len(first) >= 16 and _DATE.match(first[0].strip())
            and first[9].strip().isdigit() and first[10].strip().isdigit()
            and first[11].strip().upper() in DISPOSITIONS
            and not (len(first) > 14 and first[14].strip().upper() in DISPOSITIONS)):
        where = {name: position for position, name in enumerate(FREEPBX_COLUMNS)}
        where["start"] = where["calldate"]
        positions = tuple(where.get(name) for name in COLUMNS) + (where["recordingfile"],)
        return Layout("freepbx", positions)
    return CDR_CSV


def in_cdr_csv_order(rows: Iterator[Row], layout: Layout) -> Iterator[Row]:
    """The rows with their fields in cdr_csv's order (the recording file after them)."""
    if layout.positions is None:
        yield from rows
        return
    positions = layout.positions
    for line, fields in rows:
        count = len(fields)
        if count <= 1 and not "".join(fields).strip():
            yield line, fields  # a blank line stays one
            continue
        yield line, [fields[p] if p is not None and p < count else "" for p in positions]


def looks_like_freeswitch(first: Sequence[str]) -> bool:
    """Whether a row reads as ``mod_cdr_csv``'s default template (a hangup cause in the 10th
    column, a start stamp in the 5th)."""
    return (len(first) >= 11 and bool(_DATE.match(first[4].strip()))
            and bool(_CAUSE.match(first[9].strip())))


def likely_cause(rows: Sequence[Sequence[str]], rejected: Sequence[Rejected], total: int,
                 layout: Layout) -> str | None:
    """What most likely went wrong when most rows were rejected for one reason, or None.

    ``rows`` are a few of the file's rows as written (before any reordering).
    """
    if total == 0 or len(rejected) * 2 <= total:
        return None
    reasons = Counter(reason.reason.split(":", 1)[0] for reason in rejected)
    field, count = reasons.most_common(1)[0]
    if count * 2 <= len(rejected):
        return None
    if field == "disposition" and layout.positions is None and rows:
        sample = rows[0]
        written = sample[14].strip() if len(sample) > 14 else ""
        where = next((n for n, value in enumerate(sample)
                      if value.strip().upper() in DISPOSITIONS), None)
        what = _what_it_is(written)
        moved = f"; the dispositions are in column {where + 1}" if where is not None else ""
        return (f"column 15 holds {written!r}{what}, where cdr_csv writes the "
                f"disposition{moved}: is the column order different? Put a header row "
                "naming the columns in the file, or see --format mapped")
    if field in ("start", "answer"):
        written = next((reason.reason.split(" ", 4)[-1] for reason in rejected
                        if reason.reason.startswith(field)), "")
        if re.search(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}", written):
            return (f"most rows have a {field} time like {written}, as a spreadsheet writes "
                    "it, and no row tells day from month (a day after the 12th would): "
                    "read the file with --format mapped and a date_format such as "
                    '"%d/%m/%Y %H:%M:%S"')
        return (f"most rows have a {field} time that is not a date as cdr_csv writes it "
                "(YYYY-MM-DD HH:MM:SS): was the file re-saved by a spreadsheet? See "
                "--format mapped, whose date_format takes any form")
    if field.endswith("columns, expected at least 16"):  # "5 columns, expected…"
        return ("most rows have too few columns for cdr_csv: is this another PBX's export? "
                "See --format freeswitch or --format mapped")
    return f"{count} of {total} rows were rejected for their {field}"


def _what_it_is(value: str) -> str:
    """What a value looks like, in cdr_csv's terms (empty: nothing recognisable)."""
    if value.upper() in ("DOCUMENTATION", "BILLING", "OMIT", "DEFAULT"):
        return ", an amaflags value"
    if _DATE.match(value):
        return ", a time"
    if value.isdigit():
        return ", a number"
    return ""

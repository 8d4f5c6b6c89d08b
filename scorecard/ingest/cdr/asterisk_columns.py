"""Asterisk Master.csv read column by column with Apache Arrow: the fast way through a big file.

Row by row, a million-line file spends seconds in Python splitting lines and converting
fields. Arrow's CSV reader splits and converts in C++, and the rules of
:mod:`scorecard.ingest.cdr.asterisk` are applied here to whole columns; Python touches each
value only to build the calls.

This reader takes the rows it reads exactly as the row-by-row one would: a known
disposition, whole seconds, times written ``YYYY-MM-DD HH:MM:SS``, the file's number of
columns. Every other row (one to reject, a time a spreadsheet wrote) is handed to the
row-by-row reader, which names each bad line; the legs of both are decided into calls
together. A file it cannot map to lines exactly (not UTF-8, control bytes, a line break
inside a field, a lone CR) it declines as a whole (None), and the row-by-row reader reads
it. tests/ingest/test_read_cdr.py holds the two readers to the same answers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from functools import partial
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from scorecard.ingest.cdr.asterisk import (
    DISPOSITIONS,
    KEPT,
    MACHINE_APPLICATIONS,
    MIN_COLUMNS,
    SPECIAL_EXTENSIONS,
    channel_extension,
    parse_legs,
)
from scorecard.ingest.cdr.layouts import (
    RECORDING,
    Layout,
    content_layout,
    header_layout,
    in_cdr_csv_order,
)
from scorecard.ingest.cdr.records import (
    MAX_SECONDS,
    RAW_SEPARATOR,
    CallRecord,
    one_call_per_key,
)
from scorecard.ingest.cdr.rules import NO_RULES, CentreRules
from scorecard.ingest.dates import EARLIEST, LATEST
from scorecard.ingest.tables import (
    Rejected,
    guess_delimiter,
    has_controls,
    is_blank,
    paused_gc,
    read_bytes,
)

# Columns by position (see asterisk.COLUMNS).
_SRC, _DST, _CHANNEL, _DSTCHANNEL, _LASTAPP, _START, _ANSWER = 1, 2, 5, 6, 7, 9, 10
_DURATION, _BILLSEC, _DISPOSITION, _UNIQUEID, _LINKEDID = 12, 13, 14, 16, 19
_WANTED = (_SRC, _DST, _CHANNEL, _DSTCHANNEL, _LASTAPP, _START, _ANSWER, _DURATION, _BILLSEC,
           _DISPOSITION, _UNIQUEID, _LINKEDID)
_OUTSIDE = r"^\+?[0-9]{7,}$"  # a full phone number (asterisk.is_outside)
_SHORT = r"^[0-9]{1,6}$"  # a short extension
_STORED = ".000000"  # a whole-second time in the stored form (see CallRecord.started_text)
_NULL = pa.scalar(None, pa.string())
_LONE_CR = re.compile(rb"\r(?!\n)")


class _NotSimple(Exception):
    """The file is not one this reader takes."""


class ColumnsRead(NamedTuple):
    calls: list[CallRecord]
    rejected: list[Rejected]
    layout: Layout
    head: bytes
    """The file's first bytes (what a hint about its layout looks at)."""


def read_file(path: Path, extensions: Mapping[str, object], rules: CentreRules = NO_RULES
              ) -> tuple[ColumnsRead | None, bool]:
    """:func:`read_columns` of a file, and whether it is UTF-8 (if not, None: decoding is
    the other reader's). The file's bytes are let go as soon as Arrow has read them: a
    million-row file is a quarter of a gigabyte."""
    box = [read_bytes(path)]
    if not is_utf8(box[0]):
        return None, False
    try:
        with paused_gc():
            return _calls(box, extensions, rules), True
    except _NotSimple:
        return None, True


def read_columns(raw: bytes, extensions: Mapping[str, object],
                 rules: CentreRules = NO_RULES) -> ColumnsRead | None:
    """The calls and rejected lines of a Master.csv file's bytes (and the layout its first
    line showed), or None when the row-by-row reader must read the whole file."""
    try:
        with paused_gc():
            return _calls([raw], extensions, rules)
    except _NotSimple:
        return None


def _calls(box: list[bytes], extensions: Mapping[str, object], rules: CentreRules
           ) -> ColumnsRead:
    """The calls and rejected lines of the bytes in ``box`` (emptied once read);
    _NotSimple when the row-by-row reader must read them."""
    read = _table(box[0])
    head = box[0][:1 << 16]
    box.clear()
    table, lines, layout, width = read.table, read.lines, read.layout, read.width
    odd_rows = read.skipped
    del read
    valid = _valid(partial(_canonical, table, width, layout))
    # Only the columns the rules read or a leg keeps are filtered (a copy each), not the
    # whole table.
    column = {position: _canonical(table, width, layout, position)
              for position in sorted({*_WANTED, *KEPT, RECORDING})}
    if not pc.all(valid).as_py():
        wrong = pc.indices_nonzero(pc.invert(valid)).to_pylist()
        fields = [written_column.to_pylist() for written_column in table.take(wrong).columns]
        odd_rows = sorted(odd_rows + [(int(lines[row]), [field[n] for field in fields])
                                      for n, row in enumerate(wrong)])
        column = {position: kept.filter(valid) for position, kept in column.items()}
        lines = lines[np.asarray(valid.to_numpy(zero_copy_only=False), dtype=bool)]
    recorded = layout.positions is not None and layout.positions[RECORDING] is not None
    del table  # the columns the rules do not read go now: they are in the joined rows
    # The leg as the row-by-row reader keeps it (asterisk.KEPT), joined from the valid rows
    # only: filtering the joined rows instead copied a quarter of a gigabyte more.
    raws = pc.binary_join_element_wise(*(column[position] for position in KEPT),
                                       RAW_SEPARATOR)
    for position in set(KEPT) - {*_WANTED, RECORDING}:
        del column[position]  # kept only for the join
    legs, keys = (_legs(column, raws, recorded, lines, extensions, rules) if len(raws)
                  else ([], pa.array([], pa.string())))
    side: list[CallRecord] = []
    rejected: list[Rejected] = []
    if odd_rows:  # to the row-by-row reader, which names what is wrong with each
        side, rejected = parse_legs(in_cdr_csv_order(iter(odd_rows), layout), extensions,
                                    nul_check=False, rules=rules)
    return ColumnsRead(_merged(legs, keys, side), rejected, layout, head)


def _legs(column: dict[int, pa.ChunkedArray], raws: pa.ChunkedArray, recorded: bool,
          lines: np.ndarray, extensions: Mapping[str, object], rules: CentreRules
          ) -> tuple[list[CallRecord], pa.Array]:
    """Each valid row (its columns in cdr_csv's order, and as written) as the call it would
    be alone, and the legs' keys as an Arrow array (what :func:`_merged` counts)."""
    duration = pc.cast(column[_DURATION], pa.int64())
    billsec = pc.cast(column[_BILLSEC], pa.int64())
    disposition, start, answer = column[_DISPOSITION], column[_START], column[_ANSWER]
    written = pc.not_equal(answer, "")
    # Answered or not comes from the disposition, never from billsec; and a machine's
    # answer is no answer (see asterisk.MACHINE_APPLICATIONS).
    dst = column[_DST]
    machine = pc.or_(pc.or_(
        pc.is_in(pc.utf8_lower(column[_LASTAPP]), value_set=pa.array(sorted(MACHINE_APPLICATIONS))),
        pc.starts_with(dst, "*")), pc.is_in(dst, value_set=pa.array(sorted(SPECIAL_EXTENSIONS))))
    answered = pc.and_(pc.equal(disposition, "ANSWERED"), pc.invert(machine))
    answered_written = pc.and_(answered, written)
    waited = pc.cast(pc.subtract(_timestamps(answer), _timestamps(start)), pa.int64())
    ring = pc.if_else(answered, pc.if_else(written, pc.max_element_wise(waited, 0),
                                           pc.subtract(duration, billsec)), duration)
    if pc.any(pc.and_(answered_written, pc.is_null(ring))).as_py():
        raise _NotSimple  # a time Arrow did not read as Python does
    if pc.any(pc.greater(waited, MAX_SECONDS)).as_py():
        raise _NotSimple  # an answer decades after the start: the row reader rejects it
    talk = pc.if_else(answered, billsec, 0)

    operator, inbound = _operators(column, extensions, rules)
    client = pc.if_else(inbound, column[_SRC], column[_DST])
    client = pc.if_else(pc.equal(client, ""), _NULL, client)
    key = pc.binary_join_element_wise(start, column[_CHANNEL], column[_DST], "|")
    for position in (_UNIQUEID, _LINKEDID):  # the linkedid first, else the uniqueid
        if position in column:
            key = pc.if_else(pc.equal(column[position], ""), key, column[position])

    starts = _datetimes(start.to_pylist())
    answer_texts = pc.if_else(answered_written, answer, _NULL).to_pylist()
    answers = _datetimes(answer_texts)
    # A written answer time is checked even where the call was not answered, as row by row.
    _datetimes(pc.unique(pc.filter(answer, pc.and_(written, pc.invert(answered)))).to_pylist())
    rings = ring.to_pylist()
    for row in pc.indices_nonzero(pc.and_(answered, pc.invert(written))).to_pylist():
        answers[row] = starts[row] + timedelta(seconds=rings[row])  # no answer time written
    # The result's position in DISPOSITIONS (a machine's answer is "no_answer"'s).
    result = pc.if_else(pc.and_(machine, pc.equal(disposition, "ANSWERED")),
                        list(DISPOSITIONS).index("NO ANSWER"),
                        pc.index_in(disposition, value_set=pa.array(list(DISPOSITIONS))))
    key = key.combine_chunks()
    keys = key.to_pylist()
    operators = _shared(operator)
    talks = talk.to_pylist()
    directions = _named(pc.cast(inbound, pa.int8()), ("outbound", "inbound"))
    dispositions = _named(result, tuple(DISPOSITIONS.values()))
    clients = client.to_pylist()
    start_texts = pc.binary_join_element_wise(start, _STORED, "").to_pylist()
    answered_texts = [None if text is None else text + _STORED for text in answer_texts]
    recordings: Iterable[str | None] = repeat(None)
    if recorded:
        recording = column[RECORDING]
        recordings = pc.if_else(pc.equal(recording, ""), _NULL, recording).to_pylist()
    return list(map(tuple.__new__, repeat(CallRecord), zip(
        keys, operators, starts, answers, rings, talks, directions, dispositions, clients,
        lines.tolist(), start_texts, answered_texts, recordings, raws.to_pylist(),
        repeat(None), strict=False))), key  # repeat() is endless: the other columns end together


def _named(positions: pa.Array | pa.ChunkedArray, names: tuple[str | None, ...]
           ) -> list[str | None]:
    """``names[position]`` for each of the positions (none null): one string object per
    name, shared by a million rows, not one per row as ``to_pylist`` makes them."""
    if positions.null_count:
        raise _NotSimple  # a row the rules did not place: never for a valid row
    chosen = np.asarray(positions.to_numpy(), dtype=np.intp)
    return np.array(names, dtype=object)[chosen].tolist()


def _shared(values: pa.ChunkedArray) -> list[str | None]:
    """``values.to_pylist()`` with one string object per distinct value (a few hundred
    operators' extensions), not one per row: less to make, hold and free."""
    encoded = pc.dictionary_encode(values).combine_chunks()
    missing = len(encoded.dictionary)  # a null is the name after the last one
    return _named(pc.fill_null(encoded.indices, missing),
                  (*encoded.dictionary.to_pylist(), None))


def _valid(column: Callable[[int], pa.ChunkedArray]) -> pa.ChunkedArray:
    """Which rows this reader reads as the row-by-row one would (the rest go to it)."""
    answer = column(_ANSWER)
    valid = pc.and_(pc.and_(
        pc.is_in(column(_DISPOSITION), value_set=pa.array(list(DISPOSITIONS))),
        _is_time(column(_START))), pc.or_(pc.equal(answer, ""), _is_time(answer)))
    # Whole seconds: 1 to 15 ASCII digits (int() takes more: signs, spaces, other digits;
    # such rows are the other reader's).
    for position in (_DURATION, _BILLSEC):
        seconds = column(position)
        length = pc.utf8_length(seconds)
        valid = pc.and_(valid, pc.and_(pc.ascii_is_decimal(seconds), pc.and_(
            pc.greater(length, 0), pc.less_equal(length, 15))))
    duration, billsec = (pc.cast(pc.if_else(valid, column(position), "0"), pa.int64())
                         for position in (_DURATION, _BILLSEC))
    return pc.fill_null(pc.and_(valid, pc.and_(pc.less_equal(billsec, duration),
                                              pc.less_equal(duration, MAX_SECONDS))), False)


def _is_time(texts: pa.ChunkedArray) -> pa.ChunkedArray:
    """Which texts are times written ``YYYY-MM-DD HH:MM:SS`` (19 characters Arrow reads as
    that form; a time it reads but Python does not makes the file the other reader's) in
    the years the readers take (dates.EARLIEST to LATEST: the row reader rejects others)."""
    # Such texts sort as their times do: the years are compared as text.
    in_range = pc.and_(pc.greater_equal(texts, f"{EARLIEST.year:04d}"),
                       pc.less(texts, f"{LATEST.year:04d}"))
    return pc.and_(pc.and_(pc.equal(pc.utf8_length(texts), 19), in_range),
                   pc.is_valid(_timestamps(texts)))


def _merged(legs: list[CallRecord], keys: pa.Array, side: list[CallRecord]
            ) -> list[CallRecord]:
    """One call per key, in line order (``legs`` is in line order, ``keys`` their keys as
    :func:`_legs` made them, not read back from a million legs; ``side`` are the legs the
    row-by-row reader read)."""
    counts = pc.value_counts(keys)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if side:
        repeated = pa.concat_arrays([repeated.cast(pa.string()),
                                     pa.array(sorted({leg[0] for leg in side}), pa.string())])
    if not len(repeated):
        return legs
    several = pc.is_in(keys, value_set=repeated)
    rows = pc.indices_nonzero(several).to_pylist()
    keep = pc.invert(several).to_numpy(zero_copy_only=False).tolist()
    merged = list(compress(legs, keep)) + one_call_per_key([legs[row] for row in rows] + side)
    merged.sort(key=itemgetter(9))  # two runs in line order: timsort merges them
    return merged


class _Read(NamedTuple):
    table: pa.Table
    width: int
    layout: Layout
    lines: np.ndarray
    """The file's line of each row of ``table``."""
    skipped: list[tuple[int, list[str]]]
    """Rows with another number of columns, by line, as the csv module reads them."""


def _table(raw: bytes) -> _Read:
    """The file's columns as strings, the line each row is on, and the rows Arrow skipped."""
    if not raw or has_controls(raw):
        raise _NotSimple  # NUL bytes are rejected row by row
    if b"\r" in raw and _LONE_CR.search(raw):
        raise _NotSimple  # a line break the two readers might count differently
    if not is_utf8(raw):
        raise _NotSimple  # cp1251 perhaps: decoding is the other reader's
    end = raw.find(b"\n")
    first_line = raw[: end if end >= 0 else len(raw)].decode("utf-8-sig").rstrip("\r")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise _NotSimple  # a byte order mark: Arrow would keep it in the first field
    delimiter = guess_delimiter(first_line)
    first = _csv_row(first_line, delimiter)
    if is_blank(first):
        raise _NotSimple  # the layout is the first row's that is not blank: the row reader's
    layout = header_layout(first)
    header = layout is not None
    layout = layout or content_layout(first)
    width = len(first)
    if width < MIN_COLUMNS:
        raise _NotSimple
    names = [str(position) for position in range(width)]
    skipped: list[tuple[int | None, str]] = []

    def skip(row: pcsv.InvalidRow) -> str:
        skipped.append((row.number, row.text))
        return "skip"

    try:
        table = pcsv.read_csv(
            pa.BufferReader(raw),
            # One thread: then Arrow says which line a skipped row is on.
            read_options=pcsv.ReadOptions(column_names=names, skip_rows=int(header),
                                          use_threads=False),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=False,
                                            invalid_row_handler=skip),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        raise _NotSimple from None
    rows: list[tuple[int, list[str]]] = []
    for line, text in skipped:
        if line is None or text.count('"') % 2:
            raise _NotSimple  # a line break inside a field: the row is on several lines
        rows.append((line, _csv_row(text, delimiter) or [""]))
    count = raw.count(b"\n") + (not raw.endswith(b"\n"))
    taken = np.ones(count + 1, dtype=bool)
    taken[0] = False  # lines count from 1
    taken[1] = not header
    if rows:
        taken[[line for line, _ in rows]] = False
    if b"\n\n" in raw or b"\n\r\n" in raw or raw.startswith((b"\n", b"\r\n")):
        taken[_blank_lines(raw)] = False  # Arrow passes over empty lines, as csv_rows does
    lines = np.flatnonzero(taken)
    if len(lines) != table.num_rows:
        raise _NotSimple  # rows and lines do not pair up: leave it to the other reader
    limit = csv.field_size_limit()
    if len(raw) > limit and any((pc.max(pc.binary_length(column)).as_py() or 0) > limit
                                for column in table.columns):
        raise _NotSimple  # a field the csv module refuses: the row reader names it
    return _Read(table, width, layout, lines, rows)


def _csv_row(line: str, delimiter: str) -> list[str]:
    """The fields of one line as the csv module reads them; _NotSimple when it refuses the
    line (a field over its size limit), which the row reader then names."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        raise _NotSimple from None


def _blank_lines(raw: bytes) -> np.ndarray:
    """Numbers of the empty lines (``\r`` alone counts as empty: a CRLF file's blank line)."""
    data = np.frombuffer(raw, dtype=np.uint8)
    ends = np.flatnonzero(data == 10)
    starts = np.concatenate(([0], ends[:-1] + 1))
    length = ends - starts
    empty = (length == 0) | ((length == 1) & (data[starts] == 13))
    return np.flatnonzero(empty) + 1


def _canonical(table: pa.Table, width: int, layout: Layout, position: int) -> pa.ChunkedArray:
    """cdr_csv's column at ``position`` (or RECORDING) of the table, empty when the file has
    none."""
    where = position if layout.positions is None else layout.positions[position]
    if where is None or where >= width:
        return pa.chunked_array([pa.repeat("", table.num_rows)], pa.string())
    return table.column(str(where))


def _operators(
    column: dict[int, pa.ChunkedArray], extensions: Mapping[str, object], rules: CentreRules
) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """Each row's operator extension (null: none known) and whether the call was inbound.

    The operator is on the channel (outbound), else on the destination channel (inbound),
    else the src (outbound) or dst (inbound) extension.
    """
    known = pa.array([str(extension) for extension in extensions], pa.string())
    src, dst = column[_SRC], column[_DST]
    own = _channel_extensions(column[_CHANNEL])
    their = _channel_extensions(column[_DSTCHANNEL])
    on_own, on_their, on_src, on_dst = (pc.fill_null(pc.is_in(values, value_set=known), False)
                                        for values in (own, their, src, dst))
    operator = pc.if_else(on_own, own, pc.if_else(on_their, their, pc.if_else(
        on_src, src, pc.if_else(on_dst, dst, _NULL))))
    # No operator's extension anywhere: inbound when it came from outside (a channel that is
    # no short extension, a caller with a full number), as asterisk.is_outside.
    outside = pc.and_(pc.invert(pc.fill_null(pc.match_substring_regex(own, _SHORT), False)),
                      pc.match_substring_regex(src, _OUTSIDE))
    if rules.own_numbers:
        outside = pc.or_(outside, pc.is_in(dst, value_set=pa.array(sorted(rules.own_numbers))))
    if rules.trunks:
        devices = pc.list_element(pc.split_pattern(column[_CHANNEL], "-", max_splits=1), 0)
        outside = pc.or_(outside, pc.is_in(devices, value_set=pa.array(sorted(rules.trunks))))
    inbound = pc.and_(pc.invert(on_own), pc.or_(on_their, pc.and_(pc.invert(on_src), pc.or_(
        on_dst, outside))))
    return operator, inbound


def _channel_extensions(channels: pa.ChunkedArray) -> pa.Array:
    """The extension on each channel (``SIP/211-0000001a`` → 211), found once per device."""
    devices = pc.list_element(pc.split_pattern(channels, "-", max_splits=1), 0)
    encoded = pc.dictionary_encode(devices).combine_chunks()
    found = []
    for device in encoded.dictionary.to_pylist():
        if "/" in device:
            found.append(channel_extension(device))
        elif device:  # the part before the dash says nothing: the whole channel would
            raise _NotSimple
        else:
            found.append(None)  # an empty channel, or one that starts with a dash
    if None in found and pc.any(pc.and_(pc.equal(devices, ""),
                                        pc.not_equal(channels, ""))).as_py():
        raise _NotSimple
    return pc.take(pa.array(found, pa.string()), encoded.indices)


def _timestamps(times: pa.ChunkedArray) -> pa.ChunkedArray:
    return pc.strptime(times, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)


def _datetimes(texts: list[str | None]) -> list[datetime | None]:
    """The times as the row-by-row reader reads them (an impossible date is not simple)."""
    fromiso = datetime.fromisoformat
    try:
        return [fromiso(text) if text else None for text in texts]
    except ValueError:
        raise _NotSimple from None


def is_utf8(raw: bytes) -> bool:
    """Whether the bytes are UTF-8 text, checked in C++ (decoding would cost seconds)."""
    offsets = pa.array([0, len(raw)], pa.int64()).buffers()[1]
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(raw)])
    try:
        whole.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True

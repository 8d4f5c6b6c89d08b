"""Asterisk Master.csv read column by column with Apache Arrow: the fast way through a big file.

Row by row, a million-line file spends seconds in Python splitting lines and converting
fields. Arrow's CSV reader splits and converts in C++ on every core, and the rules of
:mod:`scorecard.ingest.cdr.asterisk` are applied here to whole columns; Python touches each value
only to build the calls.

This reader takes only files it reads exactly as the row-by-row one would: UTF-8, one line per
row, every row with the same number of columns, no control bytes, and every row valid (a known
disposition, whole seconds, times written ``YYYY-MM-DD HH:MM:SS``, a channel naming its
technology). For any other file it answers None, and the row-by-row reader, which names each
bad line, reads it. tests/ingest/test_read_cdr.py holds the two readers to the same answers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from itertools import compress, repeat

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from scorecard.ingest.cdr.asterisk import (
    DISPOSITIONS,
    MACHINE_APPLICATIONS,
    MIN_COLUMNS,
    SPECIAL_EXTENSIONS,
    channel_extension,
)
from scorecard.ingest.cdr.records import (
    MAX_SECONDS,
    RAW_SEPARATOR,
    CallRecord,
    one_call_per_key,
)
from scorecard.ingest.cdr.rules import NO_RULES, CentreRules
from scorecard.ingest.tables import guess_delimiter, has_controls, paused_gc

# Columns by position (see asterisk.COLUMNS).
_SRC, _DST, _CHANNEL, _DSTCHANNEL, _LASTAPP, _START, _ANSWER = 1, 2, 5, 6, 7, 9, 10
_DURATION, _BILLSEC, _DISPOSITION, _UNIQUEID, _LINKEDID = 12, 13, 14, 16, 19
_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"
_WHOLE = r"^[0-9]{1,15}$"  # int() takes more (signs, spaces, other digits): the other reader
_OUTSIDE = r"^\+?[0-9]{7,}$"  # a full phone number (asterisk.is_outside)
_SHORT = r"^[0-9]{1,6}$"  # a short extension
_STORED = ".000000"  # a whole-second time in the stored form (see CallRecord.started_text)
_NULL = pa.scalar(None, pa.string())
_LONE_CR = re.compile(rb"\r(?!\n)")


class _NotSimple(Exception):
    """The file is not one this reader takes."""


def read_columns(raw: bytes, extensions: Mapping[str, object],
                 rules: CentreRules = NO_RULES) -> list[CallRecord] | None:
    """The calls of a Master.csv file's bytes, or None when the row-by-row reader must read it
    (it may hold a line to reject, or something this reader does not take)."""
    try:
        with paused_gc():
            return _calls(raw, extensions, rules)
    except _NotSimple:
        return None


def _calls(raw: bytes, extensions: Mapping[str, object], rules: CentreRules
           ) -> list[CallRecord]:
    """The calls of the file; _NotSimple when the row-by-row reader must read it."""
    table, width = _table(raw)
    column = {position: table.column(str(position)) for position in _wanted(width)}
    duration, billsec = _checked(column)
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
    names = pc.take(pa.array(list(DISPOSITIONS.values())),
                    pc.index_in(disposition, value_set=pa.array(list(DISPOSITIONS))))
    names = pc.if_else(pc.and_(machine, pc.equal(disposition, "ANSWERED")), "no_answer", names)
    keys = key.to_pylist()
    operators = operator.to_pylist()
    talks = talk.to_pylist()
    directions = pc.if_else(inbound, "inbound", "outbound").to_pylist()
    dispositions = names.to_pylist()
    clients = client.to_pylist()
    start_texts = pc.binary_join_element_wise(start, _STORED, "").to_pylist()
    raws = pc.binary_join_element_wise(*table.columns, RAW_SEPARATOR).to_pylist()
    answered_texts = [None if text is None else text + _STORED for text in answer_texts]
    legs = list(map(tuple.__new__, repeat(CallRecord), zip(
        keys, operators, starts, answers, rings, talks, directions, dispositions, clients,
        range(1, table.num_rows + 1), start_texts, answered_texts, repeat(None), raws,
        repeat(None), strict=False)))  # repeat() is endless: the other columns end together
    return _merged(legs, key)


def _checked(column: dict[int, pa.ChunkedArray]) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """The duration and billsec columns as numbers, once every row is known to be valid."""
    _require(pc.is_in(column[_DISPOSITION], value_set=pa.array(list(DISPOSITIONS))))
    _require(pc.match_substring_regex(column[_START], _TIME))
    answer = column[_ANSWER]
    _require(pc.or_(pc.equal(answer, ""), pc.match_substring_regex(answer, _TIME)))
    for position in (_DURATION, _BILLSEC):
        _require(pc.match_substring_regex(column[position], _WHOLE))
    duration = pc.cast(column[_DURATION], pa.int64())
    billsec = pc.cast(column[_BILLSEC], pa.int64())
    _require(pc.and_(pc.less_equal(billsec, duration), pc.less_equal(duration, MAX_SECONDS)))
    return duration, billsec


def _merged(legs: list[CallRecord], key: pa.ChunkedArray) -> list[CallRecord]:
    """One call per key, in line order (``legs`` is in line order, one per row)."""
    # Most keys are one leg each; only transfers need merging.
    counts = pc.value_counts(key)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if not len(repeated):
        return legs
    keep = [True] * len(legs)
    rows = pc.indices_nonzero(pc.is_in(key, value_set=repeated)).to_pylist()
    for row in rows:
        keep[row] = False
    for call in one_call_per_key([legs[row] for row in rows]):
        legs[call.line - 1] = call  # in the place of its leg whose line it keeps
        keep[call.line - 1] = True
    return list(compress(legs, keep))


def _table(raw: bytes) -> tuple[pa.Table, int]:
    """The file's columns as strings, and how many columns its rows have."""
    if not raw or has_controls(raw):
        raise _NotSimple  # NUL bytes are rejected row by row
    if b"\r" in raw and _LONE_CR.search(raw):
        raise _NotSimple  # a line break the two readers might count differently
    if not is_utf8(raw):
        raise _NotSimple  # cp1251 perhaps: decoding is the other reader's
    end = raw.find(b"\n")
    first = raw[: end if end >= 0 else len(raw)].decode("utf-8-sig").rstrip("\r")
    delimiter = guess_delimiter(first)
    width = len(next(csv.reader([first], delimiter=delimiter), []))
    if width < MIN_COLUMNS:
        raise _NotSimple
    names = [str(position) for position in range(width)]
    try:
        table = pcsv.read_csv(
            pa.BufferReader(raw),
            read_options=pcsv.ReadOptions(column_names=names),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:  # a row with another number of columns, mostly
        raise _NotSimple from None
    lines = raw.count(b"\n") + (not raw.endswith(b"\n"))
    if table.num_rows != lines:
        raise _NotSimple  # a blank line, or a quoted line break: row numbers would differ
    return table, width


def _wanted(width: int) -> list[int]:
    return [position for position in (_SRC, _DST, _CHANNEL, _DSTCHANNEL, _LASTAPP, _START, _ANSWER,
                                      _DURATION, _BILLSEC, _DISPOSITION, _UNIQUEID, _LINKEDID)
            if position < width]


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


def _require(condition: pa.ChunkedArray) -> None:
    """Every row meets the condition, or the file is not simple."""
    if not pc.all(pc.fill_null(condition, False)).as_py():
        raise _NotSimple


def is_utf8(raw: bytes) -> bool:
    """Whether the bytes are UTF-8 text, checked in C++ (decoding would cost seconds)."""
    offsets = pa.array([0, len(raw)], pa.int64()).buffers()[1]
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(raw)])
    try:
        whole.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True

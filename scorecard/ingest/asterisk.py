"""Asterisk call detail records: ``Master.csv`` as ``cdr_csv`` writes it.

No header; the columns are accountcode, src, dst, dcontext, clid, channel, dstchannel,
lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags, then the
optional uniqueid, userfield, peeraccount, linkedid, sequence. Rows sharing a linkedid
(else a uniqueid) are one call. Whether a call was answered comes from the disposition,
never from billsec: real files have NO ANSWER rows whose billsec equals the duration.

This module is on the path of a million-row import, so it does the least per row: plain
tuples, ``datetime.fromisoformat``, dictionary lookups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from scorecard.ingest.tables import NUL_MARK, Row, paused_gc

COLUMNS = ("accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel",
           "lastapp", "lastdata", "start", "answer", "end", "duration", "billsec",
           "disposition", "amaflags", "uniqueid", "userfield", "peeraccount", "linkedid",
           "sequence")
DISPOSITIONS = {"ANSWERED": "answered", "NO ANSWER": "no_answer", "BUSY": "busy",
                "FAILED": "failed", "CONGESTION": "congestion"}
_MIN_COLUMNS = 16


class CallRecord(NamedTuple):
    """One call, ready to store (times are the PBX's local wall clock).

    A named tuple, not a dataclass: a million of them are made in one import.
    """

    external_id: str
    operator_extension: str | None
    started_at: datetime
    answered_at: datetime | None
    ring_seconds: int
    talk_seconds: int
    direction: str
    disposition: str
    client_number: str | None
    line: int


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str


_CHANNEL = re.compile(r"[^/]*/([^-@;/]+)")


def channel_extension(channel: str) -> str | None:
    """``SIP/211-0000001a`` → 211; ``PJSIP/211-…``, ``Local/211@ctx-…`` likewise."""
    match = _CHANNEL.match(channel)
    return match.group(1) if match else None


def parse_cdr(rows: Iterable[Row], extensions: Mapping[str, object]) -> tuple[
    list[CallRecord], list[Rejected]
]:
    """Calls and rejected lines from Master.csv rows.

    ``extensions`` holds the operators' extensions; a row's operator is the one on its
    channel (an outbound call), else on its destination channel (inbound), else its
    src or dst extension.
    """
    with paused_gc():
        return _parse(rows, extensions)


def _parse(rows: Iterable[Row], extensions: Mapping[str, object]) -> tuple[
    list[CallRecord], list[Rejected]
]:
    rejected: list[Rejected] = []
    # Most calls have one leg: keep those as a bare tuple, and lists only for transfers.
    single: dict[str, tuple] = {}
    multi: dict[str, list[tuple]] = {}
    fromiso = datetime.fromisoformat
    for line, fields in rows:
        if len(fields) < _MIN_COLUMNS:
            if len(fields) == 1 and not fields[0].strip():
                continue  # a blank line
            rejected.append(Rejected(line, f"{len(fields)} columns, expected at least 16"))
            continue
        if NUL_MARK in "".join(fields):
            rejected.append(Rejected(line, "NUL byte in the line"))
            continue
        disposition = DISPOSITIONS.get(fields[14]) or DISPOSITIONS.get(fields[14].strip().upper())
        if disposition is None:
            rejected.append(Rejected(line, f"disposition: unknown value {fields[14]!r}"))
            continue
        try:
            start = fromiso(fields[9])
            answer = fromiso(fields[10]) if fields[10] else None
        except ValueError:
            bad = "start" if not _is_date(fields[9]) else "answer"
            rejected.append(Rejected(line, f"{bad}: not a date {fields[COLUMNS.index(bad)]!r}"))
            continue
        try:
            duration, billsec = int(fields[12]), int(fields[13])
        except ValueError:
            rejected.append(Rejected(line, "duration/billsec: not whole seconds "
                                           f"{fields[12]!r}/{fields[13]!r}"))
            continue
        if duration < 0 or billsec < 0 or billsec > duration:
            rejected.append(Rejected(line, f"duration/billsec: impossible values "
                                           f"{duration}/{billsec}"))
            continue
        unique = fields[16] if len(fields) > 16 else ""
        linked = fields[19] if len(fields) > 19 else ""
        key = linked or unique or f"{fields[9]}|{fields[5]}|{fields[2]}"
        leg = (line, start, answer, duration, billsec, disposition, fields[1], fields[2],
               fields[5], fields[6])
        if key in single:
            multi[key] = [single.pop(key), leg]
        elif key in multi:
            multi[key].append(leg)
        else:
            single[key] = leg
    calls = [_call(key, [leg], extensions) for key, leg in single.items()]
    calls.extend(_call(key, legs, extensions) for key, legs in multi.items())
    calls.sort(key=lambda call: call.line)
    return calls, rejected


def _is_date(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _call(key: str, legs: list[tuple], extensions: Mapping[str, object]) -> CallRecord:
    if len(legs) == 1:  # most calls: no transfer
        line, start, answer, duration, billsec, disposition = legs[0][:6]
        operator, direction, client = _parties(legs[0], extensions)
        if disposition == "answered":
            answered_at = answer or start + timedelta(seconds=duration - billsec)
            ring = max(0, int((answered_at - start).total_seconds()))
            return CallRecord(key, operator, start, answered_at, ring, billsec, direction,
                              disposition, client, line)
        return CallRecord(key, operator, start, None, duration, 0, direction, disposition,
                          client, line)
    legs.sort(key=lambda leg: leg[1])
    line, start = legs[0][0], legs[0][1]
    answered = [leg for leg in legs if leg[5] == "answered"]
    operator, direction, client = _parties(legs[0], extensions)
    if answered:
        first = answered[0]
        answered_at = first[2] or first[1] + timedelta(seconds=first[3] - first[4])
        talk = sum(leg[4] for leg in answered)
        ring = max(0, int((answered_at - start).total_seconds()))
        return CallRecord(key, operator, start, answered_at, ring, talk, direction,
                          "answered", client, line)
    last = legs[-1]
    ring = sum(leg[3] for leg in legs)
    return CallRecord(key, operator, start, None, ring, 0, direction, last[5], client, line)


def _parties(leg: tuple, extensions: Mapping[str, object]) -> tuple[str | None, str, str | None]:
    """(operator extension, direction, client number) of one leg."""
    src, dst, channel, dstchannel = leg[6], leg[7], leg[8], leg[9]
    own = channel_extension(channel)
    if own in extensions:
        return own, "outbound", dst or None
    their = channel_extension(dstchannel)
    if their in extensions:
        return their, "inbound", src or None
    if src in extensions:
        return src, "outbound", dst or None
    if dst in extensions:
        return dst, "inbound", src or None
    return None, "outbound", dst or None

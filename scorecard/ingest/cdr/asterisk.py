"""Asterisk call detail records: ``Master.csv`` as ``cdr_csv`` writes it.

No header; the columns are accountcode, src, dst, dcontext, clid, channel, dstchannel,
lastapp, lastdata, start, answer, end, duration, billsec, disposition, amaflags, then the
optional uniqueid, userfield, peeraccount, linkedid, sequence. Rows sharing a linkedid
(else a uniqueid) are one call, decided from its rows by
:func:`scorecard.ingest.cdr.records.decide`. Whether a row was answered comes from the
disposition, never from billsec: real files have NO ANSWER rows whose billsec equals the
duration. And ANSWERED is not always a person: rows whose last application is a machine
(voicemail, an announcement or IVR menu, a hang-up handler) or whose destination is a
feature code (``*60``) or one of Asterisk's special extensions (``h``, ``i``, ``t``) count
as not answered.

Direction: a row whose channel is an operator's (or any short extension's) is outbound; one
that reaches an operator's extension, or comes from an outside number, is inbound.

This module is on the path of a million-row import, so it does the least per row: plain
tuples, ``datetime.fromisoformat``, dictionary lookups, and the times as the file wrote them
for storing (formatting a million datetimes costs a second).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from operator import attrgetter, itemgetter

from scorecard.ingest.cdr.records import (
    MAX_SECONDS,
    RAW_SEPARATOR,
    CallRecord,
    one_call_per_key,
)
from scorecard.ingest.cdr.rules import NO_RULES, CentreRules, settled_form
from scorecard.ingest.dates import EARLIEST, LATEST, local_in_range, out_of_range
from scorecard.ingest.tables import NUL_MARK, Rejected, Row, is_blank, paused_gc

COLUMNS = ("accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel",
           "lastapp", "lastdata", "start", "answer", "end", "duration", "billsec",
           "disposition", "amaflags", "uniqueid", "userfield", "peeraccount", "linkedid",
           "sequence")
DISPOSITIONS = {"ANSWERED": "answered", "NO ANSWER": "no_answer", "BUSY": "busy",
                "FAILED": "failed", "CONGESTION": "congestion"}
MIN_COLUMNS = 16
#: The columns a leg keeps (cdr_csv's positions, 21 the recording file): what deciding,
#: showing and telling legs apart read. accountcode, dcontext, end, amaflags, userfield,
#: peeraccount and sequence are left out: a fifth of every row, never read again.
KEPT = (1, 2, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 16, 19, 21)
_KEPT_ROW = itemgetter(*KEPT)


def kept_row(raw: str) -> list[str]:
    """A kept leg (:attr:`CallRecord.raw`) as a cdr_csv row again (and its recording)."""
    row = [""] * (KEPT[-1] + 1)
    for position, value in zip(KEPT, raw.split(RAW_SEPARATOR), strict=False):
        row[position] = value
    return row


#: Last applications of rows no person answered (compared in lower case).
MACHINE_APPLICATIONS = frozenset({
    "voicemail", "voicemailmain", "playback", "background", "hangup", "read", "record",
    "saydigits", "saynumber", "sayalpha", "sayunixtime", "echo", "milliwatt", "playtones",
    "wait", "waitexten", "answer", "congestion", "busy", "set", "noop", "resetcdr", "agi",
    "macro", "gosub", "goto", "system", "progress", "ringing", "park", "ivr", "morsecode",
})
#: Asterisk's own extensions: hang-up handler, invalid entry, timeout.
SPECIAL_EXTENSIONS = frozenset({"h", "i", "t", "T"})

_CHANNEL = re.compile(r"[^/]*/([^-@;/]+)")


def channel_extension(channel: str) -> str | None:
    """``SIP/211-0000001a`` → 211; ``PJSIP/211-…``, ``Local/211@ctx-…`` likewise."""
    match = _CHANNEL.match(channel)
    return match.group(1) if match else None


def parse_cdr(
    rows: Iterable[Row], extensions: Mapping[str, object], *, nul_check: bool = True,
    rules: CentreRules = NO_RULES,
) -> tuple[list[CallRecord], list[Rejected]]:
    """Calls and rejected lines from Master.csv rows.

    ``extensions`` holds the operators' extensions; a row's operator is the one on its
    channel (an outbound call), else on its destination channel (inbound), else its
    src or dst extension. A row no operator's extension matched is inbound when it is to
    one of the centre's numbers, on one of its trunks, or from an outside number.
    ``nul_check`` False: the rows are known to hold no NUL bytes.
    """
    with paused_gc():
        legs, rejected = parse_legs(rows, extensions, nul_check=nul_check, rules=rules)
        return one_call_per_key(legs), rejected


def parse_legs(
    rows: Iterable[Row], extensions: Mapping[str, object], *, nul_check: bool = True,
    rules: CentreRules = NO_RULES,
) -> tuple[list[CallRecord], list[Rejected]]:
    """Each row as the call it would be alone (its leg), and the rejected rows."""
    deferred: list[Row] = []
    legs, rejected = _parse(rows, extensions, nul_check=nul_check, rules=rules,
                            deferred=deferred)
    if deferred:  # times not as cdr_csv writes them: a spreadsheet re-saved the file
        more, refused = _parse(deferred, extensions, nul_check=False, rules=rules,
                               fromiso=settled_form(deferred, 9, 10))
        legs += more
        rejected = sorted(rejected + refused, key=attrgetter("line"))
    return legs, rejected


def _parse(rows: Iterable[Row], extensions: Mapping[str, object], *,
           nul_check: bool = True, rules: CentreRules = NO_RULES,
           fromiso: Callable[[str], datetime] = datetime.fromisoformat,
           deferred: list[Row] | None = None,
           ) -> tuple[list[CallRecord], list[Rejected]]:
    """Each row as the call it would be alone, and the rejected rows. With ``deferred``, a
    row whose times ``fromiso`` cannot read is put there instead of being rejected."""
    rejected: list[Rejected] = []
    legs: list[CallRecord] = []  # each leg as the call it would be alone
    leg = legs.append
    new = _new
    devices: dict[str, str | None] = {}  # SIP/211 -> 211, for every channel like SIP/211-1a
    unknown = _UNKNOWN
    join = RAW_SEPARATOR.join
    own_numbers, trunks, local = rules.own_numbers, rules.trunks, rules.local
    for line, fields in rows:
        count = len(fields)
        if count < MIN_COLUMNS:
            if not is_blank(fields):
                rejected.append(Rejected(line, f"{count} columns, expected at least 16"))
            continue
        if nul_check and NUL_MARK in "".join(fields):
            rejected.append(Rejected(line, "NUL byte in the line"))
            continue
        disposition = DISPOSITIONS.get(fields[14]) or DISPOSITIONS.get(fields[14].strip().upper())
        if disposition is None:
            if not is_blank(fields):  # else a spreadsheet's empty row: skipped
                rejected.append(Rejected(line, f"disposition: unknown value {fields[14]!r}"))
            continue
        start_text, answer_text = fields[9], fields[10]
        try:
            start = fromiso(start_text)
            answer = fromiso(answer_text) if answer_text else None
        except ValueError:
            if deferred is not None:
                deferred.append((line, fields))
                continue
            bad = "start" if not _is_date(start_text, fromiso) else "answer"
            rejected.append(Rejected(line, f"{bad}: not a date {fields[COLUMNS.index(bad)]!r}"))
            continue
        try:
            if start.tzinfo is not None or (answer is not None and answer.tzinfo is not None):
                # Times with an offset are the centre's wall clock from here on, like
                # those without: aware and naive times never meet (see CentreRules.local).
                start = local_in_range(start, local, "start", start_text)
                if answer is not None:
                    answer = local_in_range(answer, local, "answer", answer_text)
            if not EARLIEST <= start < LATEST:
                raise ValueError(out_of_range("start", start_text))
            if answer is not None and not EARLIEST <= answer < LATEST:
                raise ValueError(out_of_range("answer", answer_text))
        except ValueError as problem:
            rejected.append(Rejected(line, str(problem)))
            continue
        try:
            duration, billsec = int(fields[12]), int(fields[13])
        except ValueError:
            rejected.append(Rejected(line, "duration/billsec: not whole seconds "
                                           f"{fields[12]!r}/{fields[13]!r}"))
            continue
        if duration < 0 or billsec < 0 or billsec > duration or duration > MAX_SECONDS:
            rejected.append(Rejected(line, f"duration/billsec: impossible values "
                                           f"{duration}/{billsec}"))
            continue
        # The operator: on the channel (outbound), else on the destination channel
        # (inbound), else the src or dst extension. Written out here, not called: this runs
        # a million times.
        src, dst, channel = fields[1], fields[2], fields[5]
        dash = channel.find("-")
        own = devices.get(channel[:dash] if dash >= 0 else channel, unknown)
        if own is unknown:
            own = _remember(devices, channel)
        if own in extensions:
            operator, direction, client = own, "outbound", dst or None
        else:
            their = _extension(devices, fields[6])
            if their in extensions:
                operator, direction, client = their, "inbound", src or None
            elif src in extensions:
                operator, direction, client = src, "outbound", dst or None
            elif dst in extensions:
                operator, direction, client = dst, "inbound", src or None
            elif (dst in own_numbers or (channel[:dash] if dash >= 0 else channel) in trunks
                  or is_outside(src, own)):  # no operator's: inbound when from outside
                operator, direction, client = None, "inbound", src or None
            else:
                operator, direction, client = None, "outbound", dst or None
        if disposition == "answered" and (
                fields[7].lower() in MACHINE_APPLICATIONS or dst[:1] == "*"
                or dst in SPECIAL_EXTENSIONS):
            disposition, answer_text, billsec = "no_answer", "", 0  # a machine answered
        key = ((fields[19] if count > 19 else "") or (fields[16] if count > 16 else "")
               or f"{start_text}|{channel}|{dst}")
        recording = (fields[21] or None) if count > 21 else None  # layouts.RECORDING
        raw = join(_KEPT_ROW(fields if count > 21 else fields + [""] * (22 - count)))
        # Answered or not comes from the disposition, never from billsec.
        if disposition != "answered":
            call = new(CallRecord, (key, operator, start, None, duration, 0, direction,
                                    disposition, client, line, _iso(start_text), None,
                                    recording, raw, None))
        elif answer is None:
            ring = duration - billsec
            call = new(CallRecord, (key, operator, start, start + timedelta(seconds=ring), ring,
                                    billsec, direction, disposition, client, line,
                                    _iso(start_text), None, recording, raw, None))
        else:
            ring = max(0, int((answer - start).total_seconds()))
            if ring > MAX_SECONDS:
                rejected.append(Rejected(line, f"answer: {answer_text!r} is more than "
                                               f"{MAX_SECONDS} seconds after the start"))
                continue
            call = new(CallRecord, (key, operator, start, answer, ring, billsec,
                                    direction, disposition, client, line, _iso(start_text),
                                    _iso(answer_text), recording, raw, None))
        leg(call)
    return legs, rejected


_UNKNOWN = object()
_new = tuple.__new__  # builds a CallRecord without NamedTuple's Python-level __new__


def is_outside(src: str, extension: object) -> bool:
    """Whether a row no operator's extension matched came from outside: its channel's
    extension (None: none) is no short one (a trunk) and its caller is a full number."""
    if isinstance(extension, str) and extension.isdigit() and len(extension) <= 6:
        return False
    number = src[1:] if src[:1] == "+" else src
    return len(number) >= 7 and number.isdigit()


def _device(channel: str) -> str:
    """What a channel's extension depends on: up to the first ``-`` (``SIP/211``)."""
    dash = channel.find("-")
    return channel if dash < 0 else channel[:dash]


def _extension(devices: dict[str, str | None], channel: str) -> str | None:
    """The channel's extension, remembered per device (:func:`_parse` has this inline)."""
    found = devices.get(_device(channel), _UNKNOWN)
    return _remember(devices, channel) if found is _UNKNOWN else found  # type: ignore[return-value]


def _remember(devices: dict[str, str | None], channel: str) -> str | None:
    """The channel's extension; remembered for its device when the device says it all."""
    device = _device(channel)
    if "/" not in device:  # a dash before the technology's slash: the device says nothing
        return channel_extension(channel)
    extension = devices[device] = channel_extension(device)
    return extension


def _is_date(value: str, fromiso: Callable[[str], datetime]) -> bool:
    try:
        fromiso(value)
    except ValueError:
        return False
    return True


def _iso(written: str) -> str | None:
    """A time the file wrote as ``YYYY-MM-DD HH:MM:SS`` (and that parsed) in the stored form."""
    if len(written) == 19 and written[4:17:3] == "-- ::":
        return written + ".000000"
    return None

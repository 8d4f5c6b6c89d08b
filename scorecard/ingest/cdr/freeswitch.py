"""FreeSWITCH call detail records: ``mod_cdr_csv`` with its default template.

Columns: caller_id_name, caller_id_number, destination_number, context, start_stamp,
answer_stamp, end_stamp, duration, billsec, hangup_cause, uuid, bleg_uuid, accountcode,
read_codec, write_codec. A row is a leg keyed by its uuid; a b-leg row (its uuid is an
a-leg's bleg_uuid) belongs to that a-leg's call, and a uuid written twice is one call: the
legs are decided into calls by :func:`scorecard.ingest.cdr.records.decide`, as every
format's. A leg was answered when it has an answer stamp; the hangup cause tells busy and
failed calls apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from operator import attrgetter

from scorecard.ingest.cdr.records import (
    MAX_SECONDS,
    RAW_SEPARATOR,
    CallRecord,
    one_call_per_key,
)
from scorecard.ingest.cdr.rules import NO_RULES, CentreRules, settled_form
from scorecard.ingest.dates import local_in_range
from scorecard.ingest.tables import NUL_MARK, Rejected, Row, is_blank, paused_gc

COLUMNS = ("caller_id_name", "caller_id_number", "destination_number", "context",
           "start_stamp", "answer_stamp", "end_stamp", "duration", "billsec", "hangup_cause",
           "uuid", "bleg_uuid", "accountcode", "read_codec", "write_codec")
_MIN_COLUMNS = 11
#: Hangup causes of calls nobody answered, by what they mean for a dialler.
UNANSWERED = {
    "USER_BUSY": "busy",
    "NO_ANSWER": "no_answer", "NO_USER_RESPONSE": "no_answer",
    "ORIGINATOR_CANCEL": "no_answer", "ALLOTTED_TIMEOUT": "no_answer",
    "NORMAL_CLEARING": "no_answer", "CALL_REJECTED": "failed",
    "UNALLOCATED_NUMBER": "failed", "INVALID_NUMBER_FORMAT": "failed",
    "NO_ROUTE_DESTINATION": "failed", "DESTINATION_OUT_OF_ORDER": "failed",
    "SUBSCRIBER_ABSENT": "failed", "NORMAL_TEMPORARY_FAILURE": "congestion",
    "NORMAL_CIRCUIT_CONGESTION": "congestion", "SWITCH_CONGESTION": "congestion",
    "RECOVERY_ON_TIMER_EXPIRE": "congestion",
}


def parse_freeswitch(rows: Iterable[Row], extensions: Mapping[str, object],
                     rules: CentreRules = NO_RULES) -> tuple[list[CallRecord], list[Rejected]]:
    """Calls and rejected lines from ``mod_cdr_csv`` rows (default template).

    As for Asterisk files, rows whose stamps are not ISO (a spreadsheet re-saved the file)
    are read in a second pass, in the one form all of them settle on.
    """
    with paused_gc():
        deferred: list[Row] = []
        calls, rejected, a_legs = _legs(rows, extensions, rules, datetime.fromisoformat,
                                        deferred)
        if deferred:
            more, refused, more_a_legs = _legs(deferred, extensions, rules,
                                               settled_form(deferred, 4, 5), None)
            calls += more
            rejected = sorted(rejected + refused, key=attrgetter("line"))
            a_legs.update(more_a_legs)
        if a_legs:  # b-leg rows join their a-leg's call
            calls = [call._replace(external_id=a_legs[call.external_id])
                     if call.external_id in a_legs and a_legs[call.external_id] != call.external_id
                     else call for call in calls]
        return one_call_per_key(calls), rejected


def _legs(rows: Iterable[Row], extensions: Mapping[str, object], rules: CentreRules,
          read_time: Callable[[str], datetime], deferred: list[Row] | None,
          ) -> tuple[list[CallRecord], list[Rejected], dict[str, str]]:
    """Each row as the call it would be alone, the rejected rows, and bleg_uuid -> the
    a-leg's uuid. With ``deferred``, a row whose stamps ``read_time`` cannot read goes
    there instead of being rejected."""
    calls: list[CallRecord] = []
    rejected: list[Rejected] = []
    a_legs: dict[str, str] = {}
    for line, fields in rows:
        if is_blank(fields):
            continue  # a blank line, or a spreadsheet's empty row
        if len(fields) < _MIN_COLUMNS:
            rejected.append(Rejected(line, f"{len(fields)} columns, expected at least 11"))
            continue
        if NUL_MARK in "".join(fields):
            rejected.append(Rejected(line, "NUL byte in the line"))
            continue
        try:
            calls.append(_call(line, fields, extensions, rules, read_time))
        except _TimeError as problem:
            if deferred is not None:
                deferred.append((line, fields))
            else:
                rejected.append(Rejected(line, str(problem)))
            continue
        except ValueError as problem:
            rejected.append(Rejected(line, str(problem)))
            continue
        if len(fields) > 11 and fields[11]:
            a_legs[fields[11]] = fields[10]
    return calls, rejected, a_legs


class _TimeError(ValueError):
    """A stamp the reader could not read (another pass may read it in another form)."""


def _call(line: int, fields: list[str], extensions: Mapping[str, object],
          rules: CentreRules, read_time: Callable[[str], datetime]) -> CallRecord:
    start = _stamp(fields[4], "start_stamp", read_time, rules)
    answer = _stamp(fields[5], "answer_stamp", read_time, rules) if fields[5] else None
    try:
        duration, billsec = int(fields[7]), int(fields[8])
    except ValueError:
        raise ValueError(f"duration/billsec: not whole seconds {fields[7]!r}/{fields[8]!r}"
                         ) from None
    if duration < 0 or billsec < 0 or billsec > duration or duration > MAX_SECONDS:
        raise ValueError(f"duration/billsec: impossible values {duration}/{billsec}")
    cause = fields[9].strip().upper()
    if not cause:
        raise ValueError("hangup_cause: empty")
    if not fields[10]:
        raise ValueError("uuid: empty")
    caller, destination = fields[1], fields[2]
    if caller in extensions:
        operator, direction, client = caller, "outbound", destination or None
    elif destination in extensions:
        operator, direction, client = destination, "inbound", caller or None
    elif destination in rules.own_numbers:
        operator, direction, client = None, "inbound", caller or None
    else:
        operator, direction, client = None, "outbound", destination or None
    raw = RAW_SEPARATOR.join(fields)
    if answer is not None:
        ring = max(0, int((answer - start).total_seconds()))
        if ring > MAX_SECONDS:
            raise ValueError(f"answer_stamp: {fields[5]!r} is more than {MAX_SECONDS} seconds "
                             "after the start_stamp")
        return CallRecord(fields[10], operator, start, answer, ring, billsec, direction,
                          "answered", client, line, raw=raw)
    disposition = UNANSWERED.get(cause, "failed")
    return CallRecord(fields[10], operator, start, None, duration, 0, direction, disposition,
                      client, line, raw=raw)


def _stamp(value: str, column: str, read_time: Callable[[str], datetime],
           rules: CentreRules) -> datetime:
    """The stamp as the centre's wall clock (one with an offset converted, as every
    reader's: aware and naive times never meet); _TimeError when ``read_time`` cannot read
    it, ValueError when it is outside the years calls are taken from."""
    try:
        moment = read_time(value)
    except ValueError:
        raise _TimeError(f"{column}: not a date {value!r}") from None
    return local_in_range(moment, rules.local, column, value)

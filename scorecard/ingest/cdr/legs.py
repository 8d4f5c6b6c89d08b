"""Stored legs read back: which leg a row is (so a corrected row replaces its earlier form
and a new one joins the call) and the call a set of stored rows makes under today's rules.

A leg is kept as the row its reader read (:attr:`CallRecord.raw`), so deciding a call again
is reading its rows again, by the same reader: one set of rules, whether the rows come from
a file or from the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from scorecard.ingest.cdr.records import RAW_SEPARATOR, CallRecord
from scorecard.ingest.cdr.rules import NO_RULES, CentreRules

#: The readers whose legs are kept.
LEG_SOURCES = ("asterisk", "freeswitch", "mapped")

#: What a mapped export's leg keeps: the leg as its mapping read it (the mapping, a file on
#: one machine, is not needed to decide the call again from its legs).
MAPPED_FIELDS = ("external_id", "operator_extension", "started_at", "answered_at",
                 "ring_seconds", "talk_seconds", "direction", "disposition", "client_number",
                 "recording")


def mapped_leg(call: CallRecord) -> str:
    """A mapped export's row as its stored leg."""
    return RAW_SEPARATOR.join(
        "" if value is None else value.isoformat(" ") if isinstance(value, datetime)
        else str(value)
        for value in (call.external_id, call.operator_extension, call.started_at,
                      call.answered_at, call.ring_seconds, call.talk_seconds, call.direction,
                      call.disposition, call.client_number, call.recording))


def _mapped_record(line: int, raw: str) -> CallRecord:
    (key, operator, started, answered, ring, talk, direction, disposition, client,
     recording) = (raw.split(RAW_SEPARATOR) + [""] * 10)[:10]
    return CallRecord(key, operator or None, datetime.fromisoformat(started),
                      datetime.fromisoformat(answered) if answered else None, int(ring or 0),
                      int(talk or 0), direction, disposition, client or None, line,
                      recording=recording or None, raw=raw)


def leg_identity(source: str, raw: str) -> str:
    """What names a leg within its call, whatever else a corrected export changes in it.

    Asterisk: the channel's uniqueid (else the channel), the destination channel, the start
    and the application; FreeSWITCH: the leg's uuid and start; a mapped export: the start
    and the operator.
    """
    if source == "mapped":
        return RAW_SEPARATOR.join(_at(raw.split(RAW_SEPARATOR), 2, 1))
    if source == "freeswitch":
        return RAW_SEPARATOR.join(_at(raw.split(RAW_SEPARATOR), 10, 4))
    from scorecard.ingest.cdr.asterisk import kept_row

    fields = kept_row(raw)
    return RAW_SEPARATOR.join((fields[16] or fields[5], fields[6], fields[9], fields[7]))


def calls_from_legs(source: str, raws: Sequence[str], extensions: Mapping[str, object],
                    rules: CentreRules = NO_RULES) -> list[CallRecord]:
    """The calls these stored rows make, read as their reader reads a file of them."""
    if source == "mapped":
        from scorecard.ingest.cdr.records import one_call_per_key

        return one_call_per_key(_mapped_record(line, raw)
                                for line, raw in enumerate(raws, start=1))
    if source == "freeswitch":
        from scorecard.ingest.cdr.freeswitch import parse_freeswitch

        rows = [(line, raw.split(RAW_SEPARATOR)) for line, raw in enumerate(raws, start=1)]
        calls, _ = parse_freeswitch(rows, extensions, rules)
    else:
        from scorecard.ingest.cdr.asterisk import kept_row, parse_cdr

        calls, _ = parse_cdr([(line, kept_row(raw)) for line, raw in enumerate(raws, start=1)],
                             extensions, rules=rules)
    return calls


def _at(fields: list[str], *positions: int) -> tuple[str, ...]:
    return tuple(fields[p] if p < len(fields) else "" for p in positions)

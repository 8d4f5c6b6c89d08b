"""Stored legs read back: which leg a row is (so a corrected row replaces its earlier form
and a new one joins the call) and the call a set of stored rows makes under today's rules.

A leg is kept as the row its reader read (:attr:`CallRecord.raw`), so deciding a call again
is reading its rows again, by the same reader: one set of rules, whether the rows come from
a file or from the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scorecard.ingest.cdr.records import RAW_SEPARATOR, CallRecord
from scorecard.ingest.cdr.rules import NO_RULES, CentreRules

#: The readers whose legs are kept.
LEG_SOURCES = ("asterisk", "freeswitch", "mapped")


def leg_identity(source: str, raw: str) -> str:
    """What names a leg within its call, whatever else a corrected export changes in it.

    Asterisk: the channel's uniqueid (else the channel), the destination channel, the start
    and the application; FreeSWITCH: the leg's uuid and start; a mapped export: the start
    and the operator.
    """
    if source == "mapped":
        from scorecard.ingest.cdr.mapped import leg_identity as mapped_identity

        return mapped_identity(raw)
    if source == "freeswitch":
        return RAW_SEPARATOR.join(_at(raw.split(RAW_SEPARATOR), 10, 4))
    from scorecard.ingest.cdr.asterisk import kept_row

    fields = kept_row(raw)
    return RAW_SEPARATOR.join((fields[16] or fields[5], fields[6], fields[9], fields[7]))


def calls_from_legs(source: str, raws: Sequence[str], extensions: Mapping[str, object],
                    rules: CentreRules = NO_RULES) -> list[CallRecord]:
    """The calls these stored rows make, read as their reader reads a file of them."""
    if source == "mapped":  # decided without rules: the mapping already placed each row
        from scorecard.ingest.cdr.mapped import calls_from_stored

        return calls_from_stored(raws)
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

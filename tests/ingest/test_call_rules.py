"""How the rows a PBX writes for one call become the call: one row per real situation.

Each case is a Master.csv as Asterisk writes it for that situation (``cdr_csv``'s columns,
made up here), read by both readers; then the rows shuffled, reversed and written twice
must give the same calls.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.ingest.cdr import read_cdr
from scorecard.ingest.cdr.asterisk import parse_cdr
from scorecard.ingest.cdr.records import CallRecord

OPERATORS = {"211": 1, "212": 2, "301": 3, "302": 4}
CLIENT = "79161234567"
DID = "74951230000"
T0 = datetime(2026, 3, 2, 10, 0, 0)


class Leg(NamedTuple):
    """What differs between a call's rows; the rest is filled in as Asterisk would."""

    src: str
    dst: str
    channel: str
    dstchannel: str
    app: str
    start: int  # seconds after T0
    answer: int | None  # seconds after T0
    duration: int
    billsec: int
    disposition: str
    uniqueid: str = "1772445600.10"


def master_rows(legs: list[Leg], linkedid: str = "1772445600.10") -> list[list[str]]:
    rows = []
    for leg in legs:
        start = T0 + timedelta(seconds=leg.start)
        answer = "" if leg.answer is None else str(T0 + timedelta(seconds=leg.answer))
        rows.append(["", leg.src, leg.dst, "from-trunk", f'"" <{leg.src}>', leg.channel,
                     leg.dstchannel, leg.app, f"{leg.dstchannel},60", str(start), answer,
                     str(start + timedelta(seconds=leg.duration)), str(leg.duration),
                     str(leg.billsec), leg.disposition, "DOCUMENTATION", leg.uniqueid, "",
                     "", linkedid, str(leg.start)])  # the same leg, the same row
    return rows


def trunk(n: int) -> str:
    return f"SIP/mts-{n:08x}"


CASES = {
    "ring group, the remote PBX answers": (
        [Leg(CLIENT, DID, trunk(1), "SIP/301-00000002", "Dial", 0, None, 40, 0, "NO ANSWER"),
         Leg(CLIENT, DID, trunk(1), "SIP/remote-00000003", "Dial", 0, 10, 40, 30,
             "ANSWERED")],
        dict(disposition="answered", operator_extension=None, direction="inbound",
             client_number=CLIENT, ring_seconds=10, talk_seconds=30)),
    "ring group, an operator answers": (
        [Leg(CLIENT, DID, trunk(1), "SIP/301-00000002", "Dial", 0, None, 12, 0, "NO ANSWER"),
         Leg(CLIENT, DID, trunk(1), "SIP/302-00000003", "Dial", 0, 12, 52, 40, "ANSWERED")],
        dict(disposition="answered", operator_extension="302", direction="inbound",
             client_number=CLIENT, ring_seconds=12, talk_seconds=40)),
    "every leg unanswered, then the Hangup row": (
        [Leg(CLIENT, DID, trunk(1), "SIP/301-00000002", "Dial", 0, None, 25, 0, "NO ANSWER"),
         Leg(CLIENT, DID, trunk(1), "SIP/302-00000003", "Dial", 0, None, 25, 0, "NO ANSWER"),
         Leg(CLIENT, "h", trunk(1), "", "Hangup", 25, 25, 0, 0, "ANSWERED")],
        dict(disposition="no_answer", operator_extension=None, direction="inbound",
             client_number=CLIENT, ring_seconds=25, talk_seconds=0)),
    "blind transfer": (
        [Leg(CLIENT, DID, trunk(1), "SIP/211-00000002", "Dial", 0, 5, 65, 60, "ANSWERED"),
         Leg(CLIENT, "212", trunk(1), "SIP/212-00000004", "Dial", 65, 70, 95, 90, "ANSWERED",
             "1772445600.12")],
        dict(disposition="answered", operator_extension="211", direction="inbound",
             client_number=CLIENT, ring_seconds=5, talk_seconds=150)),
    "attended transfer: the consultation is not talk with the client": (
        [Leg(CLIENT, DID, trunk(1), "SIP/211-00000002", "Dial", 0, 5, 64, 59, "ANSWERED"),
         Leg("211", "212", "SIP/211-00000005", "SIP/212-00000006", "Dial", 40, 44, 24, 20,
             "ANSWERED", "1772445600.13"),
         Leg(CLIENT, "212", trunk(1), "SIP/212-00000006", "Dial", 64, 64, 100, 100,
             "ANSWERED", "1772445600.14")],
        dict(disposition="answered", operator_extension="211", direction="inbound",
             client_number=CLIENT, ring_seconds=5, talk_seconds=159)),
    "trunk failover on an outbound call": (
        [Leg("211", CLIENT, "SIP/211-00000002", "SIP/beeline-00000003", "Dial", 0, None, 0, 0,
             "CONGESTION"),
         Leg("211", CLIENT, "SIP/211-00000002", "SIP/mts-00000004", "Dial", 1, 9, 53, 45,
             "ANSWERED")],
        dict(disposition="answered", operator_extension="211", direction="outbound",
             client_number=CLIENT, ring_seconds=9, talk_seconds=45)),
    "voicemail after nobody answered": (
        [Leg(CLIENT, DID, trunk(1), "SIP/211-00000002", "Dial", 0, None, 20, 0, "NO ANSWER"),
         Leg(CLIENT, "vmu211", trunk(1), "", "VoiceMail", 20, 20, 35, 35, "ANSWERED")],
        dict(disposition="no_answer", operator_extension="211", direction="inbound",
             client_number=CLIENT, talk_seconds=0)),
    "IVR menu, then the queue": (
        [Leg(CLIENT, DID, trunk(1), "", "BackGround", 0, 0, 15, 15, "ANSWERED"),
         Leg(CLIENT, "600", trunk(1), "Local/212@from-queue-00000001;1", "Queue", 15, 25,
             130, 120, "ANSWERED")],
        dict(disposition="answered", operator_extension="212", direction="inbound",
             client_number=CLIENT, ring_seconds=25, talk_seconds=120)),
    "a feature code is no call answered": (
        [Leg("211", "*60", "SIP/211-00000002", "", "Playback", 0, 0, 5, 5, "ANSWERED")],
        dict(disposition="no_answer", operator_extension="211", direction="outbound",
             talk_seconds=0)),
    "outbound: busy, then answered on the retry": (
        [Leg("211", CLIENT, "SIP/211-00000002", "SIP/mts-00000003", "Dial", 0, None, 3, 0,
             "BUSY"),
         Leg("211", CLIENT, "SIP/211-00000002", "SIP/mts-00000004", "Dial", 30, 38, 68, 60,
             "ANSWERED")],
        dict(disposition="answered", operator_extension="211", direction="outbound",
             client_number=CLIENT, ring_seconds=38, talk_seconds=60)),
    "inbound to no extension is still inbound": (
        [Leg(CLIENT, DID, trunk(1), "SIP/remote-00000003", "Dial", 0, 6, 46, 40, "ANSWERED")],
        dict(disposition="answered", operator_extension=None, direction="inbound",
             client_number=CLIENT, ring_seconds=6, talk_seconds=40)),
    "a row written twice counts once": (
        [Leg("211", CLIENT, "SIP/211-00000002", "SIP/mts-00000003", "Dial", 0, 8, 68, 60,
             "ANSWERED")] * 2,
        dict(disposition="answered", operator_extension="211", talk_seconds=60)),
}


def _file(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode()


@pytest.mark.parametrize("case", CASES)
def test_the_call_its_rows_make(case: str, tmp_path: Path) -> None:
    legs, expected = CASES[case]
    rows = master_rows(legs)
    path = tmp_path / "Master.csv"
    path.write_bytes(_file(rows))
    calls, rejected = read_cdr(path, OPERATORS)  # by columns when Arrow is installed
    row_calls, _ = parse_cdr(list(enumerate(rows, start=1)), OPERATORS)
    assert not rejected and calls == row_calls and len(calls) == 1
    call = calls[0]
    assert {name: getattr(call, name) for name in expected} == expected
    assert call.started_at == T0 + timedelta(seconds=min(leg.start for leg in legs))
    assert call.line == 1


ALL_ROWS = [row for n, (legs, _) in enumerate(CASES.values())
            for row in master_rows(legs, linkedid=f"1772445600.{1000 + n}")]


@settings(max_examples=25, deadline=None)
@given(st.randoms(use_true_random=False), st.integers(0, 3))
def test_order_and_repetition_never_change_the_calls(rng: random.Random, copies: int) -> None:
    numbered = list(enumerate(ALL_ROWS, start=1))
    expected, _ = parse_cdr(numbered, OPERATORS)
    shuffled = numbered + [(len(numbered) + n + 1, fields)
                           for n, (_, fields) in enumerate(numbered[:copies])]
    rng.shuffle(shuffled)
    calls, _ = parse_cdr(shuffled, OPERATORS)

    def content(found: list[CallRecord]) -> list[tuple[object, ...]]:
        return sorted(tuple(call)[:9] + tuple(call)[10:] for call in found)  # legs included
    assert content(calls) == content(expected)


def _freeswitch_row(uuid: str, bleg: str, start: int, answer: int | None, duration: int,
                    billsec: int, cause: str) -> list[str]:
    stamp = lambda seconds: str(T0 + timedelta(seconds=seconds))  # noqa: E731
    return ["Анна", "211", CLIENT, "default", stamp(start),
            "" if answer is None else stamp(answer), stamp(start + duration), str(duration),
            str(billsec), cause, uuid, bleg, "", "PCMA", "PCMA"]


FREESWITCH_ROWS = [
    # a uuid written twice (a retry through another gateway), and an a-leg with its b-leg
    _freeswitch_row("a1", "", 0, None, 4, 0, "USER_BUSY"),
    _freeswitch_row("a1", "", 10, 18, 78, 60, "NORMAL_CLEARING"),
    _freeswitch_row("a2", "b2", 100, 107, 47, 40, "NORMAL_CLEARING"),
    _freeswitch_row("b2", "", 101, 107, 46, 40, "NORMAL_CLEARING"),  # the same conversation
]


@settings(max_examples=20, deadline=None)
@given(st.permutations(list(enumerate(FREESWITCH_ROWS, start=1))))
def test_freeswitch_legs_make_the_same_calls_in_any_order(rows: list[tuple[int, list[str]]]
                                                          ) -> None:
    from scorecard.ingest.cdr.freeswitch import parse_freeswitch

    calls, rejected = parse_freeswitch(rows, OPERATORS)
    assert not rejected
    by_key = {call.external_id: call for call in calls}
    assert set(by_key) == {"a1", "a2"}
    assert (by_key["a1"].disposition, by_key["a1"].talk_seconds, by_key["a1"].line) == (
        "answered", 60, 1)
    assert by_key["a1"].ring_seconds == 18  # from the first attempt's start to the answer
    assert (by_key["a2"].talk_seconds, by_key["a2"].line) == (40, 3)

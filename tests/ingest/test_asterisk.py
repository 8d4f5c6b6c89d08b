"""The Asterisk CDR reader, by example and against generated garbage."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.ingest.cdr.asterisk import channel_extension, parse_cdr
from scorecard.ingest.tables import NUL_MARK

GOOD = ["", "211", "84951234567", "from-internal", "Анна <211>", "SIP/211-0000001a",
        "SIP/trunk-0000001b", "Dial", "SIP/trunk/849", "2026-03-02 09:01:12",
        "2026-03-02 09:01:20", "2026-03-02 09:04:02", "170", "162", "ANSWERED",
        "DOCUMENTATION", "1.1", "", "", "1.1", "1"]


def test_channels_name_the_extension() -> None:
    assert channel_extension("SIP/211-0000001a") == "211"
    assert channel_extension("PJSIP/211-00000020") == "211"
    assert channel_extension("Local/211@from-queue-00000001;1") == "211"
    assert channel_extension("") is None


def test_legs_without_linkedid_fall_back_to_uniqueid() -> None:
    short = GOOD[:17]
    calls, rejected = parse_cdr([(1, short)], {"211": 1})
    assert not rejected and calls[0].external_id == "1.1"
    minimal = GOOD[:16]
    calls, _ = parse_cdr([(1, minimal)], {"211": 1})
    assert calls[0].external_id.startswith("2026-03-02 09:01:12|SIP/211")


def test_answered_comes_from_the_disposition() -> None:
    row = GOOD.copy()
    row[10], row[12], row[13], row[14] = "", "30", "30", "NO ANSWER"
    calls, _ = parse_cdr([(1, row)], {"211": 1})
    assert calls[0].disposition == "no_answer" and calls[0].talk_seconds == 0


field = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "ANSWERED", "BUSY", "-1", "2026-02-30 10:00:00", "SIP/211-x",
                     NUL_MARK, "99999999999999999999", "2026-03-02 09:01:12"]),
)
row = st.one_of(
    st.lists(field, min_size=0, max_size=24),
    st.builds(lambda i, v: GOOD[:i] + [v] + GOOD[i + 1:], st.integers(0, 20), field),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(row, max_size=30))
def test_garbage_is_rejected_line_by_line_and_nothing_crashes(rows: list[list[str]]) -> None:
    numbered = list(enumerate(rows, start=1))
    calls, rejected = parse_cdr(numbered, {"211": 1})
    rejected_lines = {r.line for r in rejected}
    assert rejected_lines <= {n for n, _ in numbered}
    assert all(r.reason for r in rejected)
    kept_lines = {c.line for c in calls}
    assert not kept_lines & rejected_lines
    for call in calls:
        assert call.talk_seconds >= 0 and call.ring_seconds >= 0
        assert call.disposition in ("answered", "no_answer", "busy", "failed", "congestion")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["good", "bad"]), min_size=1, max_size=20))
def test_every_bad_line_is_named(kinds: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for index, kind in enumerate(kinds):
        row = GOOD.copy()
        row[16] = row[19] = f"id{index}"
        if kind == "bad":
            row[13] = "-3"
        writer.writerow(row)
    lines = list(enumerate(csv.reader(io.StringIO(buffer.getvalue())), start=1))
    calls, rejected = parse_cdr(lines, {"211": 1})
    assert [r.line for r in rejected] == [i + 1 for i, k in enumerate(kinds) if k == "bad"]
    assert len(calls) == kinds.count("good")


def test_a_duration_no_column_could_store_is_rejected_not_a_crash() -> None:
    row = GOOD.copy()
    row[10], row[12] = "", "10000000000000000"  # no answer time: it is found from the ring
    calls, rejected = parse_cdr([(1, row), (2, GOOD)], {"211": 1})
    assert [r.line for r in rejected] == [1] and len(calls) == 1
    assert rejected[0].reason == "duration/billsec: impossible values 10000000000000000/162"

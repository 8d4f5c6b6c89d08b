"""The time spans cover: overlaps once, gaps not at all, in any order."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.domain.periods import covered_seconds

T0 = datetime(2026, 3, 2, 9)


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


def test_overlaps_count_once_and_gaps_not_at_all() -> None:
    assert covered_seconds([]) == 0
    assert covered_seconds([(at(0), at(10)), (at(5), at(15))]) == 15 * 60
    assert covered_seconds([(at(20), at(30)), (at(0), at(10))]) == 20 * 60
    assert covered_seconds([(at(0), at(30)), (at(5), at(10))]) == 30 * 60


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 600), st.integers(0, 120)), max_size=12))
def test_the_covered_time_is_the_minutes_some_span_holds(spans: list[tuple[int, int]]
                                                         ) -> None:
    held = {minute for start, length in spans for minute in range(start, start + length)}
    pairs = [(at(start), at(start + length)) for start, length in spans]
    assert covered_seconds(pairs) == len(held) * 60
    assert covered_seconds(pairs[::-1]) == covered_seconds(pairs)

"""Slices: the norm pro-rated to the moment of the shift, and what counts as lagging."""

from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

from scorecard.domain.slices import SliceRules, elapsed_share, judge


@pytest.mark.parametrize(("at", "share"), [
    (time(8, 0), 0.0), (time(9, 0), 0.0), (time(11, 0), 2 / 9), (time(13, 30), 0.5),
    (time(18, 0), 1.0), (time(20, 0), 1.0),
])
def test_elapsed_share_of_a_nine_to_six_shift(at: time, share: float) -> None:
    assert elapsed_share(time(9), time(18), at) == pytest.approx(share)


def test_lagging_is_below_the_share_of_the_pro_rated_norm() -> None:
    rules = SliceRules()  # 90 %
    assert judge("calls", 18, 90, 0.25, rules).lagging is True       # expected 22.5, 80 %
    assert judge("calls", 21, 90, 0.25, rules).lagging is False      # 93 %
    assert judge("calls", 0, None, 0.25, rules).lagging is False     # no norm, no judgement
    assert judge("calls", 0, 90, 0.0, rules).lagging is False        # the shift has not begun


def test_slice_times_are_sorted_and_the_next_one_is_found() -> None:
    rules = SliceRules.model_validate({"times": ["17:00", "11:00", "14:00"]})
    assert rules.times == [time(11), time(14), time(17)]
    assert rules.next_after(time(11)) == time(14) and rules.next_after(time(17)) is None
    with pytest.raises(ValidationError):
        SliceRules.model_validate({"times": ["25:00"]})

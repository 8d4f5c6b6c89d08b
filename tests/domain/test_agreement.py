"""Agreement statistics on answers written by hand."""

from __future__ import annotations

import pytest

from scorecard.domain.agreement import (
    UnitRow,
    agreement,
    alpha_of,
    deviation,
    item_summaries,
    majority,
    reading,
)


def test_alpha_hand_cases() -> None:
    # Two listeners, four items: pass pass fail fail / pass fail fail fail. o(p,p) 2,
    # o(f,f) 4, o(p,f) = o(f,p) 1; n_p 3, n_f 5, n 8: alpha = 1 - 7·2/(2·3·5) = 8/15.
    assert alpha_of([["pass", "pass", "fail", "fail"],
                     ["pass", "fail", "fail", "fail"]]) == pytest.approx(8 / 15)
    assert alpha_of([["pass", "fail", "na"], ["pass", "fail", "na"]]) == pytest.approx(1.0)
    assert alpha_of([["pass", "pass"], ["pass", "pass"]]) is None  # no variation: undefined
    assert alpha_of([["pass", None], [None, "fail"]]) is None  # nothing pairable
    # A missing grade is left out, not counted as a disagreement.
    assert alpha_of([["pass", "fail", "fail"], ["pass", "fail", None]]) == pytest.approx(1.0)


def test_majority_and_its_share() -> None:
    assert majority(["pass", "pass", "fail"]) == ("pass", pytest.approx(2 / 3))
    assert majority(["pass", "fail"]) == (None, 0.5)  # a tie has no majority
    assert majority(["pass"]) == (None, None)  # one answer agrees with nobody


def unit(item: str, **answers: str | None) -> UnitRow:
    given = [a for a in answers.values() if a is not None]
    top, share = majority(given)
    return UnitRow("c1", "contact", item, item.upper(), dict(answers), top, share)


def test_report_measures_on_three_listeners() -> None:
    units = [unit("a", anna="pass", boris="pass", vera="fail"),
             unit("b", anna="fail", boris="fail", vera="fail"),
             unit("c", anna="pass", boris=None, vera="pass")]
    found = agreement(units, ["anna", "boris", "vera"])
    assert found.units == 3 and found.observed == pytest.approx(2 / 3)
    assert found.reading == reading(found.alpha)
    items = {i.item: i for i in item_summaries(units, {("contact", k): k for k in "abc"})}
    assert (items["a"].disagreements, items["b"].disagreements) == (1, 0)
    vera = deviation("vera", "Vera", 3, units, {"c1": {"anna": 80.0, "boris": 90.0,
                                                        "vera": 40.0}})
    assert (vera.compared, vera.differs) == (3, 1)  # against the others' majority
    assert vera.total_bias == pytest.approx(40 - 70) and vera.graded == 1
    assert reading(None) == "no_data" and reading(0.9) == "good" and reading(0.1) == "poor"

"""KPI schemes: every shipped scheme pinned on hand-computed cases, edges included."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scorecard.domain.kpi import (
    KpiError,
    OperatorInput,
    compute,
    find_scheme,
    parse_inputs,
    parse_scheme,
    shipped_schemes,
    tiered,
)


def person(metrics=None, plan=None, fixed=0, bonus=0) -> OperatorInput:
    return OperatorInput("Иванова", {k: Decimal(str(v)) for k, v in (metrics or {}).items()},
                         {k: Decimal(str(v)) for k, v in (plan or {}).items()},
                         Decimal(fixed), Decimal(bonus))


def payout(scheme_id: str, **kwargs) -> Decimal:
    return compute(find_scheme(scheme_id), person(**kwargs)).payout


def test_every_shipped_scheme_loads() -> None:
    ids = {path.stem for path in shipped_schemes().glob("*.toml")}
    assert {"meetings-tiered", "security-50-50", "meetings-sales-30-70",
            "quality-combined", "invoices-payments"} <= ids
    for scheme_id in ids:
        assert find_scheme(scheme_id).id == scheme_id


@pytest.mark.parametrize(("meetings", "expected"), [
    (0, "0"), (1, "285"), (7, "1995"), (8, "2927"), (11, "5723"), (12, "6836"),
    (13, "7949"),
])
def test_meetings_tiered_brackets_are_marginal(meetings: int, expected: str) -> None:
    brackets = find_scheme("meetings-tiered").parts[0].brackets
    assert tiered(meetings, brackets, "marginal") == Decimal(expected)


@pytest.mark.parametrize(("held", "factor"), [
    (0, "0.9"), (2, "0.9"), (3, "1.0"), (4, "1.1"), (10, "1.1"),
])
def test_meetings_tiered_held_to_set_bands(held: int, factor: str) -> None:
    # 10 meetings set: 1995 + 3 × 932 = 4791
    pay = payout("meetings-tiered", metrics={"meetings_set": 10, "meetings_held": held})
    assert pay == (Decimal(4791) * Decimal(factor)).quantize(Decimal("0.01"))


def test_meetings_tiered_without_meetings_pays_nothing_and_scales_by_one() -> None:
    result = compute(find_scheme("meetings-tiered"), person(metrics={"meetings_held": 0}))
    assert result.payout == 0
    assert result.parts[0].multipliers[0].factor == 1 and result.parts[0].multipliers[0].ratio \
        is None


def test_retroactive_brackets_pay_every_unit_at_the_highest_rate_reached() -> None:
    scheme = parse_scheme({
        "id": "retro", "title": "r",
        "part": [{"name": "m", "type": "per_unit", "metric": "meetings_set",
                  "mode": "retroactive",
                  "brackets": [{"from": 1, "to": 7, "rate": 285},
                               {"from": 8, "to": 11, "rate": 932},
                               {"from": 12, "rate": 1113}]}]}, source="retro.toml")
    for units, expected in ((7, 7 * 285), (8, 8 * 932), (11, 11 * 932), (12, 12 * 1113)):
        assert compute(scheme, person(metrics={"meetings_set": units})).payout == expected


def test_security_50_50_by_hand() -> None:
    pay = payout("security-50-50", metrics={"effective_calls": 450, "deals": 6},
                 plan={"effective_calls": 600, "deals": 10}, fixed=35000, bonus=35000)
    assert pay == Decimal("58625.00")  # 35000 + 35000 × (0.5 × 0.75 + 0.5 × 0.6)


def test_security_50_50_pays_nothing_at_exactly_40_percent() -> None:
    terms = {"plan": {"effective_calls": 600, "deals": 10}, "fixed": 35000, "bonus": 35000}
    assert payout("security-50-50", metrics={"effective_calls": 240, "deals": 4},
                  **terms) == Decimal("35000.00")
    # one call above the threshold: 241 / 600 × 0.5 × 35000 = 7029.1666… → kopecks once
    assert payout("security-50-50", metrics={"effective_calls": 241, "deals": 4},
                  **terms) == Decimal("42029.17")
    # above plan is paid proportionally, without a cap
    assert payout("security-50-50", metrics={"effective_calls": 900, "deals": 15},
                  **terms) == Decimal("87500.00")


def test_meetings_sales_30_70_by_hand() -> None:
    pay = payout("meetings-sales-30-70", metrics={"meetings_held": 8, "sales_amount": 240000},
                 fixed=35000)
    assert pay == Decimal("55400.00")  # 35000 + 0.3 × 8 × 1500 + 0.7 × 10 % × 240000


def test_quality_combined_index_and_the_critical_gate() -> None:
    metrics = {"effective_calls": 450, "meetings_set": 13, "quality": 86.5}
    plan = {"effective_calls": 600, "meetings_set": 10}
    # 30 × 0.75 + 30 × min(1.3, 1.2) + 40 × 0.865 = 22.5 + 36 + 34.6
    assert payout("quality-combined", metrics=metrics, plan=plan) == Decimal("93.10")
    gated = payout("quality-combined", metrics={**metrics, "critical_fails": 1}, plan=plan)
    assert gated == Decimal("58.50")


@pytest.mark.parametrize(("part", "message"), [
    ({"name": "x", "type": "per_unit", "metric": "meetings", "rate": 1},
     "part 'x': field 'metric': unknown metric 'meetings'"),
    ({"name": "x", "type": "per_unit", "metric": "meetings_set",
      "brackets": [{"from": 1, "to": 7, "rate": 1}, {"from": 7, "rate": 2}]},
     "bracket 2 starts at 7, expected 8"),
    ({"name": "x", "type": "per_unit", "metric": "meetings_set",
      "brackets": [{"from": 1, "rate": 1}, {"from": 8, "rate": 2}]},
     "only the last bracket may be open-ended"),
    ({"name": "x", "type": "percent", "metric": "deals", "percent": 5},
     "'deals' is not an amount"),
    ({"name": "x", "type": "completion"}, "field 'metric' is required"),
])
def test_bad_schemes_name_the_file_part_and_field(part: dict, message: str) -> None:
    with pytest.raises(KpiError) as caught:
        parse_scheme({"id": "bad", "title": "b", "part": [part]}, source="bad.toml")
    assert str(caught.value).startswith("bad.toml: ") and message in str(caught.value)


def test_a_plan_of_zero_is_refused_with_the_operator_and_part() -> None:
    with pytest.raises(KpiError, match=r"operator 'Иванова': part 'deals' needs plan.deals"):
        compute(find_scheme("security-50-50"),
                person(metrics={"deals": 3, "effective_calls": 1},
                       plan={"effective_calls": 10, "deals": 0}))


@pytest.mark.parametrize(("raw", "message"), [
    ({"operators": [{"metrics": {}}]}, 'operators[1]: field "operator" is missing'),
    ({"operators": [{"operator": "A", "metrics": {"deals": -1}}]},
     "operator 'A': metrics.deals: must be zero or more"),
    ({"operators": [{"operator": "A", "metrics": {"deals": 1.5}}]},
     "metrics.deals must be a whole number"),
    ({"operators": [{"operator": "A", "metrics": {"calls": 1}}]},
     "metrics.calls: unknown metric"),
    ({"operators": [{"operator": "A", "fixed": "много"}]}, "fixed: expected a number"),
    ([], 'expected an object with a list "operators"'),
])
def test_bad_input_names_the_operator_and_field(raw: object, message: str) -> None:
    with pytest.raises(KpiError) as caught:
        parse_inputs(raw, source="in.json")
    assert str(caught.value).startswith("in.json: ") and message in str(caught.value)


def test_invoices_payments_pays_a_bonus_for_invoices_and_payments_against_plan() -> None:
    # 80 of 80 invoices (100 %) and 20 of 50 payments (40 %: at the threshold, so 0).
    result = compute(find_scheme("invoices-payments"), OperatorInput(
        "x", {"invoices": Decimal(80), "payments": Decimal(20)},
        {"invoices": Decimal(80), "payments": Decimal(50)}, Decimal(30000), Decimal(10000)))
    assert result.payout == Decimal("35000.00")

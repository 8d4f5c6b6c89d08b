"""Payouts explained in words, in Russian and English, for every kind of part."""

from __future__ import annotations

from decimal import Decimal as D

from scorecard.domain.kpi import OperatorInput, compute, find_scheme
from scorecard.i18n import Catalogue
from scorecard.tui.kpi_words import explain


def _lines(scheme: str, language: str, metrics: dict[str, int], plan: dict[str, int] | None = None,
           fixed: int = 0, bonus: int = 0) -> list[str]:
    chosen = find_scheme(scheme)
    person = OperatorInput("Анна", {k: D(v) for k, v in metrics.items()},
                           {k: D(v) for k, v in (plan or {}).items()}, D(fixed), D(bonus))
    return explain(compute(chosen, person), chosen, Catalogue(language))


def test_tiers_and_a_factor_read_as_payroll_writes_them() -> None:
    lines = _lines("meetings-tiered", "ru", {"meetings_set": 12, "meetings_held": 6})
    assert lines == ["Анна: 7 519,60 ₽",
                     "  назначенные встречи: 12, каждая по ставке своей ступени = 7 519,60 ₽; "
                     "коэффициент 1,10 за доходимость встреч 50 %"]


def test_completion_and_quality_in_english() -> None:
    lines = _lines("quality-combined", "en",
                   {"effective_calls": 90, "meetings_set": 1, "quality": 80, "critical_fails": 1},
                   {"effective_calls": 100, "meetings_set": 4})
    assert lines[0].endswith(" %")
    assert any(line.startswith("  “effective calls” plan 90 % done (90 of 100)")
               for line in lines)
    assert "  “meetings set” plan 25 % done (1 of 4): 25 % counts, weight 30 % = 7.50 %" in lines
    assert "  quality: 1 critical fail(s), this part is zeroed" in lines
    percent = _lines("meetings-sales-30-70", "ru", {"meetings_held": 2, "sales_amount": 150000},
                     fixed=20000)
    assert "  оклад: 20 000,00 ₽" in percent
    assert "  проведённые встречи: 2 × 1 500,00 ₽, доля 30 % = 900,00 ₽" in percent
    assert "  10 % от суммы «продажи» 150 000,00 ₽, доля 70 % = 10 500,00 ₽" in percent


def test_a_plan_figure_keeps_the_decimals_it_has() -> None:
    from decimal import Decimal

    from scorecard.tui.kpi_words import exact_number

    assert [exact_number(v, "ru") for v in (Decimal("12.5"), Decimal("900.00"), 1100)] == [
        "12,5", "900", "1 100"]
    assert exact_number("0.75", "en") == "0.75"

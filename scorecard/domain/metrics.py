"""Period metrics of an operator, and how sure a quality mean is.

The database adds up days (``operator_day``); this module turns the sums into what people
read: rates, the held/set conversion, money in roubles, and the mean quality with a 90 %
confidence interval, so a lead sees when three graded calls are too few to judge.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

#: Two-sided 90 % Student t quantiles (0.95 one-sided) by degrees of freedom; beyond 30
#: the normal quantile is close enough.
_T95 = (6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782,
        1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711,
        1.708, 1.706, 1.703, 1.701, 1.699, 1.697)
_Z95 = 1.645


@dataclass(frozen=True)
class QualityMean:
    evaluations: int
    mean: float | None
    low: float | None
    """Lower end of the 90 % interval (None with fewer than two evaluations)."""
    high: float | None


def quality_mean(evaluations: int, total: float, squares: float) -> QualityMean:
    """Mean evaluation total with a 90 % t-interval, from count, sum and sum of squares."""
    if evaluations == 0:
        return QualityMean(0, None, None, None)
    mean = total / evaluations
    if evaluations == 1:
        return QualityMean(1, mean, None, None)
    variance = max(0.0, (squares - evaluations * mean * mean) / (evaluations - 1))
    df = evaluations - 1
    t = _T95[df - 1] if df <= len(_T95) else _Z95
    half = t * math.sqrt(variance / evaluations)
    return QualityMean(evaluations, mean, max(0.0, mean - half), min(100.0, mean + half))


@dataclass(frozen=True)
class PeriodMetrics:
    """One operator's numbers over a period, as KPI schemes and reports use them."""

    operator_id: int
    operator: str
    team: str | None
    dials: int
    answered: int
    effective_calls: int
    long_calls: int
    talk_seconds: int
    presentations: int
    meetings_set: int
    meetings_held: int
    invoices: int
    payments: int
    payments_kopecks: int
    revenue_new_kopecks: int
    revenue_existing_kopecks: int
    deals: int
    sales_kopecks: int
    requests_assigned: int
    requests_processed: int
    evaluations: int
    quality_sum: float
    quality_squares: float
    critical_fails: int

    @property
    def quality(self) -> QualityMean:
        return quality_mean(self.evaluations, self.quality_sum, self.quality_squares)

    @property
    def held_to_set(self) -> float | None:
        return self.meetings_held / self.meetings_set if self.meetings_set else None

    @property
    def processed_share(self) -> float | None:
        return self.requests_processed / self.requests_assigned if self.requests_assigned \
            else None

    def for_scheme(self) -> dict[str, Decimal]:
        """The metric names KPI schemes use, money in roubles."""
        def roubles(kopecks: int) -> Decimal:
            return Decimal(kopecks) / 100

        quality = self.quality.mean
        return {
            "dials": Decimal(self.dials), "answered": Decimal(self.answered),
            "effective_calls": Decimal(self.effective_calls),
            "long_calls": Decimal(self.long_calls),
            "presentations": Decimal(self.presentations),
            "meetings_set": Decimal(self.meetings_set),
            "meetings_held": Decimal(self.meetings_held),
            "invoices": Decimal(self.invoices), "payments": Decimal(self.payments),
            "payments_amount": roubles(self.payments_kopecks),
            "revenue_new": roubles(self.revenue_new_kopecks),
            "revenue_existing": roubles(self.revenue_existing_kopecks),
            "deals": Decimal(self.deals), "sales_amount": roubles(self.sales_kopecks),
            "requests_assigned": Decimal(self.requests_assigned),
            "requests_processed": Decimal(self.requests_processed),
            "evaluations": Decimal(self.evaluations),
            "critical_fails": Decimal(self.critical_fails),
            "quality": Decimal(0) if quality is None else Decimal(str(round(quality, 2))),
        }

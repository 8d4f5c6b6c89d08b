"""KPI reports from the database: period metrics from the rollup, a scheme, each operator's
terms, and the payout with its parts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session

from scorecard.domain.kpi import (
    DEFAULT_TERMS,
    KpiError,
    KpiResult,
    KpiScheme,
    OperatorInput,
    compute,
)
from scorecard.domain.metrics import PeriodMetrics
from scorecard.services.metrics import period_metrics, refresh


@dataclass(frozen=True)
class ReportRow:
    metrics: PeriodMetrics
    result: KpiResult


def kpi_report(
    session: Session, scheme: KpiScheme, *, first: date, last: date, team: str | None,
    terms: Sequence[OperatorInput], terms_source: str = "terms",
) -> list[ReportRow]:
    """Every operator's payout under ``scheme`` for ``first``..``last``.

    Days an import changed since the last read are recounted first. Terms (plan, fixed pay,
    bonus target) come by operator name, else from the default terms.
    """
    refresh(session)
    by_name = {person.operator.casefold(): person for person in terms}
    default = by_name.get(DEFAULT_TERMS)
    known = {m.operator.casefold() for m in period_metrics(session, first=first, last=last)}
    unknown = sorted(p.operator for p in terms
                     if p.operator != DEFAULT_TERMS and p.operator.casefold() not in known)
    if unknown:
        raise KpiError(f"{terms_source}: no operator named {', '.join(map(repr, unknown))}")
    rows = []
    for metrics in period_metrics(session, first=first, last=last, team=team):
        own = by_name.get(metrics.operator.casefold(), default)
        person = OperatorInput(metrics.operator, metrics.for_scheme())
        if own is not None:
            person = replace(person, plan=own.plan, fixed=own.fixed,
                             bonus_target=own.bonus_target)
        rows.append(ReportRow(metrics, compute(scheme, person, source=terms_source)))
    return rows

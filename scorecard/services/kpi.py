"""KPI reports from the database: period metrics from the rollup, a scheme, each operator's
terms, and the payout with its parts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlmodel import Session

from scorecard.domain.inert import money, roubles
from scorecard.domain.kpi import (
    KpiResult,
    KpiScheme,
    OperatorInput,
    compute,
)
from scorecard.domain.metrics import PeriodMetrics
from scorecard.services.access import Actor, Permission, require_team
from scorecard.services.metrics import period_metrics, refresh

if TYPE_CHECKING:
    from scorecard.services.kpi_terms import TermsInForce


@dataclass(frozen=True)
class ReportRow:
    metrics: PeriodMetrics
    result: KpiResult
    terms_version: int | None = None
    """The stored terms version that paid it (None: a file's terms, or none)."""


STORED_TERMS = "the KPI terms (scorecard kpi terms show)"
"""How errors name the terms in the database."""


def kpi_report(
    session: Session, scheme: KpiScheme, *, viewer: Actor, first: date, last: date,
    team: str | None, terms: TermsInForce | None = None, terms_source: str = "terms",
) -> list[ReportRow]:
    """Every operator's payout under ``scheme`` for ``first``..``last``, as far as
    ``viewer`` may see (a lead: their team).

    Days an import changed since the last read are recounted first. Terms (plan, fixed pay,
    bonus target) are an operator's own, else their team's, else the default: those given
    (a file's, :func:`~scorecard.services.kpi_terms.read_terms`), or without, those in
    force in the database on ``first``.
    """
    people, terms, terms_source = _period(session, viewer, first, last, team, terms,
                                          terms_source)
    return [_paid(metrics, scheme, terms, terms_source) for metrics in people]


def kpi_report_by_team(
    session: Session, *, viewer: Actor, first: date, last: date, team: str | None,
    terms: TermsInForce | None = None, terms_source: str = "terms",
) -> list[tuple[KpiScheme, list[ReportRow]]]:
    """Each team paid by the scheme its terms name: (scheme, rows) per team, from one read
    of the period. A team (or an operator without one) that no scheme pays is refused by
    name: payroll never falls back on a guess."""
    from scorecard.domain.kpi import KpiError, find_scheme

    people, terms, terms_source = _period(session, viewer, first, last, team, terms,
                                          terms_source)
    by_team: dict[str, list[PeriodMetrics]] = {}
    for metrics in people:
        by_team.setdefault(metrics.team or "", []).append(metrics)
    unpaid = [name or "(no team)" for name in sorted(by_team) if not terms.schemes.get(name)]
    if unpaid:
        raise KpiError(f"{terms_source} on {first}: no scheme pays {', '.join(unpaid)}: "
                       "name one per team (kpi terms import) or choose one scheme for everyone")
    blocks = []
    for name in sorted(by_team):
        scheme = find_scheme(terms.schemes[name])
        blocks.append((scheme, [_paid(m, scheme, terms, terms_source) for m in by_team[name]]))
    return blocks


def _period(
    session: Session, viewer: Actor, first: date, last: date, team: str | None,
    terms: TermsInForce | None, terms_source: str,
) -> tuple[list[PeriodMetrics], TermsInForce, str]:
    """The period's metrics the viewer may see (recounted first where imports changed
    them), and the terms to pay them by (those given, else the stored ones)."""
    from scorecard.services.kpi_terms import terms_in_force

    viewer.require(Permission.VIEW_KPI)
    require_team(session, viewer, team)
    refresh(session)
    if terms is None:
        terms, terms_source = terms_in_force(session, first), STORED_TERMS
    return (list(period_metrics(session, first=first, last=last, team=team,
                                scope=viewer.scope_sql("o"))), terms, terms_source)


def _paid(metrics: PeriodMetrics, scheme: KpiScheme, terms: TermsInForce,
          terms_source: str) -> ReportRow:
    """One operator's payout under ``scheme`` with their terms."""
    own = terms.for_operator(metrics.operator, metrics.team)
    person = OperatorInput(metrics.operator, metrics.for_scheme())
    if own is not None:
        person = replace(person, plan=own.plan, fixed=own.fixed, bonus_target=own.bonus_target)
    return ReportRow(metrics, compute(scheme, person, source=terms_source),
                     terms.version_for(metrics.operator, metrics.team))


def parts_record(result: KpiResult) -> list[dict[str, object]]:
    """A payout's parts as reports write them: money to the kopeck, each multiplier named."""
    from scorecard.domain.inert import money

    return [{"name": part.name, "input": dict(part.input), "amount": money(part.amount),
             "multipliers": [{"name": a.name, "ratio": a.ratio, "factor": a.factor}
                             for a in part.multipliers]}
            for part in result.parts]


def report_record(row: ReportRow) -> dict[str, object]:
    """One operator's line of the report: metrics, quality with its interval, payout."""
    m, quality = row.metrics, row.metrics.quality
    return {
        "operator": m.operator, "team": m.team or "", "dials": m.dials,
        "answered": m.answered, "effective_calls": m.effective_calls,
        "long_calls": m.long_calls, "presentations": m.presentations,
        "meetings_set": m.meetings_set, "meetings_held": m.meetings_held,
        "held_to_set": None if m.held_to_set is None else round(m.held_to_set, 3),
        "invoices": m.invoices, "payments": m.payments,
        "payments_amount": roubles(m.payments_kopecks), "deals": m.deals,
        "sales_amount": roubles(m.sales_kopecks),
        "revenue_new": roubles(m.revenue_new_kopecks),
        "revenue_existing": roubles(m.revenue_existing_kopecks),
        "processed_share": None if m.processed_share is None else round(m.processed_share, 3),
        "evaluations": m.evaluations,
        "quality": None if quality.mean is None else round(quality.mean, 1),
        "quality_low": None if quality.low is None else round(quality.low, 1),
        "quality_high": None if quality.high is None else round(quality.high, 1),
        "critical_fails": m.critical_fails, "payout": money(row.result.payout),
    }

"""A payout explained for the people who pay it: each part of a scheme in a sentence, in
the user's language, with the numbers as payroll writes them (``35 000,00 ₽``, ``118 %``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from scorecard.i18n import MESSAGES

if TYPE_CHECKING:
    from scorecard.domain.kpi import KpiResult, KpiScheme, Part, PartResult
    from scorecard.i18n import Catalogue


def explain(result: KpiResult, scheme: KpiScheme, t: Catalogue) -> list[str]:
    """The payout's line, then one line per part."""
    unit = "%" if scheme.kind == "index" else "₽"
    specs = {part.name: part for part in scheme.parts}
    lines = [t("kpi.explain.total", operator=result.operator,
               payout=amount(result.payout, t.language), unit=unit)]
    for part in result.parts:
        spec = specs.get(part.name)
        if spec is not None:
            lines.append("  " + part_in_words(part, spec, unit, t))
    return lines


def part_in_words(part: PartResult, spec: Part, unit: str, t: Catalogue) -> str:
    """One part: what it counted, against what, and what it paid."""
    language = t.language
    shown = part.input
    paid = {"amount": amount(part.amount, language), "unit": unit}
    metric = metric_name(spec.metric or "", t)
    weighted = "" if spec.weight == 1 else t("kpi.explain.weighted",
                                             weight=number(spec.weight * 100, language))
    if spec.type == "fixed":
        text = t("kpi.explain.fixed", **paid)
    elif spec.type == "per_unit":
        units = shown.get(spec.metric or "", 0)
        text = (t("kpi.explain.per_unit", units=units, metric=metric,
                  rate=amount(_decimal(shown["rate"]), language), weighted=weighted, **paid)
                if "rate" in shown else
                t(f"kpi.explain.tiered_{spec.mode}", units=units, metric=metric,
                  weighted=weighted, **paid))
    elif spec.type == "percent":
        text = t("kpi.explain.percent", percent=number(_decimal(shown.get("percent")), language),
                 metric=metric, base=amount(_decimal(shown.get(spec.metric or "")), language),
                 weighted=weighted, **paid)
    elif spec.type == "completion":
        completion = _decimal(shown.get("completion")) * 100
        share = _decimal(shown.get("paid_share")) * 100
        common = {"metric": metric, "actual": number(_decimal(shown.get(spec.metric or "")),
                                                     language),
                  "plan": number(_decimal(shown.get("plan")), language),
                  "completion": number(completion, language),
                  "threshold": number(spec.threshold * 100, language),
                  "weight": number(spec.weight * 100, language), **paid}
        text = t("kpi.explain.completion_below" if share == 0 else "kpi.explain.completion",
                 share=number(share, language), **common)
    else:
        text = (t("kpi.explain.quality_gated", critical=shown.get("critical_fails", 0), **paid)
                if shown.get("gated") else
                t("kpi.explain.quality", quality=number(_decimal(shown.get("quality")), language),
                  weight=number(spec.weight * 100, language), **paid))
    for applied in part.multipliers:
        ratio = "—" if applied.ratio is None else number(applied.ratio * 100, language)
        text += t("kpi.explain.factor", factor=number(applied.factor, language, places=2),
                  name=factor_name(applied.name, t), ratio=ratio)
    return text


def reasons_in_words(reasons: Iterable[Sequence[object]], t: Catalogue) -> str:
    """Why a closed month pays differently now: "terms changed, dials 791 → 803"."""
    said = []
    for what, before, now in reasons:
        if what in ("terms", "new"):
            said.append(t(f"kpi.reason.{what}"))
        elif what == "scheme edited":
            said.append(t("kpi.reason.scheme_edited", name=before))
        else:
            key = f"kpi.field.{what}"
            said.append(t("kpi.reason.changed", what=t(key) if key in MESSAGES else what,
                          before="—" if before is None else before,
                          now="—" if now is None else now))
    return ", ".join(said)


def signed(value: Decimal, language: str) -> str:
    return ("+" if value > 0 else "") + amount(value, language)


@cache
def plan_metrics() -> dict[str, str]:
    """Every name a plan's metric goes by (its id, and what the app calls it in either
    language), case-folded → its id."""
    from scorecard.domain.kpi import AMOUNT_METRICS, COUNT_METRICS

    names = {}
    for metric in COUNT_METRICS | AMOUNT_METRICS:
        names[metric] = metric
        for key in (f"kpi.metric.{metric}", f"kpi.field.{metric}"):
            for said in MESSAGES.get(key, {}).values():
                names[" ".join(said.split()).casefold()] = metric
    return names


def metric_name(metric: str, t: Catalogue) -> str:
    key = f"kpi.metric.{metric}"
    return t(key) if key in MESSAGES else metric


def factor_name(name: str, t: Catalogue) -> str:
    key = f"kpi.factor.{name}"
    return t(key) if key in MESSAGES else name


def amount(value: Decimal, language: str) -> str:
    """Money as payroll writes it: ``35 000,00`` (Russian), ``35,000.00`` (English)."""
    return number(value, language, places=2)


def number(value: Decimal, language: str, *, places: int = 0) -> str:
    """A count or a percentage, whole unless ``places`` (``1,1`` in Russian)."""
    text = f"{value:,.{places}f}"
    return text.replace(",", " ").replace(".", ",") if language == "ru" else text


def exact_number(value: Decimal | int | float | str, language: str) -> str:
    """A figure as it was given: whole, or with the decimals it has (a plan of 12,5 deals
    is not 12)."""
    figure = Decimal(str(value))
    exponent = figure.normalize().as_tuple().exponent
    return number(figure, language, places=max(0, -exponent) if isinstance(exponent, int)
                  else 0)


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))

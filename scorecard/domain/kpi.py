"""KPI schemes: how an operator's numbers become pay (or a ranking index), explainably.

A scheme is a TOML file (README, "KPI schemes"). It is a list of *parts*, each turning one
metric into an amount, and *multipliers* that scale parts by bands of a ratio. Every
amount is a :class:`~decimal.Decimal`; the payout is rounded to kopecks once, at the end.
Each part's result keeps its input and the multipliers applied to it, so a payout explains
itself line by line.

Part types:

``fixed``       the operator's fixed pay (``fixed`` from the input) or a constant ``amount``;
``per_unit``    a count paid per unit: a flat ``rate``, or ``brackets`` paid ``marginal``
                (each unit at the rate of its own bracket) or ``retroactive`` (every unit
                at the rate of the highest bracket reached);
``percent``     ``percent`` of an amount metric (sales, payments);
``completion``  plan completion c = actual / plan: nothing when c ≤ ``threshold``, else
                c × ``base`` (the input's ``bonus_target``, or a constant), up to ``cap``;
``quality``     the period's quality score (0–100) × ``base`` / 100, gated to 0 by any
                critical fail when ``gate_on_critical``.

Every part has a ``weight`` (default 1) it is multiplied by. A scheme of ``kind = "index"``
adds its weighted parts as percentages instead of money.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from scorecard.errors import KpiError

#: Metrics a scheme may use; counts are whole numbers, amounts are roubles.
COUNT_METRICS = frozenset({
    "dials", "answered", "effective_calls", "long_calls", "presentations", "meetings_set",
    "meetings_held", "invoices", "payments", "deals", "requests_assigned",
    "requests_processed", "evaluations", "critical_fails",
})
AMOUNT_METRICS = frozenset({"payments_amount", "sales_amount", "revenue_new",
                            "revenue_existing"})
SCORE_METRICS = frozenset({"quality"})
METRICS = COUNT_METRICS | AMOUNT_METRICS | SCORE_METRICS

KOPECK = Decimal("0.01")
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
Ratio = Annotated[Decimal, Field(ge=0)]




class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Bracket(_Strict):
    start: Annotated[int, Field(ge=1, alias="from")]
    end: Annotated[int | None, Field(ge=1, alias="to")] = None
    """Last unit of the bracket; None: no upper end (only the last bracket)."""
    rate: Money

    model_config = ConfigDict(populate_by_name=True)


class Band(_Strict):
    start: Annotated[Ratio, Field(alias="from")]
    """The band applies from this ratio (inclusive) up to the next band's start."""
    factor: Ratio

    model_config = ConfigDict(populate_by_name=True)


class Part(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    type: Literal["fixed", "per_unit", "percent", "completion", "quality"]
    metric: str | None = None
    weight: Ratio = Decimal(1)
    # fixed
    amount: Money | None = None
    # per_unit
    rate: Money | None = None
    brackets: list[Bracket] = []
    mode: Literal["marginal", "retroactive"] = "marginal"
    # percent
    percent: Ratio | None = None
    # completion, quality
    base: Money | Literal["bonus_target"] | None = None
    threshold: Ratio = Decimal(0)
    cap: Ratio | None = None
    gate_on_critical: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Part:
        where = f"part {self.name!r}"
        needs_metric = self.type in ("per_unit", "percent", "completion")
        if needs_metric and not self.metric:
            raise ValueError(f"{where}: field 'metric' is required for a {self.type} part")
        if self.metric is not None and self.metric not in METRICS:
            known = ", ".join(sorted(METRICS))
            raise ValueError(f"{where}: field 'metric': unknown metric {self.metric!r} "
                             f"(known: {known})")
        if self.type == "per_unit":
            if (self.rate is None) == (not self.brackets):
                raise ValueError(f"{where}: give either 'rate' or 'brackets'")
            _check_brackets(where, self.brackets)
            if self.metric not in COUNT_METRICS:
                raise ValueError(f"{where}: field 'metric': {self.metric!r} is not a count")
        if self.type == "percent":
            if self.percent is None:
                raise ValueError(f"{where}: field 'percent' is required")
            if self.metric not in AMOUNT_METRICS:
                raise ValueError(f"{where}: field 'metric': {self.metric!r} is not an amount")
        if self.type == "completion" and self.metric in SCORE_METRICS:
            raise ValueError(f"{where}: field 'metric': quality has no plan; use a quality "
                             "part")
        return self


class Multiplier(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    ratio: tuple[str, str]
    """(numerator metric, denominator metric)."""
    bands: Annotated[list[Band], Field(min_length=1)]
    when_undefined: Ratio = Decimal(1)
    """The factor when the denominator is 0."""
    parts: list[str] = []
    """The parts it scales; empty: every part."""

    @model_validator(mode="after")
    def _consistent(self) -> Multiplier:
        where = f"multiplier {self.name!r}"
        for metric in self.ratio:
            if metric not in METRICS:
                raise ValueError(f"{where}: field 'ratio': unknown metric {metric!r}")
        starts = [band.start for band in self.bands]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError(f"{where}: field 'bands': starts must grow: {starts}")
        if starts[0] != 0:
            raise ValueError(f"{where}: field 'bands': the first band must start at 0")
        return self


class KpiScheme(_Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]
    title: Annotated[str, Field(min_length=1)]
    kind: Literal["money", "index"] = "money"
    description: str | None = None
    parts: Annotated[list[Part], Field(alias="part", min_length=1)]
    multipliers: Annotated[list[Multiplier], Field(alias="multiplier")] = []

    model_config = ConfigDict(populate_by_name=True, extra="forbid", frozen=True)

    @field_validator("parts")
    @classmethod
    def _unique_parts(cls, parts: list[Part]) -> list[Part]:
        names = [part.name for part in parts]
        for name in names:
            if names.count(name) > 1:
                raise ValueError(f"part {name!r} is named twice")
        return parts

    @model_validator(mode="after")
    def _multipliers_name_parts(self) -> KpiScheme:
        names = {part.name for part in self.parts}
        for multiplier in self.multipliers:
            for name in multiplier.parts:
                if name not in names:
                    raise ValueError(f"multiplier {multiplier.name!r}: field 'parts': no part "
                                     f"{name!r}")
        return self

    def metrics(self) -> set[str]:
        used = {part.metric for part in self.parts if part.metric}
        used |= {metric for m in self.multipliers for metric in m.ratio}
        if any(part.type == "quality" for part in self.parts):
            used |= {"quality", "critical_fails"}
        return used


def _check_brackets(where: str, brackets: list[Bracket]) -> None:
    expected = 1
    for number, bracket in enumerate(brackets, 1):
        if bracket.start != expected:
            raise ValueError(f"{where}: field 'brackets': bracket {number} starts at "
                             f"{bracket.start}, expected {expected} (brackets must not "
                             "overlap or leave gaps)")
        if bracket.end is None:
            if number != len(brackets):
                raise ValueError(f"{where}: field 'brackets': only the last bracket may be "
                                 "open-ended")
            return
        if bracket.end < bracket.start:
            raise ValueError(f"{where}: field 'brackets': bracket {number} ends before it "
                             "starts")
        expected = bracket.end + 1


# -- loading ---------------------------------------------------------------------------------


def parse_scheme(data: dict[str, Any], *, source: str) -> KpiScheme:
    try:
        return KpiScheme.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            location = ".".join(str(p) for p in error["loc"])
            problems.append(message if not location else f"{location}: {message}")
        raise KpiError(f"{source}: " + "; ".join(problems)) from None


def load_scheme(path: Path) -> KpiScheme:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise KpiError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise KpiError(f"{path}: byte {exc.start + 1} is not UTF-8: save the file as UTF-8"
                       ) from None
    except OSError as exc:  # a folder, no permission
        raise KpiError(f"{path}: cannot read the scheme: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise KpiError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise KpiError(f"{path}: not a usable scheme: nested too deep") from None
    return parse_scheme(data, source=str(path))


def shipped_schemes() -> Path:
    """The schemes that come with scorecard (``data/kpi_schemes/`` in the source tree)."""
    import scorecard

    package = Path(scorecard.__file__).parent
    installed = package / "_kpi_schemes"
    return installed if installed.is_dir() else package.parent / "data" / "kpi_schemes"


def shipped_scheme_ids() -> list[str]:
    """The ids of the shipped schemes, sorted."""
    return sorted(path.stem for path in shipped_schemes().glob("*.toml"))


def find_scheme(id_or_path: str) -> KpiScheme:
    """A scheme given by file path, or by id from the shipped schemes."""
    candidate = Path(id_or_path).expanduser()
    if candidate.suffix == ".toml" or candidate.exists():
        return load_scheme(candidate)
    path = shipped_schemes() / f"{id_or_path}.toml"
    if not path.is_file():
        known = ", ".join(shipped_scheme_ids())
        raise KpiError(f"no KPI scheme {id_or_path!r}: give a .toml file or one of: {known}")
    return load_scheme(path)


# -- computing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applied:
    """A multiplier as applied to a part: the ratio it saw and the factor it chose."""

    name: str
    ratio: Decimal | None
    factor: Decimal


@dataclass(frozen=True)
class PartResult:
    name: str
    input: Mapping[str, object]
    amount: Decimal
    """After weight and multipliers, not yet rounded."""
    multipliers: tuple[Applied, ...] = ()


@dataclass(frozen=True)
class KpiResult:
    operator: str
    payout: Decimal
    """Money rounded to kopecks; for an index scheme, percent rounded to 0.01."""
    parts: tuple[PartResult, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class OperatorInput:
    """One operator's numbers for a period, and the personal terms a scheme may use."""

    operator: str
    metrics: Mapping[str, Decimal]
    plan: Mapping[str, Decimal] = field(default_factory=dict)
    fixed: Decimal = Decimal(0)
    bonus_target: Decimal = Decimal(0)


def compute(scheme: KpiScheme, person: OperatorInput, *, source: str = "input") -> KpiResult:
    """Apply ``scheme`` to one operator; raises :class:`KpiError` for unusable input."""
    results = []
    for part in scheme.parts:
        amount, shown = _part_amount(scheme, part, person, source)
        amount *= part.weight
        applied = []
        for multiplier in scheme.multipliers:
            if multiplier.parts and part.name not in multiplier.parts:
                continue
            ratio, factor = _factor(multiplier, person)
            applied.append(Applied(multiplier.name, ratio, factor))
            amount *= factor
        results.append(PartResult(part.name, shown, amount, tuple(applied)))
    total = sum((r.amount for r in results), Decimal(0))
    return KpiResult(person.operator, total.quantize(KOPECK, ROUND_HALF_UP), tuple(results))


def _metric(person: OperatorInput, name: str) -> Decimal:
    return person.metrics.get(name, Decimal(0))


def _part_amount(
    scheme: KpiScheme, part: Part, person: OperatorInput, source: str
) -> tuple[Decimal, dict[str, object]]:
    metric = part.metric
    if part.type == "fixed":
        amount = part.amount if part.amount is not None else person.fixed
        return amount, {"fixed": amount}
    assert metric is not None or part.type == "quality"
    if part.type == "per_unit":
        units = int(_metric(person, metric or ""))
        if part.rate is not None:
            return part.rate * units, {metric or "": units, "rate": part.rate}
        return tiered(units, part.brackets, part.mode), {metric or "": units, "mode": part.mode}
    if part.type == "percent":
        base = _metric(person, metric or "")
        percent = part.percent or Decimal(0)
        return base * percent / 100, {metric or "": base, "percent": percent}
    base = person.bonus_target if part.base in (None, "bonus_target") else Decimal(part.base)
    if scheme.kind == "index":
        base = Decimal(100)
    if part.type == "completion":
        plan = person.plan.get(metric or "")
        if plan is None or plan == 0:
            raise KpiError(f"{source}: operator {person.operator!r}: part {part.name!r} needs "
                           f"plan.{metric} above 0 (got {plan if plan is not None else 'none'})")
        completion = _metric(person, metric or "") / plan
        paid = Decimal(0) if completion <= part.threshold else completion
        if part.cap is not None:
            paid = min(paid, part.cap)
        return base * paid, {metric or "": _metric(person, metric or ""), "plan": plan,
                             "completion": completion.quantize(Decimal("0.0001")),
                             "paid_share": paid.quantize(Decimal("0.0001"))}
    quality = _metric(person, "quality")
    critical = _metric(person, "critical_fails")
    gated = part.gate_on_critical and critical > 0
    share = Decimal(0) if gated else quality / 100
    return base * share, {"quality": quality, "critical_fails": int(critical), "gated": gated}


def tiered(units: int, brackets: list[Bracket], mode: str) -> Decimal:
    """Pay for ``units`` under bracket rates, marginal or retroactive."""
    if units <= 0:
        return Decimal(0)
    if mode == "retroactive":
        reached = next(b for b in reversed(brackets) if b.start <= units)
        return reached.rate * units
    total = Decimal(0)
    for bracket in brackets:
        if units < bracket.start:
            break
        last = units if bracket.end is None else min(units, bracket.end)
        total += bracket.rate * (last - bracket.start + 1)
    return total


def _factor(multiplier: Multiplier, person: OperatorInput) -> tuple[Decimal | None, Decimal]:
    numerator, denominator = (_metric(person, m) for m in multiplier.ratio)
    if denominator == 0:
        return None, multiplier.when_undefined
    ratio = numerator / denominator
    band = next(b for b in reversed(multiplier.bands) if b.start <= ratio)
    return ratio, band.factor


# -- input -----------------------------------------------------------------------------------


DEFAULT_TERMS = "*"
"""The operator name of the terms that apply to everyone not listed (``"default"``)."""


def parse_inputs(data: Any, *, source: str) -> list[OperatorInput]:
    """The simulator's input: ``{"operators": [{"operator", "metrics", "plan", "fixed",
    "bonus_target"}]}``; every problem names the operator and the field.

    The same shape, without metrics, gives a KPI report each operator's terms; an optional
    ``"default": {"plan", "fixed", "bonus_target"}`` covers operators not listed.
    """
    if not isinstance(data, dict) or not isinstance(data.get("operators", []), list):
        raise KpiError(f'{source}: expected an object with a list "operators"')
    entries = list(data.get("operators", []))
    if "default" in data:
        if not isinstance(data["default"], dict):
            raise KpiError(f'{source}: "default" must be an object')
        entries.append({"operator": DEFAULT_TERMS, **data["default"]})
    if not entries:
        raise KpiError(f'{source}: expected an object with a list "operators"')
    people = []
    for number, raw in enumerate(entries, 1):
        where = f"{source}: operators[{number}]"
        if not isinstance(raw, dict):
            raise KpiError(f"{where}: expected an object")
        name = raw.get("operator")
        if not isinstance(name, str) or not name.strip():
            raise KpiError(f'{where}: field "operator" is missing')
        where = f"{source}: operator {name!r}"
        unknown = set(raw) - {"operator", "metrics", "plan", "fixed", "bonus_target"}
        if unknown:
            raise KpiError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        metrics = _numbers(raw.get("metrics", {}), f"{where}: metrics")
        plan = _numbers(raw.get("plan", {}), f"{where}: plan")
        for metric, value in metrics.items():
            if metric in COUNT_METRICS and value != value.to_integral_value():
                raise KpiError(f"{where}: metrics.{metric} must be a whole number, got {value}")
        people.append(OperatorInput(
            name.strip(), metrics, plan,
            _number(raw.get("fixed", 0), f"{where}: fixed"),
            _number(raw.get("bonus_target", 0), f"{where}: bonus_target")))
    return people


#: No count, plan or amount in roubles comes near it; beyond it arithmetic only overflows.
LARGEST = Decimal(10) ** 12


def _numbers(raw: Any, where: str) -> dict[str, Decimal]:
    if not isinstance(raw, dict):
        raise KpiError(f"{where}: expected an object of numbers")
    values = {}
    for key, value in raw.items():
        if key not in METRICS:
            raise KpiError(f"{where}.{key}: unknown metric (known: {', '.join(sorted(METRICS))})")
        values[key] = _number(value, f"{where}.{key}")
        if key in SCORE_METRICS and values[key] > 100:
            raise KpiError(f"{where}.{key}: a score is 0 to 100, got {value!r}")
    return values


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise KpiError(f"{where}: expected a number, got {value!r}")
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        raise KpiError(f"{where}: expected a number, got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise KpiError(f"{where}: must be zero or more, got {value!r}")
    if number > LARGEST:
        raise KpiError(f"{where}: {value!r} is more than any real count or amount "
                       f"(at most {LARGEST:,})".replace(",", " "))
    return number

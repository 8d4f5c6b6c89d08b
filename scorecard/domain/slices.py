"""Intraday slices: where each operator stands against the norm at a moment of the shift.

A team lead looks at least three times a day (11:00, 14:00, 17:00 by default). The norm
is for a full shift, so at a slice it is pro-rated by the share of the shift gone by; an
operator below ``lag_below`` of that share is lagging. A lagging operator can be given a
task for the next slice, which is then met or missed; two misses in a row send the
operator to the trainer with their weakest stages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

#: What slices count, in the names norms use.
SLICE_METRICS = ("calls", "long_calls", "presentations", "meetings_set", "invoices",
                 "payments")
DEFAULT_TIMES = (time(11, 0), time(14, 0), time(17, 0))


class SliceRules(BaseModel):
    """The ``[slices]`` table of the config: when slices are taken and what lags."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    times: Annotated[list[time], Field(min_length=1)] = list(DEFAULT_TIMES)
    lag_below: Annotated[float, Field(gt=0, le=1)] = 0.9
    """Lagging: below this share of the pro-rated norm."""

    @field_validator("times")
    @classmethod
    def _sorted(cls, times: list[time]) -> list[time]:
        return sorted(set(times))

    def next_after(self, at: time) -> time | None:
        return next((t for t in self.times if t > at), None)


def elapsed_share(shift_start: time, shift_end: time, at: time) -> float:
    """How much of the shift has gone by at ``at`` (0 before it starts, 1 after it ends)."""
    day = date(2000, 1, 1)
    start, end = datetime.combine(day, shift_start), datetime.combine(day, shift_end)
    length = (end - start).total_seconds()
    if length <= 0:
        return 1.0
    gone = (datetime.combine(day, at) - start).total_seconds()
    return min(1.0, max(0.0, gone / length))


@dataclass(frozen=True)
class SliceCell:
    metric: str
    actual: int
    expected: float | None
    """The norm pro-rated to the slice, or None when the team has no norm for it."""
    lagging: bool

    def shown(self) -> str:
        """``actual/expected`` as a lead reads it: small norms keep a decimal (0.4, not 0)."""
        if self.expected is None:
            return str(self.actual)
        expected = f"{self.expected:.1f}" if self.expected < 10 else f"{self.expected:.0f}"
        return f"{self.actual}/{expected}"


@dataclass(frozen=True)
class SliceRow:
    operator_id: int
    operator: str
    team: str | None
    cells: tuple[SliceCell, ...]

    @property
    def lagging(self) -> bool:
        return any(cell.lagging for cell in self.cells)


def judge(metric: str, actual: int, norm: float | None, share: float,
          rules: SliceRules) -> SliceCell:
    if norm is None:
        return SliceCell(metric, actual, None, False)
    expected = norm * share
    return SliceCell(metric, actual, expected, expected > 0 and actual < expected * rules.lag_below)

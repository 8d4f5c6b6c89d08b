"""Drawing the calls listeners grade: fair, stratified by talk time, reproducible.

Each operator gets the same quota. The quota is split across talk-time buckets by their
weights, so a sample always holds short calls (where hang-up-early habits hide), ordinary
calls and long ones; a bucket with too few calls is topped up from the others. The draw
for an operator depends only on the seed, the day, the operator and their calls, so the
same inputs give the same sample whatever else changes.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from scorecard.tomlfiles import load_model


class Bucket(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    max_seconds: Annotated[int, Field(gt=0)] | None = None
    """Upper bound of talk time (exclusive); the last bucket has none."""
    weight: Annotated[float, Field(gt=0)] = 1.0


class SamplingRules(BaseModel):
    """``[sampling]`` rules; every key has a sensible default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    per_operator: Annotated[int, Field(ge=1, le=100)] = 4
    min_talk_seconds: Annotated[int, Field(ge=0)] = 5
    buckets: tuple[Bucket, ...] = (
        Bucket(name="short", max_seconds=60, weight=1),
        Bucket(name="ordinary", max_seconds=600, weight=2),
        Bucket(name="long", weight=1),
    )
    slices: tuple[time, ...] = (time(11, 0), time(14, 0), time(17, 0))
    """Where the day is cut for a per-slice sample: before 11:00, 11:00–14:00, …"""

    def slice_of(self, moment: time) -> int:
        """The index of the day's window ``moment`` falls in (0: before the first cut)."""
        return sum(1 for cut in self.slices if moment >= cut)

    def slice_name(self, index: int) -> str:
        cuts = ["", *(f"{c:%H:%M}" for c in sorted(self.slices)), ""]
        return f"{cuts[index] or '…'}–{cuts[index + 1] or '…'}"

    @model_validator(mode="after")
    def _slices_ordered(self) -> SamplingRules:
        if list(self.slices) != sorted(set(self.slices)):
            raise ValueError("slices must be distinct times in order, e.g. [\"11:00\", "
                             "\"14:00\"]")
        return self

    @model_validator(mode="after")
    def _buckets_ordered(self) -> SamplingRules:
        bounds = [b.max_seconds for b in self.buckets]
        if not bounds or bounds[-1] is not None or None in bounds[:-1]:
            raise ValueError("every bucket but the last needs max_seconds; the last has none")
        numbers = [b for b in bounds[:-1] if b is not None]
        if numbers != sorted(set(numbers)):
            raise ValueError("bucket max_seconds must grow from bucket to bucket")
        return self

    def bucket_of(self, talk_seconds: int) -> int:
        for index, bucket in enumerate(self.buckets):
            if bucket.max_seconds is None or talk_seconds < bucket.max_seconds:
                return index
        return len(self.buckets) - 1


def load_rules(path: Path | None) -> SamplingRules:
    """The rules in ``path`` (a ``[sampling]`` table), or the defaults."""
    return SamplingRules() if path is None else load_model(path, SamplingRules,
                                                           section="sampling")


Stratum = Hashable
"""Who gets a quota: an operator id, or (operator id, slice index) for a per-slice sample."""


@dataclass(frozen=True)
class Draw:
    picked: dict[Stratum, list[int]]
    """stratum -> call ids, in draw order"""
    shortfall: dict[Stratum, int]
    """stratum -> how many calls short of the quota"""


def draw(
    candidates: Mapping[Stratum, Sequence[tuple[int, int]]],
    rules: SamplingRules,
    *,
    seed: int,
    day: str,
    quota: int | None = None,
) -> Draw:
    """Pick up to ``quota`` calls per stratum from ``candidates`` (call id, talk seconds)."""
    quota = quota or rules.per_operator
    picked: dict[Stratum, list[int]] = {}
    shortfall: dict[Stratum, int] = {}
    weights = [b.weight for b in rules.buckets]
    for stratum in sorted(candidates, key=repr):
        # A stratum's draw depends on nothing else, so adding an operator changes no one's.
        key = stratum if not isinstance(stratum, tuple) else ":".join(map(str, stratum))
        rng = random.Random(f"{seed}:{day}:{key}")
        calls = sorted(c for c in candidates[stratum] if c[1] >= rules.min_talk_seconds)
        buckets: list[list[int]] = [[] for _ in rules.buckets]
        for call_id, talk in calls:
            buckets[rules.bucket_of(talk)].append(call_id)
        chosen: list[int] = []
        for index, share in enumerate(_shares(quota, weights)):
            take = min(share, len(buckets[index]))
            chosen.extend(rng.sample(buckets[index], take))
        if len(chosen) < quota:  # a thin bucket: top up from what is left
            taken = set(chosen)
            rest = [c for bucket in buckets for c in bucket if c not in taken]
            chosen.extend(rng.sample(rest, min(len(rest), quota - len(chosen))))
        picked[stratum] = chosen
        if len(chosen) < quota:
            shortfall[stratum] = quota - len(chosen)
    return Draw(picked, shortfall)


def _shares(quota: int, weights: list[float]) -> list[int]:
    """Split ``quota`` by ``weights`` with the largest-remainder rule."""
    total = sum(weights)
    exact = [quota * w / total for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_remainder[: quota - sum(shares)]:
        shares[i] += 1
    return shares

"""Drawing the calls listeners grade: fair, stratified by talk time, reproducible.

Each operator gets the same quota. The quota is split across talk-time buckets by their
weights, so a sample always holds short calls (where hang-up-early habits hide), ordinary
calls and long ones; a bucket with too few calls is topped up from the others. The draw
for an operator depends only on the seed, the day, the operator and their calls, so the
same inputs give the same sample whatever else changes.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Draw:
    picked: dict[int, list[int]]
    """operator id -> call ids, in draw order"""
    shortfall: dict[int, int]
    """operator id -> how many calls short of the quota"""


def draw(
    candidates: Mapping[int, Sequence[tuple[int, int]]],
    rules: SamplingRules,
    *,
    seed: int,
    day: str,
    quota: int | None = None,
) -> Draw:
    """Pick up to ``quota`` calls per operator from ``candidates`` (call id, talk seconds)."""
    quota = quota or rules.per_operator
    picked: dict[int, list[int]] = {}
    shortfall: dict[int, int] = {}
    weights = [b.weight for b in rules.buckets]
    for operator_id in sorted(candidates):
        rng = random.Random(f"{seed}:{day}:{operator_id}")
        calls = sorted(c for c in candidates[operator_id] if c[1] >= rules.min_talk_seconds)
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
        picked[operator_id] = chosen
        if len(chosen) < quota:
            shortfall[operator_id] = quota - len(chosen)
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

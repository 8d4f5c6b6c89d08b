"""Scoring rules: from item answers to stage scores and an evaluation total.

The rules, as QA departments state them:

* an item is answered pass, fail or n.a. (n.a. only where the card allows it);
* a stage scores the weighted share of passed items among its applicable items;
  a stage whose items are all n.a. (or not yet answered) drops out;
* the total is the weighted mean of the stage scores, renormalised over the stages
  that count, so a dropped stage neither helps nor hurts;
* a failed critical item sets the total to 0 and flags the evaluation.

Unanswered items are treated like n.a. so the grading screen can show a live score
while the listener works; :func:`missing_answers` tells whether an evaluation is complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scorecard.domain.cards import QualityCard
from scorecard.domain.enums import Answer

ItemKey = tuple[str, str]
"""(stage id, item id)"""


@dataclass(frozen=True, slots=True)
class StageScore:
    stage_id: str
    weight: float
    score: float | None
    """0–100, or None when no item of the stage applies."""
    passed: int
    failed: int


@dataclass(frozen=True, slots=True)
class ScoreResult:
    total: float | None
    """0–100, or None when no stage applies yet."""
    stages: tuple[StageScore, ...]
    critical_fail: bool
    failed_critical: tuple[ItemKey, ...]

    def stage(self, stage_id: str) -> StageScore:
        return next(s for s in self.stages if s.stage_id == stage_id)


class AnswerNotAllowed(ValueError):
    """An n.a. answer on an item whose card does not allow it, or an unknown item."""


def score(card: QualityCard, answers: Mapping[ItemKey, Answer]) -> ScoreResult:
    """Score a (possibly partial) set of answers against ``card``."""
    known = set(card.item_keys())
    for key, given in answers.items():
        if key not in known:
            raise AnswerNotAllowed(f"card {card.id!r} has no item {key[0]}/{key[1]}")
        if given is Answer.NA and not card.item(*key).na_allowed:
            raise AnswerNotAllowed(f"item {key[0]}/{key[1]} cannot be n.a. on card {card.id!r}")

    stages: list[StageScore] = []
    failed_critical: list[ItemKey] = []
    for stage in card.stages:
        applicable = earned = 0.0
        passed = failed = 0
        for item in stage.items:
            answer = answers.get((stage.id, item.id))
            if answer is Answer.PASS:
                applicable += item.weight
                earned += item.weight
                passed += 1
            elif answer is Answer.FAIL:
                applicable += item.weight
                failed += 1
                if item.critical:
                    failed_critical.append((stage.id, item.id))
        stage_score = 100.0 * earned / applicable if applicable else None
        stages.append(StageScore(stage.id, stage.weight, stage_score, passed, failed))

    counted = [s for s in stages if s.score is not None]
    total: float | None
    if failed_critical:
        total = 0.0
    elif counted:
        weight = sum(s.weight for s in counted)
        total = sum(s.weight * s.score for s in counted if s.score is not None) / weight
        total = min(100.0, max(0.0, total))  # guards float drift only
    else:
        total = None
    return ScoreResult(total, tuple(stages), bool(failed_critical), tuple(failed_critical))


def missing_answers(card: QualityCard, answers: Mapping[ItemKey, Answer]) -> list[ItemKey]:
    """Items still to be answered, in card order."""
    return [key for key in card.item_keys() if key not in answers]

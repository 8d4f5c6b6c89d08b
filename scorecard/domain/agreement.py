"""How far listeners agree when they grade the same calls: Krippendorff's alpha and the
plain measures a calibration report shows beside it.

A *unit* is one item of one call; each listener's answer is pass, fail or n.a. (a category
of its own). Plain Python over plain values: the calibration service gathers the answers.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ANSWER_CODES = {"pass": 0, "fail": 1, "na": 2}
"""Nominal codes of the answers for the alpha computation (their order means nothing)."""
GOOD_ALPHA = 0.8
TENTATIVE_ALPHA = 0.667


@dataclass(frozen=True)
class UnitRow:
    """One item of one call: what each listener answered."""

    call: str
    stage: str
    item: str
    text: str
    answers: dict[str, str | None]
    """listener login → pass, fail, na; None while they have not submitted the call."""
    majority: str | None
    """The most given answer; None on a tie or with fewer than two answers."""
    agreement: float | None
    """Share of the given answers equal to the most given one; None below two answers."""

    @property
    def disagree(self) -> bool:
        return self.agreement is not None and self.agreement < 1.0


@dataclass(frozen=True)
class ItemSummary:
    """One (stage, item) over the session's calls."""

    stage: str
    item: str
    text: str
    units: int
    """Calls where at least two listeners answered the item."""
    disagreements: int
    agreement: float | None
    """Mean share agreeing with the majority over those calls."""


@dataclass(frozen=True)
class ListenerDeviation:
    login: str
    name: str
    graded: int
    expected: int
    compared: int
    """Units where the listener answered and the others had a clear majority."""
    differs: int
    """Of those, units where the listener's answer is not the others' majority."""
    total_bias: float | None
    """Mean of (own total − the group's mean total) over the calls the listener graded with
    others: negative is stricter than the group, positive softer."""
    total_distance: float | None
    """Mean absolute difference of the same: how far off, whichever way."""

    @property
    def differ_share(self) -> float | None:
        return self.differs / self.compared if self.compared else None


@dataclass(frozen=True)
class Agreement:
    alpha: float | None
    reading: str
    """good, tentative, poor; no_data (fewer than two grades of any call) or no_variation
    (every pairable answer the same: alpha is undefined)."""
    units: int
    """Units graded by at least two listeners (the ones alpha is computed over)."""
    observed: float | None
    """Share of those units where every listener gave the same answer."""


def alpha_of(matrix: Sequence[Sequence[str | None]]) -> float | None:
    """Nominal Krippendorff's alpha of a listeners × units matrix of answers (None where a
    listener gave none); None when undefined (no pairable answers, or no variation)."""
    import krippendorff
    import numpy as np

    data = np.array([[math.nan if a is None else ANSWER_CODES[a] for a in row]
                     for row in matrix], dtype=float)
    if data.size == 0 or not ((~np.isnan(data)).sum(axis=0) >= 2).any():
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        try:
            value = float(krippendorff.alpha(reliability_data=data,
                                             value_domain=sorted(ANSWER_CODES.values()),
                                             level_of_measurement="nominal"))
        except ValueError:  # the library's word for "undefined here"
            return None
    return None if math.isnan(value) else value


def reading(alpha: float | None) -> str:
    """Krippendorff's plain-words reading of alpha (None: not computable)."""
    if alpha is None:
        return "no_data"
    if alpha >= GOOD_ALPHA:
        return "good"
    if alpha >= TENTATIVE_ALPHA:
        return "tentative"
    return "poor"


def majority(given: list[str]) -> tuple[str | None, float | None]:
    """(the most given answer or None on a tie, share giving the most given answer)."""
    if len(given) < 2:
        return None, None
    ranked = Counter(given).most_common()
    top = ranked[0][1]
    tied = len(ranked) > 1 and ranked[1][1] == top
    return (None if tied else ranked[0][0]), top / len(given)


def agreement(units: list[UnitRow], listeners: list[str]) -> Agreement:
    pairable = [u for u in units if u.agreement is not None]
    observed = (sum(not u.disagree for u in pairable) / len(pairable)) if pairable else None
    if not pairable:
        return Agreement(None, "no_data", 0, None)
    value = alpha_of([[u.answers[user] for u in units] for user in listeners])
    if value is None:
        return Agreement(None, "no_variation", len(pairable), observed)
    return Agreement(value, reading(value), len(pairable), observed)


def item_summaries(
    units: list[UnitRow], texts: Mapping[tuple[str, str], str]
) -> list[ItemSummary]:
    """Each item over the session's calls: how often the listeners disagreed on it."""
    by_item: dict[tuple[str, str], list[UnitRow]] = defaultdict(list)
    for unit in units:
        by_item[(unit.stage, unit.item)].append(unit)
    summaries = []
    for (stage, item), rows in by_item.items():
        pairable = [u for u in rows if u.agreement is not None]
        summaries.append(ItemSummary(
            stage, item, texts[(stage, item)], len(pairable), sum(u.disagree for u in pairable),
            sum(u.agreement or 0.0 for u in pairable) / len(pairable) if pairable else None))
    return summaries


def deviation(
    login: str, name: str, expected: int, units: list[UnitRow],
    totals: Mapping[str, Mapping[str, float | None]],
) -> ListenerDeviation:
    """How far ``login`` is from the others: on items (against their majority) and on
    whole calls (``totals``: call → listener → total; absent while not submitted)."""
    compared = differs = 0
    for unit in units:
        own = unit.answers.get(login)
        if own is None:
            continue
        others = [a for user, a in unit.answers.items() if user != login and a is not None]
        # With one other listener their answer is the "majority"; with more, a tie has none.
        theirs = others[0] if len(others) == 1 else majority(others)[0]
        if theirs is None:
            continue  # the others split evenly (or nobody else answered): no majority
        compared += 1
        differs += own != theirs
    offsets: list[float] = []
    for by in totals.values():
        scored = [total for total in by.values() if total is not None]
        own_total = by.get(login)
        if own_total is None or len(scored) < 2:
            continue
        offsets.append(own_total - sum(scored) / len(scored))
    return ListenerDeviation(
        login, name, sum(1 for by in totals.values() if login in by), expected, compared,
        differs, sum(offsets) / len(offsets) if offsets else None,
        sum(abs(o) for o in offsets) / len(offsets) if offsets else None)

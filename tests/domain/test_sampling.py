"""The sampling draw: quota, strata, shortfall, reproducibility."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.domain.sampling import SamplingRules, _shares, draw, load_rules
from scorecard.errors import ScorecardError

RULES = SamplingRules()


def calls(*talks: int, first: int = 1) -> list[tuple[int, int]]:
    return [(first + n, talk) for n, talk in enumerate(talks)]


def test_every_stratum_gets_its_share() -> None:
    pool = {7: calls(*([20] * 10 + [200] * 10 + [900] * 10))}
    picked = draw(pool, RULES, seed=1, day="2026-03-02").picked[7]
    talk = dict(pool[7])
    assert len(picked) == 4
    assert sorted(RULES.bucket_of(talk[c]) for c in picked) == [0, 1, 1, 2]


def test_thin_buckets_are_topped_up_and_shortfalls_reported() -> None:
    pool = {1: calls(30, 40, 50, 45), 2: calls(100, first=100), 3: []}
    result = draw(pool, RULES, seed=1, day="d")
    assert len(result.picked[1]) == 4  # no long call that day: other buckets fill in
    assert result.shortfall == {2: 3, 3: 4}


def test_too_short_calls_are_never_drawn() -> None:
    result = draw({1: calls(1, 2, 3, 300)}, RULES, seed=1, day="d")
    assert result.picked[1] == [4]


def test_same_seed_same_sample_other_seed_other_sample() -> None:
    pool = {n: calls(*range(10, 1200, 7), first=n * 1000) for n in range(20)}
    first = draw(pool, RULES, seed=5, day="d").picked
    assert draw(dict(reversed(pool.items())), RULES, seed=5, day="d").picked == first
    assert draw(pool, RULES, seed=6, day="d").picked != first


def test_shares_follow_weights() -> None:
    assert _shares(4, [1, 2, 1]) == [1, 2, 1]
    assert _shares(5, [1, 2, 1]) in ([2, 2, 1], [1, 3, 1], [1, 2, 2])
    assert sum(_shares(7, [1, 1, 1])) == 7


def test_rules_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text("[sampling]\nper_operator = 6\n[[sampling.buckets]]\nname = \"short\"\n"
                    "max_seconds = 30\n[[sampling.buckets]]\nname = \"rest\"\nweight = 3\n")
    rules = load_rules(path)
    assert rules.per_operator == 6 and [b.name for b in rules.buckets] == ["short", "rest"]
    path.write_text("[sampling]\nper_operator = 0\n")
    with pytest.raises(ScorecardError, match="rules.toml: per_operator"):
        load_rules(path)
    path.write_text("[[sampling.buckets]]\nname = \"a\"\n[[sampling.buckets]]\nname = \"b\"\n")
    with pytest.raises(ScorecardError, match="every bucket but the last needs max_seconds"):
        load_rules(path)


def test_per_slice_strata_each_get_the_quota_and_keep_their_draw() -> None:
    from datetime import time

    from scorecard.domain.sampling import SamplingRules, draw

    rules = SamplingRules(per_operator=2)
    assert [rules.slice_of(t) for t in (time(9), time(11), time(13, 59), time(17, 30))] == [
        0, 1, 1, 3]
    assert rules.slice_name(0) == "…–11:00" and rules.slice_name(3) == "17:00–…"
    calls = {(7, 0): [(1, 30), (2, 200), (3, 900)], (7, 1): [(4, 100)], (7, 2): []}
    first = draw(calls, rules, seed=5, day="2026-11-20")
    assert {k: len(v) for k, v in first.picked.items()} == {(7, 0): 2, (7, 1): 1, (7, 2): 0}
    assert first.shortfall == {(7, 1): 1, (7, 2): 2}
    more = {**calls, (8, 0): [(9, 50)]}  # another operator changes no one else's draw
    assert draw(more, rules, seed=5, day="2026-11-20").picked[(7, 0)] == first.picked[(7, 0)]


def test_slices_must_be_in_order() -> None:
    import pytest
    from pydantic import ValidationError

    from scorecard.domain.sampling import SamplingRules

    with pytest.raises(ValidationError, match="slices must be distinct times in order"):
        SamplingRules.model_validate({"slices": ["14:00", "11:00"]})

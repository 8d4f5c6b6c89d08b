"""Fuzz: whatever a KPI input or a card file holds, ``kpi simulate`` and ``cards check``
answer with their result or one line of error, never a traceback (exit 0 or 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAMES = st.sampled_from(["operators", "operator", "metrics", "plan", "fixed", "bonus_target",
                         "meetings_set", "meetings_held", "quality", "deals", "default",
                         "effective_calls", "critical_fails", "x"])
SCALARS = (st.none() | st.booleans() | st.integers(-10**30, 10**30)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
           | st.sampled_from(["NaN", "1e999999", "-0", "12,5", "١٢"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(NAMES, inner, max_size=5), max_leaves=25)
PERSON = st.fixed_dictionaries({"operator": st.text(min_size=1, max_size=8) | SCALARS},
                               optional={"metrics": st.dictionaries(NAMES, SCALARS, max_size=4)
                                         | VALUES,
                                         "plan": st.dictionaries(NAMES, SCALARS, max_size=3),
                                         "fixed": SCALARS, "bonus_target": SCALARS})
INPUTS = st.fixed_dictionaries({"operators": st.lists(PERSON, max_size=3) | VALUES}) | VALUES

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.slow
@FUZZ
@given(data=INPUTS, scheme=st.sampled_from(["meetings-tiered", "security-50-50",
                                            "quality-combined", "meetings-sales-30-70"]))
def test_kpi_simulate_takes_anything(cli, tmp_path: Path, data: object, scheme: str) -> None:
    path = tmp_path / "input.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = cli("kpi", "simulate", path, "--scheme", scheme)
    assert result.code in (0, 2), result
    assert "Traceback" not in result.err and (result.code == 0 or result.err.startswith("error:"))


CARD_LINES = st.sampled_from([
    'id = "c"', 'title = "Карта"', "version = 1", 'language = "ru"', "[[stage]]",
    'id = "contact"', 'title = "Контакт"', "weight = 1", "weight = -1", "weight = 1e400",
    "[[stage.item]]", 'id = "greet"', 'title = "Поздоровался"', 'triggers = ["добрый день"]',
    "critical = true", "[[stage.item.group]]", 'match = "all"', 'speaker = "client"',
    'triggers = []', "x = [[[[[[1]]]]]]", 'title = "\\u0000"', "version = 99999999999999999999",
])


@pytest.mark.slow
@FUZZ
@given(lines=st.lists(CARD_LINES, max_size=30) | st.text(max_size=200).map(lambda t: [t]))
def test_cards_check_takes_anything(cli, tmp_path: Path, lines: list[str]) -> None:
    path = tmp_path / "card.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("cards", "check", path)
    assert result.code in (0, 2), result
    assert "Traceback" not in result.err

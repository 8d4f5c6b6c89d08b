"""``scorecard kpi simulate``: the payout explained per part, and no output on bad input."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data"


def test_simulate_prints_one_json_object_per_operator(cli) -> None:
    result = cli("kpi", "simulate", "--scheme", "meetings-tiered", DATA / "kpi_input.json",
                 "--json")
    assert result.code == 0
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [line["operator"] for line in lines] == ["Иванова Анна", "Петров Илья"]
    assert lines[0]["payout"] == "7519.60"  # (7 × 285 + 4 × 932 + 1113) × 1.1
    part = lines[0]["parts"][0]
    assert part["name"] == "meetings_set" and part["input"]["meetings_set"] == 12
    assert part["multipliers"][0]["factor"] == "1.1"  # decimals as exact strings


def test_simulate_reads_as_a_table(cli) -> None:
    result = cli("kpi", "simulate", "--scheme", "security-50-50", DATA / "kpi_input.json")
    assert result.code == 0 and "58 625.00 ₽" in result.out and "completion 0.7500" in result.out


def test_one_bad_operator_means_no_output_at_all(cli, tmp_path: Path) -> None:
    data = json.loads((DATA / "kpi_input.json").read_text(encoding="utf-8"))
    data["operators"][1]["plan"]["deals"] = 0
    bad = tmp_path / "in.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = cli("kpi", "simulate", "--scheme", "security-50-50", bad, "--json")
    assert result.code == 2 and result.out == ""
    assert "Петров Илья" in result.err and "plan.deals" in result.err


def test_broken_json_and_unknown_schemes_are_named(cli, tmp_path: Path) -> None:
    bad = tmp_path / "in.json"
    bad.write_text('{"operators": [\n  {"operator": "A",}\n]}', encoding="utf-8")
    result = cli("kpi", "simulate", "--scheme", "meetings-tiered", bad)
    assert result.code == 2 and f"{bad}: line 2" in result.err
    result = cli("kpi", "simulate", "--scheme", "no-such-scheme", bad)
    assert result.code == 2 and "meetings-tiered" in result.err

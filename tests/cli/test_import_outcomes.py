"""``scorecard import outcomes``: CRM events linked to calls or to operators and times."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.factories import DATA, query


def load_calls(cli, db_url: str) -> None:
    assert cli("import", "operators", DATA / "operators.csv", "--db", db_url).code == 0
    assert cli("import", "cdr", DATA / "cdr" / "Master.csv", "--db", db_url).code == 0


def test_outcomes_link_to_calls_and_operators(cli, db_url: str, tmp_path: Path) -> None:
    load_calls(cli, db_url)
    first = cli("import", "outcomes", DATA / "outcomes.csv", "--db", db_url)
    assert first.code == 0, first
    assert "5 new, 0 updated, 0 unchanged, 0 rejected" in first.out
    rows = {r[0]: r[1:] for r in query(db_url, (
        "SELECT e.external_id, e.kind, o.extension, e.amount_kopecks, e.client_kind, "
        "c.external_id FROM outcome_event e LEFT JOIN operator o ON o.id = e.operator_id "
        "LEFT JOIN call c ON c.id = e.call_id"))}
    assert rows["E-1"] == ("meeting_set", "211", None, "new", "1772431272.26")
    assert rows["E-2"] == ("meeting_held", "211", None, "new", None)
    assert rows["E-4"] == ("payment", "221", 1_845_000, "existing", None)
    assert rows["E-5"][:2] == ("presentation", "212")
    again = cli("import", "outcomes", DATA / "outcomes.csv", "--db", db_url)
    assert "0 new, 0 updated, 5 unchanged" in again.out
    corrected = tmp_path / "outcomes.csv"
    corrected.write_text((DATA / "outcomes.csv").read_text(encoding="utf-8")
                         .replace('"18 450,00"', "19000"), encoding="utf-8")
    assert "0 new, 1 updated, 4 unchanged" in cli(
        "import", "outcomes", corrected, "--db", db_url).out


def test_outcome_rows_rejected_with_reasons(cli, db_url: str, tmp_path: Path) -> None:
    load_calls(cli, db_url)
    bad = tmp_path / "events.csv"
    bad.write_text(
        "call,operator,time,kind,amount\n"
        "1772431272.26,,,payment,-5\n"
        "nope,,,invoice,\n"
        ",Никто,2026-03-02 10:00,invoice,\n"
        ",211,вчера,invoice,\n"
        "1772431272.26,,,звонок,\n"
        "1772431272.26,,,payment,1000\n", encoding="utf-8")
    strict = cli("import", "outcomes", bad, "--strict", "--db", db_url)
    assert strict.code == 2
    assert query(db_url, "SELECT count(*) FROM outcome_event") == [(0,)]
    result = cli("import", "outcomes", bad, "--rejects", tmp_path / "r.csv", "--db", db_url)
    assert result.code == 3, result
    assert "1 new, 0 updated, 0 unchanged, 5 rejected" in result.out
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [
            ["line", "reason"],
            ["2", "amount: negative '-5'"],
            ["3", "call: no call with external id 'nope'"],
            ["4", "operator: unknown 'Никто' (name, extension or agent id)"],
            ["5", "time: not a date 'вчера' (YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM)"],
            ["6", "kind: unknown event 'звонок'"],
        ]

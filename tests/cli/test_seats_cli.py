"""Who held the seat: an extension handed to a newcomer never takes the earlier calls."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.factories import query

ROW = ["", "211", "79161234567", "from-internal", '"" <211>', "SIP/211-00000001",
       "SIP/mts-00000002", "Dial", "SIP/mts/79161234567,60", "", "", "", "70", "60",
       "ANSWERED", "DOCUMENTATION", "", "", "", "", "1"]


def _master(path: Path, days: list[str]) -> Path:
    rows = []
    for n, day in enumerate(days):
        row = ROW.copy()
        row[9], row[10], row[11] = f"{day} 10:00:00", f"{day} 10:00:10", f"{day} 10:01:10"
        row[16] = row[19] = f"17724456{n:02d}.{n}"
        rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(rows)
    return path


def _whose(db_url: str) -> dict[str, str]:
    return dict(query(db_url, "SELECT c.external_id, o.name FROM call c "
                              "JOIN operator o ON o.id = c.operator_id"))


def test_a_newcomer_on_an_old_extension_takes_only_later_calls(cli, db_url: str,
                                                               tmp_path: Path) -> None:
    operators = tmp_path / "operators.csv"
    operators.write_text("name,team,extension\nИванова Анна,Продажи,211\n", encoding="utf-8")
    assert cli("import", "operators", operators, "--db", db_url).code == 0
    early = _master(tmp_path / "early.csv", ["2026-03-02", "2026-03-03"])
    assert cli("import", "cdr", early, "--db", db_url).code == 0
    # From the 10th Anna moves to 215 and Boris takes 211.
    operators.write_text("name,team,extension\nИванова Анна,Продажи,215\n"
                         "Борисов Борис,Продажи,211\n", encoding="utf-8")
    moved = cli("import", "operators", operators, "--from", "2026-03-10", "--db", db_url)
    assert moved.code == 0 and "1 new, 1 updated" in moved.out, moved
    both = _master(tmp_path / "both.csv", ["2026-03-02", "2026-03-03", "2026-03-11"])
    again = cli("import", "cdr", both, "--db", db_url)
    assert "1 new, 0 updated, 2 unchanged" in again.out, again
    assert _whose(db_url) == {"1772445600.0": "Иванова Анна", "1772445601.1": "Иванова Анна",
                              "1772445602.2": "Борисов Борис"}
    seats = query(db_url, "SELECT o.name, s.extension, s.valid_from, s.valid_to FROM seat s "
                          "JOIN operator o ON o.id = s.operator_id ORDER BY s.id")
    assert sorted((name, ext, str(start), str(end)) for name, ext, start, end in seats) == [
        ("Борисов Борис", "211", "2026-03-10", "None"),
        ("Иванова Анна", "211", "None", "2026-03-10"),
        ("Иванова Анна", "215", "2026-03-10", "None")]


def test_a_slice_of_a_past_day_shows_people_where_they_sat_that_day(
        cli, db_url: str, tmp_path: Path) -> None:
    import json

    operators = tmp_path / "operators.csv"
    operators.write_text("name,team,extension\nИванова Анна,Продажи,211\n", encoding="utf-8")
    assert cli("import", "operators", operators, "--db", db_url).code == 0
    assert cli("import", "cdr", _master(tmp_path / "m.csv", ["2026-03-02"]), "--db",
               db_url).code == 0
    # From the 10th Anna works in another team.
    operators.write_text("name,team,extension\nИванова Анна,Поддержка,211\n", encoding="utf-8")
    assert cli("import", "operators", operators, "--from", "2026-03-10", "--db",
               db_url).code == 0
    assert cli("users", "save", "boss", "--role", "admin", "--db", db_url).code == 0

    def slice_on(day: str) -> list[tuple[str, str, int]]:
        shown = cli("slice", "--date", day, "--at", "12:00", "--json", "--user", "boss",
                    "--db", db_url)
        assert shown.code == 0, shown
        return [(r["operator"], r["team"], r["metrics"]["calls"]["actual"])
                for r in map(json.loads, shown.out.splitlines())]

    assert slice_on("2026-03-02") == [("Иванова Анна", "Продажи", 1)]
    assert slice_on("2026-03-11") == [("Иванова Анна", "Поддержка", 0)]

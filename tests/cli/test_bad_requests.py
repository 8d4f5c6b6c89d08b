"""Hostile or mistaken requests get one clear line and a non-zero exit, never a traceback,
and change nothing: KPI inputs and schemes, --out, --db, --team."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.factories import seed


@pytest.mark.parametrize(("content", "says"), [
    ('{"operators": [{"operator": "A", "metrics": {"meetings_held": ' + "9" * 5001 + "}}]}",
     "a number too long"),
    ("[" * 100_000, "nested too deep"),
    ('{"operators": [{"operator": "A", "metrics": {"meetings_held": 1}, "fixed": 1e300}]}',
     "fixed: 1e+300 is more than any real"),
    ('{"operators": [{"operator": "A", "metrics": {"meetings_held": "1e999999"}}]}',
     "more than any real count"),
    ('{"operators": [{"operator": "A", "metrics": {"meetings_held": "NaN"}}]}',
     "must be zero or more"),
    ('{"operators": [{"operator": "A", "metrics": {"quality": 100000}}]}',
     "a score is 0 to 100"),
])
def test_kpi_inputs_that_cannot_be_real(cli, tmp_path: Path, content: str, says: str) -> None:
    data = tmp_path / "input.json"
    data.write_text(content, encoding="utf-8")
    result = cli("kpi", "simulate", data, "--scheme", "quality-combined")
    assert result.code == 2 and says in result.err and "Traceback" not in result.err, result


def test_kpi_files_that_cannot_be_read(cli, tmp_path: Path) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"operators": [{"operator": "Sé", "metrics": {}}]}'.encode("latin-1"))
    result = cli("kpi", "simulate", latin, "--scheme", "meetings-tiered")
    assert result.code == 2 and "is not UTF-8" in result.err
    folder = tmp_path / "scheme.toml"
    folder.mkdir()
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"operators": [{"operator": "A", "metrics": {}}]}))
    result = cli("kpi", "simulate", good, "--scheme", folder)
    assert result.code == 2 and "cannot read the scheme" in result.err


def test_out_into_a_missing_folder_or_onto_a_folder(cli, graded_db, tmp_path: Path) -> None:
    database, _ = graded_db
    url = database.url.render_as_string(hide_password=False)
    assert cli("users", "save", "boss", "--role", "admin", "--db", url).code == 0
    base = ("report", "evaluations", "--period", "2026-11", "--user", "boss", "--db", url)
    for out, says in ((tmp_path / "missing" / "x.csv", "no folder"),
                      (tmp_path, "that is a folder")):
        for form in ("csv", "xlsx", "json"):
            result = cli(*base, "--format", form, "--out", out)
            assert result.code == 2 and says in result.err, (form, result)
    assert not (tmp_path / "missing").exists()


def test_a_mistyped_database_path_is_not_a_new_database(cli, tmp_path: Path) -> None:
    result = cli("import", "operators", Path(__file__).parents[2] / "data" / "operators.csv",
                 "--db", tmp_path / "no-such-folder" / "centre.db")
    assert result.code == 2 and "no folder" in result.err
    assert not (tmp_path / "no-such-folder").exists()


def test_a_team_that_does_not_exist_is_said(cli, db_url: str) -> None:
    from scorecard.db.engine import open_database

    database = open_database(db_url)
    seed(database)
    database.dispose()
    assert cli("users", "save", "boss", "--role", "admin", "--db", db_url).code == 0
    for command in (("report", "evaluations", "--period", "2026-11"),
                    ("kpi", "report", "--period", "2026-11", "--scheme", "meetings-tiered"),
                    ("report", "dialing", "--date", "2026-11-20")):
        result = cli(*command, "--team", "Нет такой", "--user", "boss", "--db", db_url)
        assert result.code == 2 and "no team 'Нет такой'" in result.err, (command, result)


def test_a_second_sqlite_writer_waits_its_turn(cli, tmp_path: Path) -> None:
    """Another program holds the write lock for a moment: the import waits, then stores."""
    import sqlite3
    import threading

    data = Path(__file__).parents[2] / "data"
    path = tmp_path / "centre.db"
    assert cli("import", "operators", data / "operators.csv", "--db", path).code == 0
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE operator SET active = active")
    release = threading.Timer(1.5, lambda: holder.execute("COMMIT"))
    release.start()
    try:
        result = cli("import", "cdr", data / "cdr" / "Master.csv", "--db", path)
    finally:
        release.join()
        holder.close()
    assert result.code == 0 and "7 new" in result.out, result


def test_one_length_policy_on_both_databases(cli, db_url: str, tmp_path: Path) -> None:
    """Values beyond their columns are rejected rows on SQLite and PostgreSQL alike (SQLite
    used to store them; PostgreSQL failed the whole import)."""
    data = Path(__file__).parents[2] / "data"
    common = ("--db", db_url)
    operators = tmp_path / "operators.csv"
    operators.write_text((data / "operators.csv").read_text(encoding="utf-8")
                         + f"{'Я' * 201},Холодные продажи,299,A-299,long,да\n", encoding="utf-8")
    result = cli("import", "operators", operators, *common)
    assert result.code == 3 and "name: 201 characters, at most 200" in result.err, result
    lines = (data / "cdr" / "Master.csv").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace('"1772431272.26"', '"' + "1" * 121 + '"')
    lines[1] = lines[1].replace('"84957654321"', '"' + "8" * 41 + '"', 1)
    master = tmp_path / "Master.csv"
    master.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", "cdr", master, *common)
    assert result.code == 3, result
    assert ":1: external_id: 121 characters" in result.err
    assert ":2: client_number: 41 characters" in result.err
    strict = cli("import", "cdr", master, "--strict", *common)
    assert strict.code == 2 and "nothing was written" in strict.err
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("id,call,kind\n" + "E" * 121 + ",1772431540.28,meeting_set\n",
                        encoding="utf-8")
    result = cli("import", "outcomes", outcomes, *common)
    assert result.code == 2 and "external_id: 121 characters" in result.err, result

"""``scorecard import operators`` and ``scorecard import cdr`` on both databases."""

from __future__ import annotations

import shutil
from pathlib import Path

from scorecard.db.engine import open_database
from tests.factories import query

DATA = Path(__file__).resolve().parents[2] / "data"


def test_operators_import_is_idempotent_and_updates(cli, db_url: str, tmp_path: Path) -> None:
    first = cli("import", "operators", DATA / "operators.csv", "--db", db_url)
    assert first.code == 0, first
    assert "4 new, 0 updated, 0 unchanged, 0 rejected" in first.out
    again = cli("import", "operators", DATA / "operators.csv", "--db", db_url)
    assert "0 new, 0 updated, 4 unchanged, 0 rejected" in again.out
    corrected = tmp_path / "operators.csv"
    corrected.write_text(
        (DATA / "operators.csv").read_text(encoding="utf-8").replace("221,A-221", "231,A-221"),
        encoding="utf-8")
    fixed = cli("import", "operators", corrected, "--db", db_url)
    assert "0 new, 1 updated, 3 unchanged" in fixed.out
    assert query(db_url, "SELECT extension FROM operator WHERE agent_id = 'A-221'") == [("231",)]
    assert query(db_url, "SELECT count(*) FROM operator") == [(4,)]
    assert query(db_url, "SELECT count(*) FROM team") == [(2,)]
    assert query(db_url, "SELECT active FROM operator WHERE agent_id = 'A-222'")[0][0] in (0, False)


def test_operators_from_cp1251_semicolon_csv_and_xlsx(cli, db_url: str, tmp_path: Path) -> None:
    windows = tmp_path / "ops.csv"
    windows.write_bytes("ФИО;Группа;Добавочный\nСидорова Мария;Входящие;241\n".encode("cp1251"))
    assert "1 new" in cli("import", "operators", windows, "--db", db_url).out
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "team", "extension"])
    book.active.append(["Орлов Денис", "Входящие", 242])
    book.save(tmp_path / "ops.xlsx")
    result = cli("import", "operators", tmp_path / "ops.xlsx", "--db", db_url)
    assert "1 new" in result.out, result
    assert query(db_url, "SELECT count(*) FROM team WHERE name = 'Входящие'") == [(1,)]


def test_operator_rows_are_rejected_with_line_and_reason(cli, db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "ops.csv"
    bad.write_text("name,team,extension,active\nАнна,А,201,да\nБорис,А,,да\n"
                   "Вера,А,2x3,да\nГлеб,А,204,может\nАнна,Б,205,да\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    strict = cli("import", "operators", bad, "--strict", "--db", db_url)
    assert strict.code == 2 and "4 row(s) rejected and --strict is on" in strict.err
    assert query(db_url, "SELECT count(*) FROM operator") == [(0,)]
    result = cli("import", "operators", bad, "--rejects", rejects, "--db", db_url)
    assert result.code == 3  # some rows stored, some rejected
    assert "1 new, 0 updated, 0 unchanged, 4 rejected" in result.out
    assert f"rejected: {bad}:3: extension: empty" in result.err
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines == ["line,reason", "3,extension: empty", "4,extension: not a number '2x3'",
                     "5,active: 'может' is neither yes nor no", "6,the same operator as line 2"]


def test_operator_file_without_the_needed_columns(cli, db_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "ops.csv"
    bad.write_text("name,department\nАнна,А\n", encoding="utf-8")
    result = cli("import", "operators", bad, "--db", db_url)
    assert result.code == 2
    assert "ops.csv:1: the header needs the columns name, team, extension; missing team" \
        in result.err


def test_cdr_import_merges_legs_and_is_idempotent(cli, db_url: str, tmp_path: Path) -> None:
    assert cli("import", "operators", DATA / "operators.csv", "--db", db_url).code == 0
    first = cli("import", "cdr", DATA / "cdr" / "Master.csv", "--db", db_url)
    assert first.code == 0, first
    assert "7 new, 0 updated, 0 unchanged, 0 rejected" in first.out
    again = cli("import", "cdr", DATA / "cdr" / "Master.csv", "--db", db_url)
    assert "0 new, 0 updated, 7 unchanged, 0 rejected" in again.out
    rows = dict((r[0], r[1:]) for r in query(db_url, (
        "SELECT c.external_id, o.extension, c.disposition, c.talk_seconds, c.ring_seconds, "
        "c.direction FROM call c LEFT JOIN operator o ON o.id = c.operator_id")))
    assert rows["1772431800.36"] == ("221", "answered", 889, 6, "inbound")  # two legs, one call
    assert rows["1772431623.32"] == ("212", "no_answer", 0, 30, "outbound")  # billsec lies
    assert rows["1772431272.26"] == ("211", "answered", 162, 8, "outbound")

    corrected = tmp_path / "Master.csv"
    corrected.write_text((DATA / "cdr" / "Master.csv").read_text(encoding="utf-8")
                         .replace('170,162,"ANSWERED"', '170,150,"ANSWERED"'), encoding="utf-8")
    fixed = cli("import", "cdr", corrected, "--db", db_url)
    assert "0 new, 1 updated, 6 unchanged" in fixed.out
    assert query(db_url, "SELECT talk_seconds FROM call WHERE external_id = '1772431272.26'") \
        == [(150,)]


def test_cdr_dry_run_and_broken_rows(cli, db_url: str, tmp_path: Path) -> None:
    source = (DATA / "cdr" / "Master.csv").read_text(encoding="utf-8").splitlines()
    broken = [
        source[0],
        '"","211","1","ctx","c","SIP/211-1","","Dial","","2026-13-02 09:00:00","",'
        '"2026-03-02 09:00:10",10,0,"NO ANSWER","DOCUMENTATION","u2","","","u2","1"',
        '"","211","1","ctx","c","SIP/211-1","","Dial","","2026-03-02 09:00:00","",'
        '"2026-03-02 09:00:10",10,0,"HUNG UP","DOCUMENTATION","u3","","","u3","1"',
        '"","211","1","ctx","c","SIP/211-1","","Dial","","2026-03-02 09:00:00","",'
        '"2026-03-02 09:00:10",-5,0,"BUSY","DOCUMENTATION","u4","","","u4","1"',
        '"short","row"',
    ]
    path = tmp_path / "Master.csv"
    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    dry = cli("import", "cdr", path, "--dry-run", "--db", db_url)
    assert dry.code == 3, dry
    assert "dry run, nothing written: 1 new, 0 updated, 0 unchanged, 4 rejected" in dry.out
    assert query(db_url, "SELECT count(*) FROM call") == [(0,)]
    assert f"{path}:2: start: not a date '2026-13-02 09:00:00'" in dry.err
    assert f"{path}:3: disposition: unknown value 'HUNG UP'" in dry.err
    assert f"{path}:4: duration/billsec: impossible values -5/0" in dry.err
    assert f"{path}:5: 2 columns, expected at least 16" in dry.err
    strict = cli("import", "cdr", path, "--strict", "--db", db_url)
    assert strict.code == 2 and query(db_url, "SELECT count(*) FROM call") == [(0,)]
    kept = cli("import", "cdr", path, "--db", db_url)
    assert kept.code == 3 and "1 new" in kept.out
    assert "no known operator extension" in kept.out


def test_cdr_import_resumes_the_collector(cli, db_url: str, tmp_path: Path) -> None:
    """The command pauses the cyclic collector while it reads and stores (see cdr): it is
    running again afterwards, whether the import ends well, with rejected rows (typer.Exit)
    or with an error."""
    import gc

    assert gc.isenabled()
    assert cli("import", "cdr", DATA / "cdr" / "Master.csv", "--db", db_url).code == 0
    assert gc.isenabled()
    partial = tmp_path / "Master.csv"
    partial.write_text((DATA / "cdr" / "Master.csv").read_text(encoding="utf-8")
                       + '"short","row"\n', encoding="utf-8")
    assert cli("import", "cdr", partial, "--db", db_url).code == 3
    assert gc.isenabled()
    assert cli("import", "cdr", tmp_path / "missing.csv", "--db", db_url).code == 2
    assert gc.isenabled()


def test_cdr_in_cp1251(cli, db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "Master.csv"
    shutil.copy(DATA / "cdr" / "Master.csv", path)
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251"))
    result = cli("import", "cdr", path, "--db", db_url)
    assert "7 new" in result.out, result


def test_freeswitch_cdr(cli, db_url: str, tmp_path: Path) -> None:
    assert cli("import", "operators", DATA / "operators.csv", "--db", db_url).code == 0
    result = cli("import", "cdr", DATA / "cdr" / "freeswitch.csv", "--format", "freeswitch",
                 "--db", db_url)
    assert result.code == 0, result
    assert "5 new, 0 updated, 0 unchanged, 0 rejected" in result.out
    rows = query(db_url, (
        "SELECT o.extension, c.disposition, c.talk_seconds, c.direction "
        "FROM call c LEFT JOIN operator o ON o.id = c.operator_id"))
    dispositions = sorted(r[1] for r in rows)
    assert dispositions == ["answered", "answered", "busy", "congestion", "no_answer"]
    inbound = [r for r in rows if r[3] == "inbound"]
    assert inbound == [("221", "answered", 720, "inbound")]
    again = cli("import", "cdr", DATA / "cdr" / "freeswitch.csv", "--format", "freeswitch",
                "--db", db_url)
    assert "0 new, 0 updated, 5 unchanged" in again.out
    broken = tmp_path / "fs.csv"
    broken.write_text('"a","211","1","d","yesterday","","x","5","0","NO_ANSWER","u1"\n')
    bad = cli("import", "cdr", broken, "--format", "freeswitch", "--db", db_url)
    assert f"{broken}:1: start_stamp: not a date 'yesterday'" in bad.err
    broken.write_text('"a","211","1","d","2026-03-02 09:00:00","","x","9999999999","0",'
                      '"NO_ANSWER","u1"\n')
    bad = cli("import", "cdr", broken, "--format", "freeswitch", "--db", db_url)
    assert f"{broken}:1: duration/billsec: impossible values 9999999999/0" in bad.err
    unknown = cli("import", "cdr", broken, "--format", "avaya", "--db", db_url)
    assert unknown.code == 2 and "use auto, asterisk, freeswitch, mapped" in unknown.err
    # Without --format the file's content says it is FreeSWITCH's.
    found = cli("import", "cdr", DATA / "cdr" / "freeswitch.csv", "--db", db_url)
    assert found.code == 0 and "0 new, 0 updated, 5 unchanged" in found.out, found


def test_a_file_in_another_column_order_fails_with_a_hint(cli, db_url: str,
                                                          tmp_path: Path) -> None:
    import csv

    with (DATA / "cdr" / "Master.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    # The columns of a custom cdr_csv template: disposition and amaflags swapped.
    swapped = tmp_path / "custom.csv"
    with swapped.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(f[:14] + f[15:16] + f[14:15] + f[16:] for f in rows)
    result = cli("import", "cdr", swapped, "--db", db_url)
    assert result.code == 2, result
    assert "hint:" in result.err and "column 15 holds 'DOCUMENTATION'" in result.err
    assert "nothing stored" in result.err
    assert query(db_url, "SELECT count(*) FROM call") == [(0,)]


def test_mapped_exports(cli, db_url: str, tmp_path: Path) -> None:
    assert cli("import", "operators", DATA / "operators.csv", "--db", db_url).code == 0
    for export, layout, count in (("cloud-pbx.csv", "cloud-pbx.toml", 4),
                                  ("crm-report.csv", "crm-report.toml", 3)):
        result = cli("import", "cdr", DATA / "cdr" / export, "--format", "mapped",
                     "--mapping", DATA / "mappings" / layout, "--db", db_url)
        assert result.code == 0, result
        assert f"{count} new, 0 updated, 0 unchanged, 0 rejected" in result.out
    rows = dict((r[0], r[1:]) for r in query(db_url, (
        "SELECT c.external_id, o.extension, c.disposition, c.talk_seconds, c.ring_seconds, "
        "c.direction FROM call c LEFT JOIN operator o ON o.id = c.operator_id")))
    assert rows["MNG-100231"] == ("211", "answered", 271, 7, "outbound")
    assert rows["MNG-100233"] == ("221", "answered", 760, 4, "inbound")
    assert rows["MNG-100234"] == ("212", "busy", 0, 3, "outbound")
    assert rows["externalCall.7f3a3"] == ("221", "answered", 640, 0, "inbound")
    endless = tmp_path / "endless.csv"
    endless.write_text("CALL_ID,PORTAL_NUMBER,CALL_START_DATE,CALL_DURATION,CALL_TYPE,"
                       "PHONE_NUMBER,CALL_FAILED_REASON\n"
                       "x1,211,2026-03-02T12:00:10,1e400,1,+7495,Успешный звонок\n"
                       "x2,211,2026-03-02T12:00:10,9999999999,1,+7495,Успешный звонок\n",
                       encoding="utf-8")
    result = cli("import", "cdr", endless, "--format", "mapped", "--mapping",
                 DATA / "mappings" / "crm-report.toml", "--db", db_url)
    assert result.code == 2 and "0 new, 0 updated, 0 unchanged, 2 rejected" in result.out
    assert f"error: {endless}: nothing stored: all 2 row(s) were rejected" in result.err
    assert f"{endless}:2: talk_seconds: not a duration '1e400'" in result.err
    assert f"{endless}:3: talk_seconds: impossibly long '9999999999'" in result.err
    layout = tmp_path / "bad.toml"
    layout.write_text((DATA / "mappings" / "crm-report.toml").read_text(encoding="utf-8")
                      .replace('"CALL_DURATION"', '"DURATION"'), encoding="utf-8")
    missing = cli("import", "cdr", DATA / "cdr" / "crm-report.csv", "--format", "mapped",
                  "--mapping", layout, "--db", db_url)
    assert missing.code == 2 and "crm-report.csv:1: no column 'DURATION' (for talk_seconds)" \
        in missing.err
    layout.write_text("[columns]\nexternal_id = 1\n", encoding="utf-8")
    broken = cli("import", "cdr", DATA / "cdr" / "crm-report.csv", "--format", "mapped",
                 "--mapping", layout, "--db", db_url)
    assert broken.code == 2 and "bad.toml: columns.operator: Field required" in broken.err
    alone = cli("import", "cdr", DATA / "cdr" / "crm-report.csv", "--format", "mapped",
                "--db", db_url)
    assert alone.code == 2 and "--mapping MAP.toml goes with --format mapped" in alone.err


def test_big_imports_rebuild_the_time_indexes(cli, db_url: str, monkeypatch) -> None:
    """Above a size, SQLite imports drop and rebuild the call time indexes; none may be lost."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import scorecard.services.imports as imports

    monkeypatch.setattr(imports, "_REBUILD_INDEXES_ABOVE", 2)
    assert cli("import", "cdr", DATA / "cdr" / "Master.csv", "--db", db_url).code == 0
    database = open_database(db_url)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
    database.dispose()
    assert query(db_url, "SELECT count(*) FROM call") == [(7,)]


def test_stray_bytes_in_callerid_names_are_replaced_and_named(cli, db_url: str,
                                                              tmp_path: Path) -> None:
    raw = (DATA / "cdr" / "Master.csv").read_bytes().splitlines(keepends=True)
    # A name written by another program in latin-1, inside a UTF-8 file: 16 stray bytes.
    raw[1] = raw[1].replace("Иванова Анна".encode(), b"Jos\xe9 " + b"\xe9" * 15)
    path = tmp_path / "Master.csv"
    path.write_bytes(b"".join(raw))
    result = cli("import", "cdr", path, "--db", db_url)
    assert result.code == 0, result
    assert f"note: {path}:2: 16 undecodable byte(s) replaced (clid:" in result.out
    assert "0 rejected" in result.out


def test_a_missing_or_unreadable_file_is_one_line(cli, db_url: str, tmp_path: Path) -> None:
    for command in (["cdr"], ["cdr", "--format", "asterisk"], ["queue-log"], ["operators"]):
        result = cli("import", *command, tmp_path / "nothere.csv", "--db", db_url)
        assert result.code == 2, (command, result)
        assert result.err.strip() == f"error: {tmp_path / 'nothere.csv'}: no such file"
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    result = cli("import", "cdr", folder, "--db", db_url)
    assert result.code == 2 and "Traceback" not in result.err and folder.name in result.err
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = cli("import", "cdr", empty, "--db", db_url)
    assert result.code == 2 and result.err.strip() == f"error: {empty}: no call records in the file"

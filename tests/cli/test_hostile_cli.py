"""``scorecard import …`` given hostile or broken files: one line naming the file, line and
field, a non-zero exit code, and the database exactly as it was when the command fails.

The database is shared by the module (operators and the sample calls, loaded once); each
test compares what it holds before and after its own commands.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.factories import DATA

#: Tables that change on every command, whatever it does (none, so far).
_VOLATILE: frozenset[str] = frozenset()


@pytest.fixture(scope="module")
def seeded(module_db_url: str) -> Iterator[str]:
    """A database with the sample operators and calls."""
    from scorecard.cli import main

    assert main(["import", "operators", str(DATA / "operators.csv"), "--db",
                 module_db_url]) == 0
    assert main(["import", "cdr", str(DATA / "cdr" / "Master.csv"), "--db", module_db_url]) == 0
    yield module_db_url


def snapshot(db_url: str) -> dict[str, list[str]]:
    """Every row of every table, as text, in a stable order."""
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            return {table: sorted(repr(tuple(row)) for row in connection.execute(
                        text(f'SELECT * FROM "{table}"')))
                    for table in inspect(connection).get_table_names()
                    if table not in _VOLATILE}
    finally:
        engine.dispose()


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def asterisk_row(key: str, start: str = "2026-03-02 09:01:12") -> list[str]:
    return ["", "211", "84951234567", "from-internal", '"Анна" <211>', "SIP/211-0000001a",
            "SIP/trunk-0000001b", "Dial", "SIP/trunk/84951234567,60", start, "",
            "2026-03-02 09:04:02", "170", "162", "ANSWERED", "DOCUMENTATION", key, "", "",
            key, "1"]


def test_a_call_on_the_last_day_of_the_calendar_is_a_rejected_row(
    cli, seeded: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "Master.csv", [
        asterisk_row("hostile-1"), asterisk_row("hostile-2", "9999-12-31 23:59:59")])
    before = snapshot(seeded)
    result = cli("import", "cdr", path, "--dry-run", "--db", seeded)
    assert result.code == 3, result
    assert (f"rejected: {path}:2: start: '9999-12-31 23:59:59' is outside the years "
            "1900 to 2199") in result.err
    only_bad = write_csv(tmp_path / "bad.csv", [asterisk_row("hostile-3", "9999-12-31 23:59:59")])
    result = cli("import", "cdr", only_bad, "--db", seeded)
    assert result.code == 2, result
    assert f"error: {only_bad}: nothing stored" in result.err
    assert snapshot(seeded) == before


def test_blank_lines_pass_strict(cli, seeded: str, tmp_path: Path) -> None:
    asterisk = tmp_path / "Master.csv"
    asterisk.write_text("\n" + write_csv(tmp_path / "rows.csv", [asterisk_row("blank-1")])
                        .read_text(encoding="utf-8") + "\n,,,,\n  \n", encoding="utf-8")
    result = cli("import", "cdr", asterisk, "--strict", "--dry-run", "--db", seeded)
    assert result.code == 0 and "rejected" not in result.err, result
    freeswitch = tmp_path / "fs.csv"
    freeswitch.write_text(
        '\n"Анна","211","84951234567","default","2026-03-02 10:00:05","2026-03-02 10:00:12",'
        '"2026-03-02 10:03:40","215","208","NORMAL_CLEARING","blank-2","","","PCMA","PCMA"\n'
        "\n,,,\n", encoding="utf-8")
    result = cli("import", "cdr", freeswitch, "--strict", "--dry-run", "--db", seeded)
    assert result.code == 0 and "rejected" not in result.err, result


def test_a_field_of_megabytes_is_a_file_error(cli, seeded: str, tmp_path: Path) -> None:
    row = asterisk_row("huge")
    row[8] = "y" * (1 << 20)  # 1 MB: the readers' own tests take 10
    path = write_csv(tmp_path / "Master.csv", [asterisk_row("fine"), row])
    _refused_whole(cli, seeded, path,
                   f"error: {path}:2: column 9: a field longer than 131072 characters")


def test_outcome_amounts_and_repeated_ids(cli, seeded: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,call,kind,amount\n" + "".join(
        f"H-{n},1772431272.26,payment,{amount}\n"
        for n, amount in enumerate(["NaN", "sNaN", "Infinity", "1e30", "1E+1000000000",
                                    "99999999999999999"])), encoding="utf-8")
    before = snapshot(seeded)
    result = cli("import", "outcomes", bad, "--db", seeded)
    assert result.code == 2, result
    assert f"rejected: {bad}:2: amount: not a number 'NaN'" in result.err
    assert (f"rejected: {bad}:7: amount: '99999999999999999' is more than 1000000000000 "
            "roubles") in result.err
    assert snapshot(seeded) == before
    twice = tmp_path / "twice.csv"
    twice.write_text("id,call,kind,amount\nH-10,1772431272.26,payment,100\n"
                     "H-10,1772431272.26,payment,200\n", encoding="utf-8")
    for summary in ("1 new, 0 updated, 0 unchanged, 1 rejected",
                    "0 new, 0 updated, 1 unchanged, 1 rejected"):  # and the same again
        result = cli("import", "outcomes", twice, "--db", seeded)
        assert result.code == 3 and summary in result.out, result
        assert f"rejected: {twice}:3: id: 'H-10' already on line 2" in result.err
    from tests.factories import query

    assert query(seeded, "SELECT amount_kopecks FROM outcome_event WHERE external_id = "
                 "'H-10'") == [(10000,)]


def test_a_workbook_whose_sheet_breaks_off(cli, seeded: str, tmp_path: Path) -> None:
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    for n in range(5):
        book.active.append(asterisk_row(f"sheet-{n}"))
    path = tmp_path / "Master.xlsx"
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {info: source.read(info.filename) for info in source.infolist()}
    with zipfile.ZipFile(path, "w") as target:
        for info, data in parts.items():
            target.writestr(info, data[: len(data) // 2] if "worksheets/" in info.filename
                            else data)
    _refused_whole(cli, seeded, path,
                   f"error: {path}: not a readable XLSX file: its sheet breaks off after row")


def test_mapping_files_that_cannot_be_used(cli, seeded: str, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("m-1,211,2026-03-02 10:00:00,5,rec\n", encoding="utf-8")
    mapping = tmp_path / "map.toml"
    numbered = ('header = false\nanswered_from = "talk"\n[columns]\nexternal_id = 1\n'
                "operator = 2\nstarted_at = 3\ntalk_seconds = 4\n")
    before = snapshot(seeded)
    for content, message in [
        (("# Облачная АТС\n" + numbered).encode("cp1251"),
         f"error: {mapping}:1: not UTF-8 text; save the file as UTF-8"),
        (('recording_template = "{0}.wav"\n' + numbered).encode(),
         f"error: {mapping}: recording_template: Value error, column numbers start at 1, "
         "not {0}"),
        (numbered.replace("external_id = 1", 'external_id = "id"').encode(),
         f"error: {mapping}: columns: Value error, header = false: give column numbers, "
         "not 'id'"),
    ]:
        mapping.write_bytes(content)
        result = cli("import", "cdr", export, "--format", "mapped", "--mapping", mapping,
                     "--db", seeded)
        assert result.code == 2 and result.err.startswith(message), result
    assert snapshot(seeded) == before


def transcripts_beside_hostile_ones(folder: Path) -> Path:
    """A good transcript of a stored call, and two JSON files no recogniser writes."""
    folder.mkdir()
    (folder / "1772431272.26.txt").write_text(
        "Оператор: Добрый день, меня зовут Анна, компания Охрана Плюс.\n"
        "Клиент: Здравствуйте.\n", encoding="utf-8")
    (folder / "1772431540.28.json").write_text('{"segments": ' + "[" * 100_000
                                               + "]" * 100_000 + "}", encoding="utf-8")
    (folder / "1772431623.32.json").write_text(
        '{"segments": [{"start": 1' + "0" * 400 + ', "end": 2, "text": "Алло"}]}',
        encoding="utf-8")
    return folder


def test_hostile_whisper_files_beside_a_good_transcript(cli, seeded: str, tmp_path: Path
                                                        ) -> None:
    folder = transcripts_beside_hostile_ones(tmp_path / "transcripts")
    result = cli("import", "transcripts", folder, "--db", seeded)
    assert result.code == 2, result
    assert "1 transcript(s) stored" in result.out and "2 file(s) not stored" in result.out
    assert f"error: {folder / '1772431540.28.json'}: not valid JSON: nested too deeply" \
        in result.err
    assert f"error: {folder / '1772431623.32.json'}: segment 1 of 1: start is 1000" in result.err
    from tests.factories import query

    assert query(seeded, "SELECT c.external_id FROM transcript t JOIN call c "
                 "ON c.id = t.call_id") == [("1772431272.26",)]
    detected = cli("detect", "--card", "security-cold-call", folder)
    assert detected.code == 2, detected
    assert "1772431272.26.txt  (text, 2 turns" in detected.out
    assert "2 file(s) could not be read" in detected.err


def test_cards_check_a_card_nested_thousands_deep(cli, tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("stage = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = cli("cards", "check", path)
    assert result.code == 2, result
    assert f"error: {path}: not valid TOML: nested too deeply" in result.err


def test_excel_unicode_text_imports(cli, seeded: str, tmp_path: Path) -> None:
    """UTF-16LE with a BOM, tab-separated: found by itself, and with --encoding utf-16."""
    import codecs

    def unicode_text(name: str, rows: list[list[str]]) -> Path:
        text = "".join("\t".join(row) + "\r\n" for row in rows)
        path = tmp_path / name
        path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
        return path

    operators = unicode_text("operators.txt", [["name", "team", "extension"],
                                               ["Вера Новая", "Продажи", "299"]])
    freeswitch = unicode_text("fs.txt", [[
        "Анна", "211", "84951234567", "default", "2026-03-02 10:00:05", "2026-03-02 10:00:12",
        "2026-03-02 10:03:40", "215", "208", "NORMAL_CLEARING", "utf16-leg", "", "", "PCMA",
        "PCMA"]])
    for encoding in ([], ["--encoding", "utf-16"]):
        result = cli("import", "operators", operators, "--dry-run", *encoding, "--db", seeded)
        assert result.code == 0 and "1 new, 0 updated, 0 unchanged, 0 rejected" in result.out, \
            result
        result = cli("import", "cdr", freeswitch, "--dry-run", *encoding, "--db", seeded)
        assert result.code == 0 and "1 new, 0 updated, 0 unchanged, 0 rejected" in result.out, \
            result


def _refused_whole(cli, seeded: str, path: Path, error: str) -> None:
    """``import cdr`` refuses the whole file with ``error`` (exit 2) and stores nothing."""
    before = snapshot(seeded)
    result = cli("import", "cdr", path, "--db", seeded)
    assert result.code == 2, result
    assert result.err.startswith(error), result
    assert snapshot(seeded) == before

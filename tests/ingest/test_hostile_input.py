"""Hostile or broken input: a bad row is rejected with its line and field, an unreadable file
is one error naming it, and no reader ever raises anything but a ScorecardError.

Every fixture is written here, into the test's folder.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import tomllib
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.errors import ScorecardError
from scorecard.ingest.cdr import read_cdr
from scorecard.ingest.cdr.freeswitch import parse_freeswitch
from scorecard.ingest.cdr.mapped import CallMapping, read_mapped
from scorecard.ingest.cdr.rules import NO_RULES, CentreRules
from scorecard.ingest.encoding import InputFileError
from scorecard.ingest.tables import NUL_MARK, csv_rows, guess_delimiter, read_rows

MOSCOW = CentreRules(time_zone="Europe/Moscow")
EXTENSIONS = {"211": 1, "212": 2}


def asterisk_row(key: str, start: str = "2026-03-02 09:01:12", answer: str = "",
                 duration: str = "170", billsec: str = "162",
                 disposition: str = "ANSWERED") -> list[str]:
    """A Master.csv row (cdr_csv's 21 columns) of an outbound call by extension 211."""
    return ["", "211", "84951234567", "from-internal", '"Анна" <211>', "SIP/211-0000001a",
            "SIP/trunk-0000001b", "Dial", "SIP/trunk/84951234567,60", start, answer,
            "2026-03-02 09:04:02", duration, billsec, disposition, "DOCUMENTATION", key, "",
            "", key, "1"]


def freeswitch_row(uuid: str, start: str = "2026-03-02 10:00:05",
                   answer: str = "2026-03-02 10:00:12") -> list[str]:
    """A mod_cdr_csv row (default template) of an outbound call by extension 211."""
    return ["Анна", "211", "84951234567", "default", start, answer, "2026-03-02 10:03:40",
            "215", "208", "NORMAL_CLEARING", uuid, "", "", "PCMA", "PCMA"]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def read_asterisk(path: Path, reader: str, rules: CentreRules = NO_RULES):
    """The file read by the column reader (Arrow: found encoding), or row by row (forced)."""
    return read_cdr(path, EXTENSIONS, rules=rules,
                    encoding="utf-8" if reader == "rows" else None)


def read_freeswitch(path: Path, rules: CentreRules = NO_RULES):
    return parse_freeswitch(read_rows(path), EXTENSIONS, rules)


# --- 1. times off the calendar ------------------------------------------------------------

#: (start, answer) pairs no call has; each overflowed a sum of times or a time zone's
#: conversion, or stored decades of ringing.
OFF_THE_CALENDAR = [
    ("9999-12-31 23:59:59", ""),  # + ring, with no answer time written
    ("9999-12-31 23:59:59", "9999-12-31 23:59:59"),
    ("0001-01-01 00:00:00", "2026-03-02 09:01:20"),
    ("2026-03-02 09:01:12", "2199-12-31 23:59:59"),  # ringing for 173 years
]


@pytest.mark.parametrize("reader", ["columns", "rows"])
@pytest.mark.parametrize(("start", "answer"), OFF_THE_CALENDAR)
def test_asterisk_times_off_the_calendar_are_rejected_rows(
    tmp_path: Path, reader: str, start: str, answer: str
) -> None:
    path = write_csv(tmp_path / "Master.csv", [
        asterisk_row("good"), asterisk_row("bad", start, answer), asterisk_row("good2")])
    calls, rejected = read_asterisk(path, reader)
    assert [call.external_id for call in calls] == ["good", "good2"]
    assert [row.line for row in rejected] == [2]
    field = "start" if start[:4] in ("9999", "0001") else "answer"
    assert rejected[0].reason.startswith(f"{field}: '")


@pytest.mark.parametrize(("start", "answer"), OFF_THE_CALENDAR)
def test_freeswitch_times_off_the_calendar_are_rejected_rows(
    tmp_path: Path, start: str, answer: str
) -> None:
    path = write_csv(tmp_path / "fs.csv", [
        freeswitch_row("good"), freeswitch_row("bad", start, answer)])
    calls, rejected = read_freeswitch(path)
    assert [call.external_id for call in calls] == ["good"]
    assert [row.line for row in rejected] == [2]
    field = "start_stamp" if start[:4] in ("9999", "0001") else "answer_stamp"
    assert rejected[0].reason.startswith(f"{field}: '")


def test_the_reason_names_the_years_taken(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "Master.csv", [asterisk_row("bad", "9999-12-31 23:59:59")])
    _, rejected = read_asterisk(path, "rows")
    assert rejected[0].reason.startswith(
        "start: '9999-12-31 23:59:59' is outside the years 1900 to 2199")


def mapped(text: str, toml: str = "", rules: CentreRules = NO_RULES):
    """The calls and rejected rows of a small export through a mapping (by header names)."""
    model = CallMapping.model_validate(tomllib.loads(toml or MAPPING))
    return read_mapped(csv_rows(text, ",", "export.csv"), model, {"211": "211"}, "export.csv",
                       centre_zone=rules.zone)


MAPPING = """answered_from = "talk"
[columns]
external_id = "id"
operator = "op"
started_at = "start"
talk_seconds = "talk"
"""


def test_mapped_times_off_the_calendar_are_rejected_rows() -> None:
    found = mapped("id,op,start,talk\n"
                   "a,211,2026-03-02 09:00:00,60\n"
                   "b,211,9999-12-31 23:59:59,60\n"
                   "c,211,9999-12-31T23:59:59-05:00,60\n", rules=MOSCOW)
    assert [call.external_id for call in found.calls] == ["a"]
    assert [(row.line, row.reason.split(":")[0]) for row in found.rejected] == [
        (3, "started_at"), (4, "started_at")]
    assert "outside the years 1900 to 2199" in found.rejected[0].reason


# --- 2. times with and without a UTC offset in one file -----------------------------------


@pytest.mark.parametrize("reader", ["columns", "rows"])
def test_asterisk_offsets_beside_plain_times_become_the_centres_clock(
    tmp_path: Path, reader: str
) -> None:
    """Normalised, never compared as they are: a time with an offset is converted to the
    centre's zone (kept at its own wall clock when the centre has none), a plain one is the
    PBX's wall clock already; two legs of one call, one of each, are decided together."""
    path = write_csv(tmp_path / "Master.csv", [
        asterisk_row("plain"),
        asterisk_row("utc", "2026-03-02T06:01:12+00:00", "2026-03-02T06:01:20Z"),
        asterisk_row("legs", "2026-03-02 09:05:00"),
        asterisk_row("legs", "2026-03-02T06:05:02+00:00"),
        # An offset that the conversion would push off the calendar: rejected.
        asterisk_row("edge", "9999-12-31T23:59:59-05:00"),
        asterisk_row("edge2", "0001-01-01T00:00:00+05:00"),
    ])
    calls, rejected = read_asterisk(path, reader, MOSCOW)
    started = {call.external_id: call.started_at for call in calls}
    assert started == {"plain": datetime(2026, 3, 2, 9, 1, 12),
                       "utc": datetime(2026, 3, 2, 9, 1, 12),
                       "legs": datetime(2026, 3, 2, 9, 5)}
    assert len(next(call for call in calls if call.external_id == "legs").legs) == 2
    assert [(row.line, row.reason.split(":")[0]) for row in rejected] == [
        (5, "start"), (6, "start")]
    own_clock, _ = read_asterisk(path, reader, NO_RULES)
    assert {call.external_id: call.started_at for call in own_clock}["utc"] == datetime(
        2026, 3, 2, 6, 1, 12)


def test_freeswitch_offsets_beside_plain_times_become_the_centres_clock(tmp_path: Path
                                                                         ) -> None:
    path = write_csv(tmp_path / "fs.csv", [
        freeswitch_row("plain"),
        freeswitch_row("utc", "2026-03-02T07:00:05Z", "2026-03-02 10:00:12"),
        freeswitch_row("edge", "2026-03-02 10:00:05", "9999-12-31T23:59:59-05:00"),
    ])
    calls, rejected = read_freeswitch(path, MOSCOW)
    assert {call.external_id: (call.started_at, call.ring_seconds) for call in calls} == {
        "plain": (datetime(2026, 3, 2, 10, 0, 5), 7),
        "utc": (datetime(2026, 3, 2, 10, 0, 5), 7)}
    assert [(row.line, row.reason.split(":")[0]) for row in rejected] == [(3, "answer_stamp")]


# --- 3. a field of megabytes --------------------------------------------------------------

HUGE = "y" * (10 << 20)  # 10 MB: far over the csv module's limit (131072 characters)


def huge_rows(where: str) -> tuple[list[list[str]], int]:
    """Asterisk rows with one 10 MB field (in the first row, a middle one, or a row of too
    few columns), and the line it is on."""
    rows = [asterisk_row(f"k{n}") for n in range(3)]
    if where == "short":
        rows.insert(1, ["a", HUGE, "c"])
        return rows, 2
    line = 1 if where == "first" else 2
    rows[line - 1][4] = HUGE
    return rows, line


@pytest.mark.parametrize(("reader", "where"), [
    ("columns", "first"), ("columns", "middle"), ("columns", "short"), ("rows", "middle")])
def test_a_field_of_megabytes_refuses_the_file_naming_line_and_column(
    tmp_path: Path, reader: str, where: str
) -> None:
    rows, line = huge_rows(where)
    path = write_csv(tmp_path / "Master.csv", rows)
    column = 2 if where == "short" else 5
    with pytest.raises(InputFileError, match=rf"^{re.escape(str(path))}:{line}: column "
                       rf"{column}: a field longer than 131072 characters"):
        read_asterisk(path, reader)


def test_a_field_over_the_limit_but_within_arrows_block_is_refused_alike(tmp_path: Path
                                                                         ) -> None:
    """Arrow reads a 200 KB field in its stride; the row reader refuses it: so must both."""
    rows = [asterisk_row("k1"), asterisk_row("k2")]
    rows[1][8] = "z" * (200 << 10)
    path = write_csv(tmp_path / "Master.csv", rows)
    for reader in ("columns", "rows"):
        with pytest.raises(InputFileError, match=r":2: column 9: a field longer"):
            read_asterisk(path, reader)


def test_every_table_reader_refuses_a_field_of_megabytes(tmp_path: Path) -> None:
    from scorecard.ingest.operators import parse_operators

    path = tmp_path / "fs.csv"
    path.write_text("a;b\n" + ";".join(["x", HUGE]) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"fs.csv:2: column 2: a field longer"):
        read_freeswitch(path)
    path.write_text(f'name,team,extension\nАнна,"{HUGE}\n', encoding="utf-8")
    with pytest.raises(InputFileError, match=r":2: column 2: a field longer"):
        parse_operators(read_rows(path), str(path))


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_quote_left_open_is_named_by_the_line_its_row_starts_on(ending: str) -> None:
    text = ending.join(["a,b", 'c,"open', *["x,y"] * 50_000, ""])
    with pytest.raises(InputFileError, match=r"^x.csv:2: column 2: a field longer"):
        list(csv_rows(text, ",", "x.csv"))


def test_a_row_of_many_fields_before_the_long_one_is_named_quickly() -> None:
    """Finding the column is linear in the row, not in fields times the line."""
    text = "a," * 300_000 + "x" * 200_000 + "\n"
    with pytest.raises(InputFileError, match=r"^x.csv:1: column 300001: a field longer"):
        list(csv_rows(text, ",", "x.csv"))


# --- 4. amounts no payment has ------------------------------------------------------------


def outcomes(text: str):
    from scorecard.ingest.outcomes import parse_outcomes

    return parse_outcomes(csv_rows(text, ",", "events.csv"), "events.csv")


@pytest.mark.parametrize(("amount", "why"), [
    ("NaN", "not a number"), ("sNaN", "not a number"), ("Infinity", "not a number"),
    ("-Infinity", "not a number"), ("1e30", "is more than 1000000000000 roubles"),
    ("1E+1000000000", "is more than 1000000000000 roubles"),
    ("99999999999999999", "is more than 1000000000000 roubles"),
])
def test_amounts_no_payment_has_are_rejected_naming_the_amount(amount: str, why: str) -> None:
    events, rejected = outcomes(f"id,call,kind,amount\nE1,c1,payment,{amount}\n"
                                "E2,c1,payment,1000000000000\n")
    assert [event.amount_kopecks for event in events] == [10**14]  # the most taken
    assert [row.line for row in rejected] == [2]
    assert rejected[0].reason.startswith("amount: ") and why in rejected[0].reason


def test_outcome_times_off_the_calendar_are_rejected() -> None:
    events, rejected = outcomes("id,operator,time,kind\nE1,211,31.12.9999 23:59,invoice\n")
    assert events == [] and rejected[0].reason.startswith("time: '31.12.9999 23:59' is "
                                                          "outside the years 1900 to 2199")


# --- 5. broken and stale workbooks --------------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"


def workbook(path: Path, rows: list[list[str]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def rewrite(path: Path, member: str, change) -> Path:
    """The workbook with one part of its zip changed by ``change`` (bytes to bytes)."""
    with zipfile.ZipFile(path) as source:
        parts = {info: source.read(info.filename) for info in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts.items():
            target.writestr(info, change(data) if info.filename == member else data)
    return path


OPERATORS = [["name", "team", "extension"], *([f"Оператор {n}", "Продажи", str(300 + n)]
                                              for n in range(6))]


def test_a_workbook_cut_in_half_is_a_file_error(tmp_path: Path) -> None:
    path = workbook(tmp_path / "operators.xlsx", OPERATORS)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(InputFileError, match=rf"^{re.escape(str(path))}: not a readable XLSX"):
        list(read_rows(path))


@pytest.mark.parametrize("damage", ["cut", "garbage"])
def test_a_workbook_whose_sheet_breaks_off_is_a_file_error(tmp_path: Path, damage: str
                                                           ) -> None:
    """The zip is whole but the sheet is not: read_only mode finds out row by row."""
    path = workbook(tmp_path / "operators.xlsx", OPERATORS)
    rewrite(path, SHEET, (lambda data: data[: len(data) // 2]) if damage == "cut"
            else (lambda data: data.replace(b"<row ", b"<row <<", 3)))
    with pytest.raises(InputFileError, match=rf"^{re.escape(str(path))}: not a readable XLSX "
                       "file: its sheet breaks off after row"):
        list(read_rows(path))


def test_a_stale_dimension_tag_loses_no_rows_or_columns(tmp_path: Path) -> None:
    from scorecard.ingest.operators import parse_operators

    path = workbook(tmp_path / "operators.xlsx", OPERATORS)
    rewrite(path, SHEET, lambda data: re.sub(rb'<dimension ref="[^"]*"/>',
                                             b'<dimension ref="A1:B2"/>', data))
    with zipfile.ZipFile(path) as written:
        assert b'<dimension ref="A1:B2"/>' in written.read(SHEET)
    operators, rejected = parse_operators(read_rows(path), str(path))
    assert rejected == [] and [row.extension for row in operators] == [
        str(300 + n) for n in range(6)]
    calls = workbook(tmp_path / "Master.xlsx", [asterisk_row(f"k{n}") for n in range(4)])
    rewrite(calls, SHEET, lambda data: re.sub(rb'<dimension ref="[^"]*"/>',
                                              b'<dimension ref="A1:B2"/>', data))
    found, rejected = read_cdr(calls, EXTENSIONS)
    assert rejected == [] and [call.external_id for call in found] == ["k0", "k1", "k2", "k3"]


# --- 6. an event id twice in one file -----------------------------------------------------


def test_a_repeated_event_id_rejects_the_later_row() -> None:
    events, rejected = outcomes("id,call,kind,amount\nE1,c1,payment,100\nE2,c1,invoice,\n"
                                "E1,c2,payment,200\n")
    assert [(event.line, event.external_id, event.amount_kopecks) for event in events] == [
        (2, "E1", 10000), (3, "E2", None)]
    assert [(row.line, row.reason) for row in rejected] == [
        (4, "id: 'E1' already on line 2")]


def test_rows_without_ids_alike_are_one_event_and_the_repeat_is_said() -> None:
    events, rejected = outcomes("call,kind,amount,client kind\nc1,payment,100,new\n"
                                "c1,payment,100,existing\nc1,payment,200,new\n")
    assert [event.line for event in events] == [2, 4]
    assert [row.line for row in rejected] == [3]
    assert rejected[0].reason.startswith("the same event as line 2 (no id column")


# --- 7. mapping files ---------------------------------------------------------------------

NUMBERED = """header = false
answered_from = "talk"
[columns]
external_id = 1
operator = 2
started_at = 3
talk_seconds = 4
"""


def mapping_error(tmp_path: Path, content: str | bytes) -> str:
    from scorecard.errors import ScorecardError
    from scorecard.ingest.cdr.mapped import load_mapping

    path = tmp_path / "map.toml"
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    with pytest.raises(ScorecardError) as caught:
        load_mapping(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:")
    return message.removeprefix(str(path))


@pytest.mark.parametrize(("placeholder", "why"), [
    ("{0}", "column numbers start at 1, not {0}"),
    ("{-1}", "column numbers start at 1, not {-1}"),
    ("{rec}", "header = false: give column numbers, not {rec}"),
    ("{²}", "header = false: give column numbers, not {²}"),
    ("{--1}", "header = false: give column numbers, not {--1}"),
])
def test_a_template_without_a_header_names_columns_from_one(
    tmp_path: Path, placeholder: str, why: str
) -> None:
    """{0} read the last column (Python's index -1), a name had no header to be found in."""
    message = mapping_error(tmp_path, f'recording_template = "{placeholder}.wav"\n{NUMBERED}')
    assert message.startswith(": recording_template: ") and message.endswith(why)


def test_numbered_template_columns_are_the_ones_named(tmp_path: Path) -> None:
    from scorecard.ingest.cdr.mapped import load_mapping

    path = tmp_path / "map.toml"
    path.write_text(f'recording_template = "{{1}}-{{5}}.wav"\n{NUMBERED}', encoding="utf-8")
    found = read_mapped(csv_rows("a,211,2026-03-02 09:00:00,60,rec,last\n", ",", "x.csv"),
                        load_mapping(path), {"211": "211"}, "x.csv")
    assert [call.recording for call in found.calls] == ["a-rec.wav"]


def test_header_names_without_a_header_are_a_mapping_error(tmp_path: Path) -> None:
    message = mapping_error(tmp_path, NUMBERED.replace("external_id = 1", 'external_id = "id"'))
    assert message.endswith("header = false: give column numbers, not 'id'")
    for column in ("0", "-2"):
        message = mapping_error(tmp_path, NUMBERED.replace("external_id = 1",
                                                           f"external_id = {column}"))
        assert message.endswith(f"column numbers start at 1, not {column}")


def test_a_mapping_not_in_utf8_is_refused_naming_the_file_and_line(tmp_path: Path) -> None:
    text = NUMBERED.replace("header = false", "# Выгрузка АТС\nheader = false")
    assert mapping_error(tmp_path, text.encode("cp1251")) == (
        ":1: not UTF-8 text; save the file as UTF-8")


def test_a_mapping_nested_thousands_deep_is_refused(tmp_path: Path) -> None:
    assert mapping_error(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n") == (
        ": not valid TOML: nested too deeply")


@pytest.mark.parametrize("delimiter", ['""', '";;"', '"\\""', '"\\n"'])
def test_a_delimiter_is_one_character(tmp_path: Path, delimiter: str) -> None:
    message = mapping_error(tmp_path, f"delimiter = {delimiter}\n{NUMBERED}")
    assert message.startswith(": delimiter: ") and "give one character" in message


# --- 8. Whisper JSON no recogniser writes -------------------------------------------------

GOOD_SEGMENT = '{"start": 0.5, "end": 2.0, "text": "Добрый день"}'


@pytest.mark.parametrize(("content", "why"), [
    ("[" * 100_000 + "]" * 100_000, ": not valid JSON: nested too deeply"),
    ('{"segments": [' + "[" * 100_000 + "]" * 100_000 + "]}", ": not valid JSON: nested"),
    ('{"segments": [{"start": 1' + "0" * 400 + ', "end": 2, "text": "Алло"}]}',
     ": segment 1 of 1: start is 10000000000000000000… (401 characters), not a time"),
    ('{"segments": [{"start": 0, "end": 1' + "0" * 5000 + ', "text": "Алло"}]}',
     ": not valid JSON: Exceeds the limit (4300 digits)"),
    ('{"segments": [{"start": 0, "end": -1e999, "text": "Алло"}]}',
     ": segment 1 of 1: end is -inf, not a time"),
], ids=["nested", "nested-segment", "400-digits", "5000-digits", "infinite"])
def test_whisper_json_no_recogniser_writes_is_refused(tmp_path: Path, content: str, why: str
                                                      ) -> None:
    from scorecard.errors import TranscriptError
    from scorecard.ingest.transcripts import read_transcript

    path = tmp_path / "call.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TranscriptError) as caught:
        read_transcript(path)
    assert str(caught.value).startswith(f"{path}{why}")


# --- 9. card files nested thousands deep --------------------------------------------------


@pytest.mark.parametrize("value", ["[" * 5000 + "]" * 5000, "{a = " * 5000 + "1" + "}" * 5000],
                         ids=["arrays", "inline-tables"])
def test_a_card_nested_thousands_deep_is_a_card_error(tmp_path: Path, value: str) -> None:
    from scorecard.domain.cards import CardError, load_card

    path = tmp_path / "card.toml"
    path.write_text(f'id = "deep"\nx = {value}\n', encoding="utf-8")
    with pytest.raises(CardError, match=rf"^{re.escape(str(path))}: not valid TOML: nested "
                       "too deeply"):
        load_card(path)


# --- 10. blank lines ----------------------------------------------------------------------

#: What stands between rows in files people send: empty lines, lines of spaces, CRLF ones,
#: and the empty rows spreadsheets save as a run of delimiters.
BLANKS = ["", "   ", "\t", ",,,,,,,,,,,,,,,,,,,,", ",,,", " , , "]


def with_blanks(rows: list[list[str]], ending: str = "\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerows(rows)
    lines = buffer.getvalue().split(ending)[:-1]
    mixed = [BLANKS[0], *[part for n, line in enumerate(lines)
                          for part in (line, BLANKS[n % len(BLANKS)])]]
    return ending.join(mixed) + ending + BLANKS[3] + ending


@pytest.mark.parametrize("reader", ["columns", "rows"])
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_asterisk_blank_lines_are_skipped_silently(tmp_path: Path, reader: str, ending: str
                                                  ) -> None:
    path = tmp_path / "Master.csv"
    path.write_bytes(with_blanks([asterisk_row(f"k{n}") for n in range(4)], ending).encode())
    calls, rejected = read_asterisk(path, reader)
    assert rejected == [] and len(calls) == 4


def test_a_header_after_blank_lines_still_names_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_text("\n,,,\ncalldate,src,dst,channel,dstchannel,lastapp,duration,billsec,"
                    "disposition,uniqueid\n\n2026-03-02 09:01:12,211,84951234567,"
                    "SIP/211-1,SIP/trunk-2,Dial,10,5,ANSWERED,u1\n", encoding="utf-8")
    for reader in ("columns", "rows"):
        calls, rejected = read_asterisk(path, reader)
        assert rejected == [] and [call.external_id for call in calls] == ["u1"]


def test_freeswitch_blank_lines_are_skipped_silently(tmp_path: Path) -> None:
    path = tmp_path / "fs.csv"
    path.write_text(with_blanks([freeswitch_row(f"u{n}") for n in range(4)]),
                    encoding="utf-8")
    calls, rejected = read_freeswitch(path)
    assert rejected == [] and len(calls) == 4


def test_empty_spreadsheet_rows_are_skipped_silently(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(asterisk_row("k1"))
    sheet.append([])
    sheet.append([None, " "])
    sheet.append(asterisk_row("k2"))
    book.save(tmp_path / "Master.xlsx")
    calls, rejected = read_cdr(tmp_path / "Master.xlsx", EXTENSIONS)
    assert rejected == [] and [call.external_id for call in calls] == ["k1", "k2"]


def test_mapped_and_operator_headers_after_blank_lines(tmp_path: Path) -> None:
    from scorecard.ingest.operators import parse_operators

    found = mapped("\n,,,\nid,op,start,talk\n\na,211,2026-03-02 09:00:00,60\n")
    assert found.rejected == [] and [call.external_id for call in found.calls] == ["a"]
    rows = csv_rows("\n;;\nname;team;extension\nАнна;Продажи;211\n", ";", "operators.csv")
    operators, rejected = parse_operators(rows, "operators.csv")
    assert rejected == [] and [row.extension for row in operators] == ["211"]


# --- 11. UTF-16, as Excel saves «Unicode text» --------------------------------------------


def unicode_text(path: Path, rows: list[list[str]]) -> Path:
    """What Excel's «Unicode text» export writes: UTF-16LE with a BOM, tabs, CRLF."""
    text = "".join("\t".join(row) + "\r\n" for row in rows)
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    return path


@pytest.mark.parametrize("encoding", [None, "utf-16"])
def test_excel_unicode_text_is_read_by_every_table_reader(tmp_path: Path,
                                                          encoding: str | None) -> None:
    from scorecard.ingest.cdr import sniff_format
    from scorecard.ingest.operators import parse_operators
    from scorecard.ingest.tables import read_rows_reporting

    path = unicode_text(tmp_path / "operators.txt", [
        ["name", "team", "extension"], ["Анна Иванова", "Продажи", "211"],
        ["Пётр", "Продажи", "212"]])
    rows, warnings = read_rows_reporting(path, encoding=encoding, header=True)
    operators, rejected = parse_operators(rows, str(path))
    assert warnings == [] and rejected == []
    assert [(row.name, row.extension) for row in operators] == [
        ("Анна Иванова", "211"), ("Пётр", "212")]

    calls = unicode_text(tmp_path / "Master.txt", [asterisk_row("k1"), asterisk_row("k2")])
    assert sniff_format(calls, encoding=encoding) == "asterisk"
    found, rejected = read_cdr(calls, EXTENSIONS, encoding=encoding)
    assert rejected == [] and [call.external_id for call in found] == ["k1", "k2"]

    legs = unicode_text(tmp_path / "fs.txt", [freeswitch_row("u1"), freeswitch_row("u2")])
    assert sniff_format(legs, encoding=encoding) == "freeswitch"
    rows, _ = read_rows_reporting(legs, encoding=encoding)
    found, rejected = parse_freeswitch(rows, EXTENSIONS)
    assert rejected == [] and [call.external_id for call in found] == ["u1", "u2"]


def test_an_encoding_that_is_no_text_encoding_is_refused_when_sniffing(tmp_path: Path) -> None:
    from scorecard.ingest.cdr import sniff_format

    path = write_csv(tmp_path / "Master.csv", [asterisk_row("k1")])
    with pytest.raises(InputFileError, match=r"cannot decode as hex"):
        sniff_format(path, encoding="hex")


# --- every reader, given anything ---------------------------------------------------------

#: Values that have broken readers: times off the calendar or with offsets, numbers no
#: column holds, NaN, controls, quotes, delimiters.
HOSTILE_VALUES = [
    "", " ", "2026-03-02 09:01:12", "2026-03-02T09:01:12+03:00", "9999-12-31 23:59:59",
    "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "31.12.9999 23:59", "1/2/2026 9:01",
    "1581363665", "99999999999", "9999999999999", "0", "170", "2147483648", "-1",
    "9" * 400, "1e999", "NaN", "sNaN", "-Infinity", "1E+1000000000", "12:99:99", "ANSWERED",
    "NO ANSWER", "NORMAL_CLEARING", "ok", "SIP/211-1", "211", "payment", "invoice", "E1",
    "new", "ADDMEMBER", "PAUSE", "CONNECT", "NONE", NUL_MARK, "\x00", '"', ",", ";", "\t",
    "²", "Анна",
]
value = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=6))
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


#: What the readers parse, at its most hostile: times, numbers, keys.
TIMES = ["", "2026-03-02 09:01:12", "2026-03-02T09:01:12+03:00", "2026-03-02T06:01:12Z",
         "9999-12-31 23:59:59", "0001-01-01 00:00:00", "0001-01-01T00:00:00+05:00",
         "9999-12-31T23:59:59-05:00", "2199-12-31 23:59:59", "31.12.9999 23:59",
         "02.03.2026 10:00", "1/2/2026 9:01", "1581363665", "99999999999", "9999999999999", "x"]
NUMBERS = ["", "0", "5", "170", "2147483647", "2147483648", "-1", "9" * 400, "1e999", "NaN",
           "sNaN", "Infinity", "-Infinity", "1E+1000000000", "99999999999999999", "1,5",
           "12:99:99", "x"]
KEYS = ["", "k1", "k2", "u1", "u2", "E1", "m1", NUL_MARK]


def near(*bases: list[str], read: dict[int, list[str]]) -> st.SearchStrategy[list[list[str]]]:
    """Rows of a file: valid ones (``bases``) with a few fields replaced by hostile values
    (mostly the fields the reader parses, each with values of its kind: ``read``), cut
    short, or nothing like them: so that every check of a reader is reached."""

    def changed(base: list[str], changes: list[tuple[int, str]], cut: int) -> list[str]:
        row = list(base)
        for position, replacement in changes:
            row[position % len(row)] = replacement
        return row[:cut]

    change = st.one_of(
        st.sampled_from(sorted(read)).flatmap(
            lambda at: st.tuples(st.just(at), st.sampled_from(read[at]))),
        st.tuples(st.integers(0, 30), value))
    row = st.one_of(
        st.builds(changed, st.sampled_from(bases), st.lists(change, max_size=3),
                  st.sampled_from([99, 99, 99, 12, 3])),
        st.lists(value, max_size=22))
    return st.lists(row, max_size=6)


def numbered(header: list[str], body: list[list[str]]) -> list[tuple[int, list[str]]]:
    return list(enumerate([header, *body], start=1))


def only_our_errors(read, *args, **options) -> None:
    """Call a reader: it may refuse the input with a ScorecardError, never raise anything
    else; what it rejects, it rejects by line."""
    try:
        found = read(*args, **options)
    except ScorecardError:
        return
    rejected = getattr(found, "rejected", None)
    if rejected is None and isinstance(found, tuple) and len(found) > 1:
        rejected = found[1]
    for row in rejected if isinstance(rejected, list) else ():
        assert isinstance(row.line, int) and row.reason


#: Rows of each format sharing two keys, so that legs meet and are decided together.
ASTERISK_ROWS = near(asterisk_row("k1"), asterisk_row("k2", answer="2026-03-02 09:01:20"),
                     read={9: TIMES, 10: TIMES, 12: NUMBERS, 13: NUMBERS,
                           14: ["ANSWERED", "BUSY", ""], 16: KEYS, 19: KEYS})
FREESWITCH_ROWS = near(freeswitch_row("u1"), freeswitch_row("u2", answer=""),
                       read={4: TIMES, 5: TIMES, 7: NUMBERS, 8: NUMBERS,
                             9: ["NORMAL_CLEARING", ""], 10: KEYS, 11: KEYS})


@PROPERTY
@given(ASTERISK_ROWS, FREESWITCH_ROWS, st.sampled_from([NO_RULES, MOSCOW]))
def test_asterisk_and_freeswitch_rows_of_anything(
    asterisk: list[list[str]], freeswitch: list[list[str]], rules: CentreRules
) -> None:
    from scorecard.ingest.cdr.asterisk import parse_cdr

    only_our_errors(parse_cdr, list(enumerate(asterisk, start=1)), EXTENSIONS, rules=rules)
    only_our_errors(parse_freeswitch, list(enumerate(freeswitch, start=1)), EXTENSIONS, rules)


@PROPERTY
@given(ASTERISK_ROWS, st.sampled_from(["rows", "columns"]))
def test_asterisk_files_of_anything(tmp_path_factory, body: list[list[str]], reader: str
                                    ) -> None:
    path = write_csv(tmp_path_factory.mktemp("cdr") / "Master.csv", body)
    only_our_errors(read_asterisk, path, reader, MOSCOW)


FULL_MAPPING = """header = true
null = ["NULL"]
recording_template = "{started_at:%Y/%m/%d}/{id}.wav"
[columns]
external_id = "id"
operator = {outbound = "from", inbound = "to"}
started_at = "start"
answered_at = "answer"
ended_at = "end"
talk_seconds = "talk"
ring_seconds = "ring"
duration_seconds = "dur"
disposition = "result"
[dispositions]
"ok" = "answered"
"no*" = "no_answer"
"""
MAPPED_HEADER = ["id", "from", "to", "start", "answer", "end", "talk", "ring", "dur", "result"]


@PROPERTY
@given(near(["m1", "211", "84951234567", "2026-03-02 09:00:00", "2026-03-02 09:00:07",
             "2026-03-02 09:01:07", "60", "7", "67", "ok"],
            ["m1", "84951234567", "211", "2026-03-02 09:00:00", "", "", "", "", "", "no"],
            read={0: KEYS, 3: TIMES, 4: TIMES, 5: TIMES, 6: NUMBERS, 7: NUMBERS,
                  8: NUMBERS, 9: ["ok", "no", "nope", ""]}),
       st.sampled_from([NO_RULES, MOSCOW]))
def test_mapped_rows_of_anything(body: list[list[str]], rules: CentreRules) -> None:
    model = CallMapping.model_validate(tomllib.loads(FULL_MAPPING))
    only_our_errors(read_mapped, numbered(MAPPED_HEADER, body), model, {"211": "211"},
                    "x.csv", centre_zone=rules.zone)


@PROPERTY
@given(near(["E1", "c1", "211", "2026-03-02 10:00", "payment", "100", "new", "ООО"],
            ["", "", "211", "02.03.2026 10:00", "invoice", "", "", ""], read={0: KEYS, 3: TIMES,
                                                              4: ["payment", "deal", "x"],
                                                              5: NUMBERS}),
       near(["Анна", "Продажи", "211", "A-211", "anna", "да"], read={2: NUMBERS, 3: KEYS,
                                                             5: ["да", "x", ""]}))
def test_outcome_and_operator_rows_of_anything(events: list[list[str]],
                                               operators: list[list[str]]) -> None:
    from scorecard.ingest.operators import parse_operators
    from scorecard.ingest.outcomes import parse_outcomes

    only_our_errors(parse_outcomes, numbered(
        ["id", "call", "operator", "time", "kind", "amount", "client kind", "client"], events),
        "events.csv")
    only_our_errors(parse_operators, numbered(
        ["name", "team", "extension", "agent id", "login", "active"], operators),
        "operators.csv")


@PROPERTY
@given(near(["1772431272", "c1", "q1", "SIP/211", "ADDMEMBER", ""],
            ["1772431300", "c1", "q1", "SIP/211", "PAUSE", "lunch"],
            ["1772431400", "c1", "NONE", "SIP/211", "CONNECT", "5"], read={0: NUMBERS + TIMES,
                                                               4: ["PAUSE", "UNPAUSE", "x"]}))
def test_queue_logs_of_anything(body: list[list[str]]) -> None:
    from scorecard.ingest.queue_log import parse_queue_log

    only_our_errors(parse_queue_log, [(n, "|".join(fields)) for n, fields in
                                      enumerate(body, start=1)], ZoneInfo("Europe/Moscow"))


#: Text of any shape, and text made of what the line-based formats look for.
texts = st.one_of(st.text(max_size=300),
                  st.lists(st.sampled_from([*HOSTILE_VALUES, "\n", "\r\n", ":", "-->",
                                            "00:00:01.000", "WEBVTT", "Оператор:", "{",
                                            '"segments"', "[", "]", "[00:01:23]",
                                            "Speaker 1  0:03", "<v Анна>"]),
                           max_size=60).map("".join))


@PROPERTY
@given(texts)
def test_table_text_and_queue_logs_of_anything(text: str) -> None:
    from scorecard.ingest.outcomes import parse_outcomes
    from scorecard.ingest.queue_log import parse_queue_log

    delimiter = guess_delimiter(text)
    only_our_errors(lambda: parse_outcomes(csv_rows(text, delimiter, "x.csv"), "x.csv"))
    only_our_errors(lambda: parse_freeswitch(csv_rows(text, delimiter, "x.csv"), EXTENSIONS))
    only_our_errors(parse_queue_log, enumerate(text.splitlines(), start=1),
                    ZoneInfo("Europe/Moscow"))


@PROPERTY
@given(texts, st.sampled_from(["text", "json", "vtt", "srt"]))
def test_transcripts_of_anything(text: str, fmt: str) -> None:
    from scorecard.ingest.transcripts import read_text

    only_our_errors(read_text, text, source="call.txt", fmt=fmt)
    only_our_errors(read_text, text, source="call.txt", fmt=fmt, operator="SPEAKER_00",
                    operator_labels=["Анна:"], client_labels=[":"])


json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=8),
              st.sampled_from([10**400, -(10**30), float("nan"), "SPEAKER_00"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(
                                ["segments", "start", "end", "text", "speaker", "channel"]),
                                inner, max_size=4)),
    max_leaves=12)


@PROPERTY
@given(st.one_of(json_value, st.fixed_dictionaries({"segments": st.lists(json_value,
                                                                          max_size=4)})))
def test_whisper_json_of_anything(data: object) -> None:
    import json

    from scorecard.ingest.transcripts import read_text

    only_our_errors(read_text, json.dumps(data), source="call.json", fmt="json")


@PROPERTY
@given(st.binary(max_size=300), st.sampled_from([b"", codecs.BOM_UTF16_LE, codecs.BOM_UTF8,
                                                  b"PK\x03\x04"]),
       st.sampled_from([None, "utf-16", "cp1251"]))
def test_files_of_any_bytes(tmp_path_factory, raw: bytes, prefix: bytes,
                            encoding: str | None) -> None:
    from scorecard.ingest.cdr import sniff_format
    from scorecard.ingest.transcripts import read_transcript

    folder = tmp_path_factory.mktemp("bytes")
    for name in ("calls.csv", "calls.xlsx", "call.txt", "call.json", "call.vtt", "call.docx"):
        path = folder / name
        path.write_bytes(prefix + raw)
        only_our_errors(read_cdr, path, EXTENSIONS, encoding=encoding)
        only_our_errors(sniff_format, path, encoding=encoding)
        only_our_errors(rows_of, path, encoding)
        if name.startswith("call."):
            only_our_errors(read_transcript, path, encoding=encoding)


def rows_of(path: Path, encoding: str | None) -> list[tuple[int, list[str]]]:
    from scorecard.ingest.tables import read_rows_reporting

    return list(read_rows_reporting(path, encoding=encoding)[0])


def test_queue_log_times_off_the_calendar_are_rejected() -> None:
    from scorecard.ingest.queue_log import parse_queue_log

    log = parse_queue_log([(1, "1772431272|c1|q1|SIP/211|ADDMEMBER|"),
                           (2, "99999999999|c1|q1|SIP/211|REMOVEMEMBER|")], ZoneInfo("UTC"))
    assert [(row.line, row.reason) for row in log.rejected] == [
        (2, "time: '99999999999' is outside the years 1900 to 2199 (a placeholder, not a real "
            "time?)")]

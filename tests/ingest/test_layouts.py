"""Call-record layouts found from a header or from the content, and the hint a file whose
rows mostly fail gets."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.ingest.cdr import read_cdr, read_cdr_file, sniff_format
from scorecard.ingest.cdr.asterisk import COLUMNS
from scorecard.ingest.cdr.layouts import FREEPBX_COLUMNS
from tests.ingest.test_call_rules import CASES, OPERATORS, master_rows

ROWS = [row for n, (legs, _) in enumerate(CASES.values())
        for row in master_rows(legs, linkedid=f"1772445600.{1000 + n}")]


def _write(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _content(calls: list) -> list[tuple]:
    return sorted(tuple(call)[:9] for call in calls)


@settings(max_examples=8, deadline=None)
@given(st.permutations(range(len(COLUMNS))), st.sampled_from([",", ";"]))
def test_a_header_row_names_the_columns_in_any_order(tmp_path_factory, order: list[int],
                                                     delimiter: str) -> None:
    folder = tmp_path_factory.mktemp("header")
    expected, _ = read_cdr(_write(folder / "plain.csv", ROWS), OPERATORS)
    shuffled = [[COLUMNS[i].upper() if i % 2 else COLUMNS[i] for i in order]]
    shuffled += [[row[i] for i in order] for row in ROWS]
    found = read_cdr_file(_write(folder / "header.csv", shuffled, delimiter), OPERATORS)
    assert not found.rejected and found.layout.header
    assert _content(found.calls) == _content(expected)


def test_freepbx_cdr_dumps_with_and_without_a_header(tmp_path: Path) -> None:
    where = {name: position for position, name in enumerate(COLUMNS)}
    dump = []
    for row in ROWS:
        values = {name: row[where[name]] for name in COLUMNS}
        values["calldate"] = values["start"]
        values["recordingfile"] = f"in-{values['src']}-{values['uniqueid']}.wav"
        dump.append([values.get(name, "") for name in FREEPBX_COLUMNS])
    expected, _ = read_cdr(_write(tmp_path / "plain.csv", ROWS), OPERATORS)
    for name, rows in (("bare", dump), ("header", [list(FREEPBX_COLUMNS), *dump])):
        found = read_cdr_file(_write(tmp_path / f"{name}.csv", rows), OPERATORS)
        assert not found.rejected, name
        assert found.layout.name == ("header" if name == "header" else "freepbx")
        # FreePBX keeps no answer time: it comes from duration - billsec, as for cdr_csv
        # rows that leave it blank.
        assert [c[:2] + c[4:9] for c in _content(found.calls)] == [
            c[:2] + c[4:9] for c in _content(expected)]
        assert all(call.recording and call.recording.endswith(".wav") for call in found.calls)


def test_another_column_order_without_a_header_gets_a_hint(tmp_path: Path) -> None:
    moved = [row[:14] + row[15:16] + row[14:15] + row[16:] for row in ROWS]  # swapped
    found = read_cdr_file(_write(tmp_path / "custom.csv", moved), OPERATORS)
    assert not found.calls and len(found.rejected) == len(moved)
    assert found.hint is not None
    assert "column 15 holds 'DOCUMENTATION', an amaflags value" in found.hint
    assert "the dispositions are in column 16" in found.hint


def test_freeswitch_and_asterisk_files_are_told_apart(tmp_path: Path) -> None:
    asterisk = _write(tmp_path / "Master.csv", ROWS)
    freeswitch = _write(tmp_path / "fs.csv", [[
        "Анна", "211", "79161234567", "default", "2026-03-02 10:00:00",
        "2026-03-02 10:00:08", "2026-03-02 10:01:08", "68", "60", "NORMAL_CLEARING",
        "a1", "", "", "PCMA", "PCMA"]])
    assert sniff_format(asterisk) == "asterisk"
    assert sniff_format(freeswitch) == "freeswitch"


def _rewritten(rows: list[list[str]], form: str) -> list[list[str]]:
    """The rows with their start, answer and end times as a spreadsheet re-saved them."""
    from datetime import datetime

    def again(text: str) -> str:
        if not text:
            return text
        value = datetime.fromisoformat(text)
        return (form.replace("D", str(value.day)).replace("M", str(value.month))
                .replace("Y", str(value.year)) + f" {value:%H:%M:%S}")
    return [row[:9] + [again(row[9]), again(row[10]), again(row[11])] + row[12:]
            for row in rows]


LATER = [row[:9] + [row[9].replace("-02 ", "-13 "), row[10].replace("-02 ", "-13 "),
                    row[11].replace("-02 ", "-13 ")] + row[12:19] + ["1772445600.9999"]
         + row[20:] for row in ROWS[:1]]  # one more call, on the 13th


def test_times_as_spreadsheets_write_them_are_read_per_file(tmp_path: Path) -> None:
    expected, _ = read_cdr(_write(tmp_path / "iso.csv", ROWS + LATER), OPERATORS)
    for name, form in (("dots", "D.M.Y"), ("slashes", "M/D/Y")):
        rows = _rewritten(ROWS + LATER, form)
        found = read_cdr_file(_write(tmp_path / f"{name}.csv", rows), OPERATORS)
        assert not found.rejected, (name, found.rejected[:2])
        assert _content(found.calls) == _content(expected), name


def test_day_and_month_that_no_row_tells_apart_are_refused_with_a_hint(tmp_path: Path
                                                                       ) -> None:
    rows = _rewritten(ROWS, "M/D/Y")  # every date is 3/2/2026: March 2nd or February 3rd?
    found = read_cdr_file(_write(tmp_path / "unsure.csv", rows), OPERATORS)
    assert not found.calls and len(found.rejected) == len(rows)
    assert found.rejected[0].reason == "start: not a date '3/2/2026 10:00:00'"
    assert found.hint is not None and "no row tells day from month" in found.hint


def test_a_freeswitch_file_re_saved_by_a_spreadsheet(tmp_path: Path) -> None:
    from scorecard.ingest.cdr.freeswitch import parse_freeswitch
    from tests.ingest.test_call_rules import FREESWITCH_ROWS

    def excel(text: str) -> str:  # 2026-03-02 10:00:18 -> 2026/3/2 10:00:18
        if not text:
            return text
        day, clock = text.split(" ")
        year, month, date = day.split("-")
        return f"{year}/{int(month)}/{int(date)} {clock}"

    rows = [row[:4] + [excel(row[4]), excel(row[5]), excel(row[6])] + row[7:]
            for row in FREESWITCH_ROWS]
    calls, rejected = parse_freeswitch(list(enumerate(rows, start=1)), OPERATORS)
    expected, _ = parse_freeswitch(list(enumerate(FREESWITCH_ROWS, start=1)), OPERATORS)
    assert not rejected
    assert _content(calls) == _content(expected)

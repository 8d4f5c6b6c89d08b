"""Files with a few bytes their encoding cannot decode, files in other encodings, and files
that are not text: what is read, what is reported on which line, and what is refused."""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.ingest import encoding as encoding_module
from scorecard.ingest.encoding import InputFileError, decode, decode_reporting
from scorecard.ingest.tables import (
    NUL_MARK,
    csv_rows,
    read_rows,
    read_rows_reporting,
    text_and_warnings_of,
    text_of,
)

COLUMNS = ("src", "dst", "clid", "disposition")
NAMES = ["Иванова Анна", "Петров Сергей", "Сидорова Мария", "Кузнецов Илья", "Шишкина Юлия"]
#: A Master.csv-like file: every field quoted, a name in each line.
LINES = [f'"2{n:02d}","8495{n:07d}","{NAMES[n % 5]} <2{n:02d}>","ANSWERED"\n'
         for n in range(12)]
UTF8 = "".join(LINES).encode()


def utf8_with(line: int, old: str, new: bytes) -> bytes:
    """UTF-8 ``LINES`` with ``old`` on 1-based ``line`` written as the bytes ``new``."""
    lines = [text.encode() for text in LINES]
    lines[line - 1] = lines[line - 1].replace(old.encode(), new, 1)
    return b"".join(lines)


def zipped() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<sheetData/>" * 50)
    return buffer.getvalue()


def read(tmp_path: Path, raw: bytes, *, encoding: str | None = None, header: bool = False,
         columns: tuple[str, ...] = ()) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The rows of a file of these bytes, and its notes as a caller prints them."""
    path = tmp_path / "Master.csv"
    path.write_bytes(raw)
    rows, warnings = read_rows_reporting(path, encoding=encoding, header=header,
                                         columns=columns)
    return list(rows), [f"note: {path.name}:{warning.line}: {warning.reason}"
                        for warning in warnings]


CP1251 = "".join(LINES).encode("cp1251")
READ = [
    # (case, bytes, encoding found, the text as read, the notes)
    ("stray latin-1 byte in a UTF-8 name", utf8_with(4, "Кузнецов", "José".encode("latin-1")),
     "utf-8", "".join(LINES).replace("Кузнецов", "Jos\ufffd", 1),
     ['note: Master.csv:4: 1 undecodable byte(s) replaced (clid: "Jos\\ufffd Илья <203>")']),
    ("truncated multi-byte character at the end of a field",
     utf8_with(7, "Петров Сергей <206>", "Петров Серге".encode() + b"\xd0"),
     "utf-8", "".join(LINES).replace("Петров Сергей <206>", "Петров Серге\ufffd"),
     ['note: Master.csv:7: 1 undecodable byte(s) replaced (clid: "Петров Серге\\ufffd")']),
    ("a cp1251 name pasted into UTF-8",
     utf8_with(12, "Петров", "Петров".encode("cp1251")),
     "utf-8", "".join(LINES).replace("Петров Сергей <211>", "\ufffd" * 6 + " Сергей <211>"),
     ['note: Master.csv:12: 6 undecodable byte(s) replaced (clid: "\\ufffd\\ufffd\\ufffd'
      '\\ufffd\\ufffd\\ufffd Сергей <211>")']),
    ("cp1251 with 0x98, which cp1251 leaves undefined",
     CP1251.replace("Ш".encode("cp1251"), b"\x98", 1),
     "cp1251", "".join(LINES).replace("Шишкина", "\ufffdишкина", 1),
     ['note: Master.csv:5: 1 undecodable byte(s) replaced (clid: "\\ufffdишкина Юлия <204>")']),
    ("UTF-16 with a BOM", "".join(LINES).encode("utf-16"), "utf-16", "".join(LINES), []),
    ("UTF-16 without a BOM", "".join(LINES).encode("utf-16-le"), "utf-16-le",
     "".join(LINES), []),
    ("KOI8-R", "".join(LINES).encode("koi8-r"), "koi8-r", "".join(LINES), []),
    ("cp866, as DOS programs write", "".join(LINES).encode("cp866"), "cp866",
     "".join(LINES), []),
    ("cp1251, as today", CP1251, "cp1251", "".join(LINES), []),
    ("UTF-8 with a BOM", codecs.BOM_UTF8 + UTF8, "utf-8-sig", "".join(LINES), []),
    ("CRLF line ends", utf8_with(3, "Сидорова", b"Sid\xf6rova").replace(b"\n", b"\r\n"),
     "utf-8", "".join(LINES).replace("Сидорова", "Sid\ufffdrova", 1).replace("\n", "\r\n"),
     ['note: Master.csv:3: 1 undecodable byte(s) replaced (clid: "Sid\\ufffdrova Мария '
      '<202>")']),
]


@pytest.mark.parametrize(("raw", "found", "text", "notes"),
                         [case[1:] for case in READ], ids=[case[0] for case in READ])
def test_what_is_read_and_reported(tmp_path: Path, raw: bytes, found: str, text: str,
                                   notes: list[str]) -> None:
    decoded = decode_reporting(raw, source="Master.csv")
    assert (decoded.encoding, decoded.text) == (found, text)
    rows, printed = read(tmp_path, raw, columns=COLUMNS)
    assert printed == notes
    # Every line reads as that line of the intended text, broken or not.
    assert rows == list(csv_rows(text, ",", "Master.csv"))


REFUSED = [
    ("a ZIP (an .xlsx) renamed .csv", zipped(), None,
     "Master.csv: not a text file (a ZIP archive: an .xlsx workbook renamed?)"),
    ("an old .xls renamed .csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), None,
     "Master.csv: not a text file (an old Office file: an .xls workbook renamed?)"),
    ("binary data", bytes(range(1, 256)) * 8, None,
     "Master.csv: not a text file (it is full of control bytes)"),
    ("cp1251 forced as UTF-8: mostly undecodable", CP1251, "utf-8",
     "Master.csv: cannot decode as utf-8: 'utf-8' codec can't decode byte 0xc8"),
    ("an unknown encoding", UTF8, "utf-99", "Master.csv: cannot decode as utf-99: unknown"),
]


@pytest.mark.parametrize(("raw", "forced", "message"), [case[1:] for case in REFUSED],
                         ids=[case[0] for case in REFUSED])
def test_what_is_refused(tmp_path: Path, raw: bytes, forced: str | None, message: str) -> None:
    with pytest.raises(InputFileError) as refused:
        read(tmp_path, raw, encoding=forced)
    assert str(refused.value).replace(str(tmp_path / "Master.csv"), "Master.csv").startswith(
        message)
    assert "\n" not in str(refused.value)


def test_nul_bytes_reject_their_row_as_before(tmp_path: Path) -> None:
    raw = utf8_with(2, "Петров", b"Pet\x00rov")
    # The reader marks them, and rows holding the mark are rejected one by one...
    text, controls = text_of(raw, "Master.csv")
    assert controls and text == "".join(LINES).replace("Петров", f"Pet{NUL_MARK}rov", 1)
    path = tmp_path / "Master.csv"
    path.write_bytes(raw)
    assert [line for line, fields in read_rows(path) if NUL_MARK in "".join(fields)] == [2]
    # ... while bytes handed to decode() alone are refused, as they were.
    with pytest.raises(InputFileError, match="Master.csv: not a text file .it contains NUL"):
        decode(raw, source="Master.csv")
    # In UTF-16 NUL bytes are half of every ASCII character; a NUL character is still marked.
    wide = "".join(LINES).replace("Петров", "Pet\x00rov", 1).encode("utf-16")
    assert text_and_warnings_of(wide, "Master.csv") == (text, True, [])


def test_a_header_names_the_column(tmp_path: Path) -> None:
    raw = "ФИО;Группа;Добавочный\n".encode() + "".join(
        f"{name};Входящие;2{n}1\n" for n, name in enumerate(NAMES)).encode().replace(
        "Мария".encode(), b"Mar\xeda")
    rows, notes = read(tmp_path, raw, header=True)
    assert notes == ['note: Master.csv:4: 1 undecodable byte(s) replaced (ФИО: '
                     '"Сидорова Mar\\ufffda")']
    assert rows[3] == (4, ["Сидорова Mar\ufffda", "Входящие", "221"])
    _, notes = read(tmp_path, raw)  # no header, no layout: the column by number
    assert notes[0].endswith('(column 1: "Сидорова Mar\\ufffda")')


def test_a_row_over_several_lines_keeps_the_line_excerpt(tmp_path: Path) -> None:
    raw = ('"201","84950000001","Иванова\nАнна",' + '"ANSWERED"\n').encode().replace(
        "Анна".encode(), b"\xc0nna") + UTF8
    _, notes = read(tmp_path, raw, columns=COLUMNS)
    assert notes == ['note: Master.csv:2: 1 undecodable byte(s) replaced ("\\ufffdnna\\",'
                     '\\"ANSWERED\\"")']


def test_the_fast_paths_never_ask_the_detector(monkeypatch: pytest.MonkeyPatch) -> None:
    def detector(*_: object) -> None:
        raise AssertionError("charset-normalizer was asked")

    monkeypatch.setattr(encoding_module, "_detected", detector)
    for raw in (UTF8, CP1251, "".join(LINES).encode("koi8-r"), utf8_with(2, "Петров", b"\xff")):
        decode(raw, source="Master.csv")


def test_big_files_are_sampled_before_a_second_decoding() -> None:
    """Over 256 KiB, a file with many broken bytes is sampled before it is decoded again
    byte by byte; cp1251 files and UTF-8 files with more than a few broken bytes alike."""
    many = (utf8_with(3, "Сидорова", b"Sid\xf6rova") * 2000)  # 2000 broken bytes, 1.6 MB
    decoded = decode_reporting(many, source="Master.csv")
    assert decoded.encoding == "utf-8" and len(decoded.warnings) == 2000
    assert decoded.warnings[-1].line == 12 * 2000 - 9
    assert decode_reporting(CP1251 * 2000, source="Master.csv").encoding == "cp1251"
    koi8 = "".join(LINES).encode("koi8-r") * 2000
    assert decode_reporting(koi8, source="Master.csv").text == "".join(LINES) * 2000


# --- the property: broken bytes are reported on their lines, and only there --------------

field = st.text(alphabet="абвгдежзийклмнопрстуфхцчшщыьэюяАБВ abcxyz0123456789-.<>@",
                max_size=12)
header = "Оператор,Клиент,Номер"  # 19 Cyrillic letters: enough to tell UTF-8 by


@st.composite
def broken(draw: st.DrawFn) -> tuple[list[str], bytes, dict[int, int], str]:
    """Lines of a UTF-8 CSV, its bytes with 1-5 invalid bytes put in between characters,
    how many went on each (1-based) line, and the line end."""
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    rows = draw(st.lists(st.lists(field, min_size=1, max_size=4), min_size=1, max_size=15))
    lines = [header] + [",".join(fields) for fields in rows]
    text = "".join(line + ending for line in lines)
    # Places between characters, not inside a \r\n.
    places = [place for place in range(len(text) + 1)
              if not (place and text[place - 1] == "\r")]
    chosen = sorted(draw(st.lists(st.sampled_from(places), min_size=1, max_size=5,
                                  unique=True)))
    pieces, previous, per_line = [], 0, {}
    for place, byte in zip(chosen, draw(st.lists(st.integers(0x80, 0xFF), min_size=5,
                                                 max_size=5)), strict=False):
        pieces += (text[previous:place].encode(), bytes([byte]))
        previous = place
        line = text.count("\n", 0, place) + 1  # after the last line end: a line of its own
        per_line[line] = per_line.get(line, 0) + 1
    pieces.append(text[previous:].encode())
    return lines, b"".join(pieces), per_line, ending


@settings(max_examples=60, deadline=None)
@given(broken())
def test_invalid_bytes_are_warned_on_their_lines_and_nowhere_else(
    case: tuple[list[str], bytes, dict[int, int], str],
) -> None:
    lines, raw, per_line, ending = case
    text, _, warnings = text_and_warnings_of(raw, "x.csv")
    assert {warning.line: warning.count for warning in warnings} == per_line
    read = text.split(ending)
    if read[-1] == "":
        read.pop()
    else:  # a byte put after the last line end makes a last line of its own
        lines = lines + [""]
    assert len(read) == len(lines)
    for number, (line, original) in enumerate(zip(read, lines, strict=True), start=1):
        if number in per_line:
            assert line.replace("\ufffd", "") == original
            assert line.count("\ufffd") == per_line[number]
        else:
            assert line == original
    # The rows' line numbers are the warnings' ones.
    row_lines = {line for line, fields in csv_rows(text, ",", "x.csv")
                 if "\ufffd" in "".join(fields)}
    assert row_lines == set(per_line)

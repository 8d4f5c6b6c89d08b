"""CSV rows split without the csv module are exactly the rows the csv module reads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.ingest import tables
from scorecard.ingest.encoding import InputFileError
from scorecard.ingest.tables import NUL_MARK, csv_rows


def reference(text: str, delimiter: str) -> list[tuple[int, list[str]]] | str:
    """What ``csv.reader`` reads, numbered by the line each row starts on (or its error)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    try:
        for fields in reader:
            rows.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        return f"src:{reader.line_num}: broken CSV: {exc}"
    return rows


def ours(text: str, delimiter: str, stretch: int) -> list[tuple[int, list[str]]] | str:
    with stretch_of(stretch):
        try:
            return list(csv_rows(text, delimiter, "src"))
        except InputFileError as exc:
            return str(exc)


@contextmanager
def stretch_of(size: int) -> Iterator[None]:
    """Short stretches, so that a few lines already cross from one stretch to the next."""
    saved = tables._STRETCH
    tables._STRETCH = size
    try:
        yield
    finally:
        tables._STRETCH = saved


# Fields heavy in what makes CSV hard: quotes, delimiters, line breaks, empty fields, numbers.
field = st.one_of(
    st.text(alphabet='"";,,\r\n aЯ1', max_size=8),
    st.sampled_from(["", "211", "-5", '"', '""', ",", '","', '"Анна" <211>', "SIP/849,60",
                     NUL_MARK, "a\nb", "x\r\ny"]),
)


@st.composite
def written(draw: st.DrawFn) -> tuple[str, str]:
    """A file as a CSV writer makes it: each field quoted or bare (where that is possible)."""
    delimiter = draw(st.sampled_from([",", ";"]))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    out = io.StringIO()
    for fields in draw(st.lists(st.lists(field, max_size=8), max_size=12)):
        cells = []
        for value in fields:
            bare_ok = not any(c in value for c in f'"{delimiter}\r\n')
            if bare_ok and draw(st.booleans()):
                cells.append(value)
            else:
                cells.append('"' + value.replace('"', '""') + '"')
        out.write(delimiter.join(cells))
        out.write(draw(st.sampled_from(["\n", "\r\n"])) if ending == "mixed" else ending)
    text = out.getvalue()
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # the last line without its line break
    return text, delimiter


garbage = st.text(alphabet='"";,\r\n a1Я\x00\x01\x02\x03', max_size=80)


@settings(max_examples=200, deadline=None)
@given(written(), st.sampled_from([1, 7, 40, 1 << 16]))
def test_written_files_read_as_the_csv_module_reads_them(
    file: tuple[str, str], stretch: int
) -> None:
    text, delimiter = file
    assert ours(text, delimiter, stretch) == reference(text, delimiter)


@settings(max_examples=200, deadline=None)
@given(garbage, st.sampled_from([",", ";"]), st.sampled_from([1, 5, 30, 1 << 16]))
def test_any_text_reads_as_the_csv_module_reads_it(text: str, delimiter: str,
                                                    stretch: int) -> None:
    assert ours(text, delimiter, stretch) == reference(text, delimiter)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(field, min_size=1, max_size=24), min_size=1, max_size=30),
       st.sampled_from(["\n", "\r\n"]), st.sampled_from([1, 64, 1 << 16]))
def test_cdr_csv_lines_read_as_the_csv_module_reads_them(
    rows: list[list[str]], ending: str, stretch: int
) -> None:
    """cdr_csv's own shape: every field quoted, except bare numbers in some columns."""
    lines = []
    for fields in rows:
        cells = [value if value.lstrip("-").isdigit() and position in (12, 13, 20)
                 else '"' + value.replace('"', '""') + '"'
                 for position, value in enumerate(fields)]
        lines.append(",".join(cells) + ending)
    text = "".join(lines)
    assert ours(text, ",", stretch) == reference(text, ",")


@pytest.mark.parametrize("line", [
    '"a","' + "x" * 40 + '","b"',  # a quoted field over the limit
    "a," + "x" * 40 + ",b",  # a bare one
    '"a",' + "1" * 40 + ',"b"',  # a bare one among quoted ones
])
def test_a_field_over_the_size_limit_is_the_csv_modules_error(line: str) -> None:
    """Where the csv module refuses a row, so do we, naming the line and the column."""
    saved = csv.field_size_limit(20)
    try:
        for stretch in (1, 1 << 16):
            text = '"ok","row"\n' * 3 + line + "\n"
            expected = reference(text, ",")
            assert isinstance(expected, str) and expected.startswith("src:4: broken CSV")
            assert ours(text, ",", stretch) == (
                "src:4: column 2: a field longer than 20 characters, the most a CSV field may "
                "hold (a quote left open?)")
    finally:
        csv.field_size_limit(saved)


def test_cdr_csv_lines_with_bare_numbers_are_read_right() -> None:
    """cdr_csv writes numbers bare: such lines, mixed with all-quoted ones."""
    line = ('"","211","84951234567","from-internal","""Иванова Анна"" <211>",'
            '"SIP/211-0000001a","SIP/trunk-0000001b","Dial","SIP/trunk/84951234567,60",'
            '"2026-03-02 09:01:12","2026-03-02 09:01:20","2026-03-02 09:04:02",170,162,'
            '"ANSWERED","DOCUMENTATION","1772431272.26","","","1772431272.26",31\n')
    quoted = line.replace(",170,162,", ',"170","162",').replace(",31\n", ',"31"\n')
    for text in (line * 50, quoted * 50, (line + quoted) * 25, quoted * 20 + line + quoted * 20):
        for stretch in (1, 700, 1 << 16):
            assert ours(text, ",", stretch) == reference(text, ",")


def test_all_quoted_lines_split_without_the_csv_module(monkeypatch: pytest.MonkeyPatch) -> None:
    quoted = '"a","b ""c"", d",""\r\n' * 100 + '"""",""""""'
    bare = "x,y,,z\n" * 100 + "\n" + "1,2"
    expected = [reference(quoted, ","), reference(bare, ",")]
    monkeypatch.setattr(tables.csv, "reader", None)  # any use of it fails
    assert [ours(quoted, ",", 64), ours(bare, ",", 64)] == expected

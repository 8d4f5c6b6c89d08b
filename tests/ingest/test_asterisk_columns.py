"""The column-wise Master.csv reader gives what the row-by-row reader gives, or declines."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from scorecard.ingest.cdr import read_cdr
from scorecard.ingest.cdr.asterisk import parse_cdr
from scorecard.ingest.cdr.asterisk_columns import read_columns
from scorecard.ingest.encoding import InputFileError
from scorecard.ingest.tables import read_rows

DATA = Path(__file__).parents[2] / "data"
EXTENSIONS = {"211": 1, "212": 2, "213": 3}
ROW = ["", "211", "84951234567", "from-internal", '"Анна" <211>', "SIP/211-0000001a",
       "SIP/trunk-0000001b", "Dial", "SIP/trunk/849,60", "2026-03-02 09:01:12",
       "2026-03-02 09:01:20", "2026-03-02 09:04:02", "170", "162", "ANSWERED",
       "DOCUMENTATION", "1.1", "", "", "1.1", "1"]



def mostly(usual: st.SearchStrategy[str], odd: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """What a PBX writes, and one time in 40 what it should not: the readers must agree on
    both, and most files should be all usual, so that the column reader takes them."""
    return st.integers(0, 39).flatmap(lambda n: odd if n == 0 else usual)


extension = st.sampled_from(["211", "212", "213", "", "84951234567", "999"])
channel = mostly(st.sampled_from(["SIP/211-0000001a", "PJSIP/212-1", "Local/213@ctx-1;1",
                                  "SIP/trunk-1b", "", "SIP/211", "IAX2/212-4"]),
                 st.sampled_from(["-SIP/211", "weird", "Local/@x-1", "SIP/21-1-2"]))
when = mostly(st.sampled_from(["2026-03-02 09:01:12", "2026-03-02 09:01:20",
                               "2026-03-02 23:59:59", "2026-03-03 00:00:00"]),
              st.sampled_from(["", "2026-02-30 10:00:00", "2026-03-02T09:01:20", "x",
                               "2026-03-02 09:01:20.5", "2026-03-02 24:00:00"]))
seconds = mostly(st.integers(0, 900).map(str), st.sampled_from(["+5", " 7", "-1", "1_0", "",
                                                                "٣", "10000000000000000"]))
disposition = mostly(st.sampled_from(["ANSWERED", "NO ANSWER", "BUSY", "FAILED",
                                      "CONGESTION"]),
                     st.sampled_from(["busy", "ANSWERED ", "UNKNOWN"]))
call_id = st.sampled_from(["1.1", "1.2", "1.3", "1.4", ""])
free_text = st.text(alphabet='ab ,;"Я', max_size=5)


@st.composite
def master_rows(draw: st.DrawFn, width: int) -> list[str]:
    row = list(ROW)
    row[1], row[2] = draw(extension), draw(extension)
    row[4], row[8] = draw(free_text), draw(free_text)
    row[5], row[6] = draw(channel), draw(channel)
    row[9] = draw(when)
    row[10] = draw(st.one_of(st.just(""), when))
    row[12], row[13] = draw(seconds), draw(seconds)
    if draw(st.integers(0, 19)) and row[12].isdigit():  # billsec within the duration, mostly
        row[13] = str(draw(st.integers(0, int(row[12]))))
    row[14] = draw(disposition)
    row[16], row[19] = draw(call_id), draw(call_id)
    return row[:width]


@st.composite
def master_files(draw: st.DrawFn) -> bytes:
    """A Master.csv file: mostly one row width, quoting, delimiter and line ending."""
    width = draw(st.sampled_from([16, 17, 20, 21]))
    rows = draw(st.lists(master_rows(width), min_size=1, max_size=12))
    if draw(st.integers(0, 9)) == 0:  # now and then, a row of another width
        rows.insert(draw(st.integers(0, len(rows))), draw(master_rows(15)))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";"])),
               quoting=draw(st.sampled_from([csv.QUOTE_ALL, csv.QUOTE_MINIMAL])),
               lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows(rows)
    text = buffer.getvalue()
    text = draw(st.sampled_from(["", "\ufeff"])) + text
    if draw(st.integers(0, 9)) == 0:
        text = text + draw(st.sampled_from(["\n", "x", "\r"]))  # a blank or broken last line
    return text.encode(draw(st.sampled_from(["utf-8"] * 4 + ["cp1251"])), errors="replace")


def _row_by_row(path: Path) -> tuple[list, list]:
    return parse_cdr(read_rows(path), EXTENSIONS)


# A call whose legs the two readers both read (one row's seconds are not ASCII digits):
# their legs must still be comparable when the call is decided.
@example(raw=b"".join(
    b'"","211","211","from-internal","","%s","%s","Dial","","2026-03-02 09:01:12","",'
    b'"2026-03-02 09:04:02","%s","0","%s","DOCUMENTATION","1.1"\n' % row for row in (
        (b"-SIP/211", b"-SIP/211", "\u0663".encode(), b"busy"),  # an Arabic-Indic digit
        (b"-SIP/211", b"-SIP/211", b"0", b"busy"),
        (b"Local/@x-1", b"SIP/211-0000001a", b"0", b"ANSWERED"))))
@settings(max_examples=100, deadline=None)
@given(master_files())
def test_read_by_columns_or_declined(tmp_path_factory, raw: bytes) -> None:
    """Whatever the column reader accepts, it reads as the row reader does; what it declines,
    read_cdr still reads as the row reader does."""
    path = tmp_path_factory.mktemp("cdr") / "Master.csv"
    path.write_bytes(raw)
    try:
        calls, rejected = _row_by_row(path)
    except InputFileError:  # neither UTF-8 nor Russian cp1251: read_cdr says so too
        assert read_columns(raw, EXTENSIONS) is None
        with pytest.raises(InputFileError):
            read_cdr(path, EXTENSIONS)
        return
    by_columns = read_columns(raw, EXTENSIONS)
    event("read by columns" if by_columns is not None else "declined")
    if by_columns is not None:
        event("with rows to reject" if rejected else "all rows valid")
        assert (by_columns.calls, by_columns.rejected) == (calls, rejected)
    assert read_cdr(path, EXTENSIONS) == (calls, rejected)


def test_a_clean_file_is_read_by_columns() -> None:
    path = DATA / "cdr" / "Master.csv"
    found = read_columns(path.read_bytes(), EXTENSIONS)
    assert found is not None
    calls = found.calls
    assert calls == _row_by_row(path)[0]
    assert len(calls) == 7 and {call.operator_extension for call in calls} == {"211", "212", None}


def test_transfers_merge_into_one_call_in_the_place_of_its_first_line() -> None:
    rows = [list(ROW) for _ in range(4)]
    for number, row in enumerate(rows):
        row[16] = row[19] = f"1.{number}"
    rows[3][19] = "1.1"  # a later leg of the second call, which started later than it
    rows[3][9], rows[3][10] = "2026-03-02 09:00:00", "2026-03-02 09:00:05"
    raw = "".join(",".join(f'"{field}"' for field in row) + "\n" for row in rows).encode()
    found = read_columns(raw, EXTENSIONS)
    assert found is not None
    calls = found.calls
    assert [(call.external_id, call.line) for call in calls] == [("1.0", 1), ("1.1", 2),
                                                                 ("1.2", 3)]
    # The two legs talk 162 s each and overlap: from the first answer (09:00:05) to the
    # second leg's end (09:04:02).
    assert calls[1].talk_seconds == 237


def test_rows_to_reject_go_to_the_row_reader_and_unusual_files_are_declined(
        tmp_path: Path) -> None:
    good = ",".join(f'"{field}"' for field in ROW) + "\n"
    bad_disposition = good.replace("ANSWERED", "MAYBE")
    for text in (good + bad_disposition,  # a line to reject: the row reader names it
                 good + "\n" + good,  # a blank line
                 good + ",".join(ROW[:15]) + "\n",  # a short line
                 good.replace("2026-03-02 09:01:12", "2026-03-02 09:01:12.5")):  # fractions
        path = tmp_path / "Master.csv"
        path.write_text(text, encoding="utf-8")
        found = read_columns(text.encode(), EXTENSIONS)
        assert found is not None, text
        assert (found.calls, found.rejected) == _row_by_row(path), text
    for text in (good.replace("Dial", "Di\nal") + good,  # a quoted line break
                 good.replace("Dial", "Di\x00al")):  # a NUL byte
        assert read_columns(text.encode(), EXTENSIONS) is None, text
    path = tmp_path / "Master.csv"
    path.write_text(good + bad_disposition, encoding="utf-8")
    calls, rejected = read_cdr(path, EXTENSIONS)
    assert len(calls) == 1
    assert [(row.line, row.reason) for row in rejected] == [
        (2, "disposition: unknown value 'MAYBE'")]
    assert read_columns(good.encode("cp1251"), EXTENSIONS) is None  # decoding is not ours

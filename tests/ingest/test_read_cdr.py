"""Reading a Master.csv file takes shortcuts; it gives what parsing its rows gives."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorecard.ingest.cdr import read_cdr
from scorecard.ingest.cdr.asterisk import parse_cdr
from scorecard.ingest.cdr.layouts import content_layout, header_layout, in_cdr_csv_order
from scorecard.ingest.encoding import InputFileError
from scorecard.ingest.tables import NUL_MARK, read_rows

cdr_field = st.one_of(
    st.sampled_from(["", "211", "212", "84951234567", "SIP/211-0000001a", "PJSIP/212-1",
                     "SIP/trunk-1b", "Local/211@ctx-1;1", "2026-03-02 09:01:12",
                     "2026-03-02T09:01:20", "2026-03-02 09:01:20.5", "170", "162", "0",
                     "ANSWERED", "NO ANSWER", "busy", "id1", "id2", '"Анна" <211>', "a,b",
                     NUL_MARK]),
    st.text(alphabet='"",;\n 1Я-', max_size=6),
)


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(cdr_field, min_size=14, max_size=22), max_size=25),
       st.sampled_from(["\n", "\r\n"]), st.sampled_from(["utf-8", "cp1251"]))
def test_reading_a_file_equals_parsing_its_rows(
    tmp_path_factory, rows: list[list[str]], ending: str, encoding: str
) -> None:
    """read_cdr, with its shortcuts, gives what parse_cdr gives on the file's rows (which
    are the csv module's rows: tests/ingest/test_tables.py) in the layout its first row
    shows."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=ending).writerows(rows)
    path = tmp_path_factory.mktemp("cdr") / "Master.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    extensions = {"211": 1, "212": 2}
    try:
        rows_read = list(read_rows(path))
        first = rows_read[0][1] if rows_read else []
        layout = header_layout(first) or content_layout(first)  # as the reader finds it
        expected = parse_cdr(in_cdr_csv_order(iter(rows_read[layout.header:]), layout),
                             extensions)
    except InputFileError:  # no text in it to tell cp1251 by: the shortcut says so too
        with pytest.raises(InputFileError):
            read_cdr(path, extensions)
        return
    calls, rejected = read_cdr(path, extensions)
    assert [r.line for r in rejected] == [r.line for r in expected[1]]
    assert [r.reason for r in rejected] == [r.reason for r in expected[1]]
    assert calls == expected[0]
    for call in calls:
        for value, written in ((call.started_at, call.started_text),
                               (call.answered_at, call.answered_text)):
            assert written is None or written == value.isoformat(" ", "microseconds")


def test_without_apache_arrow_every_file_is_read_row_by_row(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow is an extra: without it the same file gives the same calls."""
    import sys
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "data" / "cdr" / "Master.csv"
    extensions = {str(n): n for n in range(200, 260)}
    with_arrow = read_cdr(sample, extensions)
    monkeypatch.setitem(sys.modules, "scorecard.ingest.cdr.asterisk_columns", None)
    assert read_cdr(sample, extensions) == with_arrow
    assert with_arrow[0]

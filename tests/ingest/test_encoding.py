"""Telling cp1251 from UTF-8 and from anything else, by counting letters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.ingest.encoding import InputFileError, decode


def reference(raw: bytes) -> str | None:
    """The rule, one character at a time: cp1251 text (None: refused) when not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1251", errors="replace")
    letters = sum(ch.isalpha() for ch in text)
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in text)
    if "\ufffd" in text or letters == 0 or cyrillic < (letters - cyrillic) * 0.05:
        return None
    return text


russian = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЯ", max_size=8).map(
    lambda text: text.encode("cp1251"))
other = st.binary(max_size=8)
ascii_words = st.text(alphabet="abcdefXYZ 0123,;", max_size=30).map(str.encode)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(russian, other, ascii_words), max_size=12).map(b"".join))
def test_counting_bytes_decides_as_counting_characters(raw: bytes) -> None:
    raw = raw.replace(b"\x00", b"")  # NUL bytes are refused before the counting
    expected = reference(raw)
    if expected is None:
        with pytest.raises(InputFileError, match="not UTF-8 or cp1251"):
            decode(raw, source="x.csv")
    else:
        assert decode(raw, source="x.csv") == expected


def test_a_russian_cp1251_export_is_read() -> None:
    raw = "Иванова Анна;211;Холодные продажи\n".encode("cp1251")
    assert decode(raw, source="x.csv") == "Иванова Анна;211;Холодные продажи\n"
    with pytest.raises(InputFileError, match="x.csv: not UTF-8 or cp1251"):
        decode(b"\x98abc\xff", source="x.csv")

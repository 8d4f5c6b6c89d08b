"""Telling UTF-8, cp1251 (and the Cyrillic code pages mistaken for it) and binary data apart,
by counting letters and bytes."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scorecard.ingest.encoding import (
    _RUSSIAN_LETTERS,
    _SIGNATURES,
    InputFileError,
    decode,
    decode_reporting,
)

CONTROLS = {*range(0x04, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F}
CYRILLIC_PAGES = ("koi8-r", "cp866", "iso8859-5")
STARTS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"RIFF",
          *(signature for signature, _ in _SIGNATURES))


def per_byte(raw: bytes, encoding: str) -> str:
    """``raw`` in ``encoding``, each undecodable byte a U+FFFD, one character at a time."""
    text, position = [], 0
    while position < len(raw):
        for size in (1, 2, 3, 4):
            try:
                text.append(raw[position:position + size].decode(encoding))
            except UnicodeDecodeError:
                continue
            position += size
            break
        else:
            text.append("\ufffd")
            position += 1
    return "".join(text)


def reference(raw: bytes) -> tuple[str, str] | str | None:
    """The rule, one character at a time: (encoding, text) the bytes read as, "binary" when
    refused as not text, None when left to charset-normalizer (which may refuse them)."""
    try:
        return ("utf-8-sig", raw[3:].decode()) if raw.startswith(codecs.BOM_UTF8) else (
            "utf-8", raw.decode())
    except UnicodeDecodeError:
        pass
    escaped = raw.removeprefix(codecs.BOM_UTF8).decode("utf-8", "surrogateescape")
    valid = [ch for ch in escaped if ord(ch) > 127 and not "\udc80" <= ch <= "\udcff"]
    bad = sum("\udc80" <= ch <= "\udcff" for ch in escaped)
    if len(valid) >= 16 and len("".join(valid).encode()) >= bad:
        # mostly UTF-8: 16 valid multi-byte characters at least, more valid bytes than not
        return ("utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-8",
                per_byte(raw.removeprefix(codecs.BOM_UTF8), "utf-8"))
    if sum(byte in CONTROLS for byte in raw) * 100 > len(raw):
        return "binary"
    text = raw.decode("cp1251", errors="replace")
    letters = sum(ch.isalpha() for ch in text)
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in text)
    undefined = text.count("\ufffd")
    if letters == 0 or cyrillic < (letters - cyrillic) * 0.05:
        return None
    # Russian in another code page reads as Cyrillic letters in cp1251 too: the page in
    # which the letters are the frequent Russian ones wins, clearly enough.
    scores = {page: sum(_RUSSIAN_LETTERS.get(ch.lower(), 0)
                        for ch in raw.decode(page, errors="replace"))
              for page in ("cp1251", *CYRILLIC_PAGES)}
    best = max(CYRILLIC_PAGES, key=scores.__getitem__)
    if scores[best] >= 6000 and scores[best] * 4 > scores["cp1251"] * 5:
        return best, raw.decode(best)
    if undefined and undefined * 100 > sum(byte > 127 for byte in raw):
        return None  # more than a few bytes cp1251 leaves undefined: not cp1251
    return "cp1251", per_byte(raw, "cp1251")


russian = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЁЯ", max_size=8)
pages = st.sampled_from(["cp1251", "cp1251", "koi8-r", "cp866", "utf-8"])
other = st.binary(max_size=8)
ascii_words = st.text(alphabet="abcdefXYZ 0123,;", max_size=30).map(str.encode)


@settings(max_examples=250, deadline=None)
@given(pages.flatmap(lambda page: st.lists(
    st.one_of(russian.map(lambda text: text.encode(page)), other, ascii_words),
    max_size=12).map(b"".join)))
def test_counting_bytes_decides_as_counting_characters(raw: bytes) -> None:
    raw = raw.replace(b"\x00", b"")  # NUL bytes are refused before the counting
    assume(not raw.startswith(STARTS))  # BOMs and binary signatures: test_stray_bytes.py
    expected = reference(raw)
    if expected == "binary":
        with pytest.raises(InputFileError, match="x.csv: not a text file"):
            decode(raw, source="x.csv")
        return
    if expected is None:  # charset-normalizer's: either refused, or read as it says
        try:
            decoded = decode_reporting(raw, source="x.csv")
        except InputFileError as error:
            assert str(error).startswith("x.csv: not text in any encoding found")
            return
        if not decoded.warnings:
            assert decoded.text == raw.decode(decoded.encoding)
        return
    decoded = decode_reporting(raw, source="x.csv")
    assert (decoded.encoding, decoded.text) == expected
    genuine = raw.decode(decoded.encoding, errors="ignore").count("\ufffd")
    assert sum(warning.count for warning in decoded.warnings) == (
        decoded.text.count("\ufffd") - genuine)


def test_a_russian_cp1251_export_is_read() -> None:
    raw = "Иванова Анна;211;Холодные продажи\n".encode("cp1251")
    assert decode(raw, source="x.csv") == "Иванова Анна;211;Холодные продажи\n"
    # Refused now only when not text at all (it was: whenever not UTF-8 or cp1251).
    with pytest.raises(InputFileError, match="x.csv: not a text file"):
        decode(b"\x98abc\xff\x05\x06\x07", source="x.csv")


@pytest.mark.parametrize("page", ["koi8-r", "cp866", "iso8859-5"])
@pytest.mark.parametrize("text", ["Иванова Анна;211;Холодные продажи\n" * 2,
                                  "ИВАНОВА АННА;211;ХОЛОДНЫЕ ПРОДАЖИ\n" * 2])
def test_russian_in_other_code_pages_is_not_taken_for_cp1251(page: str, text: str) -> None:
    """They pass the cp1251 letter count (as they did, read as gibberish); cp1251 still wins
    its own text in capitals, where a lowercase count would pick KOI8-R."""
    decoded = decode_reporting(text.encode(page), source="x.csv")
    assert (decoded.encoding, decoded.text) == (page, text)
    assert decode_reporting(text.encode("cp1251"), source="x.csv").encoding == "cp1251"

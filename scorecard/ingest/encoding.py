"""Decoding the bytes call-centre exports come in: UTF-8 (with or without BOM) or cp1251."""

from __future__ import annotations

from collections.abc import Callable

from scorecard.errors import InputFileError


def decode(raw: bytes, *, source: str, encoding: str | None = None) -> str:
    """Text of ``raw``: ``encoding`` if given, else UTF-8, else cp1251 if it reads as Russian."""
    if b"\x00" in raw:
        raise InputFileError(f"{source}: not a text file (it contains NUL bytes)")
    if encoding:
        try:
            return raw.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputFileError(f"{source}: cannot decode as {encoding}: {exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # cp1251 is one byte per character: letters are counted as bytes, in C (a Python loop
    # over the characters of a big export took longer than reading it).
    letters = _count(raw, _CP1251_LETTERS)
    cyrillic = _count(raw, _CP1251_CYRILLIC)
    if _count(raw, _CP1251_UNDEFINED) or letters == 0 or cyrillic < (letters - cyrillic) * 0.05:
        raise InputFileError(f"{source}: not UTF-8 or cp1251 text; give the encoding "
                             "with --encoding")
    return raw.decode("cp1251")


def _cp1251_bytes(test: Callable[[str], bool]) -> bytes:
    """The bytes whose cp1251 character passes ``test``."""
    return bytes(code for code in range(256)
                 if test(bytes([code]).decode("cp1251", errors="replace")))


_CP1251_LETTERS = _cp1251_bytes(str.isalpha)
_CP1251_CYRILLIC = _cp1251_bytes(lambda ch: "\u0400" <= ch <= "\u04ff")
_CP1251_UNDEFINED = _cp1251_bytes(lambda ch: ch == "\ufffd")


def _count(raw: bytes, wanted: bytes) -> int:
    """How many of ``raw``'s bytes are among ``wanted``."""
    return len(raw) - len(raw.translate(None, wanted))

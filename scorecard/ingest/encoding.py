"""Decoding the bytes call-centre exports come in: UTF-8 (with or without BOM) or cp1251."""

from __future__ import annotations

from scorecard.errors import ScorecardError


class InputFileError(ScorecardError):
    """An input file that cannot be read at all; the message starts with its path."""


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
    text = raw.decode("cp1251", errors="replace")
    letters = sum(ch.isalpha() for ch in text)
    cyrillic = sum("\u0400" <= ch <= "\u04ff" for ch in text)
    if "\ufffd" in text or letters == 0 or cyrillic < (letters - cyrillic) * 0.05:
        raise InputFileError(f"{source}: not UTF-8 or cp1251 text; give the encoding "
                             "with --encoding")
    return text

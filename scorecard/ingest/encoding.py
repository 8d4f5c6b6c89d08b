"""Decoding the bytes of input files, and saying which lines had bytes that would not decode.

This module owns the choice of a file's encoding and what becomes of undecodable bytes.
Valid UTF-8 (with or without BOM) is decoded and done: the common case, millions of rows,
pays for one decoding and nothing else. Any other file is, in this order:

* refused when it starts as a ZIP (an .xlsx), an old .xls, a PDF, ... renamed .csv;
* UTF-16 or UTF-32 when it starts with a BOM (or, for UTF-16, has the NUL byte of each
  ASCII character always on the same side);
* UTF-8 with a few broken bytes (a name pasted from another program, a cut-off character)
  when more of its non-ASCII bytes are valid UTF-8 than not, with 16 valid multi-byte
  characters at least;
* refused when full of control bytes (binary data);
* cp1251 when it reads as Russian by counting letters, unless KOI8-R, cp866 or ISO-8859-5
  reads as clearly more Russian;
* what charset-normalizer finds in a sample of it;
* else refused.

In the encoding given (``--encoding``) or found, bytes that do not decode are replaced with
U+FFFD, one per byte, as long as they are fewer than the non-ASCII bytes that do; each line
that had some is a :class:`DecodeWarning`. More than that, and the file is not in that
encoding.
"""

from __future__ import annotations

import codecs
from collections import Counter
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import lru_cache

from scorecard.errors import InputFileError

__all__ = [
    "DecodeWarning",
    "Decoded",
    "InputFileError",
    "decode",
    "decode_reporting",
    "excerpt",
    "wide_encoding",
]


@dataclass(frozen=True, slots=True)
class DecodeWarning:
    """A line of an input file whose undecodable bytes were replaced with U+FFFD.

    ``line`` is the 1-based physical line of the first replaced byte, counted as
    :func:`scorecard.ingest.tables.csv_rows` counts them; ``reason`` reads like a
    rejected row's, so a caller can print ``note: FILE:LINE: REASON``.
    """

    line: int
    count: int
    """Bytes replaced on the line."""
    excerpt: str
    """The text around the first replacement (a field's value once ``column`` is known)."""
    column: str | None = None
    """The column holding the first replacement, when the table reader knows it."""
    line_text: str = field(default="", compare=False, repr=False)
    """The whole line as decoded ("" for a line too long to keep), for the table reader."""

    @property
    def reason(self) -> str:
        where = f"{self.column}: " if self.column else ""
        return f"{self.count} undecodable byte(s) replaced ({where}{_quoted(self.excerpt)})"

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a file, the encoding it was read in (a Python codec name), and the lines
    whose undecodable bytes were replaced."""

    text: str
    encoding: str
    warnings: list[DecodeWarning] = field(default_factory=list)

    @property
    def ascii_compatible(self) -> bool:
        """Whether every ASCII byte of the file is that character in the text (not UTF-16)."""
        return _keeps_ascii(self.encoding)


def decode(raw: bytes, *, source: str, encoding: str | None = None) -> str:
    """Text of ``raw`` (see :func:`decode_reporting`), without the warnings."""
    return decode_reporting(raw, source=source, encoding=encoding).text


def decode_reporting(raw: bytes, *, source: str, encoding: str | None = None) -> Decoded:
    """Text of ``raw`` in ``encoding`` if given, else in the encoding found (module doc).

    ``source`` names the file in errors: an InputFileError when the bytes are not text, hold
    NUL bytes (unless UTF-16/32), or are mostly not in the encoding given or found.
    """
    _refuse_known_binary(raw, source)
    wide = wide_encoding(raw, encoding)
    if wide is None and b"\x00" in raw:
        raise InputFileError(f"{source}: not a text file (it contains NUL bytes)")
    if encoding is not None:
        return _forced(raw, encoding, source)
    if wide is not None:
        decoded = _lenient(raw, wide)
        if decoded is None:
            raise InputFileError(f"{source}: not {wide} text; give the encoding with --encoding")
        return decoded
    found, first_bad = _utf8(raw, _EVIDENCE)
    if found is None:
        sample = _sample(raw, first_bad)  # binary data is binary all through
        if _count(sample, _BINARY_CONTROLS) * 100 > len(sample):
            raise InputFileError(f"{source}: not a text file (it is full of control bytes)")
        codec = _cyrillic(raw, first_bad) or _detected(raw, first_bad)
        found = None if codec is None else _lenient(raw, codec)
    if found is None:
        raise InputFileError(f"{source}: not text in any encoding found; give the encoding "
                             "with --encoding")
    return found


def wide_encoding(raw: bytes, encoding: str | None = None) -> str | None:
    """UTF-16 or UTF-32 (a codec name), when ``encoding`` is one or, without it, the bytes
    are: by a BOM, or by NUL bytes at every other byte from the start; else None.

    Such a file's NUL bytes are half its characters, not broken lines.
    """
    if encoding is not None:
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            return None  # decode_reporting reports the unknown codec
        return name if name.startswith(("utf-16", "utf-32")) else None
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00
        return "utf-32"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = raw[:_UTF16_HEAD]
    if b"\x00" not in head or len(head) < 4:
        return None
    # ASCII characters in UTF-16 have a NUL byte, always on the same side; Cyrillic ones
    # none. A run of NUL bytes in a narrow file falls on both sides.
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if even == 0 and odd >= max(_EVIDENCE, len(head) // 10):
        return "utf-16-le"
    if odd == 0 and even >= max(_EVIDENCE, len(head) // 10):
        return "utf-16-be"
    return None


def excerpt(text: str, at: int) -> str:
    """A short piece of ``text``'s line around position ``at`` ("…" where it was cut)."""
    start = max(text.rfind("\n", max(0, at - _AROUND), at),
                text.rfind("\r", max(0, at - _AROUND), at)) + 1
    if start == 0 and at > _AROUND:
        start, before = at - _AROUND, "…"
    else:
        before = ""
    end, after = min(len(text), at + 2 * _AROUND), "…"
    for brk in ("\n", "\r"):
        found = text.find(brk, at, end)
        if found >= 0:
            end, after = found, ""
    if end == len(text):
        after = ""
    return before + text[start:end] + after


# --- choosing the encoding ------------------------------------------------------------------

#: Broken bytes the first UTF-8 decoding takes; past them, the file is checked before it is
#: decoded again (a cp1251 file has a broken byte at every Cyrillic letter).
_FEW = 1024
#: Fewest valid multi-byte characters that make a broken file UTF-8: in a few dozen bytes
#: of another encoding, valid UTF-8 sequences turn up by chance.
_EVIDENCE = 16
#: Samples (for the UTF-8 gate, the Russian score, charset-normalizer) are whole lines from
#: up to this many places in the file, each about _WINDOW bytes long.
_WINDOWS = 16
_WINDOW = 1 << 14
_UTF16_HEAD = 4096
_AROUND = 20  # characters of context each side of a replaced byte in a warning
_LONGEST_LINE = 1 << 16  # a longer line is not kept whole in its warning

_HIGH = bytes(range(0x80, 0x100))
#: Control bytes no text export holds; NUL (a broken line) and 01-03 (its stand-ins, see
#: tables.py) are left to the row readers, form feed, vertical tab and the DOS end-of-file
#: mark are tolerated.
_BINARY_CONTROLS = bytes([*range(0x04, 0x09), *range(0x0E, 0x1A), *range(0x1B, 0x20), 0x7F])
#: What files that are not text start with; NUL-free prefixes, because the table reader
#: hands this module its bytes with NUL bytes already replaced.
_SIGNATURES = (
    (b"PK\x03\x04", "a ZIP archive: an .xlsx workbook renamed?"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file: an .xls workbook renamed?"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b\x08", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ", "an xz archive"),
    (b"SQLite format 3", "an SQLite database"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)


def _refuse_known_binary(raw: bytes, source: str) -> None:
    for signature, kind in _SIGNATURES:
        if raw.startswith(signature):
            raise InputFileError(f"{source}: not a text file ({kind})")
    if raw.startswith(b"RIFF") and raw[8:12] == b"WAVE":
        raise InputFileError(f"{source}: not a text file (a WAV recording)")


def _forced(raw: bytes, encoding: str, source: str) -> Decoded:
    """``raw`` in the ``encoding`` the user gave."""
    try:
        codec = codecs.lookup(encoding).name
        decoded = (_utf8(raw, 0)[0] if codec in ("utf-8", "utf-8-sig")
                   else _lenient(raw, codec))
        if decoded is None:
            raw.decode(codec)  # the first error, for the message
    except LookupError as exc:  # an unknown codec, or one that is not for text
        raise InputFileError(f"{source}: cannot decode as {encoding}: {exc}") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{source}: cannot decode as {encoding}: {exc}") from None
    assert decoded is not None
    return decoded


def _utf8(raw: bytes, evidence: int) -> tuple[Decoded | None, int]:
    """``raw`` as UTF-8 (a BOM left out), its broken bytes replaced, if more of its non-ASCII
    bytes are valid UTF-8 than not and it has at least ``evidence`` valid multi-byte
    characters (else None); and where its first broken byte is (its length if none)."""
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    name = "utf-8-sig" if bom else "utf-8"
    # The decoding valid UTF-8 needs anyway, which takes a few broken bytes in its stride:
    # the decoder calls back into Python only for those.
    text, spans = _replacing(raw, "utf-8", _FEW, skip=bom)
    if text is not None and not spans:
        return Decoded(text, name, []), len(raw)
    first_bad = spans[0][0] if spans else bom
    if text is None:  # many broken bytes: UTF-8 at all?
        if _clearly_not_utf8(raw, first_bad):
            return None, first_bad
        text, spans = _replacing(raw, "utf-8", (len(raw) - bom) // 2, skip=bom)
        if text is None:
            return None, first_bad
    bad = sum(end - start for start, end in spans)
    # Each broken byte is one character: the bytes beyond one per character all belong to
    # valid multi-byte characters, of which there are between extra/3 and extra. That
    # mostly settles it without counting the ASCII bytes.
    extra = len(raw) - bom - len(text)
    if extra + extra // 3 < bad or extra // 3 < evidence:
        valid = len(text) - (len(raw) - _count(raw, _HIGH)) - bad
        if valid + extra < bad or valid < evidence:
            return None, first_bad
    return Decoded(text, name, _warnings_in_bytes(raw, spans, "utf-8")), first_bad


def _clearly_not_utf8(raw: bytes, first_bad: int) -> bool:
    """Whether the file (samples of a big one, from the first broken byte on) has four times
    more broken bytes than valid multi-byte characters, and enough of them to tell.

    Decoding in C, with broken bytes escaped, spares the Python call per broken byte that
    the full decoding would make for each Cyrillic letter of a cp1251 file. On the whole
    file this only refuses what the full decoding would.
    """
    bad = extra = 0
    for piece in [raw] if len(raw) <= _WINDOWS * _WINDOW else _windows(raw, first_bad):
        text = piece.decode("utf-8", "surrogateescape")
        bad += len(piece) - len(text.encode("utf-8", "ignore"))  # "ignore" drops the broken
        extra += len(piece) - len(text)
    return bad >= 4 * _EVIDENCE and bad > 4 * extra


def _cyrillic(raw: bytes, first_bad: int) -> str | None:
    """cp1251 (or a Cyrillic code page that reads as more Russian) if the bytes read as
    Russian in cp1251; None otherwise.

    cp1251 is one byte per character: letters are counted as bytes, in C (a Python loop
    over the characters of a big export took longer than reading it). A few bytes that
    cp1251 leaves undefined (0x98) are broken bytes, not another encoding.
    """
    letters = _count(raw, _CP1251_LETTERS)
    cyrillic = _count(raw, _CP1251_CYRILLIC)
    if letters == 0 or cyrillic < (letters - cyrillic) * 0.05:
        return None
    # KOI8-R, cp866 and ISO-8859-5 Russian also read as Cyrillic letters in cp1251, in the
    # wrong order: the code page in which the letters are the frequent Russian ones wins.
    bytes_seen = Counter(_sample(raw, first_bad))
    scores = {codec: sum(n * weights[byte] for byte, n in bytes_seen.items())
              for codec, weights in _RUSSIAN_WEIGHTS.items()}
    best = max(_OTHER_CYRILLIC, key=scores.__getitem__)
    if scores[best] >= _MIN_RUSSIAN and scores[best] * 4 > scores["cp1251"] * 5:
        return best  # they define every byte
    undefined = _count(raw, _CP1251_UNDEFINED)
    if undefined and undefined * 100 > _count(raw, _HIGH):
        return None
    return "cp1251"


def _detected(raw: bytes, first_bad: int) -> str | None:
    """The encoding charset-normalizer finds in a sample of the file, if it keeps ASCII."""
    # Imported here: only files that are neither UTF-8 nor Russian pay for loading it.
    from charset_normalizer import from_bytes

    best = from_bytes(_sample(raw, first_bad)).best()
    if best is None:
        return None
    try:
        codec = codecs.lookup(best.encoding).name
    except LookupError:
        return None
    return codec if _keeps_ascii(codec) else None


def _sample(raw: bytes, start: int) -> bytes:
    """The file if small, else whole lines from places spread over it from ``start`` on."""
    if len(raw) <= _WINDOWS * _WINDOW:
        return raw
    return b"".join(_windows(raw, start))


def _windows(raw: bytes, start: int) -> list[bytes]:
    """Up to _WINDOWS runs of whole lines, the first from the line holding ``start``, the
    others spread evenly over the rest of the file."""
    step = max((len(raw) - start) // _WINDOWS, _WINDOW)
    pieces = []
    for place in range(start, len(raw), step):
        begin = raw.rfind(b"\n", 0, place) + 1
        end = raw.find(b"\n", begin + _WINDOW, begin + 4 * _WINDOW)  # a line without end: cut
        pieces.append(raw[begin:begin + _WINDOW if end < 0 else end + 1])
    return pieces


# --- decoding with replacements -----------------------------------------------------------


def _lenient(raw: bytes, codec: str) -> Decoded | None:
    """``raw`` in ``codec``, undecodable bytes replaced; None when they are as many as the
    non-ASCII bytes (code units, for UTF-16/32) that decode."""
    try:
        return Decoded(raw.decode(codec), codec, [])
    except UnicodeDecodeError:
        pass
    if _keeps_ascii(codec):
        text, spans = _replacing(raw, codec, _count(raw, _HIGH) // 2)
        return None if text is None else Decoded(text, codec,
                                                 _warnings_in_bytes(raw, spans, codec))
    # UTF-16/32: line breaks are not single bytes, so lines are counted in the text, where
    # the broken bytes are first marked with lone surrogates.
    marked, _ = _replacing(raw, codec, len(raw) // 4, marks=True)
    if marked is None:
        return None
    runs = _runs(marked)
    pieces: list[str] = []
    previous = 0
    for start, end in runs:
        pieces += (marked[previous:start], "\ufffd" * (end - start))
        previous = end
    pieces.append(marked[previous:])
    text = "".join(pieces)
    return Decoded(text, codec, _warnings_in_text(text, runs))


def _replacing(
    raw: bytes, codec: str, limit: int, *, skip: int = 0, marks: bool = False
) -> tuple[str | None, list[tuple[int, int]]]:
    """``raw[skip:]`` in ``codec``, each undecodable byte a U+FFFD (a lone surrogate with
    ``marks``), and where the undecodable runs of bytes are in ``raw``; the text is None
    once there are more than ``limit`` such bytes (the runs are those found until then).

    The decoder runs in C between broken bytes and calls back into Python only for them.
    """
    tally = _Tally(limit, skip, marks)
    token = _TALLY.set(tally)
    try:
        if skip:
            text = codecs.decode(memoryview(raw)[skip:], codec, _RECORD)
        else:
            text = raw.decode(codec, _RECORD)
    except _TooMany:
        return None, tally.spans
    finally:
        _TALLY.reset(token)
    return text, tally.spans


def _warnings_in_bytes(raw: bytes, spans: list[tuple[int, int]], codec: str
                       ) -> list[DecodeWarning]:
    """One warning per line with broken bytes, in a file whose line breaks are the bytes
    ``\\n`` and ``\\r``; lines are counted in C between the broken runs."""
    carriage = b"\r" in raw
    warnings: list[DecodeWarning] = []
    line, previous = 1, 0
    for start, end in spans:
        line += raw.count(b"\n", previous, start)
        if carriage:  # a broken run never starts at \n, so no \r\n is cut in two
            line += raw.count(b"\r", previous, start) - raw.count(b"\r\n", previous, start)
        previous = start
        if warnings and warnings[-1].line == line:
            warnings[-1] = replace(warnings[-1], count=warnings[-1].count + end - start)
            continue
        begin = raw.rfind(b"\n", 0, start) + 1
        begin = raw.rfind(b"\r", begin, start) + 1 or begin
        stop = raw.find(b"\n", start)
        stop = len(raw) if stop < 0 else stop
        carriage_at = raw.find(b"\r", start, stop)
        stop = stop if carriage_at < 0 else carriage_at
        if stop - begin <= _LONGEST_LINE:
            text = raw[begin:stop].decode(codec, _REPLACE)
            at = len(raw[begin:start].decode(codec, _REPLACE))
            warnings.append(DecodeWarning(line, end - start, excerpt(text, at), line_text=text))
        else:
            text, at = _around(raw, max(begin, start - 4 * _AROUND),
                               min(stop, end + 8 * _AROUND), start, codec)
            warnings.append(DecodeWarning(line, end - start, excerpt(text, at)))
    return warnings


def _around(raw: bytes, lo: int, hi: int, start: int, codec: str) -> tuple[str, int]:
    """``raw[lo:hi]`` decoded without a character cut at either end, and where ``start``
    falls in it: a few characters around a broken byte on a very long line."""
    if codec == "utf-8":
        while lo < start and 0x80 <= raw[lo] < 0xC0:  # not from the middle of a character
            lo += 1
    # Not final: a character cut at the end is left out, not replaced.
    text = codecs.getincrementaldecoder(codec)(_REPLACE).decode(raw[lo:hi])
    return text, len(raw[lo:start].decode(codec, _REPLACE))


def _warnings_in_text(text: str, runs: list[tuple[int, int]]) -> list[DecodeWarning]:
    """One warning per line with replaced runs (positions in ``text``), lines ending at
    ``\\n``, ``\\r\\n`` or a lone ``\\r``."""
    carriage = "\r" in text
    warnings: list[DecodeWarning] = []
    line, previous = 1, 0
    for start, end in runs:
        line += text.count("\n", previous, start)
        if carriage:
            line += text.count("\r", previous, start) - text.count("\r\n", previous, start)
        previous = start
        if warnings and warnings[-1].line == line:
            warnings[-1] = replace(warnings[-1], count=warnings[-1].count + end - start)
            continue
        begin = text.rfind("\n", 0, start) + 1
        begin = text.rfind("\r", begin, start) + 1 or begin
        stop = text.find("\n", start)
        stop = len(text) if stop < 0 else stop
        carriage_at = text.find("\r", start, stop)
        stop = stop if carriage_at < 0 else carriage_at
        whole = text[begin:stop] if stop - begin <= _LONGEST_LINE else ""
        warnings.append(DecodeWarning(line, end - start, excerpt(text, start), line_text=whole))
    return warnings


class _TooMany(Exception):
    """More broken bytes than the decoding allows: not this encoding."""


class _Tally:
    """What one decoding collects: the broken runs, as offsets in the whole file."""

    def __init__(self, limit: int, skip: int, marks: bool) -> None:
        self.limit, self.skip, self.marks = limit, skip, marks
        self.bad = 0
        self.spans: list[tuple[int, int]] = []


# Error handlers are registered by name for the whole process; what one decoding collects
# goes to the tally of its own context.
_TALLY: ContextVar[_Tally] = ContextVar("_TALLY")
_FOUND: ContextVar[list[tuple[int, int]]] = ContextVar("_FOUND")
_RECORD = "scorecard-record"
_REPLACE = "scorecard-replace"
_RUNS = "scorecard-runs"
#: A broken byte marked as a lone surrogate: no decoder gives one for valid input.
_MARKS = [chr(0xDC00 + byte) for byte in range(256)]


def _record(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    tally = _TALLY.get()
    tally.bad += error.end - error.start
    if tally.bad > tally.limit:
        raise _TooMany
    tally.spans.append((tally.skip + error.start, tally.skip + error.end))
    if tally.marks:
        return "".join([_MARKS[byte] for byte in error.object[error.start:error.end]]), error.end
    return "\ufffd" * (error.end - error.start), error.end


def _replace(error: UnicodeError) -> tuple[str, int]:
    """One U+FFFD per broken byte (Python's "replace" gives one per broken sequence)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "\ufffd" * (error.end - error.start), error.end


def _find(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    _FOUND.get().append((error.start, error.end))
    return "", error.end


codecs.register_error(_RECORD, _record)
codecs.register_error(_REPLACE, _replace)
codecs.register_error(_RUNS, _find)


def _runs(marked: str) -> list[tuple[int, int]]:
    """Where ``marked`` has runs of lone surrogates (broken bytes), in order: encoding to
    UTF-8 finds them in C and calls the handler once per run."""
    found: list[tuple[int, int]] = []
    token = _FOUND.set(found)
    try:
        marked.encode("utf-8", _RUNS)
    finally:
        _FOUND.reset(token)
    return found


# --- tables -----------------------------------------------------------------------------


def _cp1251_bytes(test: Callable[[str], bool]) -> bytes:
    """The bytes whose cp1251 character passes ``test``."""
    return bytes(code for code in range(256)
                 if test(bytes([code]).decode("cp1251", errors="replace")))


_CP1251_LETTERS = _cp1251_bytes(str.isalpha)
_CP1251_CYRILLIC = _cp1251_bytes(lambda ch: "\u0400" <= ch <= "\u04ff")
_CP1251_UNDEFINED = _cp1251_bytes(lambda ch: ch == "\ufffd")

#: How often each letter comes in Russian text, in hundredths of a percent.
_RUSSIAN_LETTERS = dict(zip(
    "оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё",
    (1097, 845, 801, 735, 670, 626, 547, 473, 454, 440, 349, 321, 298, 281, 262, 201, 190,
     174, 170, 165, 159, 144, 121, 97, 94, 73, 64, 48, 36, 32, 26, 4, 4), strict=True))
#: Code pages whose Russian text passes for cp1251 by the letter count.
_OTHER_CYRILLIC = ("koi8-r", "cp866", "iso8859-5")
#: A code page other than cp1251 needs a score of a dozen or so letters to win.
_MIN_RUSSIAN = 6000


def _russian_weights(codec: str) -> tuple[int, ...]:
    """Each byte's weight: the frequency of its (lowercased) Russian letter in ``codec``."""
    characters = bytes(range(256)).decode(codec, errors="replace")
    return tuple(_RUSSIAN_LETTERS.get(ch.lower(), 0) for ch in characters)


_RUSSIAN_WEIGHTS = {codec: _russian_weights(codec) for codec in ("cp1251", *_OTHER_CYRILLIC)}


@lru_cache(maxsize=64)
def _keeps_ascii(codec: str) -> bool:
    """Whether ``codec`` decodes every ASCII byte to that character."""
    ascii_bytes = bytes(range(128))
    try:
        return ascii_bytes.decode(codec) == ascii_bytes.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _count(raw: bytes, wanted: bytes) -> int:
    """How many of ``raw``'s bytes are among ``wanted``."""
    return len(raw) - len(raw.translate(None, wanted))


_QUOTING = {0xFFFD: "\\ufffd", ord('"'): '\\"', ord("\\"): "\\\\",
            **{code: f"\\x{code:02x}" for code in range(0x20)}}


def _quoted(text: str) -> str:
    """``text`` in double quotes, U+FFFD and control characters written as escapes."""
    return '"' + text.translate(_QUOTING) + '"'

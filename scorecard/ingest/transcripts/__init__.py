"""Transcript readers: plain text, Whisper and WhisperX JSON, WebVTT and SRT.

Every reader turns a file into one :class:`~scorecard.domain.transcripts.TranscriptDoc`.
This module owns the entry points: choosing the reader by extension (and, for JSON, by
content), decoding the bytes, and the checks every format shares (empty, binary, no words).
The formats live in :mod:`.plain`, :mod:`.whisper` and :mod:`.cues`; who the operator is
is decided in :mod:`.speakers`. Every error is a :class:`TranscriptError` whose message
starts with the file's path, and with ``:LINE`` for the line-based formats.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Sequence
from pathlib import Path

from scorecard.domain.transcripts import TranscriptDoc
from scorecard.errors import TranscriptError
from scorecard.ingest.encoding import InputFileError, decode
from scorecard.ingest.transcripts.base import (
    CLIENT_LABELS,
    OPERATOR_LABELS,
    SpeakerLabels,
    Utterance,
    has_words,
)
from scorecard.ingest.transcripts.cues import parse_srt, parse_vtt
from scorecard.ingest.transcripts.plain import parse_plain
from scorecard.ingest.transcripts.speakers import build_document
from scorecard.ingest.transcripts.whisper import parse_json

__all__ = [
    "CLIENT_LABELS",
    "EXTENSIONS",
    "OPERATOR_LABELS",
    "TranscriptError",
    "read_text",
    "read_transcript",
]

EXTENSIONS = {".txt": "text", ".json": "json", ".vtt": "vtt", ".srt": "srt"}
"""File extension → the ``fmt`` :func:`read_text` takes (json is Whisper or WhisperX)."""
_FORMAT_ALIASES = {"txt": "text", "whisper": "json", "whisperx": "json"}
# Control bytes that no text export contains; a few are tolerated (a DOS end-of-file mark).
_TEXT_BYTES = bytes(range(0x20, 0x7F)) + bytes(range(0x80, 0x100)) + b"\t\n\r\f\x1a"
_NOT_ASCII_LETTERS = bytes(b for b in range(256) if not chr(b).isascii() or not chr(b).isalpha())
_NOT_CP1251_CYRILLIC = bytes(
    b for b in range(256)
    if not "\u0400" <= bytes([b]).decode("cp1251", errors="replace") <= "\u04ff")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read_transcript(
    path: Path,
    *,
    operator: str | None = None,
    operator_labels: Iterable[str] = (),
    client_labels: Iterable[str] = (),
    encoding: str | None = None,
    greeting_phrases: Sequence[str] = (),
    direction: str | None = None,
) -> TranscriptDoc:
    """Read one transcript file; its extension (.txt, .json, .vtt, .srt) picks the reader.

    ``operator`` names the diarised speaker who is the operator (SPEAKER_01, a voice name);
    without it the operator is inferred from ``greeting_phrases`` and ``direction``
    (outbound/inbound). ``operator_labels`` / ``client_labels`` add role labels to the
    defaults. ``encoding`` forces a codec instead of detecting UTF-8 / UTF-8-BOM / cp1251.
    """
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise TranscriptError(f"{path}: unknown transcript type {path.suffix!r} "
                              f"(expected {', '.join(EXTENSIONS)})")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TranscriptError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TranscriptError(f"{path}: is a folder, not a transcript file") from None
    except OSError as error:
        raise TranscriptError(f"{path}: cannot read: {error.strerror}") from None
    return read_text(_decode(raw, str(path), encoding), source=str(path), fmt=fmt,
                     operator=operator, operator_labels=operator_labels,
                     client_labels=client_labels, greeting_phrases=greeting_phrases,
                     direction=direction)


def read_text(
    text: str,
    *,
    source: str,
    fmt: str,
    operator: str | None = None,
    operator_labels: Iterable[str] = (),
    client_labels: Iterable[str] = (),
    greeting_phrases: Sequence[str] = (),
    direction: str | None = None,
) -> TranscriptDoc:
    """Parse already-decoded ``text`` of format ``fmt`` (text, json, vtt, srt); ``source``
    names it in messages. For tests and standard input; see :func:`read_transcript`."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise TranscriptError(f"{source}: the file is empty")
    labels = SpeakerLabels(operator_labels, client_labels)
    fmt = _FORMAT_ALIASES.get(fmt, fmt)
    warnings: list[str] = []
    if fmt == "text":
        utterances, warnings = parse_plain(text, source, labels, operator)
    elif fmt == "json":
        utterances, fmt = parse_json(text, source)
    elif fmt == "vtt":
        utterances = parse_vtt(text, source, labels)
    elif fmt == "srt":
        utterances = parse_srt(text, source, labels)
    else:
        raise TranscriptError(f"{source}: unknown transcript format {fmt!r} "
                              "(expected text, json, vtt or srt)")
    utterances = [u for u in utterances if has_words(u.text)]
    _require_speech(utterances, source)
    return build_document(utterances, fmt=fmt, source=source, labels=labels,
                          operator=operator, greeting_phrases=greeting_phrases,
                          direction=direction, warnings=warnings)


def _decode(raw: bytes, source: str, encoding: str | None) -> str:
    """Text of the file: UTF-8 (BOM or not), cp1251, UTF-16 with a BOM, or ``encoding``."""
    if (encoding is None and raw.startswith(_UTF16_BOMS)) or (
            encoding is not None and _is_wide(encoding)):
        # Notepad's «Unicode» is UTF-16: full of NUL bytes, and text all the same.
        return _decode_wide(raw, source, encoding or "utf-16")
    _refuse_binary(raw, source)
    if encoding is not None:
        try:
            return decode(raw, source=source, encoding=encoding)
        except InputFileError as error:
            raise TranscriptError(str(error)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass  # not UTF-8: cp1251, if it reads as Russian
    # Any byte string «decodes» as cp1251; a transcript that comes out mostly Latin with a
    # few Cyrillic letters is really Latin-1 or another code page, read wrongly.
    if _mostly_cyrillic(raw):
        try:
            return raw.decode("cp1251")
        except UnicodeDecodeError:
            pass  # byte 0x98, the one cp1251 leaves undefined
    raise TranscriptError(f"{source}: not UTF-8 or cp1251 text; give the encoding "
                          "with --encoding")


def _decode_wide(raw: bytes, source: str, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise TranscriptError(f"{source}: cannot decode as {encoding}: {error.reason} "
                              f"at byte {error.start}") from None


def _refuse_binary(raw: bytes, source: str) -> None:
    if b"\x00" in raw:
        raise TranscriptError(f"{source}: not a text file (it contains NUL bytes)")
    if len(raw.translate(None, _TEXT_BYTES)) * 100 > len(raw):
        raise TranscriptError(f"{source}: not a text file (it contains control bytes)")


def _mostly_cyrillic(raw: bytes) -> bool:
    """More than half the letters of ``raw``, read as cp1251, are Cyrillic; counted on the
    bytes because a regular expression over the decoded text costs a millisecond."""
    cyrillic = len(raw.translate(None, _NOT_CP1251_CYRILLIC))
    return cyrillic > 0 and cyrillic > len(raw.translate(None, _NOT_ASCII_LETTERS))


def _is_wide(encoding: str) -> bool:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False  # decode() reports the unknown codec
    return name.startswith(("utf-16", "utf-32"))


def _require_speech(utterances: list[Utterance], source: str) -> None:
    if not utterances:
        raise TranscriptError(f"{source}: no speech found in the file (no words after "
                              "reading it)")

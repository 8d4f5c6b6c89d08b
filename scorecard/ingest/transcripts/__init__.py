"""Transcript readers: plain text, Whisper and WhisperX JSON, WebVTT, SRT and DOCX.

Every reader turns a file into one :class:`~scorecard.domain.transcripts.TranscriptDoc`.
This module owns the entry points: choosing the reader by extension (and, for JSON, by
content), decoding the bytes, and the checks every format shares (empty, binary, no words).
The formats live in :mod:`.plain`, :mod:`.whisper`, :mod:`.cues` and :mod:`.docx`; who the
operator is is decided in :mod:`.speakers`. Every error is a :class:`TranscriptError` whose message
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
    Spoken,
    Utterance,
    speaker_labels,
    with_words,
)
from scorecard.ingest.transcripts.cues import parse_srt, parse_vtt
from scorecard.ingest.transcripts.plain import parse_plain
from scorecard.ingest.transcripts.speakers import build_document
from scorecard.ingest.transcripts.whisper import merge_channels, parse_json
from scorecard.tomlfiles import read_bytes

__all__ = [
    "CLIENT_LABELS",
    "EXTENSIONS",
    "OPERATOR_LABELS",
    "TranscriptError",
    "group_channels",
    "read_channels",
    "read_text",
    "read_transcript",
]

EXTENSIONS = {".txt": "text", ".json": "json", ".vtt": "vtt", ".srt": "srt", ".docx": "docx"}
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
    unknown_labels: Iterable[str] = (),
    encoding: str | None = None,
    greeting_phrases: Sequence[str] = (),
    direction: str | None = None,
    operator_channel: str | None = None,
) -> TranscriptDoc:
    """Read one transcript file; its extension (.txt, .json, .vtt, .srt, .docx) picks the
    reader (a DOCX is read as the text of its paragraphs and table rows).

    ``operator`` names the diarised speaker who is the operator (SPEAKER_01, a voice name);
    without it the operator is inferred from ``greeting_phrases`` and ``direction``
    (outbound/inbound). ``operator_labels`` / ``client_labels`` / ``unknown_labels`` add
    labels to the vocabulary. ``operator_channel`` names the operator's channel in a stereo
    transcript. ``encoding`` forces a codec instead of detecting UTF-8 / UTF-8-BOM / cp1251.
    """
    decoded, fmt = _file_text(path, encoding)
    return read_text(decoded, source=str(path), fmt=fmt,
                     operator=operator, operator_labels=operator_labels,
                     client_labels=client_labels, unknown_labels=unknown_labels,
                     greeting_phrases=greeting_phrases, direction=direction,
                     operator_channel=operator_channel)


def _file_text(path: Path, encoding: str | None) -> tuple[str, str]:
    """(the text of a transcript file, the format to read it as) by its extension: a DOCX
    is the text of its paragraphs and table rows, read as a text transcript."""
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise TranscriptError(f"{path}: unknown transcript type {path.suffix!r} "
                              f"(expected {', '.join(EXTENSIONS)})")
    if fmt == "docx":
        from scorecard.ingest.transcripts.docx import docx_text

        return docx_text(path), "text"
    raw = read_bytes(path, error=TranscriptError, what="transcript file")
    return _decode(raw, str(path), encoding), fmt


def read_text(
    text: str,
    *,
    source: str,
    fmt: str,
    operator: str | None = None,
    operator_labels: Iterable[str] = (),
    client_labels: Iterable[str] = (),
    unknown_labels: Iterable[str] = (),
    greeting_phrases: Sequence[str] = (),
    direction: str | None = None,
    operator_channel: str | None = None,
) -> TranscriptDoc:
    """Parse already-decoded ``text`` of format ``fmt`` (text, json, vtt, srt); ``source``
    names it in messages. For tests and standard input; see :func:`read_transcript`."""
    labels = speaker_labels(tuple(operator_labels), tuple(client_labels),
                            tuple(unknown_labels))
    utterances, fmt, warnings = _utterances(text, source, fmt, labels, operator)
    return build_document(utterances, fmt=fmt, source=source, labels=labels,
                          operator=operator, greeting_phrases=greeting_phrases,
                          direction=direction, warnings=warnings,
                          operator_channel=operator_channel)


def read_channels(
    paths: Sequence[Path],
    *,
    operator_channel: str | None = None,
    greeting_phrases: Sequence[str] = (),
    direction: str | None = None,
    encoding: str | None = None,
) -> TranscriptDoc:
    """One call recorded in stereo and transcribed channel by channel: ``call_L.txt`` and
    ``call_R.txt`` (or ``-in``/``-out``). Each file is one party; their turns are put in
    time order, so every file needs time codes. The channel named ``operator_channel`` is
    the operator; without it the operator is inferred as for diarised speakers."""
    labels = SpeakerLabels()
    merged: list[Utterance] = []
    source = " + ".join(str(path) for path in paths)
    for path in paths:
        found = channel_of(path)
        channel = found[1] if found else path.stem
        text, fmt = _file_text(path, encoding)
        utterances, _, _ = _utterances(text, str(path), fmt, labels, None)
        if isinstance(utterances, Spoken):
            utterances = utterances.rows()
        if any(u.start is None for u in utterances):
            raise TranscriptError(f"{path}: a channel's file needs a time code on every turn "
                                  "to be put in order with the other channel's")
        merged.extend(Utterance(f"channel {channel}", u.text, u.start, u.end, channel)
                      for u in utterances)
    return build_document(merge_channels(merged), fmt="channels", source=source,
                          labels=labels, operator=None, greeting_phrases=greeting_phrases,
                          direction=direction, operator_channel=operator_channel)


#: File-name endings that say which channel of a stereo recording a transcript is.
CHANNEL_SUFFIXES = {"_l": "left", "_r": "right", "-l": "left", "-r": "right",
                    "_left": "left", "_right": "right", "-in": "in", "-out": "out",
                    "_in": "in", "_out": "out"}


_CHANNEL_ENDINGS = tuple(CHANNEL_SUFFIXES)


def channel_of(path: Path) -> tuple[str, str] | None:
    """(the call's name without the channel, the channel) of ``call_L.txt``; None for a file
    that names no channel."""
    name = path.name[: len(path.name) - len(path.suffix)]
    lowered = name.casefold()
    if not lowered.endswith(_CHANNEL_ENDINGS):  # most files: one test, in C
        return None
    for suffix, channel in CHANNEL_SUFFIXES.items():
        if lowered.endswith(suffix) and len(name) > len(suffix):
            return name[: len(name) - len(suffix)] + path.suffix, channel
    return None


def group_channels(files: Sequence[Path]) -> list[tuple[Path, tuple[Path, ...]]]:
    """(the name a transcript goes by, its files): a file alone, or the two channel files
    of one call (``a_L.txt`` + ``a_R.txt`` go by ``a.txt``). A channel file without its
    other half is read alone."""
    halves: dict[tuple[Path, str], dict[str, Path]] = {}
    channels = list(map(channel_of, files))
    for path, found in zip(files, channels, strict=True):
        if found is not None:
            halves.setdefault((path.parent, found[0]), {})[found[1]] = path
    if not halves:  # no stereo call: each file is a transcript of its own
        return [(path, (path,)) for path in files]
    grouped: list[tuple[Path, tuple[Path, ...]]] = []
    done: set[Path] = set()
    for path, found in zip(files, channels, strict=True):
        if path in done:
            continue
        pair = halves.get((path.parent, found[0]), {}) if found else {}
        if found is not None and len(pair) == 2:
            grouped.append((path.parent / found[0], tuple(pair.values())))
            done.update(pair.values())
        else:
            grouped.append((path, (path,)))
    return grouped


def _utterances(text: str, source: str, fmt: str, labels: SpeakerLabels,
                operator: str | None) -> tuple[list[Utterance] | Spoken, str, list[str]]:
    """(utterances with words, the format found, warnings) of decoded ``text``."""
    text = text.removeprefix("\ufeff")
    if not text or text.isspace():
        raise TranscriptError(f"{source}: the file is empty")
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
    if not isinstance(utterances, Spoken):  # columns hold only utterances with words
        utterances = with_words(utterances)
    _require_speech(utterances.texts if isinstance(utterances, Spoken) else utterances,
                    source)
    return utterances, fmt, warnings


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
    try:  # the codec itself, not the utf-8-sig wrapper written in Python
        return (raw[len(codecs.BOM_UTF8):] if raw.startswith(codecs.BOM_UTF8)
                else raw).decode("utf-8")
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


def _require_speech(utterances: Sequence[object], source: str) -> None:
    if not utterances:
        raise TranscriptError(f"{source}: no speech found in the file (no words after "
                              "reading it)")

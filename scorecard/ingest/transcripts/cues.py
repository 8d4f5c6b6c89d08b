"""WebVTT and SRT: timed cues whose text may say who speaks.

Speakers come as WebVTT voice tags (``<v Анна>``, ``<v.loud Анна>``), as WhisperX-style
``[SPEAKER_00]: …`` prefixes, as role prefixes (``Оператор: …``), or as the names Zoom and
Teams put before each cue's text (``Ashlee Kupor (SL): …``: a name-like prefix that starts
at least two cues). Other markup (``<i>``,
``<c.x>``, ``<00:00:01.000>``, ``{\\an8}``) is dropped. Consecutive cues of one speaker are
one turn; cues that name nobody stay one turn each. A cue whose timing line is broken stops
the file with its line number: the times are what the grading screen plays from.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import chain

from scorecard.errors import TranscriptError
from scorecard.ingest.transcripts.base import (
    LABEL_PREFIX,
    SpeakerLabels,
    Utterance,
    clean,
    continued,
    has_words,
    label_key,
    looks_like_a_name,
    seconds,
)

# SRT writes 00:00:01,000 and WebVTT 00:00:01.000 or 00:01.000; each format's files turn up
# with the other's separator, and both are unambiguous.
_STAMP = r"(?:\d{1,3}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
_TIMING = re.compile(rf"\s*({_STAMP})\s*-->\s*({_STAMP})(?:[ \t].*)?")
_LOOKS_TIMED = re.compile(r"\s*\d+:\d")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_MARKUP = re.compile(r"<[^>]*>|\{\\[^}]*\}")
_VTT_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION")


def parse_vtt(text: str, source: str, labels: SpeakerLabels) -> list[Utterance]:
    """Utterances of a WebVTT file; the header, NOTE, STYLE and REGION blocks say nothing."""
    lines = _split_lines(text)
    first = lines[0].lstrip("\ufeff") if lines else ""
    if not (first.startswith("WEBVTT") and first[6:7] in ("", " ", "\t")):
        raise TranscriptError(f"{source}:1: not a WebVTT file (the first line must be WEBVTT)")
    blocks = _blocks(lines)
    first_line, header = next(blocks)  # WEBVTT and its metadata lines: nothing to read
    # Some writers leave out the blank line after the header; their first cue starts there.
    timed = next((i for i, line in enumerate(header) if "-->" in line), None)
    if timed is not None:
        blocks = chain([(first_line + timed, header[timed:])], blocks)
    cues = (block for block in blocks
            if block[1][0].split(maxsplit=1)[0] not in _VTT_SKIPPED_BLOCKS)
    return _utterances(cues, source, labels)


def parse_srt(text: str, source: str, labels: SpeakerLabels) -> list[Utterance]:
    """Utterances of an SRT file: numbered cues, each a timing line and its text."""
    return _utterances(_blocks(_split_lines(text)), source, labels)


def _split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number of the block's first line, its lines) for each run of non-blank lines."""
    block: list[str] = []
    first = 0
    for number, line in enumerate(lines, start=1):
        if line.strip():
            if not block:
                first = number
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _utterances(
    blocks: Iterator[tuple[int, list[str]]], source: str, labels: SpeakerLabels
) -> list[Utterance]:
    cues = [(first, *_cue(first, block, source)) for first, block in blocks]
    names = _recurring_names(payload for _, _, _, payload in cues)
    utterances: list[Utterance] = []
    for _, start, end, payload in cues:
        for label, words in _speech(payload, labels, names):
            last = utterances[-1] if utterances else None
            if last is not None and label is not None and last.label == label:
                utterances[-1] = continued(last, words, end)
            else:
                utterances.append(Utterance(label, words, start, end))
    return utterances


def _recurring_names(payloads: Iterable[list[str]]) -> frozenset[str]:
    """Name-like prefixes («John Smith:») that are Zoom's and Teams' speakers: those that
    start two or more cues, and every one in a file where most cues start with one. Once,
    in a file of bare cues, a capitalised word before a colon is as likely speech."""
    counts: Counter[str] = Counter()
    cues = 0
    for payload in payloads:
        cues += 1
        for line in payload:
            if ":" not in line or line.lstrip().startswith("["):
                continue  # no prefix, or a bracketed one: a speaker whatever the count
            prefix = LABEL_PREFIX.match(_MARKUP.sub("", line) if "<" in line else line)
            if prefix is not None and prefix.group(2) and looks_like_a_name(prefix.group(2)):
                counts[label_key(prefix.group(2))] += 1
    if sum(counts.values()) * 2 >= cues:
        return frozenset(counts)
    return frozenset(key for key, count in counts.items() if count >= 2)


def _cue(first: int, block: list[str], source: str) -> tuple[float, float, list[str]]:
    """(start, end, text lines) of a cue; its identifier, if any, is the line before timing."""
    at = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
    if at is None:
        # «1 / 00:00:01,000 -> 00:00:02,000» is a broken timing, not a missing one.
        at = next((i for i, line in enumerate(block[:2]) if _LOOKS_TIMED.match(line)), None)
    if at is None:
        raise TranscriptError(f"{source}:{first}: a cue without a timing line "
                              "(00:00:01.000 --> 00:00:04.000)")
    line_number = first + at
    timing = _TIMING.fullmatch(block[at].rstrip())
    start = seconds(timing.group(1)) if timing else None
    end = seconds(timing.group(2)) if timing else None
    if start is None or end is None:
        raise TranscriptError(f"{source}:{line_number}: broken timestamp {block[at].strip()!r} "
                              "(expected 00:00:01.000 --> 00:00:04.000)")
    if end < start:
        raise TranscriptError(f"{source}:{line_number}: the cue ends ({_clock(end)}) "
                              f"before it starts ({_clock(start)})")
    return start, end, block[at + 1:]


def _clock(value: float) -> str:
    minutes, rest = divmod(value, 60)
    hours, minutes = divmod(int(minutes), 60)
    return f"{hours:02d}:{minutes:02d}:{rest:06.3f}"


def _speech(payload: list[str], labels: SpeakerLabels,
            names: frozenset[str]) -> list[tuple[str | None, str]]:
    """(speaker label or None, text) runs of one cue; a voice tag or prefix changes speaker."""
    runs: list[tuple[str | None, str]] = []
    label: str | None = None
    for line in payload:
        # split() with a group alternates text and voice names: [text, name, text, ...]
        pieces = _VOICE.split(line)
        for index, piece in enumerate(pieces):
            if index % 2:
                label = clean(html.unescape(piece)) or label
                continue
            words = clean(html.unescape(_MARKUP.sub("", piece)))
            label, words = _prefixed(words, label, labels, names)
            if not has_words(words):
                continue  # a dialogue dash or an ellipsis alone would split a turn in two
            if runs and runs[-1][0] == label:
                runs[-1] = (label, f"{runs[-1][1]} {words}")
            else:
                runs.append((label, words))
    return runs


def _prefixed(words: str, label: str | None, labels: SpeakerLabels,
              names: frozenset[str]) -> tuple[str | None, str]:
    """Take a ``[SPEAKER_00]:``, ``Оператор:`` or recurring name prefix off ``words``; other
    colons are speech."""
    given = labels.given_prefix(words)
    if given is not None:
        return given[0], words[given[1]:]
    prefix = LABEL_PREFIX.match(words)
    if prefix is None:
        return label, words
    bracketed, plain = prefix.group(1), prefix.group(2)
    found = (bracketed or plain).strip()
    if bracketed is not None or labels.is_speaker(found) or label_key(found) in names:
        return found, words[prefix.end():]
    return label, words

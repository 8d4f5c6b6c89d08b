"""Plain-text transcripts: one turn per line, ``Оператор: …`` / ``Клиент: …``.

A line may start with a time code (``[00:01:23]`` or ``00:01:23``) and a speaker label;
a line without a label continues the turn before it. Speech may contain colons
(«цена такая: …»), so a prefix only counts as a label when it is short and looks like a
name; an unknown label in a labelled file stops the file — silently taking «Иван» for
either side would grade the wrong person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scorecard.errors import TranscriptError
from scorecard.ingest.transcripts.base import (
    LABEL_PREFIX,
    TIME,
    SpeakerLabels,
    Utterance,
    clean,
    label_key,
    seconds,
)

# A bracketed time code is always a time code; a bare one only when a label follows it,
# since «10:30 подойдёт» at the start of a wrapped line is speech.
_BRACKETED_TIME = re.compile(rf"\s*[\[(]({TIME})[\])]\s*")
_BARE_TIME = re.compile(rf"\s*({TIME})\s+")
_MAX_LABEL_WORDS = 3


@dataclass(slots=True)
class _Line:
    number: int
    start: float | None
    label: str | None
    """A label-like prefix, known or not."""
    known: bool
    """The label is a role or a diarised speaker."""
    body: str
    """The text after the label (or after the time code when there is no label)."""
    speech: str
    """The whole line after the time code: what a label-less file keeps."""


def parse_plain(
    text: str, source: str, labels: SpeakerLabels, operator: str | None
) -> tuple[list[Utterance], list[str]]:
    """Utterances of a text transcript, and warnings about it."""
    lines = [line for line in _lines(text, labels) if line.body or line.label]
    if any(line.known for line in lines):
        _refuse_unknown_labels(lines, source, operator)
        return _labelled(lines)
    named = [line for line in lines if line.label is not None]
    if len(named) >= 2 and len(named) * 2 >= len(lines):
        # Every other line starts «Анна:», «Иван:» — a labelled file whose labels are names.
        _refuse_unknown_labels(lines, source, operator)
        return _labelled(lines)
    # No labels at all: each line is a turn by nobody in particular, colons and all.
    return [Utterance(None, clean(line.speech), line.start) for line in lines], []


def _lines(text: str, labels: SpeakerLabels) -> list[_Line]:
    parsed: list[_Line] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if raw and not raw.isspace():
            parsed.append(_parse_line(number, raw, labels))
    return parsed


def _parse_line(number: int, raw: str, labels: SpeakerLabels) -> _Line:
    start = None
    rest = raw.lstrip()
    timed = _BRACKETED_TIME.match(raw)
    if timed is None:
        bare = _BARE_TIME.match(raw)
        if bare and LABEL_PREFIX.match(raw, bare.end()):
            timed = bare
    if timed:
        start = seconds(timed.group(1))
        rest = raw[timed.end():].lstrip()
    prefix = LABEL_PREFIX.match(rest)
    if prefix is None:
        return _Line(number, start, None, False, rest.strip(), rest)
    bracketed, plain = prefix.group(1), prefix.group(2)
    label = (bracketed or plain).strip()
    body = rest[prefix.end():].strip()
    if labels.is_speaker(label):
        return _Line(number, start, label, True, body, rest)
    if _looks_like_a_name(label, bracketed=bracketed is not None, timed=timed is not None):
        return _Line(number, start, label, False, body, rest)
    return _Line(number, start, None, False, rest.strip(), rest)


def _looks_like_a_name(label: str, *, bracketed: bool, timed: bool) -> bool:
    """«Иван Петров:» is a speaker nobody told us about; «цена такая:» is speech."""
    if bracketed:
        return True
    words = label.split()
    if not 1 <= len(words) <= _MAX_LABEL_WORDS or any(ch.isdigit() for ch in label):
        return False
    # After a time code the line is a turn, so what precedes the colon is its speaker.
    return timed or all(word[0].isupper() for word in words)


def _refuse_unknown_labels(lines: list[_Line], source: str, operator: str | None) -> None:
    """Stop at the first label that is neither a role nor diarised, unless the user named
    one of the file's labels as the operator: then the labels are names of speakers."""
    unknown = [line for line in lines if line.label is not None and not line.known]
    if not unknown:
        return
    if operator is not None and any(label_key(line.label or "") == label_key(operator)
                                    for line in unknown):
        return
    first = unknown[0]
    raise TranscriptError(
        f"{source}:{first.number}: unknown speaker label {first.label!r}; pass it as an "
        f"operator or client label (--operator-label {first.label!r} or --client-label "
        f"{first.label!r})")


def _labelled(lines: list[_Line]) -> tuple[list[Utterance], list[str]]:
    """One utterance per labelled line, with the unlabelled lines after it appended."""
    turns: list[tuple[str | None, list[str], float | None]] = []
    warnings: list[str] = []
    for line in lines:
        if line.label is not None:
            turns.append((line.label, [line.body], line.start))
        elif turns:
            turns[-1][1].append(line.body)  # a wrapped line: the same turn goes on
        else:
            warnings.append(f"line {line.number} has no speaker label; kept as an unknown "
                            "speaker's turn")
            turns.append((None, [line.body], line.start))
    utterances = [Utterance(label, clean(" ".join(parts)), start)
                  for label, parts, start in turns]
    return utterances, warnings

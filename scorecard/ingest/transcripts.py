"""Transcript readers: plain text, Whisper and WhisperX JSON, WebVTT and SRT.

Every reader turns a file into one :class:`~scorecard.domain.transcripts.TranscriptDoc`.
Speakers come either as roles (``Оператор:``, ``Client:``) or as diarised labels
(``SPEAKER_00``, a voice name); for the latter the operator is the label given by the user,
else the one who says the card's greeting, else the one who speaks first — and the
document says it was inferred. Errors name the file and, for text formats, the line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scorecard.domain.transcripts import CLIENT, OPERATOR, UNKNOWN, TranscriptDoc, Turn
from scorecard.ingest.encoding import InputFileError, decode

OPERATOR_LABELS = ("оператор", "менеджер", "operator", "agent")
CLIENT_LABELS = ("клиент", "client", "customer", "prospect")
FORMATS = {".txt": "text", ".json": "json", ".vtt": "vtt", ".srt": "srt"}

_DIARISED = re.compile(r"^speaker[_ ]?\d+$", re.IGNORECASE)
_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_TEXT_LINE = re.compile(
    rf"^\s*(?:\[?(?P<time>{_TIME})\]?\s+)?"
    r"(?:\[(?P<bracket>[^\]\n]{1,40})\]|(?P<label>[^\W\d_][\w.\- ]{0,29}?))\s*:\s?(?P<text>.*)$"
)
_CUE_TIMING = re.compile(rf"^\s*(?P<start>{_TIME})\s*-->\s*(?P<end>{_TIME})(?:\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")


class TranscriptError(InputFileError):
    """A transcript file that cannot be read; the message starts with the file's path."""


@dataclass(frozen=True)
class _Speech:
    label: str | None
    text: str
    start: float | None = None
    end: float | None = None


# -- entry points ---------------------------------------------------------------------------


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
    """Read one transcript file, choosing the reader by its extension."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise TranscriptError(f"{path}: unknown transcript type {path.suffix!r} "
                              f"(expected {', '.join(FORMATS)})")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TranscriptError(f"{path}: no such file") from None
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = decode(raw, source=str(path), encoding=encoding)
    except InputFileError as error:
        raise TranscriptError(str(error)) from None
    return read_text(text, source=str(path), fmt=fmt, operator=operator,
                     operator_labels=operator_labels, client_labels=client_labels,
                     greeting_phrases=greeting_phrases, direction=direction)


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
    """Parse decoded text of format ``fmt`` (text, json, vtt, srt)."""
    if not text.strip():
        raise TranscriptError(f"{source}: the file is empty")
    roles = _Roles(operator_labels, client_labels)
    if fmt == "text":
        speech, kind = _parse_text(text, source, roles), "text"
    elif fmt == "json":
        speech, kind = _parse_json(text, source)
    elif fmt == "vtt":
        speech, kind = _parse_cues(text, source, vtt=True), "vtt"
    elif fmt == "srt":
        speech, kind = _parse_cues(text, source, vtt=False), "srt"
    else:
        raise TranscriptError(f"{source}: unknown transcript format {fmt!r}")
    if not any(s.text.split() for s in speech):
        raise TranscriptError(f"{source}: no speech found in the file")
    return _assign_roles(speech, kind, source, roles, operator, greeting_phrases, direction)


# -- speakers -------------------------------------------------------------------------------


class _Roles:
    def __init__(self, operator_labels: Iterable[str], client_labels: Iterable[str]) -> None:
        self.operator = {label.casefold() for label in (*OPERATOR_LABELS, *operator_labels)}
        self.client = {label.casefold() for label in (*CLIENT_LABELS, *client_labels)}

    def role(self, label: str | None) -> str | None:
        if label is None:
            return None
        key = label.casefold()
        if key in self.operator:
            return OPERATOR
        if key in self.client:
            return CLIENT
        return None


def _assign_roles(
    speech: list[_Speech],
    kind: str,
    source: str,
    roles: _Roles,
    operator: str | None,
    greetings: Sequence[str],
    direction: str | None,
) -> TranscriptDoc:
    diarised = [s.label for s in speech if s.label is not None and roles.role(s.label) is None]
    labels = list(dict.fromkeys(diarised))
    warnings: list[str] = []
    operator_label, inferred = None, False
    if labels:
        if operator is not None:
            matching = [label for label in labels if label.casefold() == operator.casefold()]
            if not matching:
                raise TranscriptError(f"{source}: no speaker {operator!r} in the file; its "
                                      f"speakers are {', '.join(labels)}")
            operator_label = matching[0]
        else:
            operator_label, why = _infer_operator(speech, labels, greetings, direction)
            inferred = True
            warnings.append(f"operator inferred as {operator_label} ({why})")
        if len(labels) == 1:
            warnings.append(f"only one speaker ({labels[0]}) in the file")
    turns = []
    for s in speech:
        role = roles.role(s.label)
        if role is None:
            if s.label is None:
                role = UNKNOWN
            else:
                role = OPERATOR if s.label == operator_label else CLIENT
        turns.append(Turn(role, s.text, s.start, s.end, s.label))
    return TranscriptDoc(tuple(turns), kind, source, operator_label, inferred, tuple(warnings))


def _infer_operator(
    speech: list[_Speech], labels: list[str], greetings: Sequence[str], direction: str | None
) -> tuple[str, str]:
    from rapidfuzz import fuzz

    from scorecard.domain.detection import normalise

    phrases = [normalise(g) for g in greetings if g.strip()]
    if phrases:
        best_label, best_score = None, 0.0
        seen: dict[str, int] = {}
        for s in speech:
            if s.label not in labels:
                continue
            seen[s.label] = seen.get(s.label, 0) + 1
            if seen[s.label] > 4:  # the greeting comes early
                continue
            text = normalise(s.text)
            score = max(fuzz.partial_ratio(p, text) for p in phrases)
            if score > best_score:
                best_label, best_score = s.label, score
        if best_label is not None and best_score >= 85:
            return best_label, "said the greeting"
    first = next(s.label for s in speech if s.label in labels)
    assert first is not None
    why = "spoke first" if direction != "inbound" else "spoke first on an inbound call"
    return first, why


# -- plain text -------------------------------------------------------------------------------


def _parse_text(text: str, source: str, roles: _Roles) -> list[_Speech]:
    lines = text.splitlines()
    parsed = [(_TEXT_LINE.match(line), line) for line in lines]
    labelled = any(m and _label_of(m) and _is_speaker(_label_of(m), roles) for m, _ in parsed)
    speech: list[_Speech] = []
    for number, (match, line) in enumerate(parsed, start=1):
        if not line.strip():
            continue
        label = _label_of(match) if match else None
        if labelled and label is not None and not _is_speaker(label, roles):
            if _looks_like_label(label, match):
                raise TranscriptError(
                    f"{source}:{number}: unknown speaker label {label!r}; pass it with "
                    "--operator-label or --client-label")
            label = None
        if labelled and label is not None and match is not None:
            start = _seconds(match.group("time")) if match.group("time") else None
            speech.append(_Speech(label, match.group("text").strip(), start))
        elif speech and labelled:
            previous = speech[-1]
            speech[-1] = _Speech(previous.label, f"{previous.text} {line.strip()}".strip(),
                                 previous.start)
        else:
            speech.append(_Speech(None, line.strip()))
    return speech


def _label_of(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    label = match.group("bracket") or match.group("label")
    return label.strip() if label else None


def _is_speaker(label: str | None, roles: _Roles) -> bool:
    return label is not None and (roles.role(label) is not None or bool(_DIARISED.match(label)))


def _looks_like_label(label: str, match: re.Match[str] | None) -> bool:
    """«Иван Петров:» is a speaker nobody told us about; «цена такая:» is speech."""
    words = label.split()
    if match is not None and match.group("bracket"):
        return True
    return 1 <= len(words) <= 2 and all(w[:1].isupper() for w in words)


# -- Whisper / WhisperX JSON -------------------------------------------------------------------


def _parse_json(text: str, source: str) -> tuple[list[_Speech], str]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"{source}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list):
        raise TranscriptError(f"{source}: not a Whisper transcript (no \"segments\" list)")
    whisperx = any(isinstance(s, dict) and "speaker" in s for s in segments)
    speech: list[_Speech] = []
    for index, segment in enumerate(segments):
        if not isinstance(segment, dict) or not isinstance(segment.get("text"), str):
            raise TranscriptError(f"{source}: segment #{index + 1} has no text")
        start, end = segment.get("start"), segment.get("end")
        if not _is_number(start) or not _is_number(end) or end < start:
            raise TranscriptError(f"{source}: segment #{index + 1} has bad start/end times")
        label = segment.get("speaker")
        if whisperx and label is None and speech:
            label = speech[-1].label  # WhisperX leaves some segments unassigned
        text_ = segment["text"].strip()
        if whisperx and speech and speech[-1].label == label and label is not None:
            previous = speech[-1]
            speech[-1] = _Speech(label, f"{previous.text} {text_}".strip(), previous.start, end)
        else:
            speech.append(_Speech(label if whisperx else None, text_, float(start), float(end)))
    return speech, "whisperx" if whisperx else "whisper"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# -- WebVTT and SRT -----------------------------------------------------------------------------


def _parse_cues(text: str, source: str, *, vtt: bool) -> list[_Speech]:
    lines = text.splitlines()
    if vtt and not lines[0].lstrip("\ufeff").startswith("WEBVTT"):
        raise TranscriptError(f"{source}:1: a WebVTT file starts with WEBVTT")
    speech: list[_Speech] = []
    index = 1 if vtt else 0
    while index < len(lines):
        while index < len(lines) and not lines[index].strip():
            index += 1
        block_start = index
        while index < len(lines) and lines[index].strip():
            index += 1
        block = lines[block_start:index]
        if not block:
            continue
        if vtt and block[0].split(maxsplit=1)[0] in ("NOTE", "STYLE", "REGION"):
            continue
        timing_at = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if timing_at is None:
            raise TranscriptError(f"{source}:{block_start + 1}: a cue without a timing line "
                                  "(HH:MM:SS.mmm --> HH:MM:SS.mmm)")
        line_number = block_start + timing_at + 1
        match = _CUE_TIMING.match(block[timing_at])
        if match is None:
            raise TranscriptError(f"{source}:{line_number}: broken timestamp "
                                  f"{block[timing_at].strip()!r}")
        start, end = _seconds(match.group("start")), _seconds(match.group("end"))
        if end < start:
            raise TranscriptError(f"{source}:{line_number}: the cue ends before it starts")
        for label, words in _cue_lines(block[timing_at + 1:]):
            if speech and speech[-1].label == label and label is not None:
                previous = speech[-1]
                speech[-1] = _Speech(label, f"{previous.text} {words}".strip(),
                                     previous.start, end)
            else:
                speech.append(_Speech(label, words, start, end))
    return speech


def _cue_lines(lines: list[str]) -> Iterable[tuple[str | None, str]]:
    """(speaker label or None, text) for a cue's text; a voice tag may change speaker."""
    label: str | None = None
    parts: list[str] = []
    for raw in lines:
        voice = _VOICE.search(raw)
        if voice:
            if parts:
                yield label, " ".join(parts)
                parts = []
            label = voice.group(1).strip()
        line = _TAG.sub("", raw).strip()
        prefix = _TEXT_LINE.match(line)
        found = _label_of(prefix) if prefix else None
        if found and (_DIARISED.match(found) or found.casefold() in
                      (*OPERATOR_LABELS, *CLIENT_LABELS) or prefix.group("bracket")):
            if parts:
                yield label, " ".join(parts)
                parts = []
            label = found
            line = prefix.group("text").strip()
        if line:
            parts.append(line)
    if parts:
        yield label, " ".join(parts)


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    seconds = float(parts[-1])
    minutes = int(parts[-2]) if len(parts) >= 2 else 0
    hours = int(parts[-3]) if len(parts) >= 3 else 0
    return hours * 3600 + minutes * 60 + seconds

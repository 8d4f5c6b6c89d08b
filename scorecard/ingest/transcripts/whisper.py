"""OpenAI Whisper and WhisperX JSON: ``{"segments": [{"start", "end", "text", ...}]}``.

Whisper's segments have no speaker: each is a turn of its own. WhisperX adds
``"speaker": "SPEAKER_00"`` (a file with any such segment is WhisperX); consecutive segments
of one speaker are one turn, and a segment diarisation left without a speaker belongs to the
speaker before it — it is nearly always the tail of the same sentence. Stereo recognisers
tag each segment with its audio channel instead (``"channel"``, ``"channel_tag"``,
``"channelTag"``): the channel is then the speaker (``channel 0``) and its roles come from
``operator_channel``.
"""

from __future__ import annotations

import json
import math
from typing import Any

from scorecard.errors import TranscriptError
from scorecard.ingest.transcripts.base import Utterance, clean, continued


def parse_json(text: str, source: str) -> tuple[list[Utterance], str]:
    """Utterances and the format found: ``whisper`` or ``whisperx``."""
    segments = _segments(text, source)
    whisperx = any(isinstance(segment, dict) and "speaker" in segment for segment in segments)
    stereo = not whisperx and any(isinstance(segment, dict) and _channel(segment) is not None
                                  for segment in segments)
    utterances: list[Utterance] = []
    speaker: str | None = None
    channel: str | None = None
    for number, segment in enumerate(segments, start=1):
        words, start, end = _segment(segment, number, len(segments), source)
        if whisperx:
            speaker = _speaker(segment, speaker, number, source)
        elif stereo:
            channel = _channel(segment) or channel
            speaker = None if channel is None else f"channel {channel}"
        if not words:
            continue  # Whisper writes empty segments over silence
        last = utterances[-1] if utterances else None
        if whisperx and last is not None and speaker is not None and last.label == speaker:
            utterances[-1] = continued(last, words, end)
        else:
            utterances.append(Utterance(speaker, words, start, end, channel))
    if stereo:
        utterances = merge_channels(utterances)
    return utterances, "whisperx" if whisperx else ("channels" if stereo else "whisper")


def merge_channels(utterances: list[Utterance]) -> list[Utterance]:
    """Segments of two channels in time order (exports list them channel by channel),
    consecutive ones of a channel joined into one turn."""
    merged: list[Utterance] = []
    for utterance in sorted(utterances, key=lambda u: (u.start is None, u.start or 0.0)):
        last = merged[-1] if merged else None
        if last is not None and last.channel == utterance.channel:
            merged[-1] = continued(last, utterance.text, utterance.end)
        else:
            merged.append(utterance)
    return merged


_CHANNEL_KEYS = ("channel", "channel_tag", "channelTag", "channel_index", "channelIndex")


def _channel(segment: dict[str, Any]) -> str | None:
    for key in _CHANNEL_KEYS:
        value = segment.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return str(value).strip()
    return None


def _segments(text: str, source: str) -> list[Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise TranscriptError(f"{source}:{error.lineno}: not valid JSON: {error.msg} "
                              f"(column {error.colno})") from None
    except ValueError as error:  # a number of thousands of digits: int() refuses it
        raise TranscriptError(f"{source}: not valid JSON: {error}") from None
    except RecursionError:  # arrays nested thousands deep: the parser recurses
        raise TranscriptError(f"{source}: not valid JSON: nested too deeply") from None
    segments = data.get("segments") if isinstance(data, dict) else None
    if not isinstance(segments, list):
        raise TranscriptError(f'{source}: not a Whisper transcript (no "segments" list)')
    return segments


def _segment(
    segment: Any, number: int, count: int, source: str
) -> tuple[str, float | None, float | None]:
    """(text, start, end) of one segment; times may be absent but not wrong."""
    where = f"{source}: segment {number} of {count}"
    if not isinstance(segment, dict) or not isinstance(segment.get("text"), str):
        raise TranscriptError(f'{where} has no "text"; not a Whisper transcript')
    start, end = (_seconds(segment.get(name), name, where) for name in ("start", "end"))
    if start is not None and end is not None and end < start:
        raise TranscriptError(f"{where} ends ({segment['end']}) before it starts "
                              f"({segment['start']})")
    return clean(segment["text"]), start, end


def _seconds(value: Any, name: str, where: str) -> float | None:
    """A segment's time as seconds; TranscriptError for anything that is not one (a text,
    a negative number, NaN, or an integer of hundreds of digits no float holds)."""
    if value is None:
        return None
    seconds: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            seconds = float(value)
        except OverflowError:
            seconds = None
    if seconds is None or not math.isfinite(seconds) or seconds < 0:
        shown = repr(value)
        shown = shown if len(shown) <= 40 else f"{shown[:20]}… ({len(shown)} characters)"
        raise TranscriptError(f"{where}: {name} is {shown}, not a time in seconds")
    return seconds


def _speaker(segment: dict[str, Any], previous: str | None, number: int, source: str) -> str | None:
    label = segment.get("speaker")
    if label is None:
        return previous
    if not isinstance(label, str) or not label.strip():
        raise TranscriptError(f"{source}: segment {number}: speaker is {label!r}, not a label")
    return label.strip()

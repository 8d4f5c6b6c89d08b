"""Recordings found for calls in a folder, by the names PBXs give them.

Asterisk's MixMonitor (and FreePBX) name a recording after the call, ending with the
channel's uniqueid: ``out-79161234567-211-20260302-100000-1772445600.10.wav``, or just
``1772445600.10.wav``; FreeSWITCH records to ``<uuid>.wav``. A call matches the recording
whose name ends with its key, one of its legs' ids, or that has the name the call record
gave (FreePBX's ``recordingfile``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.errors import InputFileError
from scorecard.ingest.cdr.asterisk import kept_row
from scorecard.ingest.cdr.records import RAW_SEPARATOR, CallRecord

AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".gsm", ".ogg", ".opus", ".flac", ".m4a", ".wav49"})
_TRAILING_ID = re.compile(r"(?:^|[-_])(\d{9,11}\.\d+)$")
#: Where each reader writes a leg's own id (Asterisk's uniqueid, FreeSWITCH's uuid).
_LEG_ID = {"asterisk": 16, "freeswitch": 10}


@dataclass
class RecordingIndex:
    by_key: dict[str, Path] = field(default_factory=dict)
    by_name: dict[str, Path] = field(default_factory=dict)

    def find(self, keys: Sequence[str], name: str | None) -> Path | None:
        if name and (found := self.by_name.get(os.path.basename(name))) is not None:
            return found
        return next((self.by_key[key] for key in keys if key in self.by_key), None)


def index_recordings(folder: Path) -> RecordingIndex:
    """Every audio file under ``folder`` (sub-folders too: FreePBX keeps YYYY/MM/DD)."""
    if not folder.is_dir():
        raise InputFileError(f"{folder}: no such folder (--recordings)")
    index = RecordingIndex()
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in AUDIO_SUFFIXES or not path.is_file():
            continue
        found = path.resolve()
        index.by_name.setdefault(path.name, found)
        stem = path.name[: -len(path.suffix)]
        index.by_key.setdefault(stem, found)
        if (match := _TRAILING_ID.search(stem)) is not None:
            index.by_key.setdefault(match.group(1), found)
    return index


def attach_recordings(calls: list[CallRecord], index: RecordingIndex,
                      source: str) -> tuple[list[CallRecord], int]:
    """The calls with the recordings found for them, and how many found one."""
    position = _LEG_ID.get(source)
    matched = 0
    attached = []
    for call in calls:
        keys = [call.external_id]
        if position is not None:
            for leg in call.legs or (call,):
                if not leg.raw:
                    continue
                fields = kept_row(leg.raw) if source == "asterisk" else leg.raw.split(
                    RAW_SEPARATOR)
                if position < len(fields) and fields[position]:
                    keys.append(fields[position])
        found = index.find(keys, call.recording)
        if found is not None:
            matched += 1
            call = call._replace(recording=str(found))
        attached.append(call)
    return attached, matched

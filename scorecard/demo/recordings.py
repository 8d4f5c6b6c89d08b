"""Recordings for a few demo calls, so the player has something to play.

The demo's calls name recordings the way a PBX does (``recordings/2026/11/20/201-0001.wav``)
but none exist. For the first calls of the listener's queue this writes a WAV as long as the
call (a soft beep every few seconds over silence: 4 kHz, 8-bit, mono, 4 KB a second) and
points the call at it, so playing, pausing and seeking work in the demo as on real calls.
"""

from __future__ import annotations

import math
import wave
from pathlib import Path

from sqlmodel import col, select

from scorecard.db.engine import Database
from scorecard.db.models import Assignment, Call, User

RATE = 4000
LONGEST = 300
"""Seconds: a longer call's recording stops here (it stays a demo)."""


def write_recordings(database: Database, folder: Path, *, count: int = 6) -> int:
    """Write recordings for the first ``count`` calls of qa's queue into ``folder``; how
    many were written."""
    with database.session() as session:
        calls = session.exec(
            select(Call).join(Assignment, col(Assignment.call_id) == col(Call.id))
            .join(User, col(User.id) == col(Assignment.assignee_id))
            .where(User.login == "qa", col(Call.recording_path).is_not(None))
            .order_by(col(Assignment.id)).limit(count)).all()
        for call in calls:
            assert call.recording_path is not None
            path = folder / call.recording_path
            path.parent.mkdir(parents=True, exist_ok=True)
            write_wav(path, min(call.talk_seconds, LONGEST))
            call.recording_path = str(path)
        return len(calls)


def write_wav(path: Path, seconds: int) -> None:
    """``seconds`` of silence with a short soft beep every three seconds."""
    beep = bytes(128 + int(24 * math.sin(2 * math.pi * 660 * n / RATE))
                 for n in range(RATE // 8))
    quiet = bytes([128]) * (3 * RATE - len(beep))
    second = (beep + quiet) * (seconds // 3 + 1)
    with wave.open(str(path), "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(1)
        recording.setframerate(RATE)
        recording.writeframes(second[:seconds * RATE])

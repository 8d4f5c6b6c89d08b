"""Short WAV recordings written by the tests, and mpv for the tests that drive it."""

from __future__ import annotations

import math
import os
import shutil
import struct
import wave
from pathlib import Path

import pytest


def write_wav(path: Path, seconds: float, *, rate: int = 8000) -> Path:
    """A mono tone of ``seconds``: small, and real enough for any player."""
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(rate)
        recording.writeframes(b"".join(
            struct.pack("<h", int(1500 * math.sin(2 * math.pi * 440 * n / rate)))
            for n in range(frames)))
    return path


def need_mpv() -> None:
    """Skip without mpv, except in CI, which installs it: there a missing mpv fails."""
    if shutil.which("mpv") is None:
        if os.environ.get("CI"):
            pytest.fail("mpv is required in CI (apt-get install mpv)")
        pytest.skip("mpv is not installed")

"""Playing a call's recording with whatever player the system has.

mpv and ffplay start at a time code; aplay cannot seek, so it plays from the start and the
listener is told so. The player runs detached: closing it never touches the app.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from scorecard.errors import PlaybackError

PLAYERS = ("mpv", "ffplay", "aplay")


@dataclass(frozen=True)
class Playback:
    player: str
    seeks: bool
    """False when the player started from the beginning instead of the time code."""


def recording_file(recording: str | None) -> Path:
    """The call's recording as a file that is there; raises :class:`PlaybackError`."""
    if not recording:
        raise PlaybackError("grading.no_recording")
    path = Path(recording).expanduser()
    if not path.is_file():
        raise PlaybackError("grading.recording_missing", path=str(path))
    return path


def player_command(player: str, path: Path, start: float) -> list[str]:
    seconds = f"{max(0.0, start):.1f}"
    if player == "mpv":
        return ["mpv", "--no-video", "--really-quiet", f"--start={seconds}", str(path)]
    if player == "ffplay":
        return ["ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet", "-ss", seconds,
                str(path)]
    return [player, "-q", str(path)]


def play(recording: str | None, start: float, *, players: tuple[str, ...] = PLAYERS) -> Playback:
    """Start playing ``recording`` from ``start`` seconds; raises :class:`PlaybackError`."""
    path = recording_file(recording)
    player = next((p for p in players if shutil.which(p)), None)
    if player is None:
        raise PlaybackError("grading.no_player")
    subprocess.Popen(  # noqa: S603 - the command is built from a fixed list of players
        player_command(player, path, start), stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    return Playback(player, seeks=player != "aplay")

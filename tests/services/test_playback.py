"""Playing a recording: the player's command line, and why a call cannot be played."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorecard.services.playback import PlaybackError, play, player_command


def test_players_start_at_the_time_code() -> None:
    path = Path("/rec/1.wav")
    assert "--start=65.5" in player_command("mpv", path, 65.5)
    assert player_command("ffplay", path, 3)[-3:] == ["-ss", "3.0", "/rec/1.wav"]
    assert player_command("aplay", path, 30) == ["aplay", "-q", "/rec/1.wav"]


def test_why_a_recording_cannot_play(tmp_path: Path) -> None:
    with pytest.raises(PlaybackError) as caught:
        play(None, 0)
    assert caught.value.key == "grading.no_recording"
    with pytest.raises(PlaybackError) as caught:
        play(str(tmp_path / "missing.wav"), 0)
    assert caught.value.key == "grading.recording_missing"
    recording = tmp_path / "call.wav"
    recording.write_bytes(b"RIFF")
    with pytest.raises(PlaybackError) as caught:
        play(str(recording), 0, players=("no-such-player-here",))
    assert caught.value.key == "grading.no_player"


def test_a_found_player_is_started(tmp_path: Path) -> None:
    recording = tmp_path / "call.wav"
    recording.write_bytes(b"RIFF")
    playback = play(str(recording), 12, players=("true",))  # a real program that exits at once
    assert playback.player == "true" and playback.seeks

"""mpv driven over its JSON IPC: a real mpv on a WAV the test writes, sound going nowhere."""

from __future__ import annotations

import asyncio
import stat
import tempfile
from pathlib import Path

import pytest

from scorecard.services.mpv import SPEEDS, MpvPlayer, PlayerState
from scorecard.services.playback import PlaybackError
from tests.audio import need_mpv, write_wav


async def next_state(player: MpvPlayer, states, condition, timeout: float = 5.0) -> PlayerState:
    async def wait() -> PlayerState:
        async for state in states:
            if condition(state):
                return state
        raise AssertionError("mpv went away")

    return await asyncio.wait_for(wait(), timeout)


async def test_play_pause_seek_speed_and_close(tmp_path: Path) -> None:
    need_mpv()
    recording = write_wav(tmp_path / "call.wav", 30)
    player = await MpvPlayer.start(recording, start=10, audio_output="null")
    folder = player._folder
    try:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # nobody else can steer it
        states = player.states()
        state = await next_state(player, states, lambda s: s.position >= 10 and s.duration)
        assert state.duration == pytest.approx(30, abs=0.1)
        assert 10 <= state.position < 12 and not state.paused
        await player.toggle_pause()
        await next_state(player, states, lambda s: s.paused)
        await player.seek(5)
        state = await next_state(player, states, lambda s: s.position >= 15)
        assert state.position < 17
        await player.seek(-10)
        await next_state(player, states, lambda s: s.position < 8)
        assert await player.next_speed() == SPEEDS[1]
        await next_state(player, states, lambda s: s.speed == SPEEDS[1])
        await player.seek_to(25)  # a jump to a turn also plays
        await next_state(player, states, lambda s: s.position >= 25 and not s.paused)
        await next_state(player, states, lambda s: s.ended, timeout=10)
        await player.toggle_pause()  # at the end, play means: from the start
        await next_state(player, states, lambda s: s.position < 2 and not s.ended)
    finally:
        await player.close()
    assert not player.running and not folder.exists()


async def test_a_file_mpv_cannot_play_is_a_message_not_a_hang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_mpv()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot a recording at all")
    with pytest.raises(PlaybackError) as caught:
        await MpvPlayer.start(broken, audio_output="null")
    assert caught.value.key == "grading.player_failed"
    assert not list(Path(tmp_path).glob("scorecard-mpv-*"))

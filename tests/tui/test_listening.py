"""Listening with control: the grading screen drives a real mpv (sound going nowhere) and
the transcript follows the recording."""

from __future__ import annotations

import time
from pathlib import Path

from scorecard.db.models import Call
from scorecard.tui.screens.grading import GradingScreen
from scorecard.tui.widgets.player import PlayerBar
from scorecard.tui.widgets.transcript import TranscriptView
from tests.audio import need_mpv, write_wav
from tests.factories import make_test_app, open_first_call, wait_for


def with_recording(database, call_id: int, path: Path) -> None:
    with database.session() as session:
        call = session.get(Call, call_id)
        call.recording_path = str(path)
        session.add(call)


async def test_play_pause_seek_speed_and_the_turn_being_played(graded_db, tmp_path) -> None:
    need_mpv()
    database, ids = graded_db
    with_recording(database, ids["call1"], write_wav(tmp_path / "call1.wav", 60))
    app = make_test_app(database, language="en", audio_output="null")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        bar = screen.query_one(PlayerBar)
        transcript = screen.query_one(TranscriptView)
        keys = {b.binding.action for b in screen.active_bindings.values()}
        assert "pause" not in keys  # nothing to steer yet
        await pilot.press("r")  # from the greeting's evidence, turn 0
        await wait_for(lambda: bar.active and bar._player.state.duration)
        player = bar._player
        assert {"pause", "seek(5)", "speed"} <= {b.binding.action
                                                 for b in screen.active_bindings.values()}
        await pilot.press("l", "l", "l", "l")  # +20 s
        await wait_for(lambda: player.state.position >= 20)
        await wait_for(lambda: transcript.playing == transcript.turn_at_time(
            player.state.position))
        assert transcript.playing > 0
        await pilot.press("k")
        await wait_for(lambda: player.state.paused)
        assert "⏸" in str(bar.render())
        await pilot.press("s")
        await wait_for(lambda: player.state.speed == 1.25)
        await wait_for(lambda: "×1.25" in str(bar.render()))
        await pilot.press("j", "j")
        await wait_for(lambda: player.state.position < 18)
        # r jumps to the selected item's evidence: the meeting, said in turn 12
        meeting = next(key for key, s in screen.view.suggestions.items()
                       if s.found and s.turn and s.turn >= 8)
        screen.query_one("#checklist").move_to(meeting)
        turn = screen.view.suggestions[meeting].turn
        start = transcript.turn_start(turn)
        # Timed from before the key: on a busy machine the press itself may take seconds,
        # with mpv already playing on from the turn.
        pressed = time.monotonic()
        await pilot.press("r")

        def jumped() -> bool:
            # Playing on from the turn's start: on a busy machine the first look may come
            # seconds later, so the position may be that far past it (at ×1.25).
            since = 1.5 + 1.25 * (time.monotonic() - pressed)
            return (not player.state.paused
                    and start - 1.5 <= player.state.position <= start + since)

        await wait_for(jumped, seen=lambda: (player.state, start, time.monotonic() - pressed))
        await wait_for(lambda: transcript.playing is not None and transcript.playing >= turn)
        process = player._process
        await pilot.press("escape")  # leaving the call stops mpv and removes its socket
        await wait_for(lambda: not isinstance(app.screen, GradingScreen))
        await wait_for(lambda: process.returncode is not None)
        assert not player._folder.exists() and not bar.active
        assert transcript.playing is None


async def test_quitting_while_playing_stops_mpv(graded_db, tmp_path) -> None:
    need_mpv()
    database, ids = graded_db
    with_recording(database, ids["call1"], write_wav(tmp_path / "call1.wav", 30))
    app = make_test_app(database, audio_output="null")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        await pilot.press("r")
        bar = screen.query_one(PlayerBar)
        await wait_for(lambda: bar.active)
        player = bar._player
        await pilot.press("ctrl+q")
    assert player._process.returncode is not None and not player._folder.exists()


async def test_no_recording_and_the_browser(graded_db, monkeypatch) -> None:
    database, _ = graded_db
    app = make_test_app(database)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first_call(pilot)
        await pilot.press("r")
        await wait_for(lambda: any("no recording" in str(n.message)
                                   for n in app._notifications))
        assert not screen.query_one(PlayerBar).active
        # Served to a browser, the audio would play on the server: the key is not offered.
        monkeypatch.setattr(type(app), "is_web", property(lambda self: True))
        screen.refresh_bindings()
        assert "play" not in {b.binding.action for b in screen.active_bindings.values()}

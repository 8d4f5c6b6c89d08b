"""The recording under the transcript: mpv driven from the grading screen's keys.

Where mpv is installed the bar starts it on a worker, steers it (pause, ±5 s, speed, a
jump to a turn) and says where it is; each new position goes to the screen as a message,
so the transcript can mark the turn being played. Without mpv the recording is handed to
whatever player the system has, without control, as before. The app served to a browser
offers no playback (the screen does not show the key): audio on the server's speakers
would reach no one. Over SSH the recording would play on the remote machine, so the bar
says that instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.message import Message
from textual.widgets import Static

from scorecard.services.playback import PlaybackError, recording_file
from scorecard.tui.problems import tell_from_thread
from scorecard.tui.widgets.transcript import clock

if TYPE_CHECKING:
    from scorecard.services.mpv import MpvPlayer, PlayerState
    from scorecard.tui.app import ScorecardApp


class PlayerBar(Static):
    """One line: ▶ or ⏸, the position, the length and the speed; hidden when idle."""

    DEFAULT_CSS = """
    PlayerBar {
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $text;
        display: none;
    }
    PlayerBar.-active { display: block; }
    """

    @dataclass
    class Moved(Message):
        """The recording reached ``position`` seconds (posted when the second changes)."""

        position: float

    @dataclass
    class Changed(Message):
        """Control started or stopped: the keys that steer it come and go."""

        active: bool

    app: ScorecardApp

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self._player: MpvPlayer | None = None
        self._second: int | None = None

    @property
    def active(self) -> bool:
        """True while mpv plays (or holds) a recording under this bar's control."""
        return self._player is not None

    def play(self, recording: str | None, start: float) -> None:
        """Play ``recording`` from ``start`` seconds, or jump there if it is playing."""
        t = self.app.t
        if self._player is not None:
            self.run_worker(self._player.seek_to(start), group="player-control")
            return
        if os.environ.get("SSH_CONNECTION"):
            self.notify(t("grading.player_remote"), severity="warning")
            return
        try:
            path = recording_file(recording)
        except PlaybackError as exc:
            self.notify(exc.message(t), severity="warning")
            return
        from scorecard.services import mpv

        if mpv.available():
            self._listen(path, start)
        else:
            self._play_detached(path, start)

    def toggle_pause(self) -> None:
        if self._player is not None:
            self.run_worker(self._player.toggle_pause(), group="player-control")

    def seek(self, seconds: float) -> None:
        if self._player is not None:
            self.run_worker(self._player.seek(seconds), group="player-control")

    def next_speed(self) -> None:
        if self._player is not None:
            self.run_worker(self._player.next_speed(), group="player-control")

    async def stop(self) -> None:
        """Stop the recording and mpv with it (leaving the call, quitting)."""
        player, self._player = self._player, None
        self.workers.cancel_group(self, "player")
        if player is not None:
            await player.close()
            self._stopped()

    # -- mpv -------------------------------------------------------------------------------

    @work(exclusive=True, group="player", exit_on_error=False)
    async def _listen(self, path: Path, start: float) -> None:
        from scorecard.services.mpv import MpvPlayer

        try:
            player = await MpvPlayer.start(path, start=start,
                                           audio_output=self.app.settings.audio_output)
        except PlaybackError as exc:
            self.notify(exc.message(self.app.t), severity="warning")
            return
        self._player = player
        self._second = None
        self.add_class("-active")
        self.post_message(self.Changed(True))
        try:
            async for state in player.states():
                self._show(state)
        finally:
            await player.close()
            if self._player is player:  # mpv ended by itself, not by stop()
                self._player = None
                self._stopped()

    def _show(self, state: PlayerState) -> None:
        mark = "⏸" if state.paused or state.ended else "▶"
        length = f" / {clock(state.duration)}" if state.duration else ""
        speed = f"  ×{state.speed:g}" if abs(state.speed - 1.0) > 0.01 else ""
        self.update(f"{mark} {clock(state.position)}{length}{speed}    "
                    + self.app.t("grading.player_keys"))
        second = int(state.position)
        if second != self._second:  # mpv reports ~20 times a second; the screen needs 1
            self._second = second
            self.post_message(self.Moved(state.position))

    def _stopped(self) -> None:
        self.remove_class("-active")
        self.update("")
        self.post_message(self.Changed(False))

    # -- no mpv ----------------------------------------------------------------------------

    @work(thread=True, group="player-detached", exit_on_error=False)
    def _play_detached(self, path: Path, start: float) -> None:
        from scorecard.services.playback import play

        app = self.app
        try:
            playback = play(str(path), start)
        except PlaybackError as exc:
            app.call_from_thread(self.notify, exc.message(app.t), severity="warning")
            return
        except OSError as exc:
            tell_from_thread(app, exc, "playing")
            return
        key = "grading.playing" if playback.seeks else "grading.playing_from_start"
        app.call_from_thread(self.notify, app.t(key, player=playback.player,
                                                time=clock(start)))

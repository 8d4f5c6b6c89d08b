"""A recording played in mpv and driven over mpv's JSON IPC: pause, seek, speed, position.

mpv runs as a child process without a terminal of its own (the app owns the terminal) and
listens on a Unix socket in a private folder (mode 0700, made for this one playback), so
no other user of the machine can steer it. It follows the position it reports; closing the
player stops mpv and removes the folder, and on Linux mpv also dies with the app should the
app be killed. Windows has no Unix sockets for asyncio: there the app falls back to starting
a player without control (see :mod:`scorecard.services.playback`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from pathlib import Path

from scorecard.services.playback import PlaybackError

SPEEDS = (1.0, 1.25, 1.5)
"""The speeds a listener steps through."""
_OBSERVED = ("time-pos", "pause", "speed", "duration", "eof-reached")
_START_TIMEOUT = 5.0


def available() -> bool:
    """True where mpv is installed and can be driven (a Unix socket is needed)."""
    return sys.platform != "win32" and shutil.which("mpv") is not None


@dataclass(frozen=True)
class PlayerState:
    """What mpv last reported."""

    position: float = 0.0
    paused: bool = False
    speed: float = 1.0
    duration: float | None = None
    ended: bool = False


class MpvPlayer:
    """One recording playing in mpv. Use :meth:`start`; always :meth:`close` it."""

    def __init__(self, process: asyncio.subprocess.Process, folder: Path,
                 reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._process = process
        self._folder = folder
        self._reader = reader
        self._writer = writer
        self.state = PlayerState()

    @classmethod
    async def start(cls, recording: Path, *, start: float = 0.0,
                    audio_output: str | None = None) -> MpvPlayer:
        """Start mpv on ``recording`` at ``start`` seconds; raises :class:`PlaybackError`."""
        folder = Path(tempfile.mkdtemp(prefix="scorecard-mpv-"))  # 0700: this user only
        socket = folder / "socket"
        command = [
            "mpv", "--no-terminal", "--no-video", "--force-window=no", "--keep-open=yes",
            "--idle=no", f"--input-ipc-server={socket}", f"--start={max(0.0, start):.2f}",
            *([f"--ao={audio_output}"] if audio_output else []), "--", str(recording),
        ]
        try:
            process = await asyncio.create_subprocess_exec(
                *command, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL, start_new_session=True,
                preexec_fn=_death_signal())
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise PlaybackError("grading.player_failed", error=exc.strerror or str(exc)) from None
        try:
            reader, writer = await _connect(socket, process)
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        player = cls(process, folder, reader, writer)
        try:
            for number, name in enumerate(_OBSERVED, start=1):
                await player._send("observe_property", number, name)
            await player._loaded()
        except BaseException:
            await player.close()
            raise
        return player

    # -- control ---------------------------------------------------------------------------

    async def toggle_pause(self) -> None:
        if self.state.ended:  # at the end a "play" means: from the start again
            await self.seek_to(0.0)
            await self._send("set_property", "pause", False)
            return
        await self._send("cycle", "pause")

    async def seek(self, seconds: float) -> None:
        """Move by ``seconds`` (negative: back), within the recording."""
        await self._send("seek", seconds, "relative+exact")

    async def seek_to(self, seconds: float) -> None:
        await self._send("seek", max(0.0, seconds), "absolute+exact")
        await self._send("set_property", "pause", False)

    async def next_speed(self) -> float:
        """Step to the next of :data:`SPEEDS` (after the last, back to the first)."""
        following = [s for s in SPEEDS if s > self.state.speed + 0.01]
        speed = following[0] if following else SPEEDS[0]
        await self._send("set_property", "speed", speed)
        return speed

    async def states(self) -> AsyncIterator[PlayerState]:
        """Each new state as mpv reports it, until mpv goes away."""
        while True:
            try:
                line = await self._reader.readline()
            except ConnectionError:
                # mpv quitting with replies unread resets the socket instead of closing it
                return
            if not line:
                return
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if not isinstance(event, dict) or event.get("event") != "property-change":
                continue
            changed = _apply(self.state, event.get("name"), event.get("data"))
            if changed is not None and changed != self.state:
                self.state = changed
                yield changed

    async def _loaded(self) -> None:
        """Wait until mpv knows the recording's length: mpv listens before it has read the
        file, and a file it cannot play ends it only then."""
        states = self.states()
        try:
            async with asyncio.timeout(_START_TIMEOUT):
                async for state in states:
                    if state.duration is not None:
                        return
        except TimeoutError:
            raise PlaybackError("grading.player_failed", error="mpv did not answer") from None
        finally:
            await states.aclose()
        raise PlaybackError("grading.player_failed", error="not a recording mpv can play")

    @property
    def running(self) -> bool:
        return self._process.returncode is None

    async def close(self) -> None:
        """Stop mpv (politely, then not) and remove the socket's folder."""
        try:
            if self.running:
                with contextlib.suppress(OSError, ConnectionError):
                    await self._send("quit")
                try:
                    await asyncio.wait_for(self._process.wait(), 1.0)
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        self._process.kill()
                    await self._process.wait()
        finally:
            self._writer.close()
            shutil.rmtree(self._folder, ignore_errors=True)

    async def _send(self, *command: object) -> None:
        self._writer.write(json.dumps({"command": list(command)}).encode() + b"\n")
        await self._writer.drain()


def _apply(state: PlayerState, name: object, data: object) -> PlayerState | None:
    """``state`` with one observed property changed (None: nothing usable in it)."""
    if name == "time-pos" and isinstance(data, int | float):
        return replace(state, position=float(data))
    if name == "pause" and isinstance(data, bool):
        return replace(state, paused=data)
    if name == "speed" and isinstance(data, int | float):
        return replace(state, speed=float(data))
    if name == "duration" and isinstance(data, int | float):
        return replace(state, duration=float(data))
    if name == "eof-reached":
        return replace(state, ended=data is True)
    return None


async def _connect(socket: Path, process: asyncio.subprocess.Process
                   ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """Wait for mpv's socket; mpv ending first means it could not play the file."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + _START_TIMEOUT
    while True:
        if process.returncode is not None:
            raise PlaybackError("grading.player_failed", error=f"mpv {process.returncode}")
        if socket.exists():
            try:
                return await asyncio.open_unix_connection(str(socket))
            except OSError:
                pass  # created but not listening yet
        if loop.time() > deadline:
            raise PlaybackError("grading.player_failed", error="mpv did not answer")
        await asyncio.sleep(0.02)


def _death_signal() -> Callable[[], None] | None:
    """What the child runs before mpv starts: on Linux, have mpv ended when the app ends,
    however it ends (a killed app must not leave a recording playing). libc is looked up
    here, in the parent: a forked child of a threaded app must not import or load."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

"""Browser sessions and login throttling for the served app: plain Python, in memory.

Sessions live in the server process alone: a restart logs everyone out, which is the safe
side. Tokens are 256 random bits; only the browser's cookie and this table know them.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_SECONDS = 15 * 60


@dataclass
class BrowserSession:
    login: str
    started: float
    seen: float
    open_tabs: int = 0


@dataclass
class Sessions:
    """Who is logged in, by cookie token; a session ends after ``idle`` seconds without a
    request (an open tab counts as a request all along) or ``lifetime`` after its login."""

    idle: float
    lifetime: float
    clock: Callable[[], float] = time.monotonic
    _by_token: dict[str, BrowserSession] = field(default_factory=dict)

    def start(self, login: str) -> str:
        token = secrets.token_urlsafe(32)
        now = self.clock()
        self._by_token[token] = BrowserSession(login, now, now)
        return token

    def find(self, token: str | None) -> BrowserSession | None:
        """The live session of ``token`` (and it was just used), or None."""
        if not token:
            return None
        found = self._by_token.get(token)
        if found is None:
            return None
        now = self.clock()
        if now - found.started > self.lifetime or (
                not found.open_tabs and now - found.seen > self.idle):
            del self._by_token[token]
            return None
        found.seen = now
        return found

    def remaining(self, token: str) -> float:
        """Seconds until the session ends whatever happens (its lifetime)."""
        found = self._by_token.get(token)
        return 0.0 if found is None else max(0.0, found.started + self.lifetime - self.clock())

    def end(self, token: str | None) -> None:
        if token:
            self._by_token.pop(token, None)


@dataclass
class Throttle:
    """Failed logins per key (a login, an address) in a sliding window: at ``limit`` the key
    must wait until its oldest failure leaves the window."""

    limit: int
    window: float = WINDOW_SECONDS
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def wait(self, *keys: str) -> float:
        """Seconds before any of ``keys`` may try again (0: now)."""
        now = self.clock()
        longest = 0.0
        for key in keys:
            failures = self._failures.get(key)
            if not failures:
                continue
            while failures and now - failures[0] >= self.window:
                failures.popleft()
            if len(failures) >= self.limit:
                longest = max(longest, failures[0] + self.window - now)
        return longest

    def failed(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, login_key: str) -> None:
        """A right password clears that login's failures (not the address's)."""
        self._failures.pop(login_key, None)

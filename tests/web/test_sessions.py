"""Browser sessions end when idle or old; failed logins wait (scorecard.web.sessions)."""

from __future__ import annotations

from scorecard.web.sessions import Sessions, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_session_ends_when_idle_or_old_and_an_open_tab_keeps_it() -> None:
    clock = Clock()
    sessions = Sessions(idle=60, lifetime=3600, clock=clock)
    token = sessions.start("qa")
    assert sessions.find(token) is not None and sessions.find("forged") is None
    clock.now += 61
    assert sessions.find(token) is None  # idle too long
    token = sessions.start("qa")
    tab = sessions.find(token)
    assert tab is not None
    tab.open_tabs = 1
    clock.now += 600
    assert sessions.find(token) is not None  # a tab was open all along
    clock.now += 3001
    assert sessions.remaining(token) == 0 and sessions.find(token) is None  # too old
    token = sessions.start("qa")
    sessions.end(token)
    assert sessions.find(token) is None


def test_failed_logins_wait_per_login_and_per_address() -> None:
    clock = Clock()
    throttle = Throttle(limit=2, window=900, clock=clock)
    throttle.failed("login:qa", "address:a")
    assert throttle.wait("login:qa", "address:a") == 0
    throttle.failed("login:qa", "address:b")
    assert throttle.wait("login:qa", "address:c") == 900  # the login is locked
    assert throttle.wait("login:lead", "address:c") == 0
    clock.now += 900
    assert throttle.wait("login:qa", "address:c") == 0
    throttle.failed("login:x", "address:a")
    throttle.failed("login:y", "address:a")
    assert throttle.wait("login:z", "address:a") > 0  # one address trying many logins
    throttle.succeeded("login:qa")
    assert throttle.wait("login:qa") == 0

"""Stored UTC times are shown in the local time zone."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from scorecard.tui.local_time import local


def test_utc_times_show_in_the_local_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Moscow")
    time.tzset()
    assert local(datetime(2026, 12, 3, 21, 30)) == datetime(2026, 12, 4, 0, 30)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    assert local(datetime(2026, 12, 3, 21, 30)) == datetime(2026, 12, 3, 21, 30)

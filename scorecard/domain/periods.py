"""Periods the screens and reports count in: calendar months."""

from __future__ import annotations

from datetime import date, timedelta


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)

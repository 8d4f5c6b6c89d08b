"""Periods the screens and reports count in: calendar months, and the time a set of spans
covers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of ``day``'s month."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def shift_month(first: date, step: int) -> tuple[date, date]:
    """The month after (``step`` > 0) or before the one starting on ``first``."""
    return month_of(first + timedelta(days=40) if step > 0 else first - timedelta(days=1))


def covered_seconds(spans: Iterable[tuple[datetime, datetime]]) -> int:
    """Whole seconds the spans (start, end) cover, overlaps counted once: two legs of one
    conversation, or logged in to two queues at once, are one time."""
    total = timedelta()
    end: datetime | None = None
    for start, finish in sorted(spans):
        if end is None or start >= end:
            total += finish - start
            end = finish
        elif finish > end:
            total += finish - end
            end = finish
    return int(total.total_seconds())


def parse_day(text: str, *, year: int) -> date | None:
    """A date as people type it: ``28.11.2026``, ``28.11.26``, ``28.11`` (of ``year``) or
    ISO; None when it is not one."""
    text = text.strip()
    for form in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y"):
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    try:
        return datetime.strptime(f"{text}.{year}", "%d.%m.%Y").date()
    except ValueError:
        return None

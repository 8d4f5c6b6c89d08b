"""Dates and times as PBX web pages and Excel write them, read a whole column at a time.

This module owns two decisions. Which form a file's time column is written in: settled
once from all of its values (:func:`parse_column`), so that ``01/02/2020`` means the same day
on every line, and so that a million values cost one dictionary-free call each. And which
wall clock a time is stored in (:func:`to_centre`): the centre's, whatever zone the export
wrote, so that one file stores the same times on SQLite and on PostgreSQL.

Forms read without a ``date_format``:

- ISO 8601: ``2020-02-10 22:41:05``, ``2020-02-10T22:41:05.5``, with ``Z``, ``+03:00`` or
  ``+0300`` (read by :meth:`datetime.fromisoformat`);
- numbers with ``/``, ``.`` or ``-``, year first or last (two or four digits), without zero
  padding, with or without seconds, 24-hour or AM/PM: ``2020/2/10 22:41`` (Excel's re-save),
  ``1/9/2017 16:33:01``, ``10.02.2020 22:41``, ``10/02/20 22:41``;
- Unix time: ``1581363665`` (seconds) or ``1581363665123`` (milliseconds), as UTC.

Every reader also refuses a time outside :data:`EARLIEST` .. :data:`LATEST` (:func:`in_range`):
``9999-12-31 23:59:59`` is a placeholder, not a call, and one such row would make storage
count the days up to it and push sums past the end of the calendar.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scorecard.errors import ScorecardError

#: The moment every example in a message shows, in the form of the file.
EXAMPLE = datetime(2020, 2, 10, 22, 41, 5)
#: How many values decide the form (the day/month order is then read from every value):
#: enough to outvote a few broken lines, few enough to cost nothing on a big file.
_SAMPLE = 200
#: Two-digit years as strptime's %y reads them: 69-99 are 1900s, 00-68 are 2000s.
_PIVOT = 69

# One date with numbers: (1) first number, (2) separator, (3) middle, (4) last; then an
# optional time: (5) hours, (6) minutes, (7) seconds, (8) fraction, (9) AM/PM.
_NUMERIC = re.compile(
    r"(\d{1,4})([./-])(\d{1,2})\2(\d{1,4})"
    r"(?:(?:[ T]+|,\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?"
    r"\s*([AaPp]\.?[Mm]\.?)?)?"
)
_EPOCH = re.compile(r"(\d{9,10})(?:\.(\d{1,9}))?|(\d{12,13})")

#: The first moment a call or an event may fall on, and the moment past the last: years
#: 1900 to 2199, wide enough for any real export and far enough from datetime's own limits
#: (years 1 and 9999) that adding the longest call (68 years) never overflows.
EARLIEST = datetime(1900, 1, 1)
LATEST = datetime(2200, 1, 1)


def in_range(moment: datetime) -> bool:
    """Whether a naive time (a centre's wall clock) lies in EARLIEST .. LATEST."""
    return EARLIEST <= moment < LATEST


def out_of_range(column: str, text: str) -> str:
    """Why a time outside EARLIEST .. LATEST was refused, as a rejected line says it."""
    return (f"{column}: {text!r} is outside the years {EARLIEST.year} to {LATEST.year - 1}"
            " (a placeholder, not a real time?)")


def local_in_range(moment: datetime, convert: Callable[[datetime], datetime],
                   column: str, text: str) -> datetime:
    """``convert(moment)`` (an aware time into the centre's wall clock), ValueError with
    :func:`out_of_range`'s message when it falls outside EARLIEST .. LATEST, or when the
    conversion itself runs off the calendar (``9999-12-31T23:59:59-05:00``)."""
    try:
        converted = convert(moment)
    except OverflowError:
        raise ValueError(out_of_range(column, text)) from None
    if not EARLIEST <= converted < LATEST:
        raise ValueError(out_of_range(column, text))
    return converted


@dataclass(frozen=True, slots=True)
class DateColumn:
    """The one form a column's dates are read in.

    ``parser`` is the bare function (``datetime.fromisoformat`` for ISO files), for loops that
    call it a million times; it raises ValueError on a value in another form, and
    :meth:`problem` says what was wrong with it. :meth:`parse` does both.
    """

    column: str
    example: str
    """The form, shown as :data:`EXAMPLE` written in it: ``2020/2/10 22:41``."""
    parser: Callable[[str], datetime]

    def parse(self, text: str) -> datetime:
        """The value of ``text``; ValueError (with :meth:`problem`'s message) if it is not one."""
        try:
            return self.parser(text)
        except (ValueError, OverflowError, OSError):  # OverflowError, OSError: epoch range
            raise ValueError(self.problem(text)) from None

    def problem(self, text: str) -> str:
        """Why ``text`` was refused, as a rejected line says it."""
        return f"{self.column}: {text!r} is not a date like {self.example!r}"


def parse_column(
    texts: Sequence[str], date_format: str | None = None, *, column: str = "date"
) -> DateColumn:
    """The form every value of a file's time column is read in.

    ``date_format`` (a :meth:`datetime.strptime` format) is used exactly when given. Else the
    form is the one most of the values are in, and for numbers the order of day and month is
    settled from all of them: ``13/01/2020`` proves day first, ``01/13/2020`` month first.
    Dots (``10.02.2020``) are read day first when nothing proves otherwise: no one writes a
    month first with dots. ScorecardError, naming ``column`` and the ``date_format`` to give,
    when no value is a date, when the values contradict each other, or when every one of them
    could be either order.
    """
    if date_format is not None:
        return _strptime_column(date_format, column)
    values = [text for text in (t.strip() for t in texts) if text]
    if not values:
        return DateColumn(column, _iso_example(), datetime.fromisoformat)
    votes = Counter(shape for shape in map(_shape, values[:_SAMPLE]) if shape is not None)
    if not votes:
        raise ScorecardError(
            f"{column}: no known date form in values like {values[0]!r}; give the mapping's "
            f'date_format (a Python strptime format such as "%d.%m.%Y %H:%M:%S")')
    # Most votes wins; a tie goes to the first of ISO, numbers, Unix time.
    shape = max(votes, key=lambda s: (votes[s], -_FAMILIES.index(s[0])))
    family = shape[0]
    if family == "iso":
        return DateColumn(column, _iso_example(), _iso_parser())
    if family == "epoch":
        return DateColumn(column, str(int(EXAMPLE.replace(tzinfo=UTC).timestamp())), _epoch)
    _, separator, year_first = shape
    return _numeric_column(values, separator, year_first, column)


def zone(name: str | None) -> ZoneInfo | None:
    """The time zone of an IANA name (``Europe/Moscow``); None for None. ScorecardError
    naming it when there is no such zone."""
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # ValueError: not even a path-like key
        raise ScorecardError(f"unknown time zone {name!r}: give an IANA name such as "
                             "'Europe/Moscow'") from None


def to_centre(
    value: datetime, source_zone: ZoneInfo | None, centre_zone: ZoneInfo | None
) -> datetime:
    """``value`` as a naive wall-clock time of the centre.

    A value that says its offset is converted to ``centre_zone`` (with no centre zone it
    keeps its own wall clock and loses the offset). A naive value is ``source_zone``'s wall
    clock (the export's), converted when both zones are known, else kept as it is. Stored
    times are naive so that SQLite and PostgreSQL, which treat zones differently, store the
    same ones.
    """
    if value.tzinfo is not None:
        if centre_zone is None:
            return value.replace(tzinfo=None)
        return value.astimezone(centre_zone).replace(tzinfo=None)
    if source_zone is None or centre_zone is None or source_zone == centre_zone:
        return value
    # A wall time repeated when clocks go back is taken as the first (fold=0), as PBXs that
    # write naive times cannot tell either.
    return value.replace(tzinfo=source_zone).astimezone(centre_zone).replace(tzinfo=None)


_FAMILIES = ("iso", "numeric", "epoch")


def _shape(text: str) -> tuple[str, str, bool] | None:
    """Which form ``text`` is in: (family, separator, year first), or None for none.

    Numbers written year first with dashes are ISO's family, which reads them with
    :meth:`datetime.fromisoformat` and its few unpadded lines (``2020-10-15 9:05``) with the
    numbers' parser.
    """
    match = _NUMERIC.fullmatch(text)
    if match is not None:
        first, separator, last = match.group(1, 2, 4)
        if len(first) == 4:
            return ("iso", "-", True) if separator == "-" else ("numeric", separator, True)
        if len(first) <= 2 and len(last) in (2, 4):
            return ("numeric", separator, False)
        return None
    if _EPOCH.fullmatch(text):
        return ("epoch", "", False)
    if _is_iso(text):
        return ("iso", "-", True)
    return None


def _is_iso(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _iso_example() -> str:
    return EXAMPLE.isoformat(" ")


def _iso_parser() -> Callable[[str], datetime]:
    fromiso = datetime.fromisoformat
    unpadded = _numeric_parser("-", year_first=True, day_first=False)

    def parser(text: str) -> datetime:
        try:
            return fromiso(text)
        except ValueError:  # the rare unpadded line; the numbers' parser refuses the rest
            return unpadded(text)

    return parser


def _epoch(text: str) -> datetime:
    if len(text) == 10 and text.isdigit():  # whole seconds, the common case, without a regex
        return datetime.fromtimestamp(int(text), UTC)
    match = _EPOCH.fullmatch(text)
    if match is None:
        raise ValueError(text)
    seconds, fraction, milliseconds = match.group(1, 2, 3)
    if milliseconds is not None:  # whole seconds first: a float loses microseconds
        whole, rest = divmod(int(milliseconds), 1000)
        return datetime.fromtimestamp(whole, UTC) + timedelta(milliseconds=rest)
    value = datetime.fromtimestamp(int(seconds), UTC)
    if fraction:
        value += timedelta(microseconds=int(fraction[:6].ljust(6, "0")))
    return value


def _strptime_column(date_format: str, column: str) -> DateColumn:
    # An example with an offset, so that a format with %z shows one.
    example = EXAMPLE.replace(tzinfo=timezone(timedelta(hours=3))).strftime(date_format)

    def parser(text: str) -> datetime:
        return datetime.strptime(text, date_format)

    return DateColumn(column, example, parser)


def _numeric_column(
    values: Sequence[str], separator: str, year_first: bool, column: str
) -> DateColumn:
    """A column of dates with numbers; for day/month/year ones, which of the first two
    numbers is the day, settled from every value."""
    # What the values show, for the order and for the example in messages.
    firsts = middles = 0  # the largest first and middle numbers
    padded, seconds, times, meridian, short_year = True, False, False, False, False
    day_first_proof = month_first_proof = ""
    match_value = _NUMERIC.fullmatch
    for text in values:
        match = match_value(text)
        if match is None or match.group(2) != separator:
            continue
        first, middle, last, hours, secs, ampm = match.group(1, 3, 4, 5, 7, 9)
        if year_first != (len(first) == 4):
            continue
        outer = last if year_first else first
        if len(middle) == 1 or len(outer) == 1:
            padded = False
        times = times or hours is not None
        seconds = seconds or secs is not None
        meridian = meridian or ampm is not None
        if year_first:
            continue
        short_year = short_year or len(last) == 2
        a, b = int(first), int(middle)
        if a > 12 and not day_first_proof:
            day_first_proof = text
        if b > 12 and not month_first_proof:
            month_first_proof = text
        firsts, middles = max(firsts, a), max(middles, b)
    layout = _Layout(separator, year_first, padded, times, seconds, meridian, short_year)
    if year_first:
        return DateColumn(column, layout.example(day_first=False), _numeric_parser(
            separator, year_first=True, day_first=False))
    if day_first_proof and month_first_proof:
        raise ScorecardError(
            f"{column}: the file writes dates both day first ({day_first_proof!r}) and month "
            f"first ({month_first_proof!r}); give the mapping's date_format = "
            f'"{layout.strptime(day_first=True)}" or "{layout.strptime(day_first=False)}"')
    if day_first_proof or (not month_first_proof and separator == "."):
        day_first = True
    elif month_first_proof:
        day_first = False
    else:
        raise ScorecardError(
            f"{column}: every date in the file could be day first or month first (like "
            f"{values[0]!r}); say which with the mapping's date_format = "
            f'"{layout.strptime(day_first=True)}" (day first) or '
            f'"{layout.strptime(day_first=False)}" (month first)')
    return DateColumn(column, layout.example(day_first=day_first),
                      _numeric_parser(separator, year_first=False, day_first=day_first))


@dataclass(frozen=True, slots=True)
class _Layout:
    """How a file writes numeric dates, for the examples and formats its messages show."""

    separator: str
    year_first: bool
    padded: bool
    times: bool
    seconds: bool
    meridian: bool
    short_year: bool

    def example(self, *, day_first: bool) -> str:
        month = f"{EXAMPLE.month:02d}" if self.padded else str(EXAMPLE.month)
        year = f"{EXAMPLE.year % 100:02d}" if self.short_year else str(EXAMPLE.year)
        day = str(EXAMPLE.day)
        parts = ((year, month, day) if self.year_first
                 else (day, month, year) if day_first else (month, day, year))
        text = self.separator.join(parts)
        if self.times:
            hour = (EXAMPLE.hour % 12 or 12) if self.meridian else EXAMPLE.hour
            text += f" {hour}:{EXAMPLE.minute:02d}"
            text += f":{EXAMPLE.second:02d}" if self.seconds else ""
            text += " PM" if self.meridian else ""
        return text

    def strptime(self, *, day_first: bool) -> str:
        """The strptime format of this layout with the given order (for messages)."""
        year = "%y" if self.short_year else "%Y"
        parts = ("%d", "%m", year) if day_first else ("%m", "%d", year)
        text = self.separator.join(parts)
        if self.times:
            text += " %I:%M" if self.meridian else " %H:%M"
            text += ":%S" if self.seconds else ""
            text += " %p" if self.meridian else ""
        return text


def _numeric_parser(
    separator: str, *, year_first: bool, day_first: bool
) -> Callable[[str], datetime]:
    """A parser of one layout: values in another (another separator, the year elsewhere)
    raise ValueError, even when they would make a date."""
    match_value = _NUMERIC.fullmatch

    def parser(text: str) -> datetime:
        match = match_value(text)
        if match is None or match.group(2) != separator:
            raise ValueError(text)
        first, middle, last, hours, minutes, secs, fraction, ampm = match.group(
            1, 3, 4, 5, 6, 7, 8, 9)
        if year_first:
            if len(first) != 4:
                raise ValueError(text)
            year, month, day = int(first), int(middle), int(last)
        else:
            if len(first) > 2 or len(last) not in (2, 4):
                raise ValueError(text)
            year = int(last)
            if len(last) == 2:
                year += 1900 if year >= _PIVOT else 2000
            day, month = (int(first), int(middle)) if day_first else (int(middle), int(first))
        if hours is None:
            return datetime(year, month, day)
        hour = int(hours)
        if ampm is not None:
            if not 1 <= hour <= 12:
                raise ValueError(text)
            hour = hour % 12 + (12 if ampm[0] in "Pp" else 0)
        micro = int(fraction[:6].ljust(6, "0")) if fraction else 0
        return datetime(year, month, day, hour, int(minutes), int(secs or 0), micro)

    return parser

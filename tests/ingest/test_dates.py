"""A time column is read in one form settled from all its values; times end as the centre's
wall clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scorecard.errors import ScorecardError
from scorecard.ingest.dates import parse_column, to_centre, zone

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(("texts", "expected", "example"), [
    (["2020-02-10 22:41:05"], datetime(2020, 2, 10, 22, 41, 5), "2020-02-10 22:41:05"),
    (["2020-02-10T22:41:05"], datetime(2020, 2, 10, 22, 41, 5), "2020-02-10 22:41:05"),
    (["2020-02-10 22:41:05.25"], datetime(2020, 2, 10, 22, 41, 5, 250000), None),
    (["2020-02-10T22:41:05Z"], datetime(2020, 2, 10, 22, 41, 5, tzinfo=UTC), None),
    (["2020-02-10T22:41:05+03:00"],
     datetime(2020, 2, 10, 22, 41, 5, tzinfo=timezone(timedelta(hours=3))), None),
    (["2020-02-10T22:41:05+0300"],
     datetime(2020, 2, 10, 22, 41, 5, tzinfo=timezone(timedelta(hours=3))), None),
    (["2020/2/10 22:41"], datetime(2020, 2, 10, 22, 41), "2020/2/10 22:41"),
    (["2020/02/10 22:41:05"], datetime(2020, 2, 10, 22, 41, 5), "2020/02/10 22:41:05"),
    (["1/9/2017 16:33:01", "13/1/2017 9:00:00"], datetime(2017, 9, 1, 16, 33, 1),
     "10/2/2020 22:41:05"),
    (["1/9/2017 16:33:01", "1/13/2017 9:00:00"], datetime(2017, 1, 9, 16, 33, 1),
     "2/10/2020 22:41:05"),
    (["10.02.2020 22:41"], datetime(2020, 2, 10, 22, 41), "10.02.2020 22:41"),
    (["10.02.2020 22:41:05"], datetime(2020, 2, 10, 22, 41, 5), "10.02.2020 22:41:05"),
    (["10/02/20 22:41", "25/12/99 10:00"], datetime(2020, 2, 10, 22, 41), "10/02/20 22:41"),
    (["25/12/99 10:00"], datetime(1999, 12, 25, 10, 0), None),
    (["1/2/2020 10:41:05 PM", "1/13/2020 12:00:00 AM"], datetime(2020, 1, 2, 22, 41, 5),
     "2/10/2020 10:41:05 PM"),
    (["10.02.2020"], datetime(2020, 2, 10), "10.02.2020"),
    (["1581374465"], datetime(2020, 2, 10, 22, 41, 5, tzinfo=UTC), "1581374465"),
    (["1581374465250"], datetime(2020, 2, 10, 22, 41, 5, 250000, tzinfo=UTC), None),
])
def test_forms(texts: list[str], expected: datetime, example: str | None) -> None:
    column = parse_column(texts, column="started_at")
    assert column.parse(texts[0]) == expected
    if example is not None:
        assert column.example == example


def test_an_iso_file_reads_its_unpadded_lines_too() -> None:
    column = parse_column(["2020-10-15 10:05:00", "2020-10-15 9:05"])
    assert column.parse("2020-10-15 9:05") == datetime(2020, 10, 15, 9, 5)
    assert column.parse("2020-10-15 10:05:00") == datetime(2020, 10, 15, 10, 5)


def test_one_form_for_the_whole_file() -> None:
    """Lines in another form are refused one by one, with the form expected."""
    column = parse_column(["10.02.2020 22:41", "11.02.2020 08:00", "2020-02-12 09:00:00"],
                          column="started_at")
    with pytest.raises(ValueError) as error:
        column.parse("2020-02-12 09:00:00")
    assert str(error.value) == ("started_at: '2020-02-12 09:00:00' is not a date like "
                                "'10.02.2020 22:41'")
    with pytest.raises(ValueError, match=r"'31\.02\.2020 10:00' is not a date like"):
        column.parse("31.02.2020 10:00")  # no such day
    slashed = parse_column(["2020/2/10 22:41"], column="started_at")
    with pytest.raises(ValueError, match=r"^started_at: 'вчера' is not a date like "
                                         r"'2020/2/10 22:41'$"):
        slashed.parse("вчера")


def test_ambiguous_or_contradictory_files_are_refused_with_the_format_to_give() -> None:
    with pytest.raises(ScorecardError) as ambiguous:
        parse_column(["01/02/2020 10:00", "03/04/2020 11:30"], column="started_at")
    assert str(ambiguous.value) == (
        "started_at: every date in the file could be day first or month first (like "
        "'01/02/2020 10:00'); say which with the mapping's date_format = \"%d/%m/%Y %H:%M\" "
        "(day first) or \"%m/%d/%Y %H:%M\" (month first)")
    with pytest.raises(ScorecardError, match=r"both day first \('13/01/2020 10:00:00'\) and "
                                             r"month first \('01/13/2020 10:00:00'\)"):
        parse_column(["13/01/2020 10:00:00", "01/13/2020 10:00:00"], column="started_at")
    with pytest.raises(ScorecardError, match=r"^started_at: no known date form in values "
                                             r"like 'вчера'; give the mapping's date_format"):
        parse_column(["вчера", "сегодня"], column="started_at")
    # Dashes prove nothing either; dots are day first.
    with pytest.raises(ScorecardError, match="%d-%m-%y %H:%M"):
        parse_column(["01-02-20 10:00"])
    assert parse_column(["01.02.2020 10:00"]).parse("01.02.2020 10:00").month == 2


def test_a_given_format_is_used_exactly() -> None:
    column = parse_column(["01/02/2020 10:00"], "%m/%d/%Y %H:%M", column="started_at")
    assert column.parse("01/02/2020 10:00") == datetime(2020, 1, 2, 10, 0)
    assert column.example == "02/10/2020 22:41"
    with pytest.raises(ValueError, match="'2020-01-02 10:00' is not a date like"):
        column.parse("2020-01-02 10:00")
    with_offset = parse_column([], "%Y-%m-%d %H:%M:%S%z")
    assert with_offset.example == "2020-02-10 22:41:05+0300"
    assert with_offset.parse("2020-02-10 22:41:05+0100").utcoffset() == timedelta(hours=1)


def test_an_empty_column_reads_iso() -> None:
    assert parse_column(["", "  "]).parse("2020-02-10 22:41:05") == datetime(
        2020, 2, 10, 22, 41, 5)


def test_to_centre() -> None:
    aware = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    naive = datetime(2026, 3, 2, 9, 0)
    assert to_centre(aware, None, MOSCOW) == datetime(2026, 3, 2, 12, 0)
    assert to_centre(aware, BERLIN, None) == naive  # its own wall clock, offset dropped
    assert to_centre(naive, BERLIN, MOSCOW) == datetime(2026, 3, 2, 11, 0)
    assert to_centre(naive, None, MOSCOW) == naive
    assert to_centre(naive, BERLIN, None) == naive
    assert to_centre(naive, MOSCOW, MOSCOW) == naive
    summer = datetime(2026, 7, 1, 9, 0)  # Berlin on summer time: one hour behind Moscow
    assert to_centre(summer, BERLIN, MOSCOW) == datetime(2026, 7, 1, 10, 0)
    for value in (to_centre(aware, None, MOSCOW), to_centre(naive, BERLIN, MOSCOW)):
        assert value.tzinfo is None


def test_zone_names() -> None:
    assert zone(None) is None
    assert zone("Europe/Moscow") == MOSCOW
    with pytest.raises(ScorecardError, match="unknown time zone 'Europe/Moskva'"):
        zone("Europe/Moskva")
    with pytest.raises(ScorecardError, match="unknown time zone '../etc'"):
        zone("../etc")


# A form, and what it keeps of a time: written by strftime-like code, not by the module.
def _iso(value: datetime) -> str:
    return value.isoformat(" ")


def _iso_t_offset(value: datetime) -> str:
    return value.replace(tzinfo=timezone(timedelta(hours=3))).isoformat()


def _excel(value: datetime) -> str:
    return f"{value.year}/{value.month}/{value.day} {value.hour}:{value.minute:02d}"


def _day_first(value: datetime) -> str:
    return f"{value.day}/{value.month}/{value.year} {value.hour}:{value.minute:02d}:" \
           f"{value.second:02d}"


def _month_first(value: datetime) -> str:
    return f"{value.month}/{value.day}/{value.year} {value.hour}:{value.minute:02d}:" \
           f"{value.second:02d}"


def _dotted(value: datetime) -> str:
    return value.strftime("%d.%m.%Y %H:%M")


def _short_year(value: datetime) -> str:
    return value.strftime("%d/%m/%y %H:%M")


def _epoch(value: datetime) -> str:
    return str(int(value.replace(tzinfo=UTC).timestamp()))


FORMS = {
    # name: (write, what survives, a value that proves the order, or None)
    "iso": (_iso, lambda v: v, None),
    "iso offset": (_iso_t_offset, lambda v: v.replace(microsecond=0,
                                                      tzinfo=timezone(timedelta(hours=3))),
                   None),
    "excel": (_excel, lambda v: v.replace(second=0, microsecond=0), None),
    "day first": (_day_first, lambda v: v.replace(microsecond=0), "13/1/2000 0:00:00"),
    "month first": (_month_first, lambda v: v.replace(microsecond=0), "1/13/2000 0:00:00"),
    "dotted": (_dotted, lambda v: v.replace(second=0, microsecond=0), None),
    "short year": (_short_year, lambda v: v.replace(second=0, microsecond=0),
                   "13/01/00 00:00"),
    "epoch": (_epoch, lambda v: v.replace(microsecond=0, tzinfo=UTC), None),
}

# From 1974: Unix time before March 1973 has 8 digits, read as no form (20200210 is a date).
moments = st.datetimes(min_value=datetime(1974, 1, 1), max_value=datetime(2068, 12, 31))


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(sorted(FORMS)), st.lists(moments, min_size=1, max_size=8))
def test_any_time_written_in_a_form_reads_back(form: str, values: list[datetime]) -> None:
    write, kept, proof = FORMS[form]
    if form == "iso offset":
        values = [v.replace(microsecond=0) for v in values]
    texts = [write(value) for value in values] + ([proof] if proof else [])
    column = parse_column(texts, column="started_at")
    assert [column.parse(text) for text in texts[:len(values)]] == [kept(v) for v in values]

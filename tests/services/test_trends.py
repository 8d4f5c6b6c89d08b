"""Weekly trends against a hand count of seeded grades, on both backends, with permissions."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from scorecard.db.engine import open_database
from scorecard.db.models import (
    CardVersion,
    Operator,
    Team,
    User,
)
from scorecard.domain.library import find_card
from scorecard.services.access import AccessDenied, actor
from scorecard.services.cards import import_card
from scorecard.services.metrics import mark_stale
from scorecard.services.trends import operator_trends, week_starts
from tests.factories import CARD, add_grade

UNTIL = date(2026, 11, 20)  # a Friday; four weeks back start on Monday 26.10
WEEKS = [date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]

#: (operator, call day, total, price stage score or None when the stage was all n.a.,
#: status, calibration)
GRADES = [
    ("Анна", date(2026, 10, 25), 5.0, 0.0, "submitted", False),  # Sunday before: outside
    ("Анна", date(2026, 10, 26), 80.0, 100.0, "submitted", False),
    ("Анна", date(2026, 10, 30), 60.0, 0.0, "final", False),
    ("Борис", date(2026, 11, 1), 40.0, 50.0, "submitted", False),  # Sunday: week 26.10
    ("Анна", date(2026, 11, 12), 90.0, None, "submitted", False),
    ("Анна", date(2026, 11, 13), 10.0, 0.0, "draft", False),  # not submitted
    ("Анна", date(2026, 11, 13), 20.0, 0.0, "submitted", True),  # calibration
    ("Анна", date(2026, 11, 16), 50.0, 0.0, "submitted", False),
    ("Анна", date(2026, 11, 18), 70.0, 100.0, "disputed", False),
    ("Анна", date(2026, 11, 20), 100.0, 100.0, "submitted", False),
    ("Анна", date(2026, 11, 21), 0.0, 0.0, "submitted", False),  # after until
    ("Борис", date(2026, 11, 19), 100.0, 0.0, "submitted", False),
    ("Вера", date(2026, 11, 17), 10.0, 0.0, "submitted", False),  # the other team
]


@pytest.fixture
def trends_db(db_url: str):
    database = open_database(db_url)
    card, _ = find_card(CARD)
    with database.session() as session:
        import_card(session, card, now=datetime(2026, 10, 1, 9, 0))
        version = session.exec(select(CardVersion)).one()
        sales = Team(name="Охрана", card_id=version.card_id)
        other = Team(name="Другие", card_id=version.card_id)
        session.add_all([sales, other])
        session.flush()
        people = {name: Operator(name=name, team_id=team.id)
                  for name, team in (("Анна", sales), ("Борис", sales), ("Вера", other))}
        session.add_all(people.values())
        session.flush()
        users = {login: User(login=login, display_name=login, role=role, team_id=team)
                 for login, role, team in (("lead", "lead", sales.id),
                                           ("other_lead", "lead", other.id), ("qa", "qa", None),
                                           ("trainer", "trainer", None))}
        session.add_all(users.values())
        session.flush()
        for n, (name, day, total, price, status, calibration) in enumerate(GRADES):
            add_grade(session, f"trend-{n}", people[name].id or 0, day, total,
                      {"price": price, "contact": total}, version=version.id or 0,
                      evaluator=users["qa"].id or 0, status=status, calibration=calibration)
        # as an import would: the next read recounts these days
        mark_stale(session, date(2026, 10, 20), date(2026, 11, 22))
    yield database
    database.dispose()


def trends_for(database, login: str, operator: str = "Анна", **options):
    with database.session() as session:
        return operator_trends(session, viewer=actor(session, login), operator=operator,
                               until=UNTIL, weeks=4, **options)


def means(points) -> list[tuple[int, float | None]]:
    return [(p.evaluations, None if p.mean is None else round(p.mean, 2)) for p in points]


def test_weeks_are_iso_weeks_ending_with_the_given_day() -> None:
    assert week_starts(UNTIL, 4) == WEEKS
    assert week_starts(date(2026, 11, 16), 1) == [date(2026, 11, 16)]  # a Monday is its own
    assert week_starts(date(2027, 1, 3), 2) == [date(2026, 12, 21), date(2026, 12, 28)]


def test_weekly_means_match_a_hand_count(trends_db) -> None:
    found = trends_for(trends_db, "lead")
    assert found.weeks == WEEKS and found.team == "Охрана" and found.until == UNTIL
    # Анна: 80 and 60 | nothing | 90 | 50, 70, 100 (draft, calibration, 25.10, 21.11 out)
    assert means(found.mine.total) == [(2, 70.0), (0, None), (1, 90.0), (3, 73.33)]
    # price: 100, 0 | — | n.a. only, so no score | 0, 100, 100
    assert means(found.mine.stages["price"]) == [(2, 50.0), (0, None), (0, None), (3, 66.67)]
    assert means(found.mine.stages["contact"]) == means(found.mine.total)
    # the stage titles come from the team's card, in its order
    assert found.stages[:2] == ["contact", "diagnosis"]
    assert found.stage_titles["price"] == "Цена"
    assert means(found.mine.stages["diagnosis"]) == [(0, None)] * 4


def test_the_team_line_holds_every_operator_of_the_team_and_no_other(trends_db) -> None:
    found = trends_for(trends_db, "trainer")
    assert found.team_line is not None
    # + Борис's 40 (Sunday 01.11 is in the week of 26.10) and 100; Вера is in another team
    assert means(found.team_line.total) == [(3, 60.0), (0, None), (1, 90.0), (4, 80.0)]
    assert means(found.team_line.stages["price"]) == [(3, 50.0), (0, None), (0, None),
                                                      (4, 50.0)]
    boris = trends_for(trends_db, "trainer", operator="Борис")
    assert means(boris.mine.total) == [(1, 40.0), (0, None), (0, None), (1, 100.0)]
    assert means(boris.team_line.total) == means(found.team_line.total)


def test_an_operator_without_a_team_has_no_team_line(trends_db) -> None:
    with trends_db.session() as session:
        vera = session.exec(select(Operator).where(Operator.name == "Вера")).one()
        vera.team_id = None
    found = trends_for(trends_db, "trainer", operator="Вера")
    assert found.team_line is None and found.team is None
    assert means(found.mine.total) == [(0, None), (0, None), (0, None), (1, 10.0)]


def test_a_lead_of_another_team_is_refused(trends_db) -> None:
    with pytest.raises(AccessDenied):
        trends_for(trends_db, "other_lead")
    assert means(trends_for(trends_db, "other_lead", operator="Вера").mine.total)[-1] == (1, 10.0)


def test_a_listener_is_refused(trends_db) -> None:
    with pytest.raises(AccessDenied):
        trends_for(trends_db, "qa")


def test_the_span_must_be_sensible(trends_db) -> None:
    from scorecard.errors import ScorecardError

    with trends_db.session() as session, pytest.raises(ScorecardError):
        operator_trends(session, viewer=actor(session, "lead"), operator="Анна", weeks=0)


def test_a_single_week_needs_no_boundaries(trends_db) -> None:
    with trends_db.session() as session:
        found = operator_trends(session, viewer=actor(session, "lead"), operator="Анна",
                                until=UNTIL, weeks=1)
    assert means(found.mine.total) == [(3, 73.33)]

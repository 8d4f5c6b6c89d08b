"""The permission matrix, enforced in the services: every "may not" is a refusal by name,
never an empty answer."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlmodel import select

from scorecard.db.models import Operator, Team, User
from scorecard.domain.kpi import find_scheme
from scorecard.domain.slices import SliceRules
from scorecard.services import audit_log, coaching, quality, slices
from scorecard.services.access import MATRIX, AccessDenied, Permission, actor, mask_number
from scorecard.services.grading import GradingError, open_for_grading
from scorecard.services.kpi import kpi_report
from scorecard.services.queue import claim_next
from tests.factories import grade_two_calls_failing_price

DAY = date(2026, 11, 20)


@pytest.fixture
def centre(graded_db):
    """Anna's team Охрана with two graded calls, a second team with its own lead and
    operator, a trainer and an admin."""
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        other = Team(name="Продажи")
        session.add(other)
        session.flush()
        session.add(Operator(name="Петров Илья", team_id=other.id, extension="301"))
        for login, role, team in (("lead2", "lead", other.id), ("trainer", "trainer", None),
                                  ("admin", "admin", None)):
            session.add(User(login=login, display_name=login, role=role, team_id=team))
    return database, ids


def who(database, login: str):
    with database.session() as session:
        return actor(session, login)


def test_an_operator_sees_only_themselves(centre) -> None:
    database, _ = centre
    anna = who(database, "anna")
    with database.session() as session:
        own = quality.evaluations_of(session, viewer=anna, operator="Иванова Анна",
                                     first=DAY, last=DAY)
        assert len(own) == 2
        with pytest.raises(AccessDenied, match="only their own operators, not Петров Илья"):
            quality.evaluations_of(session, viewer=anna, operator="Петров Илья",
                                   first=DAY, last=DAY)
        with pytest.raises(AccessDenied, match="may not see operators' quality"):
            quality.quality_breakdown(session, viewer=anna, first=DAY, last=DAY)
        with pytest.raises(AccessDenied, match="may not see KPI"):
            kpi_report(session, find_scheme("meetings-tiered"), viewer=anna, first=DAY,
                       last=DAY, team=None)


def test_a_lead_sees_only_their_team(centre) -> None:
    database, _ = centre
    lead2 = who(database, "lead2")
    with database.session() as session:
        assert quality.quality_breakdown(session, viewer=lead2, first=DAY, last=DAY) == []
        with pytest.raises(AccessDenied, match="only their own team, not 'Охрана'"):
            quality.quality_breakdown(session, viewer=lead2, first=DAY, last=DAY,
                                      team="Охрана")
        with pytest.raises(AccessDenied, match="not Иванова Анна"):
            quality.quality_breakdown(session, viewer=lead2, first=DAY, last=DAY,
                                      operator="Иванова Анна")
        rows = kpi_report(session, find_scheme("meetings-tiered"), viewer=lead2, first=DAY,
                          last=DAY, team=None)
        assert [r.metrics.operator for r in rows] == ["Петров Илья"]
        names = [r.operator for r in slices.slice_report(session, DAY, time(11), SliceRules(),
                                                          viewer=lead2)]
        assert names == ["Петров Илья"]
        with pytest.raises(AccessDenied, match="not Иванова Анна"):
            coaching.create_task(session, operator="Иванова Анна", stage="price", goal="x",
                                 due_on=DAY, login="lead2", started_on=DAY)
    lead = who(database, "lead")  # no team: the whole centre
    with database.session() as session:
        assert [q.operator for q in quality.quality_breakdown(
            session, viewer=lead, first=DAY, last=DAY)] == ["Иванова Анна"]


@pytest.mark.parametrize(("login", "permission"), [
    ("qa", Permission.VIEW_QUALITY), ("qa", Permission.VIEW_KPI),
    ("trainer", Permission.VIEW_KPI), ("qa", Permission.VIEW_AUDIT),
    ("trainer", Permission.VIEW_AUDIT), ("anna", Permission.VIEW_AUDIT),
])
def test_roles_without_a_permission_are_refused(centre, login, permission) -> None:
    database, _ = centre
    viewer = who(database, login)
    calls = {
        Permission.VIEW_QUALITY: lambda s: quality.quality_breakdown(
            s, viewer=viewer, first=DAY, last=DAY),
        Permission.VIEW_KPI: lambda s: kpi_report(
            s, find_scheme("meetings-tiered"), viewer=viewer, first=DAY, last=DAY, team=None,
            ),
        Permission.VIEW_AUDIT: lambda s: audit_log.entries(s, viewer=viewer),
    }
    with database.session() as session, pytest.raises(AccessDenied, match=permission.value):
        calls[permission](session)


def test_who_may_write(centre) -> None:
    database, ids = centre
    with database.session() as session:
        with pytest.raises(AccessDenied, match="may not set and close coaching tasks"):
            coaching.create_task(session, operator="Иванова Анна", stage="price", goal="x",
                                 due_on=DAY, login="qa", started_on=DAY)
        with pytest.raises(AccessDenied, match="may not set slice tasks"):
            slices.set_task(session, operator="Иванова Анна", day=DAY, at=time(11),
                            metric="calls", target=5, login="trainer", rules=SliceRules())
        with pytest.raises(GradingError) as refused:
            open_for_grading(session, assignment_id=ids["assignment3"], login="anna")
        assert refused.value.key == "error.may_not_grade"
    with pytest.raises(AccessDenied, match="may not grade calls"):
        claim_next(database, login="anna")


def test_leads_and_admins_read_the_audit_log(centre) -> None:
    database, _ = centre
    for login in ("lead", "admin"):
        with database.session() as session:
            found = audit_log.entries(session, viewer=who(database, login), contains="SUBMIT")
            assert [e.action for e in found] == ["evaluation.submit"] * 2
            assert all(e.actor == "qa" for e in found)


def test_the_matrix_names_every_role_it_knows() -> None:
    from scorecard.domain.enums import Role

    assert set().union(*MATRIX.values()) == set(Role)
    assert MATRIX[Permission.SEE_CLIENT_NUMBERS] == {"admin"}


def test_client_numbers_keep_their_shape_and_last_digits() -> None:
    assert mask_number("+7 912 345-67-89") == "+7 9** ***-**-89"
    assert mask_number("84951234567") == "8********67"
    assert mask_number("201") == "*01"
    assert mask_number(None) is None and mask_number("") == ""


def test_unknown_and_unlinked_users_are_refused(centre) -> None:
    database, _ = centre
    with database.session() as session:
        session.add(User(login="ghost", display_name="ghost", role="operator"))
    with database.session() as session:
        with pytest.raises(AccessDenied, match="no active user 'nobody'"):
            actor(session, "nobody")
        with pytest.raises(AccessDenied, match="not linked to an operator"):
            actor(session, "ghost")
        anna = session.exec(select(User).where(User.login == "anna")).one()
        anna.active = False
    with database.session() as session, pytest.raises(AccessDenied):
        actor(session, "anna")


def test_the_dial_and_drop_report_is_scoped_like_the_slices(centre) -> None:
    from datetime import datetime

    from scorecard.db.models import Call
    from scorecard.services.dialing import dialing_report

    database, _ = centre
    with database.session() as session:
        for name, number in (("Иванова Анна", 1), ("Петров Илья", 2)):
            person = session.exec(select(Operator).where(Operator.name == name)).one()
            session.add(Call(external_id=f"dial-{number}", operator_id=person.id,
                             started_at=datetime.combine(DAY, time(10, number)),
                             disposition="no_answer", ring_seconds=20))
    with database.session() as session:
        def names(login: str, team: str | None = None) -> list[str]:
            rows = dialing_report(session, DAY, viewer=actor(session, login), team=team)
            return sorted(row.operator for row in rows)

        assert names("admin") == ["Иванова Анна", "Петров Илья"]
        assert names("trainer", team="Продажи") == ["Петров Илья"]
        assert names("lead2") == ["Петров Илья"]
        with pytest.raises(AccessDenied, match="only their own team, not 'Охрана'"):
            names("lead2", team="Охрана")
        with pytest.raises(AccessDenied, match="may not see intraday slices"):
            names("anna")


def test_the_teams_offered_follow_the_viewers_scope(graded_db) -> None:
    """The map's team list: everyone for an admin, their own team for a lead of one, the
    operator's own team for an operator."""
    from scorecard.services.teams import visible_team_names

    database, _ = graded_db
    with database.session() as session:
        other = Team(name="Входящие")
        session.add(other)
        session.flush()
        session.add(Operator(name="Петров Пётр", team_id=other.id, extension="301"))
        guard = session.exec(select(Team).where(Team.name == "Охрана")).one()
        session.add(User(login="boss", display_name="Boss", role="admin"))
        session.add(User(login="lead1", display_name="Lead", role="lead", team_id=guard.id))
    with database.session() as session:
        assert visible_team_names(session, viewer=actor(session, "boss")) == [
            "Входящие", "Охрана"]
        assert visible_team_names(session, viewer=actor(session, "lead1")) == ["Охрана"]
        assert visible_team_names(session, viewer=actor(session, "anna")) == ["Охрана"]

"""Payroll terms in the database: who sets them, versions by day, an operator's own terms
over their team's over the default, and what a bad file gets. On both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from scorecard.db.models import AuditEntry, KpiTerms, User
from scorecard.domain.kpi import KpiError, find_scheme
from scorecard.errors import AccessDenied
from scorecard.services.access import actor
from scorecard.services.kpi import kpi_report
from scorecard.services.kpi_terms import import_terms, terms_in_force
from tests.factories import grade_two_calls_failing_price

DAY = date(2026, 11, 20)
PLAN = {"effective_calls": 4, "deals": 2}


def test_terms_are_versioned_by_day_and_picked_operator_team_default(graded_db) -> None:
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        session.add(User(login="admin", display_name="Admin", role="admin"))
    with database.session() as session:
        import_terms(session, {"default": {"plan": PLAN, "fixed": 30000, "bonus_target": 10000}},
                     valid_from=date(2026, 10, 1), login="admin", source="v1.json")
        import_terms(session, {"teams": {"Охрана": {"scheme": "security-50-50", "plan": PLAN,
                                                    "fixed": "31000.50", "bonus_target": 0}}},
                     valid_from=date(2026, 11, 1), login="admin", source="v2.json")
        import_terms(session, {"operators": [{"operator": "Иванова Анна", "plan": PLAN,
                                              "fixed": 40000, "bonus_target": 20000}]},
                     valid_from=date(2026, 12, 1), login="admin", source="v3.json")
        october, november, december = (terms_in_force(session, date(2026, m, 15))
                                       for m in (10, 11, 12))
        assert october.for_operator("Иванова Анна", "Охрана").fixed == 30000
        assert november.for_operator("Иванова Анна", "Охрана").fixed == pytest.approx(31000.5)
        assert november.schemes == {"Охрана": "security-50-50"}
        assert december.for_operator("иванова анна", "Охрана").fixed == 40000
        rows = kpi_report(session, find_scheme("security-50-50"),
                          viewer=actor(session, "admin"), first=DAY.replace(day=1),
                          last=date(2026, 11, 30), team=None)
        assert [str(r.result.payout) for r in rows] == ["31000.50"]  # the team's, in November
        entries = session.exec(select(AuditEntry).where(
            AuditEntry.action == "kpi_terms.import")).all()
        assert len(entries) == 3 and '"valid_from": "2026-11-01"' in (entries[1].new or "")


def test_only_admins_set_terms_and_a_bad_file_stores_nothing(graded_db) -> None:
    database, _ = graded_db
    with database.session() as session:
        session.add_all([User(login="admin", display_name="Admin", role="admin"),
                         User(login="lead", display_name="Lead", role="lead")])
    bad = [
        ({"teams": {"Нет такой": {"plan": PLAN}}}, "no team named 'Нет такой'"),
        ({"teams": {"Охрана": {"scheme": "no-such", "plan": PLAN}}}, "no-such"),
        # a file only one machine has cannot pay a team of a shared database
        ({"teams": {"Охрана": {"scheme": "/srv/own.toml", "plan": PLAN}}},
         "no shipped scheme '/srv/own.toml'"),
        ({"teams": {"Охрана": {"scheme": "../kpi_schemes/security-50-50", "plan": PLAN}}},
         "no shipped scheme"),
        ({"operators": [{"operator": "Нет Такого", "plan": PLAN}]}, "'Нет Такого'"),
        ({"default": {"plan": {"effective_calls": "много"}}}, "effective_calls"),
        ({"bonus": 1}, r"unknown field\(s\) bonus"),
        ({}, "no terms in it"),
        ([1, 2], "expected an object"),
    ]
    for data, said in bad:
        with database.session() as session, pytest.raises(KpiError, match=said):
            import_terms(session, data, valid_from=DAY, login="admin", source="t.json")
    with database.session() as session, pytest.raises(AccessDenied, match="may not set KPI"):
        import_terms(session, {"default": {"plan": PLAN}}, valid_from=DAY, login="lead",
                     source="t.json")
    with database.session() as session:
        assert session.exec(select(KpiTerms)).all() == []
        assert session.exec(select(AuditEntry).where(
            AuditEntry.action == "kpi_terms.import")).all() == []

"""Pay periods: closing freezes a month, later changes (late call records, amended terms, an
edited scheme) are carried into the next open month once, the closed month is never
rewritten, and closing is refused out of order, early, twice or to non-admins. On both
databases."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlmodel import select

from scorecard.db.models import AuditEntry, Payout, PayPeriod, User
from scorecard.domain.kpi import KpiError
from scorecard.errors import AccessDenied
from scorecard.ingest.cdr.records import CallRecord
from scorecard.services.access import actor
from scorecard.services.imports import import_calls
from scorecard.services.kpi import kpi_report_by_team
from scorecard.services.kpi_terms import import_terms
from scorecard.services.pay_periods import close_month, month_pay
from tests.factories import grade_two_calls_failing_price

NOVEMBER, DECEMBER, JANUARY = date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)


def _terms(fixed: int, scheme: str = "security-50-50") -> dict[str, object]:
    return {"teams": {"Охрана": {"scheme": scheme, "plan": {"effective_calls": 4, "deals": 2},
                                 "fixed": fixed, "bonus_target": 10000}}}


@pytest.fixture
def centre(graded_db):
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        session.add(User(login="admin", display_name="Admin", role="admin"))
    with database.session() as session:
        import_terms(session, _terms(30000), valid_from=date(2026, 10, 1), login="admin",
                     source="terms.json")
    return database


def _close(database, month: date, today: date):
    with database.session() as session:
        return close_month(session, month, by=actor(session, "admin"), today=today,
                           now=datetime(today.year, today.month, today.day, 9))


def _pay(database, month: date):
    with database.session() as session:
        return month_pay(session, actor(session, "admin"), month)


def _late_call(database, n: int, day: int = 25) -> None:
    """A call record that arrives after November was closed."""
    with database.session() as session:
        import_calls(session, [CallRecord(
            f"late-{n}", "201", datetime(2026, 11, day, 11, n), datetime(2026, 11, day, 11, n, 5),
            5, 120, "outbound", "answered", "+79990000000", 1)], source="late.csv")


def _owed(database, month: date) -> Decimal:
    """What the month pays now, recomputed from today's figures."""
    with database.session() as session:
        blocks = kpi_report_by_team(session, viewer=actor(session, "admin"), first=month,
                                    last=month.replace(day=30), team=None)
    return sum((row.result.payout for _, rows in blocks for row in rows), Decimal(0))


def test_a_closed_month_is_frozen_and_each_change_is_paid_once_later(centre) -> None:
    database = centre
    november, adjustments = _close(database, NOVEMBER, date(2026, 12, 2))
    assert adjustments == [] and len(november.payouts) == 1
    frozen = november.payouts[0].amount
    assert frozen == _owed(database, NOVEMBER) and november.closed_by == "admin"
    assert november.versions["schemes"].keys() == {"security-50-50"}
    assert _pay(database, NOVEMBER).adjustments == []  # nothing changed yet

    _late_call(database, 1)  # late call records and back-dated terms
    with database.session() as session:
        import_terms(session, _terms(31000), valid_from=date(2026, 11, 1), login="admin",
                     source="terms-v2.json")
    owed = _owed(database, NOVEMBER)
    assert owed > frozen
    for shown in (_pay(database, NOVEMBER), _pay(database, DECEMBER)):
        [change] = shown.adjustments
        assert (change.paid, change.now, change.amount) == (frozen, owed, owed - frozen)
        reasons = {what for what, _, _ in change.reasons}
        assert {"terms", "dials", "effective_calls"} <= reasons
        assert shown.carried_into == DECEMBER
    assert _pay(database, JANUARY).adjustments == []  # carried into December only

    december, carried = _close(database, DECEMBER, date(2027, 1, 3))
    assert [a.amount for a in carried] == [owed - frozen]
    assert [(line.month, line.amount) for line in december.carried] == [
        (NOVEMBER, owed - frozen)]
    for month in (NOVEMBER, DECEMBER, JANUARY):  # paid: nothing is owed any more
        assert _pay(database, month).adjustments == []
    with database.session() as session:
        lines = session.exec(select(Payout).where(Payout.month == NOVEMBER)).all()
        assert sum(Decimal(p.amount_kopecks) / 100 for p in lines) == owed
        [original] = [p for p in lines if p.kind == "payout"]
        assert Decimal(original.amount_kopecks) / 100 == frozen  # never rewritten
        assert len(session.exec(select(AuditEntry).where(
            AuditEntry.action == "pay_period.close")).all()) == 2

    _late_call(database, 2)  # a second change to November goes to January, once
    [again] = _pay(database, JANUARY).adjustments
    assert again.month == NOVEMBER and again.paid == owed


def test_an_edited_scheme_file_shows_as_an_adjustment(centre, tmp_path, monkeypatch) -> None:
    import shutil

    import scorecard.domain.kpi as kpi

    database = centre
    folder = tmp_path / "schemes"
    shutil.copytree(kpi.shipped_schemes(), folder)
    monkeypatch.setattr(kpi, "shipped_schemes", lambda: folder)
    scheme = folder / "security-50-50.toml"
    november, _ = _close(database, NOVEMBER, date(2026, 12, 2))
    assert _pay(database, DECEMBER).adjustments == []
    scheme.write_text(scheme.read_text(encoding="utf-8").replace(
        'type = "fixed"', 'type = "fixed"\nweight = 1.1', 1), encoding="utf-8")
    [change] = _pay(database, DECEMBER).adjustments
    assert ("scheme edited", "security-50-50", "security-50-50") in change.reasons
    assert change.amount == Decimal("3000.00")  # a tenth more of the 30 000 fixed pay
    assert november.payouts[0].amount == change.paid


def test_closing_is_refused_early_twice_out_of_order_and_to_non_admins(centre) -> None:
    database = centre
    with database.session() as session:
        session.add(User(login="boss", display_name="Lead", role="lead"))
    with pytest.raises(KpiError, match="not over until 2026-11-30"):
        _close(database, NOVEMBER, date(2026, 11, 30))
    with database.session() as session, pytest.raises(AccessDenied, match="close a month"):
        close_month(session, NOVEMBER, by=actor(session, "boss"), today=date(2026, 12, 2))
    _close(database, NOVEMBER, date(2026, 12, 2))
    with pytest.raises(KpiError, match="closed on 2026-12-02 09:00 UTC by admin"):
        _close(database, NOVEMBER, date(2026, 12, 3))
    with pytest.raises(KpiError, match="next to close is 2026-12"):
        _close(database, JANUARY, date(2027, 2, 2))
    with pytest.raises(KpiError, match="next to close is 2026-12"):
        _close(database, date(2026, 10, 1), date(2027, 2, 2))
    with database.session() as session:
        assert [p.month for p in session.exec(select(PayPeriod))] == [NOVEMBER]


def test_a_move_to_another_team_never_carries_a_paid_month_with_it(centre) -> None:
    from scorecard.ingest.operators import OperatorRow
    from scorecard.services.imports import import_operators

    database = centre
    november, _ = _close(database, NOVEMBER, date(2026, 12, 2))
    with database.session() as session:  # from December on, Anna sells for another team
        import_operators(session, [OperatorRow(2, "Иванова Анна", "Продажи", "201", None,
                                               None, True)], since=DECEMBER)
    with database.session() as session:
        import_terms(session, {"teams": {"Продажи": {
            "scheme": "meetings-tiered", "plan": {}, "fixed": 20000, "bonus_target": 0}}},
            valid_from=DECEMBER, login="admin", source="terms-sales.json")
    assert _pay(database, DECEMBER).adjustments == []  # November stays Охрана's, as paid
    with database.session() as session:
        admin = actor(session, "admin")
        teams = {month: [(scheme.id, row.metrics.team) for scheme, rows in kpi_report_by_team(
            session, viewer=admin, first=month, last=month.replace(day=28), team=None)
            for row in rows] for month in (NOVEMBER, DECEMBER)}
    assert teams == {NOVEMBER: [("security-50-50", "Охрана")],
                     DECEMBER: [("meetings-tiered", "Продажи")]}
    assert november.payouts[0].detail["record"]["team"] == "Охрана"
    from scorecard.services.quality import quality_breakdown

    with database.session() as session:  # the weak-stage map of November says so too
        [anna] = quality_breakdown(session, viewer=actor(session, "admin"), first=NOVEMBER,
                                   last=date(2026, 11, 30), team="Охрана")
        assert anna.team == "Охрана" and anna.items


def test_a_line_frozen_with_list_multipliers_reads_as_reports_write_parts() -> None:
    from decimal import Decimal

    from scorecard.services.pay_periods import FrozenLine

    line = FrozenLine(date(2026, 11, 1), 1, "Анна", "payout", "security-50-50",
                      Decimal("100.00"), {"parts": [{
                          "name": "bonus", "input": {}, "amount": "99.995",
                          "multipliers": [["deals", "0.5", "1.2"]]}]})
    assert line.parts == [{"name": "bonus", "input": {}, "amount": Decimal("100.00"),
                           "multipliers": [{"name": "deals", "ratio": "0.5",
                                            "factor": "1.2"}]}]

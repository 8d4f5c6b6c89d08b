"""The KPI screen on a closed month shows what was paid and what changed since; the month
after shows the adjustments it pays, each explained."""

from __future__ import annotations

from datetime import date

from scorecard.services.access import actor
from scorecard.services.kpi_terms import import_terms
from scorecard.services.pay_periods import close_month
from scorecard.tui.screens.kpi import KpiScreen
from scorecard.tui.screens.weak_stages import WeakStageScreen
from tests.factories import DAY, make_test_app, settled, with_admin_and_team_lead


def _november_closed(graded_db):  # noqa: ANN001, ANN202 - the fixture, (database, ids)
    """November paid on a fixed 30 000 and closed by the admin."""
    database, ids = graded_db
    with_admin_and_team_lead(database, ids)
    with database.session() as session:
        import_terms(session, _terms(30000), valid_from=DAY.replace(day=1), login="admin",
                     source="terms.json")
    with database.session() as session:
        close_month(session, DAY, by=actor(session, "admin"), today=date(2026, 12, 2))
    return database, ids


def _terms(fixed: int) -> dict[str, object]:
    return {"teams": {"Охрана": {"scheme": "security-50-50", "plan": {
        "effective_calls": 4, "deals": 2}, "fixed": fixed, "bonus_target": 10000}}}


async def test_a_closed_month_and_the_next_one_on_the_kpi_screen(graded_db) -> None:
    database, ids = _november_closed(graded_db)
    with database.session() as session:  # back-dated: November was paid on 30 000
        import_terms(session, _terms(31000), valid_from=DAY.replace(day=1), login="admin",
                     source="terms-v2.json")
    app = make_test_app(database, login="lead", role="lead", language="en", today=DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        app.push_screen(KpiScreen(today=DAY))
        screen = await settled(pilot, KpiScreen)
        status = str(screen.query_one("#kpi-status").render())
        assert "closed" in status and "by admin: paid as frozen" in status
        assert "changed since closing: 1, settled with 12.2026" in status
        table = screen.query_one("#kpi-table")
        now, paid = (str(cell) for cell in table.get_row_at(0)[-2:])
        assert (now, paid) == ("34,750.00 ₽", "33,750.00")
        parts = str(screen.query_one("#kpi-parts").render())
        assert "paid at closing: 33,750.00 ₽ by security-50-50" in parts
        assert "since closing: +1,000.00 ₽, settled with 12.2026 (terms changed)" in parts
        await pilot.press("right_square_bracket")
        await settled(pilot)
        status = str(screen.query_one("#kpi-status").render())
        assert "12.2026" in status and "adjustments to closed months: 1" in status
        assert str(table.get_row_at(0)[-1]) == "+1,000.00"
        parts = str(screen.query_one("#kpi-parts").render())
        assert ("adjustment for 11.2026: +1,000.00 ₽ (paid 33,750.00, now 34,750.00: "
                "terms changed)") in parts


async def test_the_export_pays_an_adjustment_to_someone_with_no_line_this_month(
        graded_db) -> None:
    from sqlalchemy import text

    from scorecard.db.models import Operator

    database, ids = _november_closed(graded_db)
    with database.session() as session:
        import_terms(session, _terms(31000), valid_from=DAY.replace(day=1), login="admin",
                     source="terms-v2.json")
        [(gone, team_id)] = session.execute(text("SELECT id, team_id FROM operator")).all()
        session.execute(text("UPDATE operator SET active = false WHERE id = :id"), {"id": gone})
        session.add(Operator(name="Новенький", team_id=team_id))  # gone in December
        session.commit()
    december = date(2026, 12, 15)
    app = make_test_app(database, login="admin", role="admin", language="en", today=december)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot)
        app.push_screen(KpiScreen(today=december))
        screen = await settled(pilot, KpiScreen)
        records = {record["Operator"]: record for record in screen._records()}
        assert len(records) == 2 and "Новенький" in records  # the one gone: a line all the same
        [owed] = [record for name, record in records.items() if name != "Новенький"]
        assert (owed["Payout"], owed["Adjustments to closed months"], owed["To pay"]) == (
            0, 1000, 1000)

"""The pay terms screen: anyone who sees KPI reads the terms in force and every version;
an admin changes a team's terms from a day on in a form, which names what it cannot read
and keeps what was typed; a lead has no key to change them."""

from __future__ import annotations

from sqlmodel import select

from scorecard.db.models import KpiTerms
from scorecard.services.kpi_terms import import_terms
from scorecard.tui.screens.kpi import KpiScreen
from scorecard.tui.screens.kpi_terms import KpiTermsScreen
from scorecard.tui.screens.terms_dialog import TermsDialog, parse_plan
from scorecard.tui.screens.weak_stages import WeakStageScreen
from tests.factories import DAY, make_test_app, settled, wait_for, with_admin_and_team_lead


def test_a_plan_is_read_as_typed() -> None:
    assert parse_plan("effective_calls 900, deals 12") == {"effective_calls": "900",
                                                           "deals": "12"}
    assert parse_plan("effective_calls: 1 100; deals=12,5\n") == {"effective_calls": "1100",
                                                                  "deals": "12.5"}
    assert parse_plan("") == {}
    # By name, in either language, as the form shows them.
    assert parse_plan("результативные звонки 1 100, Сделки: 12") == {
        "effective_calls": "1100", "deals": "12"}
    assert parse_plan("effective calls 900, Calls of 10+ min 5") == {
        "effective_calls": "900", "long_calls": "5"}
    assert parse_plan("effective_calls 900, пончики 12") == "пончики 12"


async def test_an_admin_changes_a_teams_terms_and_a_lead_only_reads(graded_db) -> None:
    database, ids = graded_db
    with_admin_and_team_lead(database, ids)
    with database.session() as session:
        import_terms(session, {"teams": {"Охрана": {
            "scheme": "security-50-50", "plan": {"effective_calls": 4, "deals": 2},
            "fixed": 30000, "bonus_target": 10000}}}, valid_from=DAY.replace(day=1),
            login="admin", source="terms.json")
    app = make_test_app(database, login="admin", role="admin", language="en", today=DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        app.push_screen(KpiScreen(today=DAY))
        kpi = await settled(pilot, KpiScreen)
        assert str(kpi.rows[0].result.payout) == "33750.00"
        await pilot.press("t")
        screen = await settled(pilot, KpiTermsScreen)
        table = screen.query_one("#terms-table")
        assert [str(c) for c in table.get_row_at(0)][:5] == [
            "Охрана (team)", "security-50-50", "30,000.00", "10,000.00", "01.11.2026"]
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, TermsDialog))
        dialog = app.screen
        assert dialog.query_one("#terms-plan").value == "deals 2, effective calls 4"
        dialog.query_one("#terms-plan").value = "effective_calls 4, пончики 2"
        dialog.query_one("#terms-fixed").value = "31 000"
        dialog.query_one("#terms-from").value = "15.11.2026"
        await pilot.press("ctrl+s")
        problem = str(dialog.query_one("#dialog-problem").render())
        assert "cannot read “пончики 2”" in problem and app.screen is dialog
        dialog.query_one("#terms-plan").value = "effective_calls 4, deals 2"
        await pilot.press("ctrl+s")
        await wait_for(lambda: app.screen is screen and screen.loads >= 2)
        await settled(pilot)
        with database.session() as session:
            newest = session.exec(select(KpiTerms).order_by(KpiTerms.id.desc())).first()
            assert newest is not None and str(newest.valid_from) == "2026-11-15"
            assert '"fixed": "31000"' in newest.body and newest.scheme == "security-50-50"
        await pilot.press("h")  # every version, newest first, with who set it
        await wait_for(lambda: screen.history and screen.versions)
        await settled(pilot)
        assert [v.valid_from.day for v in screen.versions] == [15, 1]
        assert "admin" in str(table.get_row_at(0)[5])
        await pilot.press("escape")
        await settled(pilot, KpiScreen)
        await wait_for(lambda: kpi.rows and kpi.loads >= 2)

    app = make_test_app(database, login="lead", role="lead", language="en", today=DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        app.push_screen(KpiTermsScreen(day=DAY))
        screen = await settled(pilot, KpiTermsScreen)
        assert screen.check_action("edit", ()) is False
        assert screen.check_action("add", ()) is False
        from scorecard.tui.keys import described_keys

        shown = [label for _, label in described_keys(screen, app.t, shown_only=True)]
        assert "Change" not in shown and "Versions" in shown  # no key offered it lacks
        assert "an admin changes them" in str(screen.query_one("#terms-status").render())
        await pilot.press("enter", "a")
        await settled(pilot)
        assert app.screen is screen  # no form opens for a lead

"""Opening a graded call read-only from the screens that name it, as an operator, a lead
and someone refused. Through the Pilot, on both databases."""

from __future__ import annotations

from datetime import date

from scorecard.db.models import Team, User
from scorecard.services.access import actor
from scorecard.services.disputes import open_dispute
from scorecard.tui.screens.audit import AuditScreen
from scorecard.tui.screens.disputes import DisputesScreen
from scorecard.tui.screens.evaluation import EvaluationScreen
from scorecard.tui.screens.operator_quality import OperatorQualityScreen
from scorecard.tui.screens.own_evaluations import OwnEvaluationsScreen
from scorecard.tui.screens.weak_stages import WeakStageScreen
from tests.factories import (
    grade_two_calls_failing_price,
    make_test_app,
    settled,
    wait_for,
    zero_the_first_call,
)

DAY = date(2026, 11, 20)


def _graded_with_a_zero_and_a_dispute(database, ids) -> int:
    """Both calls graded failing price; call 1 then amended to fail the critical greeting,
    and its price item disputed by the operator. Call 1's evaluation id."""
    grade_two_calls_failing_price(database, ids)
    evaluation_id = zero_the_first_call(database, ids)
    with database.session() as session:
        open_dispute(session, actor=actor(session, "anna"), evaluation_id=evaluation_id,
                     stage="price", item="price_named", comment="клиент сам замолчал на 02:15")
    return evaluation_id


async def _opened(pilot) -> EvaluationScreen:
    app = pilot.app
    await wait_for(lambda: isinstance(app.screen, EvaluationScreen) and app.screen.ready)
    await pilot.pause()
    return app.screen


async def test_an_operator_opens_their_call_and_sees_what_zeroed_it(graded_db) -> None:
    database, ids = graded_db
    evaluation_id = _graded_with_a_zero_and_a_dispute(database, ids)
    app = make_test_app(database, login="anna", language="ru", today=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        own = await settled(pilot, OwnEvaluationsScreen)
        row = next(n for n, e in enumerate(own.evaluations) if e.evaluation_id == evaluation_id)
        own.query_one("#own-table").move_cursor(row=row)
        await pilot.pause()
        detail = str(own.query_one("#own-detail").render())
        assert "итог обнулил критический пункт «Поздоровался" in detail
        await pilot.press("enter")
        screen = await _opened(pilot)
        assert screen.record is not None and screen.record.view.has_transcript
        banner = str(screen.query_one("#critical-banner").render())
        assert "Итог обнулён" in banner and "Поздоровался" in banner
        # The cursor starts on the item that zeroed the call.
        assert screen.query_one("#checklist").current_key == ("contact", "greeting")
        await pilot.press("down", "down", "down", "down", "down", "down", "down", "down")
        screen.query_one("#checklist").move_to(("price", "price_named"))
        await pilot.pause()
        assert "клиент сам замолчал на 02:15" in str(screen.query_one("#item-detail").render())
        await pilot.press("h")
        history = str(screen.query_one("#history").render())
        assert "оценка изменена" in history and "«Поздоровался, представился" in history
        assert "✓ → ✗" in history and "спор открыт" in history
        await pilot.press("escape")
        await settled(pilot, OwnEvaluationsScreen)


async def test_a_lead_opens_an_evaluation_from_disputes_the_log_and_the_operator(
        graded_db) -> None:
    database, ids = graded_db
    evaluation_id = _graded_with_a_zero_and_a_dispute(database, ids)
    app = make_test_app(database, login="lead", language="en", today=DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        await pilot.press("d")
        await settled(pilot, DisputesScreen)
        await pilot.press("enter")
        screen = await _opened(pilot)
        assert screen.evaluation_id == evaluation_id
        await pilot.press("escape")
        await settled(pilot, DisputesScreen)
        await pilot.press("escape", "l")
        log = await settled(pilot, AuditScreen)
        # Rows in words: the action, and the item's wording with the answers.
        table = log.query_one("#audit-table")
        opened = [str(cell) for cell in table.get_row_at(
            next(n for n, e in enumerate(log.entries) if e.action == "dispute.open"))]
        assert opened[2] == "dispute opened" and opened[4].startswith("item “")
        amended = next(n for n, e in enumerate(log.entries) if e.action == "evaluation.amend")
        assert "✓ → ✗" in str(table.get_row_at(amended)[4])
        table.move_cursor(row=amended)
        await pilot.press("enter")
        screen = await _opened(pilot)
        assert screen.evaluation_id == evaluation_id
        await pilot.press("escape")
        await settled(pilot, AuditScreen)
        await pilot.press("escape")
        weak = await settled(pilot, WeakStageScreen)
        assert weak is not None
        await pilot.press("enter")
        grades = await settled(pilot, OperatorQualityScreen)
        assert grades.query_one("#evaluations").row_count == 2
        await pilot.press("enter")
        screen = await _opened(pilot)
        assert screen.record is not None


async def test_a_lead_of_another_team_is_refused_in_place(graded_db) -> None:
    database, ids = graded_db
    evaluation_id = _graded_with_a_zero_and_a_dispute(database, ids)
    with database.session() as session:
        other = Team(name="Входящие")
        session.add(other)
        session.flush()
        session.add(User(login="other_lead", display_name="O", role="lead", team_id=other.id))
    app = make_test_app(database, login="other_lead", language="en", today=DAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        app.push_screen(EvaluationScreen(evaluation_id))
        screen = await _opened(pilot)
        assert screen.record is None
        assert "may not see Иванова Анна's evaluations" in str(
            screen.query_one("#call-info").render())
        assert not screen.query_one("#panes").display

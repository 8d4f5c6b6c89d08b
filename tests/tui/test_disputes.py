"""Operators dispute from their own screen; leads decide on theirs and read the audit log;
keys a role may not use are not offered. Through the Pilot, on both databases."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from scorecard.db.models import Dispute, EvaluationAnswer, User
from scorecard.tui.screens.audit import AuditScreen
from scorecard.tui.screens.disputes import DisputesScreen
from scorecard.tui.screens.own_evaluations import OwnEvaluationsScreen
from scorecard.tui.screens.slices import SliceScreen
from scorecard.tui.screens.text_dialog import TextDialog
from scorecard.tui.screens.weak_stages import WeakStageScreen
from tests.factories import grade_two_calls_failing_price, make_test_app, settled, wait_for

DAY = date(2026, 11, 20)


async def test_an_operator_disputes_a_failed_item_and_the_lead_accepts(graded_db) -> None:
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    app = make_test_app(database, login="anna", language="ru", today=DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, OwnEvaluationsScreen)
        screen = app.screen
        assert len(screen.evaluations) == 2
        items = screen.query_one("#own-items")
        await pilot.press("tab")
        assert items.has_focus
        await pilot.press("d")  # the first item (contact) passed: nothing to dispute
        assert not isinstance(app.screen, TextDialog)
        first = screen.evaluations[0]
        price = next(n for n, i in enumerate(first.items) if i.stage == "price")
        items.move_cursor(row=price)
        await pilot.press("d")
        await wait_for(lambda: isinstance(app.screen, TextDialog))
        await pilot.press(*"Цену назвала", "enter")
        await settled(pilot)
        assert screen.evaluations[0].status == "disputed"
        assert screen.evaluations[0].items[price].dispute_status == "open"
        # Redrawn after the dispute: the cursor stays on the item, every column as wide
        # as what it holds (never cut back to its heading).
        assert items.cursor_row == price and items.has_focus
        await pilot.pause()
        for column in items.columns.values():
            assert column.get_render_width(items) >= column.content_width
        assert items.columns["dispute"].content_width >= len("на рассмотрении")
    with database.session() as session:
        dispute = session.exec(select(Dispute)).one()
        assert dispute.comment == "Цену назвала" and dispute.status == "open"

    app = make_test_app(database, login="lead", language="en", today=DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        await pilot.press("d")
        await settled(pilot, DisputesScreen)
        disputes = app.screen
        assert [d.operator for d in disputes.disputes] == ["Иванова Анна"]
        await pilot.press("a")
        await wait_for(lambda: isinstance(app.screen, TextDialog))
        await pilot.press(*"said at 3:10", "enter")
        await settled(pilot)
        assert disputes.disputes == []  # resolved ones are hidden until h
        await pilot.press("h")
        await settled(pilot)
        assert [d.status for d in disputes.disputes] == ["accepted"]
        await pilot.press("escape", "l")
        await settled(pilot, AuditScreen)
        assert app.screen.entries[0].action == "dispute.accept"
        assert app.screen.entries[0].actor == "lead"
    with database.session() as session:
        answer = session.exec(select(EvaluationAnswer).where(
            EvaluationAnswer.evaluation_id == dispute.evaluation_id,
            EvaluationAnswer.stage_key == dispute.stage_key,
            EvaluationAnswer.item_key == dispute.item_key)).one()
        assert answer.answer == "pass"


async def test_a_trainer_is_not_offered_pay_disputes_or_the_log(graded_db) -> None:
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        session.add(User(login="trainer", display_name="Trainer", role="trainer"))
    app = make_test_app(database, login="trainer", language="en", today=DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await settled(pilot, WeakStageScreen)
        offered = {b.binding.action for b in app.screen.active_bindings.values()}
        assert {"coach", "coaching", "slices"} <= offered
        assert not {"kpi", "disputes", "audit"} & offered
        await pilot.press("p", "d", "l")
        await pilot.pause()
        assert isinstance(app.screen, WeakStageScreen)
        # The slices, yes; setting a task there, no (it used to be offered, then refused).
        await pilot.press("s")
        await settled(pilot, SliceScreen)
        offered = {b.binding.action for b in app.screen.active_bindings.values()}
        assert "task" not in offered and "step(1)" in offered

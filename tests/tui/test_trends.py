"""The weekly trend chart on the operator screen, through the Pilot."""

from __future__ import annotations

from datetime import date

from scorecard.tui.screens.operator_quality import OperatorQualityScreen
from scorecard.tui.screens.weak_stages import WeakStageScreen
from tests.factories import DAY, grade_two_calls_failing_price, make_test_app, settled, wait_for


async def test_the_operator_screen_shows_weekly_trends_by_stage(graded_db) -> None:
    from scorecard.tui.widgets.keybar import KeyBar
    from scorecard.tui.widgets.trend_chart import TrendChart, TrendPanel

    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    app = make_test_app(database, login="lead", role="lead", language="ru", today=DAY)
    async with app.run_test(size=(120, 36)) as pilot:
        await settled(pilot, WeakStageScreen)
        await pilot.press("enter")
        await wait_for(lambda: isinstance(app.screen, OperatorQualityScreen)
                       and app.screen.query_one("#evaluations").row_count == 2)
        screen = app.screen
        assert screen.today == DAY  # the map's day: the chart ends there, not at month end
        assert not screen.query(TrendPanel)  # built only when asked for
        await pilot.press("w")
        await wait_for(lambda: bool(screen.query(TrendPanel)))
        await settled(pilot)
        chart = screen.query_one(TrendChart)
        assert app.focused is chart and not screen.query_one("#evaluations").display
        assert chart.trends is not None and chart.trends.until == DAY
        assert chart.trends.weeks[-1] == date(2026, 11, 16) and len(chart.trends.weeks) == 8
        mine, team = chart.lines
        assert [p.evaluations for p in mine] == [0] * 7 + [2]
        assert mine[-1].mean == 90.0 and mine[0].mean is None  # price (10 %) failed: a gap
        assert team is not None and team[-1] == mine[-1]  # Анна is the whole team
        assert chart.heading == "Итоговая оценка по неделям"
        counts = str(screen.query_one("#trend-counts").render())
        assert "0 · 0 · 0 · 0 · 0 · 0 · 0 · 2" in counts
        assert "Этап" in str(screen.query_one(KeyBar).render())
        await pilot.press("s")
        assert chart.stage == "contact" and chart.heading == "Этап «Контакт» по неделям"
        while chart.stage != "price":
            await pilot.press("s")
        assert chart.lines[0][-1].mean == 0.0 and "Цена" in chart.heading
        assert chart.stages[-1] == "close"
        await pilot.press("s")
        assert chart.stage == "close"
        await pilot.press("s")  # after the last stage: the total again
        assert chart.stage is None and chart.heading == "Итоговая оценка по неделям"
        await pilot.press("S")  # and back, the other way round
        assert chart.stage == "close"
        await pilot.press("S")
        assert chart.stage == chart.stages[-2]
        await pilot.press("w")  # and back to the tables
        assert screen.query_one("#evaluations").display
        assert not screen.query_one(TrendPanel).display


async def test_nothing_graded_in_the_span_reads_as_such(graded_db) -> None:
    from scorecard.tui.widgets.trend_chart import TrendChart, TrendPanel

    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    app = make_test_app(database, login="lead", role="lead", language="en", today=DAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot, WeakStageScreen)
        screen = OperatorQualityScreen("Иванова Анна", date(2026, 9, 1), date(2026, 9, 30),
                                       today=DAY)
        app.push_screen(screen)
        await pilot.pause()
        await pilot.press("w")
        await wait_for(lambda: bool(screen.query(TrendPanel)))
        await settled(pilot)
        chart = screen.query_one(TrendChart)
        assert chart.trends is not None and chart.trends.until == date(2026, 9, 30)
        assert all(p.mean is None for p in chart.lines[0]) and chart.stages == []
        assert "No grades in these weeks." in str(screen.query_one("#trend-counts").render())
        await pilot.press("s")  # no stage to move to
        assert chart.stage is None

"""The weekly trend chart pinned as an SVG snapshot (update with --snapshot-update).

Everything the chart draws is fixed: the day it ends (``today``), the grades, the theme.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import select

from scorecard.db.engine import open_database
from scorecard.db.models import Operator, User
from scorecard.services.metrics import mark_stale
from tests.factories import add_grade, make_test_app, seed, settled, wait_for

TODAY = date(2026, 11, 20)

#: (operator, call day, total, price stage score): Анна climbs, Борис holds the team up,
#: and nobody was graded in the week of 26.10.
GRADES = [
    ("Иванова Анна", date(2026, 10, 6), 55.0, 0.0),
    ("Иванова Анна", date(2026, 10, 14), 62.0, 0.0),
    ("Иванова Анна", date(2026, 10, 21), 70.0, 50.0),
    ("Иванова Анна", date(2026, 11, 4), 78.0, 100.0),
    ("Иванова Анна", date(2026, 11, 11), 85.0, 100.0),
    ("Иванова Анна", date(2026, 11, 18), 92.0, 100.0),
    ("Борисов Борис", date(2026, 9, 30), 80.0, 100.0),
    ("Борисов Борис", date(2026, 10, 7), 82.0, 100.0),
    ("Борисов Борис", date(2026, 10, 15), 78.0, 50.0),
    ("Борисов Борис", date(2026, 11, 5), 84.0, 100.0),
    ("Борисов Борис", date(2026, 11, 19), 80.0, 0.0),
]


def test_trend_chart_100x30(snap_compare, tmp_path: Path) -> None:
    from scorecard.tui.screens.operator_quality import OperatorQualityScreen

    database = open_database(f"sqlite:///{tmp_path / 'trends.db'}")
    ids = seed(database, fixed_findings=True)
    with database.session() as session:
        anna = session.exec(select(Operator).where(Operator.name == "Иванова Анна")).one()
        boris = Operator(name="Борисов Борис", team_id=anna.team_id)
        session.add(boris)
        session.add(User(login="lead", display_name="Lead", role="lead", team_id=anna.team_id))
        qa = session.exec(select(User).where(User.login == "qa")).one()
        session.flush()
        people = {anna.name: anna.id or 0, boris.name: boris.id or 0}
        for n, (name, day, total, price) in enumerate(GRADES):
            add_grade(session, f"snap-{n}", people[name], day, total,
                      {"contact": total, "price": price}, version=ids["version"],
                      evaluator=qa.id or 0)
        mark_stale(session, date(2026, 9, 28), TODAY)
    app = make_test_app(database, login="lead", role="lead", language="ru", today=TODAY)

    async def chart_shown(pilot) -> None:
        from scorecard.tui.screens.weak_stages import WeakStageScreen
        from scorecard.tui.widgets.trend_chart import TrendPanel

        # The map rebuilds the stale monthly rollup first; the operator's screen reads it
        # after (two writers at once would make one wait for SQLite's lock).
        await settled(pilot, WeakStageScreen)
        screen = OperatorQualityScreen("Иванова Анна", date(2026, 11, 1), date(2026, 11, 30),
                                       today=TODAY)
        await pilot.app.push_screen(screen)
        await wait_for(lambda: screen.query_one("#evaluations").row_count > 0)
        await pilot.press("w")
        await wait_for(lambda: bool(screen.query(TrendPanel)))
        await settled(pilot)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    try:
        assert snap_compare(app, terminal_size=(100, 30), run_before=chart_shown)
    finally:
        database.dispose()

"""Benchmark: a month's KPI report for 200 operators, 1,000,000 calls, 20,000 evaluations.

Run:  .venv/bin/python tests/benchmarks/bench_kpi.py
Goals: the KPI report in ≤ 1 s on SQLite, printed next to a naive Python-loop baseline
measured in the same run (issue: the combined KPI); the lead's weak-stage map of the same
month, from key press to a drawn screen, in ≤ 300 ms (issue: leads and trainers); the report
with each team paid by its own scheme from terms in the database, and the next month's once
that month is closed (with and without a change to compare), in ≤ 0.1 s (issue: payroll).

The generated month is written straight into a fresh SQLite database; the operator-day
rollup is then counted once (timed too: it is what an import's next read pays), and the
report reads the rollup. The baseline fetches the raw rows and adds them up in Python.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

OPERATORS = 200
CALLS = 1_000_000
EVALUATIONS = 20_000
OUTCOMES = 60_000
FIRST, LAST = date(2026, 11, 1), date(2026, 11, 30)


def fill(path: Path) -> None:
    from scorecard.db.engine import open_database
    from scorecard.domain.library import find_card
    from scorecard.services.cards import import_card

    database = open_database(f"sqlite:///{path}")
    with database.session() as session:
        import_card(session, find_card("security-cold-call")[0])
    database.dispose()
    rng = random.Random(3)
    days = [FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1)
            if (FIRST + timedelta(days=n)).weekday() < 5]
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    with connection:
        connection.executemany("INSERT INTO team (id, name, shift_start, shift_end, created_at) "
                               "VALUES (?, ?, '09:00:00', '18:00:00', '2026-01-01')",
                               [(t, f"Команда {t}") for t in range(1, 6)])
        connection.executemany(
            "INSERT INTO operator (id, name, team_id, extension, active, created_at) "
            "VALUES (?, ?, ?, ?, 1, '2026-01-01')",
            [(n, f"Оператор {n:03d}", n % 5 + 1, str(200 + n)) for n in range(1, OPERATORS + 1)])
        connection.execute("INSERT INTO app_user (id, login, display_name, role, active, "
                           "created_at) VALUES (1, 'qa', 'QA', 'qa', 1, '2026-01-01'), "
                           "(2, 'lead', 'Lead', 'lead', 1, '2026-01-01')")

        def calls():
            for n in range(1, CALLS + 1):
                day = days[n % len(days)]
                start = datetime.combine(day, datetime.min.time()) + timedelta(
                    seconds=9 * 3600 + rng.randrange(9 * 3600))
                answered = rng.random() < 0.45
                talk = int(rng.expovariate(1 / 90)) if answered else 0
                yield (n, f"b{n}", n % OPERATORS + 1, start.isoformat(" ") + ".000000",
                       talk, "answered" if answered else "no_answer")

        connection.executemany(
            'INSERT INTO "call" (id, external_id, operator_id, started_at, ring_seconds, '
            "talk_seconds, direction, disposition) VALUES (?, ?, ?, ?, 5, ?, 'outbound', ?)",
            calls())
        kinds = ["presentation", "meeting_set", "meeting_held", "invoice", "payment", "deal"]
        connection.executemany(
            "INSERT INTO outcome_event (id, external_id, call_id, operator_id, occurred_at, "
            "kind, amount_kopecks, client_kind) SELECT ?, ?, id, operator_id, started_at, ?, ?, ? "
            'FROM "call" WHERE id = ?',
            ((n, f"o{n}", kind, rng.randrange(100_000, 5_000_000) if kind in ("payment", "deal")
              else None, rng.choice(["new", "existing"]), rng.randrange(1, CALLS))
             for n in range(1, OUTCOMES + 1) for kind in [rng.choice(kinds)]))
        connection.executemany(
            "INSERT INTO evaluation (id, call_id, operator_id, call_started_at, card_version_id, "
            "evaluator_id, status, is_calibration, started_at, updated_at, seconds_spent, "
            "total_score, critical_fail) SELECT ?, id, operator_id, started_at, 1, 1, "
            "'submitted', 0, started_at, started_at, 300, ?, ? FROM \"call\" WHERE id = ?",
            ((n, round(rng.uniform(30, 100), 2), rng.random() < 0.05, n * 47)
             for n in range(1, EVALUATIONS + 1)))
        stages = ("contact", "diagnosis", "presentation", "objections", "price", "close")
        connection.executemany(
            "INSERT INTO evaluation_stage (evaluation_id, stage_key, weight, score, passed, "
            "failed) VALUES (?, ?, 1, ?, 1, 1)",
            ((n, stage, rng.choice((0, 50, 100))) for n in range(1, EVALUATIONS + 1)
             for stage in stages))
    connection.close()


def naive(path: Path) -> dict[str, Decimal]:
    """What a straightforward script does: every raw row through Python."""
    from scorecard.domain.kpi import OperatorInput, compute, find_scheme

    scheme = find_scheme("security-50-50")
    connection = sqlite3.connect(path)
    names = dict(connection.execute("SELECT id, name FROM operator"))
    counts: dict[int, Counter] = defaultdict(Counter)
    start, end = FIRST.isoformat(), (LAST + timedelta(days=1)).isoformat()
    for operator, disposition, talk in connection.execute(
            'SELECT operator_id, disposition, talk_seconds FROM "call" '
            "WHERE started_at >= ? AND started_at < ?", (start, end)):
        if disposition == "answered" and talk >= 20:
            counts[operator]["effective_calls"] += 1
    for operator, kind in connection.execute(
            "SELECT operator_id, kind FROM outcome_event WHERE occurred_at >= ? "
            "AND occurred_at < ?", (start, end)):
        if kind == "deal":
            counts[operator]["deals"] += 1
    connection.close()
    return {names[o]: compute(scheme, OperatorInput(
        names[o], {k: Decimal(v) for k, v in c.items()},
        {"effective_calls": Decimal(900), "deals": Decimal(12)},
        Decimal(35000), Decimal(35000))).payout for o, c in counts.items()}


def report(path: Path) -> dict[str, Decimal]:
    from scorecard.db.engine import open_database
    from scorecard.domain.kpi import OperatorInput, find_scheme
    from scorecard.services.access import actor
    from scorecard.services.kpi import kpi_report

    database = open_database(f"sqlite:///{path}")
    default = OperatorInput("*", {}, {"effective_calls": Decimal(900), "deals": Decimal(12)},
                            Decimal(35000), Decimal(35000))
    try:  # terms as this tree takes them: read from a file, or (older trees) a list
        from scorecard.services.kpi_terms import TermsInForce

        terms: object = TermsInForce(default=default)
    except ImportError:
        terms = [default]
    with database.session() as session:
        rows = kpi_report(session, find_scheme("security-50-50"),
                          viewer=actor(session, "lead"), first=FIRST, last=LAST,
                          team=None, terms=terms)
    database.dispose()
    return {row.metrics.operator: row.result.payout for row in rows}


async def map_seconds(path: Path) -> tuple[float, float]:
    """From the month key to the weak-stage map drawn for that month, best of 3: measured
    inside the app (the key's action starts → the filled table is painted) and around the
    Pilot's round trip (which adds the test harness's own key pipeline and idle waits)."""
    import asyncio

    from scorecard.config import Settings
    from scorecard.db.engine import open_database
    from scorecard.services.access import actor
    from scorecard.tui.app import ScorecardApp
    from scorecard.tui.screens.weak_stages import WeakStageScreen

    database = open_database(f"sqlite:///{path}")
    with database.session() as session:
        lead = actor(session, "lead")
    # December: empty, so the map opens on November; ] shows empty December, [ November.
    app = ScorecardApp(database, Settings(), lead, "ru",
                       today=FIRST + timedelta(days=40))
    inside, around = [], []
    async with app.run_test(size=(160, 50)) as pilot:
        while not (isinstance(app.screen, WeakStageScreen) and app.screen.loads):
            await asyncio.sleep(0.005)
        screen = app.screen
        stamps: dict[str, float] = {}
        shift, fill = screen.action_shift_month, screen._fill

        def shift_stamped(step: int) -> None:
            stamps["key"] = time.perf_counter()
            shift(step)

        def fill_stamped(*args: object) -> None:
            fill(*args)
            screen.call_after_refresh(lambda: stamps.__setitem__("drawn", time.perf_counter()))

        screen.action_shift_month = shift_stamped  # type: ignore[method-assign]
        screen._fill = fill_stamped  # type: ignore[method-assign]
        for key in ("right_square_bracket", "left_square_bracket") * 3:
            loads = screen.loads
            stamps.clear()
            started = time.perf_counter()
            await pilot.press(key)
            while screen.loads == loads or "drawn" not in stamps:
                await asyncio.sleep(0.001)
            await pilot.pause()
            if key == "left_square_bracket":  # November: 200 operators
                assert len(screen.rows) == OPERATORS
                around.append(time.perf_counter() - started)
                inside.append(stamps["drawn"] - stamps["key"])
    database.dispose()
    return min(inside), min(around)


def payroll_seconds(path: Path) -> dict[str, float]:
    """Per-team schemes from stored terms; closing November; December's pay read with
    November unchanged and after a change (a regrade) that makes it compare again."""
    from scorecard.db.engine import open_database
    from scorecard.services.access import actor
    from scorecard.services.kpi import kpi_report_by_team
    from scorecard.services.kpi_terms import import_terms
    from scorecard.services.metrics import recheck_closed
    from scorecard.services.pay_periods import close_month, month_pay

    plan = {"effective_calls": 900, "deals": 12, "invoices": 60, "payments": 40}
    schemes = ["security-50-50", "invoices-payments", "meetings-tiered", "security-50-50",
               "invoices-payments"]
    database = open_database(f"sqlite:///{path}")
    with database.session() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO app_user (id, login, display_name, role, active, created_at) "
            "VALUES (3, 'admin', 'Admin', 'admin', 1, '2026-01-01')")
        import_terms(session, {"teams": {
            f"Команда {t}": {"scheme": schemes[t - 1], "plan": plan, "fixed": 35000,
                             "bonus_target": 35000} for t in range(1, 6)}},
            valid_from=date(2026, 1, 1), login="admin", source="bench")

    def best(read) -> float:  # noqa: ANN001
        timings = []
        for _ in range(3):
            with database.session() as session:
                started = time.perf_counter()
                read(session)
                timings.append(time.perf_counter() - started)
                session.rollback()
        return min(timings)

    found = {"by team": best(lambda session: kpi_report_by_team(
        session, viewer=actor(session, "lead"), first=FIRST, last=LAST, team=None))}
    with database.session() as session:
        started = time.perf_counter()
        close_month(session, FIRST, by=actor(session, "admin"), today=date(2027, 1, 1))
        found["close"] = time.perf_counter() - started
    december = FIRST + timedelta(days=30)
    found["next, unchanged"] = best(lambda session: month_pay(session, actor(session, "lead"),
                                                              december))

    def changed(session) -> None:  # noqa: ANN001
        recheck_closed(session)
        month_pay(session, actor(session, "lead"), december)

    found["next, changed"] = best(changed)
    database.dispose()
    return found


def main() -> None:
    from scorecard.db.engine import open_database
    from scorecard.services.metrics import rebuild

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "kpi.db"
        started = time.perf_counter()
        fill(path)
        print(f"generated {CALLS:,} calls, {OUTCOMES:,} outcomes, {EVALUATIONS:,} evaluations "
              f"in {time.perf_counter() - started:.1f} s")
        database = open_database(f"sqlite:///{path}")
        started = time.perf_counter()
        with database.session() as session:
            rebuild(session, first=FIRST, last=LAST)
        print(f"rollup counted once:  {time.perf_counter() - started:6.2f} s")
        database.dispose()
        timings, results = [], {}
        for _ in range(3):
            started = time.perf_counter()
            results = report(path)
            timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        baseline = naive(path)
        naive_seconds = time.perf_counter() - started
        assert baseline == results, "the report and the baseline disagree"
        print(f"KPI report (rollup):  {min(timings):6.3f} s best of 3  (goal ≤ 1 s)")
        print(f"naive Python loop:    {naive_seconds:6.3f} s  "
              f"({naive_seconds / min(timings):.0f}× slower); both give the same payouts")
        import asyncio

        payroll = payroll_seconds(path)
        print(f"by-team schemes:      {payroll['by team']:6.3f} s best of 3, 5 teams on 3 "
              "schemes from stored terms (goal ≤ 0.1 s)")
        print(f"closing November:     {payroll['close']:6.3f} s, 200 payouts frozen")
        print(f"December's pay:       {payroll['next, unchanged']:6.3f} s with November "
              f"unchanged, {payroll['next, changed']:.3f} s when it must be compared again "
              "(goal ≤ 0.1 s)")
        inside, around = asyncio.run(map_seconds(path))
        print(f"weak-stage map:       {inside:6.3f} s best of 3, key to painted map "
              f"(200 operators × 6 stages, 20,000 evaluations; goal ≤ 0.3 s); "
              f"{around:.3f} s around the Pilot's key round trip")


if __name__ == "__main__":
    main()

"""The demo database: built by code, believable, and the same for the same seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from scorecard.db.engine import open_database

END = "2026-03-13"  # a Friday
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module", params=[
    "sqlite", pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.slow])])
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The module's database, as the shared fixture gives it; the PostgreSQL build of the
    demo takes half a minute, so those tests run with the slow ones (CI runs both)."""
    from tests.conftest import _postgres_database

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'scorecard.db'}"
        return
    yield from _postgres_database()


def scalar(database, sql: str, **params):
    with database.engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def rows(database, sql: str, **params):
    with database.engine.connect() as connection:
        return connection.execute(text(sql), params).all()


@pytest.fixture(scope="module")
def demo_db(module_db_url: str, tmp_path_factory: pytest.TempPathFactory):
    """One demo build per backend, shared by the read-only tests below."""
    import contextlib
    import io

    from scorecard.cli import main
    from tests.conftest import TRUSTED_CONFIG

    out, err = io.StringIO(), io.StringIO()
    home = tmp_path_factory.mktemp("demo-home")
    (home / "config.toml").write_text(TRUSTED_CONFIG, encoding="utf-8")
    # Module-wide, so before each test's own isolation: its own data folder and config.
    with pytest.MonkeyPatch.context() as env, contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err):
        env.setenv("SCORECARD_DATA_DIR", str(home / "data"))
        env.setenv("SCORECARD_CONFIG", str(home / "config.toml"))
        code = main(["demo", "--db", module_db_url, "--seed", "7", "--end", END, "--no-tui"])
    assert code == 0, err.getvalue()
    database = open_database(module_db_url)
    database.demo_output = (out.getvalue(), err.getvalue())  # type: ignore[attr-defined]
    yield database
    database.dispose()


def test_the_demo_says_what_it_builds_and_whom_to_log_in_as(demo_db) -> None:
    import wave

    out, err = demo_db.demo_output
    assert "calls of 30 working days…" in err and "auto-QA" in err
    # A few calls of qa's queue have a recording that is there, as long as the call (to 5 min).
    recorded = rows(demo_db, "SELECT c.recording_path, c.talk_seconds FROM \"call\" c "
                             "JOIN assignment a ON a.call_id = c.id "
                             "WHERE c.recording_path LIKE '/%'")
    assert len(recorded) == 6 and "with a recording        6" in out
    for path, talk in recorded:
        with wave.open(path) as recording:
            assert recording.getnframes() / recording.getframerate() == min(talk, 300)
    logins = [line.split()[0] for line in out.splitlines() if "an operator of" in line]
    assert len(logins) == 3  # one per team, each a real login
    for login in logins:
        assert scalar(demo_db, "SELECT count(*) FROM app_user WHERE login = :login "
                      "AND role = 'operator'", login=login) == 1


def test_demo_builds_a_believable_call_centre(demo_db) -> None:
    db = demo_db
    assert scalar(db, "SELECT count(*) FROM team") == 3
    assert scalar(db, "SELECT count(*) FROM team WHERE card_id IS NULL") == 0
    assert scalar(db, "SELECT count(*) FROM operator") == 24
    logins = {r[0] for r in rows(db, "SELECT login FROM app_user")}
    assert {"qa", "qa2", "lead", "trainer", "admin"} <= logins
    assert scalar(db, "SELECT count(*) FROM app_user WHERE role = 'operator'") == 24
    days = scalar(db, "SELECT count(DISTINCT substr(CAST(started_at AS TEXT), 1, 10)) FROM call")
    assert days == 30
    assert scalar(db, "SELECT max(substr(CAST(started_at AS TEXT), 1, 10)) FROM call") == END

    calls = scalar(db, "SELECT count(*) FROM call")
    answered = scalar(db, "SELECT count(*) FROM call WHERE disposition = 'answered'")
    long_calls = scalar(db, "SELECT count(*) FROM call WHERE talk_seconds >= 600")
    assert 60_000 < calls < 150_000
    assert 0.2 < answered / calls < 0.5  # most dials go unanswered
    assert 0 < long_calls / answered < 0.1  # a few calls of 10+ minutes
    assert scalar(db, "SELECT count(*) FROM call WHERE disposition <> 'answered' "
                      "AND talk_seconds > 0") == 0

    kinds = {r[0] for r in rows(db, "SELECT DISTINCT kind FROM outcome_event")}
    assert {"presentation", "meeting_set", "meeting_held", "invoice", "payment"} <= kinds
    assert scalar(db, "SELECT count(*) FROM outcome_event WHERE kind = 'payment' "
                      "AND (amount_kopecks IS NULL OR amount_kopecks <= 0)") == 0


def test_two_operators_dial_and_drop(demo_db) -> None:
    per_operator = rows(demo_db, """
        SELECT operator_id,
               count(*) AS dials,
               sum(CASE WHEN disposition = 'answered' THEN 1 ELSE 0 END) AS answered
        FROM call GROUP BY operator_id""")
    rates = sorted(answered / dials for _, dials, answered in per_operator)
    assert rates[0] < 0.15 and rates[1] < 0.15  # the "100 dials, 10 reached" pattern
    assert rates[2] > 0.25


def test_sampled_calls_have_transcripts_and_finished_evaluations(demo_db) -> None:
    db = demo_db
    assert scalar(db, "SELECT count(*) FROM transcript") >= 400
    assert scalar(db, "SELECT count(*) FROM transcript t LEFT JOIN assignment a "
                      "ON a.call_id = t.call_id WHERE a.id IS NULL") == 0
    assert scalar(db, "SELECT min(word_count) FROM transcript") > 10
    assert scalar(db, "SELECT count(*) FROM transcript_segment WHERE speaker = 'client'") > 0
    evaluations = scalar(db, "SELECT count(*) FROM evaluation WHERE status = 'submitted'")
    assert evaluations >= 300
    answers = scalar(db, "SELECT count(*) FROM evaluation_answer")
    assert answers > evaluations * 10
    assert scalar(db, "SELECT count(*) FROM evaluation WHERE total_score IS NULL") == 0
    assert 0 < scalar(db, "SELECT count(*) FROM evaluation WHERE critical_fail") < evaluations / 4
    queue = scalar(db, "SELECT count(*) FROM assignment a JOIN app_user u ON u.id = a.assignee_id "
                       "WHERE u.login = 'qa' AND a.status = 'new'")
    assert queue >= 10
    assert scalar(db, "SELECT count(*) FROM detection") > 0


def test_weak_stages_show_in_the_grades(demo_db) -> None:
    """Each operator's worst stage by pass rate is weaker than their best by a clear margin."""
    per_stage = rows(demo_db, """
        SELECT e.operator_id, s.stage_key, avg(s.score)
        FROM evaluation_stage s JOIN evaluation e ON e.id = s.evaluation_id
        WHERE s.score IS NOT NULL AND s.stage_key <> 'contact'
        GROUP BY e.operator_id, s.stage_key""")
    by_operator: dict[int, list[float]] = {}
    for operator_id, _, score in per_stage:
        by_operator.setdefault(operator_id, []).append(float(score))
    spreads = [max(s) - min(s) for s in by_operator.values()]
    assert len(spreads) == 24
    assert sum(spread > 20 for spread in spreads) >= 18


def test_the_demo_refuses_a_database_that_holds_calls(cli, demo_db, module_db_url) -> None:
    again = cli("demo", "--db", module_db_url, "--end", END, "--no-tui")
    assert again.code == 2
    assert "already holds calls" in again.err and "--replace" in again.err


def test_default_end_is_the_working_day_before_today() -> None:
    from scorecard.demo.builder import last_working_day_before, working_days

    assert last_working_day_before(date(2026, 11, 23)) == date(2026, 11, 20)  # Monday → Friday
    assert last_working_day_before(date(2026, 11, 20)) == date(2026, 11, 19)
    days = working_days(date(2026, 11, 20), 30)
    assert len(days) == 30 and all(d.weekday() < 5 for d in days)


def test_detector_report_on_the_demo(cli, demo_db, module_db_url) -> None:
    result = cli("report", "detector", "--db", module_db_url)
    assert result.code == 0, result
    lines = result.out.splitlines()
    header = lines[0].split()
    total = dict(zip(header[2:], next(line for line in lines if line.startswith("all "))
                     .split()[1:], strict=False))
    precision, recall = (float(total[name].rstrip("%")) for name in ("precision", "recall"))
    assert precision > 90 and recall > 90
    assert int(total["partial"]) > 0  # the demo's cards have items that need all their parts
    assert "partial: items that need all of their parts" in result.out
    assert scalar(demo_db, "SELECT count(*) FROM evaluation_answer WHERE suggested IS NOT NULL") > 0


def test_dialing_report_flags_the_operators_who_dial_and_drop(cli, demo_db, module_db_url) -> None:
    result = cli("report", "dialing", "--date", END, "--user", "lead", "--db", module_db_url)
    assert result.code == 0, result
    flagged = [line for line in result.out.splitlines() if line.startswith("!")]
    assert 2 <= len(flagged) <= 4
    droppers = rows(demo_db, """
        SELECT o.id, o.name FROM call c JOIN operator o ON o.id = c.operator_id
        WHERE c.direction = 'outbound'
        GROUP BY o.id, o.name
        ORDER BY avg(CASE WHEN c.disposition = 'answered' THEN 1.0 ELSE 0.0 END) LIMIT 2""")
    for _, name in droppers:
        assert any(name[:28] in line for line in flagged), (name, flagged)
    empty = cli("report", "dialing", "--date", "2020-01-01", "--user", "lead", "--db",
                module_db_url)
    assert "no outbound calls on 2020-01-01" in empty.out
    nobody = cli("report", "dialing", "--date", END, "--db", module_db_url)
    assert nobody.code == 2 and "say who you are: --user LOGIN" in nobody.err


def test_sampling_a_day_hands_calls_to_listeners(cli, demo_db, module_db_url) -> None:
    day = "2026-03-12"
    first = cli("sample", "--date", day, "--seed", "3", "--dry-run", "--user", "admin",
                "--db", module_db_url)
    again = cli("sample", "--date", day, "--seed", "3", "--dry-run", "--user", "admin",
                "--db", module_db_url)
    assert first.code == 0 and first.out == again.out
    assert "96 call(s) would be drawn (dry run) for 24 operator(s)" in first.out
    before = scalar(demo_db, "SELECT count(*) FROM assignment")
    done = cli("sample", "--date", day, "--seed", "3", "--team", "Телемаркетинг",
               "--require", "recording", "--user", "admin", "--db", module_db_url)
    assert done.code == 0, done
    assert "32 call(s) drawn for 8 operator(s)" in done.out
    assert scalar(demo_db, "SELECT count(*) FROM assignment") == before + 32
    # never the same call twice
    repeat = cli("sample", "--date", day, "--seed", "3", "--team", "Телемаркетинг",
                 "--user", "admin", "--db", module_db_url)
    assert scalar(demo_db, "SELECT count(DISTINCT call_id) FROM assignment") == scalar(
        demo_db, "SELECT count(*) FROM assignment")
    assert repeat.code == 0
    bad = cli("sample", "--date", day, "--team", "Нет такой", "--user", "admin",
              "--db", module_db_url)
    assert bad.code == 2 and "no team 'Нет такой'" in bad.err


def test_the_operator_day_rollup_equals_a_recount_of_the_raw_rows(demo_db) -> None:
    """Every rollup column, for every operator and day, recounted from calls, outcome events
    and evaluations in plain Python."""
    from collections import Counter, defaultdict

    from scorecard.services.metrics import COLUMNS, EFFECTIVE_SECONDS, LONG_SECONDS

    expected: dict[tuple[int, str], Counter] = defaultdict(Counter)
    for operator, started, disposition, talk in rows(
            demo_db, 'SELECT operator_id, started_at, disposition, talk_seconds FROM "call" '
                     "WHERE operator_id IS NOT NULL"):
        day = expected[(operator, str(started)[:10])]
        answered = disposition == "answered"
        day["dials"] += 1
        day["answered"] += answered
        day["effective_calls"] += answered and talk >= EFFECTIVE_SECONDS
        day["long_calls"] += answered and talk >= LONG_SECONDS
        day["talk_seconds"] += talk
    names = {"presentation": "presentations", "meeting_set": "meetings_set",
             "meeting_held": "meetings_held", "invoice": "invoices", "payment": "payments",
             "deal": "deals", "request_assigned": "requests_assigned",
             "request_processed": "requests_processed"}
    for operator, at, kind, amount, client in rows(
            demo_db, "SELECT operator_id, occurred_at, kind, amount_kopecks, client_kind "
                     "FROM outcome_event WHERE operator_id IS NOT NULL"):
        day = expected[(operator, str(at)[:10])]
        day[names[kind]] += 1
        if kind == "payment":
            day["payments_kopecks"] += amount or 0
            day[f"revenue_{client}_kopecks"] += (amount or 0) if client else 0
        if kind == "deal":
            day["sales_kopecks"] += amount or 0
    for operator, started, total, critical in rows(
            demo_db, 'SELECT e.operator_id, c.started_at, e.total_score, e.critical_fail '
                     'FROM evaluation e JOIN "call" c ON c.id = e.call_id '
                     "WHERE e.status = 'submitted' AND NOT e.is_calibration"):
        day = expected[(operator, str(started)[:10])]
        day["evaluations"] += 1
        day["quality_sum"] += total
        day["quality_squares"] += total * total
        day["critical_fails"] += bool(critical)
    stored = {(r[0], str(r[1])[:10]): dict(zip(COLUMNS, r[2:], strict=True)) for r in rows(
        demo_db, f"SELECT operator_id, day, {', '.join(COLUMNS)} FROM operator_day")}
    assert set(stored) == set(expected)
    for key, values in stored.items():
        for column in COLUMNS:
            assert values[column] == pytest.approx(expected[key][column]), (key, column)
    assert sum(v["meetings_held"] for v in stored.values()) > 0
    assert sum(v["evaluations"] for v in stored.values()) == 432
    stage_sums: dict[tuple[int, str, str], list[float]] = defaultdict(lambda: [0, 0.0])
    for operator, started, stage, score in rows(
            demo_db, "SELECT e.operator_id, c.started_at, s.stage_key, s.score "
                     "FROM evaluation_stage s JOIN evaluation e ON e.id = s.evaluation_id "
                     'JOIN "call" c ON c.id = e.call_id WHERE e.status = \'submitted\' '
                     "AND NOT e.is_calibration AND s.score IS NOT NULL"):
        entry = stage_sums[(operator, str(started)[:10], stage)]
        entry[0] += 1
        entry[1] += score
    stored_stages = {(r[0], str(r[1])[:10], r[2]): [r[3], r[4]] for r in rows(
        demo_db, "SELECT operator_id, day, stage_key, evaluations, score_sum "
                 "FROM operator_day_stage")}
    assert set(stored_stages) == set(stage_sums)
    for key, (n, total) in stage_sums.items():
        assert stored_stages[key][0] == n and stored_stages[key][1] == pytest.approx(total)


def _tiered_by_hand(meetings: int, held: int) -> str:
    """The payout as the report's JSON gives money: an exact decimal string."""
    from decimal import Decimal

    pay = sum(285 if n <= 7 else 932 if n <= 11 else 1113 for n in range(1, meetings + 1))
    factor = Decimal(1) if meetings == 0 else Decimal("1.1") if held / meetings >= 0.4 else \
        Decimal("0.9") if held / meetings < 0.3 else Decimal(1)
    return str((pay * factor).quantize(Decimal("0.01")))


def test_kpi_report_from_the_database_matches_a_hand_count(demo_db, cli, tmp_path) -> None:
    import json

    url = demo_db.url.render_as_string(hide_password=False)
    result = cli("kpi", "report", "--period", "2026-03", "--scheme", "meetings-tiered",
                 "--team", "Холодные продажи", "--format", "json", "--user", "lead", "--db", url)
    assert result.code == 0, result.err
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert len(lines) == 8 and any(line["meetings_set"] for line in lines)
    counts = dict.fromkeys((line["operator"] for line in lines), (0, 0))
    for name, kind, n in rows(
            demo_db, "SELECT o.name, e.kind, count(*) FROM outcome_event e "
                     "JOIN operator o ON o.id = e.operator_id "
                     "WHERE e.kind IN ('meeting_set', 'meeting_held') "
                     "AND e.occurred_at >= '2026-03-01' AND e.occurred_at < '2026-04-01' "
                     "GROUP BY o.name, e.kind"):
        if name in counts:
            set_, held = counts[name]
            counts[name] = (n, held) if kind == "meeting_set" else (set_, n)
    for line in lines:
        assert line["payout"] == _tiered_by_hand(*counts[line["operator"]]), line["operator"]
        assert line["evaluations"] == 0 or line["quality_low"] <= line["quality"]

    out = tmp_path / "kpi.xlsx"
    sample = json.loads((DATA / "kpi_terms.json").read_text(encoding="utf-8"))
    terms = tmp_path / "terms.json"  # the sample's defaults (its names are the sample files')
    terms.write_text(json.dumps({"default": sample["default"]}), encoding="utf-8")
    result = cli("kpi", "report", "--period", "2026-03", "--scheme", "security-50-50",
                 "--terms", terms, "--format", "xlsx", "--out", out, "--user", "admin",
                 "--db", url)
    assert result.code == 0, result.err
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    assert sheet.max_row == 25 and sheet.cell(1, 1).value == "operator"
    # A percentage scheme's team line is a mean over its operators, never a sum.
    result = cli("kpi", "report", "--period", "2026-03", "--scheme", "quality-combined",
                 "--terms", terms, "--team", "Холодные продажи", "--user", "admin", "--db", url)
    assert result.code == 0, result.err
    [team_line] = [line for line in result.out.splitlines() if line.startswith("= team")]
    assert team_line.startswith("= team mean of 8") and "%" in team_line
    percents = [float(line.split()[-2].replace(" ", "")) for line in result.out.splitlines()
                if line.endswith(" %") and not line.startswith("= team")]
    assert float(team_line.split()[-2]) == pytest.approx(sum(percents) / 8, abs=0.01)


def test_kpi_report_refuses_bad_periods_and_unknown_operators(demo_db, cli, tmp_path) -> None:
    url = demo_db.url.render_as_string(hide_password=False)
    result = cli("kpi", "report", "--period", "март", "--scheme", "meetings-tiered", "--db", url)
    assert result.code == 2 and "YYYY-MM" in result.err
    terms = tmp_path / "terms.json"
    terms.write_text('{"operators": [{"operator": "Нет Такого", "fixed": 1}]}',
                     encoding="utf-8")
    result = cli("kpi", "report", "--period", "2026-03", "--scheme", "meetings-tiered",
                 "--terms", terms, "--user", "lead", "--db", url)
    assert result.code == 2 and "'Нет Такого'" in result.err and result.out == ""


def test_kpi_quality_per_stage_and_item_matches_the_answers(demo_db, cli) -> None:
    import json

    url = demo_db.url.render_as_string(hide_password=False)
    result = cli("kpi", "quality", "--period", "2026-03", "--json", "--user", "trainer",
                 "--db", url)
    assert result.code == 0, result.err
    people = [json.loads(line) for line in result.out.splitlines()]
    assert len(people) == 24 and sum(p["evaluations"] for p in people) == 432
    one = max(people, key=lambda p: p["evaluations"])
    [(passed, failed)] = rows(
        demo_db, "SELECT SUM(CASE WHEN a.answer = 'pass' THEN 1 ELSE 0 END), "
                 "SUM(CASE WHEN a.answer = 'fail' THEN 1 ELSE 0 END) FROM evaluation_answer a "
                 "JOIN evaluation e ON e.id = a.evaluation_id JOIN operator o "
                 "ON o.id = e.operator_id WHERE o.name = :name", name=one["operator"])
    assert sum(i["passed"] for i in one["items"].values()) == passed
    assert sum(i["failed"] for i in one["items"].values()) == failed
    assert one["quality_low"] <= one["quality"] <= one["quality_high"]


def test_sampling_per_slice_spreads_the_quota_over_the_day(demo_db, cli, tmp_path) -> None:
    url = demo_db.url.render_as_string(hide_password=False)
    day = "2026-03-12"
    args = ("sample", "--date", day, "--per-operator", "1", "--seed", "3", "--dry-run",
            "--user", "admin", "--db", url)
    whole_day = cli(*args)
    per_slice = cli(*args, "--per-slice")
    assert whole_day.code == per_slice.code == 0
    picked = [int(r.out.split()[0]) for r in (whole_day, per_slice)]
    assert picked[0] <= 24 < picked[1] <= 24 * 4  # one a day against one a slice
    shorts = [line for line in per_slice.out.splitlines() if line.startswith("short:")]
    assert all("–" in line for line in shorts)  # a shortfall names its slice
    assert len(shorts) + picked[1] >= 24 * 4 - 24  # at most one call short per slice
    assert cli(*args, "--per-slice").out == per_slice.out  # same seed, same sample
    rules = tmp_path / "rules.toml"
    rules.write_text("[sampling]\nslices = []\n", encoding="utf-8")
    result = cli(*args, "--per-slice", "--rules", rules)
    assert result.code == 2 and "needs slices" in result.err


def test_the_demo_audit_log_is_one_intact_chain(demo_db, cli, module_db_url) -> None:
    verified = cli("audit", "verify", "--user", "admin", "--db", module_db_url)
    assert verified.code == 0 and "chain intact" in verified.out, verified


async def test_the_kpi_screen_pays_every_team_by_every_scheme_on_the_demo(demo_db) -> None:
    """The demo's own terms pay each team by its scheme, and every shipped scheme computes
    for everyone (no refusal, nobody left at nothing), on the screen an admin opens."""
    from scorecard.tui.screens.kpi import BY_TEAM, KpiScreen
    from scorecard.tui.screens.weak_stages import WeakStageScreen
    from tests.factories import make_test_app, settled

    app = make_test_app(demo_db, login="admin", language="ru",
                        today=date.fromisoformat(END))
    async with app.run_test(size=(150, 45)) as pilot:
        await settled(pilot, WeakStageScreen)
        app.push_screen(KpiScreen(today=date.fromisoformat(END)))
        screen = await settled(pilot, KpiScreen)
        paid = {}
        for _ in screen.schemes:
            status = str(screen.query_one("#kpi-status").render())
            assert len(screen.rows) == 24, (screen.scheme, status)
            paid[screen.scheme] = {row.result.payout for row in screen.rows}
            await pilot.press("s")
            await settled(pilot)
        assert screen.scheme == BY_TEAM and set(paid) == set(screen.schemes)
        assert {s.id for s in screen.row_schemes} == {"security-50-50", "invoices-payments"}
        for scheme, payouts in paid.items():  # each pays someone something, and not all alike
            assert max(payouts) > 0 and len(payouts) > 1, scheme

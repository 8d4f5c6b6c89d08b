"""``scorecard slice``: counts since shift start against norms, tasks, the trainer's list."""

from __future__ import annotations

import json
from datetime import date

from sqlmodel import select

from scorecard.db.engine import open_database
from scorecard.db.models import AuditEntry, Norm, SliceTask, User

DAY = "2026-11-20"  # the seeded calls: 10:05, 10:20 and 10:40 for Иванова Анна


def _with_norms_and_a_lead(graded_db) -> str:
    database, _ = graded_db
    with database.session() as session:
        session.add(Norm(team_id=None, metric="calls", per_shift=90, valid_from=date(2026, 1, 1)))
        session.add(User(login="lead", display_name="Lead", role="lead"))
    return database.url.render_as_string(hide_password=False)


def test_a_slice_flags_lagging_operators(graded_db, cli) -> None:
    url = _with_norms_and_a_lead(graded_db)
    result = cli("slice", "--date", DAY, "--at", "11:00", "--json", "--user", "lead",
                 "--db", url)
    assert result.code == 0, result.err
    [anna] = [json.loads(line) for line in result.out.splitlines()]
    calls = anna["metrics"]["calls"]
    assert calls == {"actual": 3, "expected": 20.0, "lagging": True}  # 90 × 2/9 of the shift
    result = cli("slice", "--date", DAY, "--at", "10:10", "--json", "--user", "lead",
                 "--db", url)
    assert json.loads(result.out)["metrics"]["calls"]["actual"] == 1


def test_two_missed_tasks_send_the_operator_to_the_trainer(graded_db, cli) -> None:
    url = _with_norms_and_a_lead(graded_db)
    common = ("--date", DAY, "--db", url)
    assert cli("slice", "task", "--operator", "Иванова Анна", "--metric", "calls",
               "--target", "2", "--user", "lead", "--at", "10:00", *common).code == 0
    result = cli("slice", "--at", "11:00", "--user", "lead", *common)
    assert "task met: Иванова Анна, calls 3 of 2 by 11:00" in result.out
    for at in ("11:00", "14:00"):
        assert cli("slice", "task", "--operator", "Иванова Анна", "--metric", "calls",
                   "--target", "50", "--user", "lead", "--at", at, *common).code == 0
    result = cli("slice", "--at", "17:00", "--user", "lead", *common)
    assert result.out.count("task missed") == 2
    assert "to the trainer: Иванова Анна" in result.out


def test_only_leads_set_tasks_and_bad_values_are_named(graded_db, cli) -> None:
    url = _with_norms_and_a_lead(graded_db)
    result = cli("slice", "task", "--operator", "Иванова Анна", "--metric", "calls",
                 "--target", "5", "--user", "qa", "--date", DAY, "--db", url)
    assert result.code == 4 and "qa (qa) may not set slice tasks" in result.err
    result = cli("slice", "task", "--operator", "Иванова Анна", "--metric", "звонки",
                 "--target", "5", "--user", "lead", "--date", DAY, "--db", url)
    assert result.code == 2 and "use one of calls" in result.err
    result = cli("slice", "--at", "25:99", "--db", url)
    assert result.code == 2 and "HH:MM" in result.err
    for target, says in (("0", "above 0"), ("1e9", "at most 100 000")):
        result = cli("slice", "task", "--operator", "Иванова Анна", "--metric", "calls",
                     "--target", target, "--user", "lead", "--date", DAY, "--db", url)
        assert result.code == 2 and says in result.err, result
    day_off = cli("slice", "task", "--operator", "Иванова Анна", "--metric", "calls",
                  "--target", "5", "--user", "lead", "--date", "2026-11-22", "--db", url)
    assert day_off.code == 2 and "no calls on 2026-11-22" in day_off.err
    database = open_database(url)
    with database.session() as session:  # refused ones left nothing, not even in the log
        assert session.exec(select(SliceTask)).all() == []
        assert not session.exec(select(AuditEntry).where(
            AuditEntry.action == "slice_task.create")).all()
    database.dispose()
    assert cli("slice", "task", "--operator", "Иванова Анна", "--metric", "calls",
               "--target", "5", "--user", "lead", "--date", DAY, "--db", url).code == 0
    database = open_database(url)
    with database.session() as session:
        [entry] = session.exec(select(AuditEntry).where(
            AuditEntry.action == "slice_task.create")).all()
        assert '"target": 5.0' in (entry.new or "")
    database.dispose()


def test_norms_come_from_toml_and_bad_files_change_nothing(graded_db, cli, tmp_path) -> None:
    database, _ = graded_db
    url = _with_norms_and_a_lead(graded_db)
    with database.session() as session:
        for norm in session.exec(select(Norm)):
            session.delete(norm)
    norms = tmp_path / "norms.toml"
    norms.write_text('valid_from = 2026-11-01\n[default]\ncalls = 90\n'
                     '[team."Охрана"]\ncalls = 45\n', encoding="utf-8")
    assert cli("slice", "norms", norms, "--db", url).code == 0
    result = cli("slice", "--date", DAY, "--at", "11:00", "--json", "--user", "lead",
                 "--db", url)
    assert json.loads(result.out)["metrics"]["calls"]["expected"] == 10.0  # the team's 45
    bad = tmp_path / "bad.toml"
    bad.write_text('[default]\ncalls = 90\n"звонки" = 5\n', encoding="utf-8")
    result = cli("slice", "norms", bad, "--db", url)
    assert result.code == 2 and "[default]: звонки: unknown metric" in result.err
    bad.write_text('[team."Нет такой"]\ncalls = 1\n', encoding="utf-8")
    result = cli("slice", "norms", bad, "--db", url)
    assert result.code == 2 and "no team 'Нет такой'" in result.err
    with database.session() as session:
        assert len(session.exec(select(Norm)).all()) == 2

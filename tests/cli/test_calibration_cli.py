"""``scorecard calibration``: create, follow, report and close a session from the shell."""

from __future__ import annotations

import json

from scorecard.db.models import User
from tests.factories import PAIN, assignment_of, grade


def test_a_lead_runs_a_session_from_the_command_line(graded_db, cli) -> None:
    database, _ = graded_db
    with database.session() as session:
        session.add(User(login="lead", display_name="Lead", role="lead"))
    url = database.url.render_as_string(hide_password=False)

    refused = cli("calibration", "create", "--call", "17000001.1", "-l", "qa,qa2",
                  "--user", "qa", "--db", url)
    assert refused.code == 4 and "qa (qa) may not run calibration sessions" in refused.err
    missing = cli("calibration", "create", "-l", "qa,qa2", "--user", "lead", "--db", url)
    assert missing.code == 2 and "which calls?" in missing.err
    unknown = cli("calibration", "create", "--call", "nope", "-l", "qa", "-l", "qa2",
                  "--user", "lead", "--db", url)
    assert unknown.code == 2 and "no call nope" in unknown.err

    created = cli("calibration", "create", "--call", "17000001.1", "--call", "17000002.1",
                  "-l", "qa", "-l", "qa2", "--title", "Ноябрь", "--json", "--user", "lead",
                  "--db", url)
    assert created.code == 0, created.err
    made = json.loads(created.out)
    assert made["calls"] == ["17000001.1", "17000002.1"] and made["assignments"] == 4
    number = made["session"]

    [listed] = [json.loads(line) for line in cli(
        "calibration", "list", "--json", "--user", "lead", "--db", url).out.splitlines()]
    assert (listed["session"], listed["graded"], listed["expected"]) == (number, 0, 4)

    for login, fails in (("qa", ()), ("qa2", (PAIN,))):
        grade(database, assignment_of(database, number, login, "17000001.1"), login, fails)
    text = cli("calibration", "report", str(number), "--user", "lead", "--db", url)
    assert text.code == 0, text.err
    assert "Krippendorff's alpha" in text.out and "2/4 graded" in text.out
    assert "≠ 17000001.1" in text.out and "diagnosis/pain" in text.out
    as_json = json.loads(cli("calibration", "report", str(number), "--json", "--user", "lead",
                             "--db", url).out)
    assert as_json["agreement"]["units"] == 16
    assert [(u["stage"], u["item"]) for u in as_json["units"] if u["disagree"]] == [PAIN]
    assert {d["login"]: d["differs"] for d in as_json["listeners"]} == {"qa": 1, "qa2": 1}

    closed = cli("calibration", "close", str(number), "--user", "lead", "--db", url)
    assert closed.code == 0 and "2 of 4 grades given" in closed.out
    again = cli("calibration", "close", str(number), "--user", "lead", "--db", url)
    assert again.code == 2 and "closed already" in again.err
    assert "closed" in cli("calibration", "list", "--user", "lead", "--db", url).out
    assert cli("calibration", "list", "--open", "--user", "lead", "--db",
               url).out.strip() == "no calibration sessions"
    gone = cli("calibration", "report", "99", "--user", "lead", "--db", url)
    assert gone.code == 2 and "no calibration session 99" in gone.err


def test_a_random_draw_from_the_command_line(graded_db, cli) -> None:
    database, _ = graded_db
    with database.session() as session:
        session.add(User(login="lead", display_name="Lead", role="lead"))
    url = database.url.render_as_string(hide_password=False)
    heard = cli("calibration", "create", "--day", "2026-11-20", "--random", "2", "--seed", "5",
                "-l", "qa,qa2", "--user", "lead", "--db", url)
    assert heard.code == 0 and "1 call(s) × 2 listeners" in heard.out  # one transcript
    result = cli("calibration", "create", "--day", "2026-11-20", "--random", "2", "--seed", "5",
                 "--any-call", "-l", "qa,qa2", "--user", "lead", "--db", url)
    assert result.code == 0, result.err
    assert "2 call(s) × 2 listeners" in result.out and "seed 5" in result.out
    bad = cli("calibration", "create", "--day", "20.11.2026", "--random", "2", "-l", "qa,qa2",
              "--user", "lead", "--db", url)
    assert bad.code == 2 and "YYYY-MM-DD" in bad.err

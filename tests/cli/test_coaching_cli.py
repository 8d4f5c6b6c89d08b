"""Coaching tasks: who may set them, and the follow-up read from grades."""

from __future__ import annotations

import json

from scorecard.db.models import User
from scorecard.services.coaching import verdict
from tests.factories import grade_two_calls_failing_price


def test_the_verdict_needs_enough_grades_and_a_real_rise() -> None:
    assert verdict((10, 50.0), (4, 90.0)) == "not yet"
    assert verdict((10, 50.0), (5, 55.0)) == "improved"
    assert verdict((10, 50.0), (5, 54.9)) == "not improved"
    assert verdict((0, None), (6, 85.0)) == "improved"


def test_a_trainer_sets_a_task_and_sees_its_follow_up(graded_db, cli) -> None:
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        session.add(User(login="trainer", display_name="Trainer", role="trainer"))
    url = database.url.render_as_string(hide_password=False)
    result = cli("coaching", "add", "--operator", "Иванова Анна", "--stage", "price",
                 "--goal", "Называть цену с обоснованием", "--user", "qa", "--db", url)
    assert result.code == 4 and "qa (qa) may not set and close coaching tasks" in result.err
    result = cli("coaching", "add", "--operator", "Иванова Анна", "--stage", "price",
                 "--goal", "Называть цену с обоснованием", "--user", "trainer",
                 "--start", "2026-11-20", "--due", "2026-11-21", "--db", url)
    assert result.code == 0, result.err
    [task] = [json.loads(line) for line in cli("coaching", "list", "--json", "--user",
                                                "trainer", "--db", url).out.splitlines()]
    assert task["after"] == {"evaluations": 2, "score": 0.0}
    assert task["before"] == {"evaluations": 0, "score": None}
    assert task["verdict"] == "not yet" and task["overdue"] and task["escalated"]
    assert cli("coaching", "note", str(task["task"]), "Разобрали звонок", "--user", "trainer",
               "--db", url).code == 0
    shown = cli("coaching", "show", str(task["task"]), "--user", "trainer", "--db", url)
    assert "trainer: Разобрали звонок" in shown.out and shown.out.count("since ") == 2
    refused = cli("coaching", "close", str(task["task"]), "--outcome", " ", "--user", "trainer",
                  "--db", url)
    assert refused.code != 0 and "needs its outcome" in refused.err
    assert cli("coaching", "close", str(task["task"]), "--outcome", "Цену называет",
               "--user", "trainer", "--db", url).code == 0
    listed = cli("coaching", "list", "--user", "trainer", "--db", url)
    assert listed.out.strip() == "no coaching tasks"

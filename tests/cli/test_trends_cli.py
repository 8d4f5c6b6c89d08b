"""``scorecard kpi trends``: weeks as a table or JSON, with the acting user's permissions."""

from __future__ import annotations

import json

from scorecard.db.models import User
from tests.factories import grade_two_calls_failing_price


def test_trends_by_week_as_json_and_as_a_table(graded_db, cli) -> None:
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        session.add(User(login="trainer", display_name="Trainer", role="trainer"))
    url = database.url.render_as_string(hide_password=False)
    args = ("kpi", "trends", "--operator", "Иванова Анна", "--until", "2026-11-22",
            "--weeks", "3", "--db", url)
    result = cli(*args, "--json", "--user", "trainer")
    assert result.code == 0, result.err
    weeks = [json.loads(line) for line in result.out.splitlines()]
    assert [w["week"] for w in weeks] == ["2026-11-02", "2026-11-09", "2026-11-16"]
    assert [w["quality"] for w in weeks] == [None, None, 90.0]
    assert weeks[-1]["team_evaluations"] == 2 and weeks[-1]["team"] == "Охрана"
    assert weeks[-1]["stages"]["price"] == {"evaluations": 2, "score": 0.0,
                                            "team_evaluations": 2, "team_score": 0.0}
    assert weeks[0]["stages"]["price"]["score"] is None  # a gap, not a zero
    table = cli(*args, "--user", "trainer")
    assert table.code == 0, table.err
    lines = table.out.splitlines()
    assert lines[0].startswith("Иванова Анна (Охрана): weeks 02.11.2026 … 22.11.2026")
    assert lines[-1].split()[:5] == ["16.11.2026", "2", "90", "2", "90"]
    assert "0/0" in lines[-1] and lines[2].split()[1:3] == ["0", "—"]
    refused = cli(*args, "--user", "qa")
    assert refused.code == 4 and "may not see operators' quality" in refused.err

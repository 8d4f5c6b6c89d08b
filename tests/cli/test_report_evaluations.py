"""``scorecard report evaluations``: the export masks client numbers for roles that do not
need them and refuses roles that may not see quality."""

from __future__ import annotations

import json

from sqlalchemy import update

from scorecard.db.models import Call, User
from tests.factories import grade_two_calls_failing_price


def test_the_export_masks_numbers_except_for_admins(graded_db, cli, tmp_path) -> None:
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        session.execute(update(Call).values(client_number="+7 912 345-67-89"))
        session.add(User(login="admin", display_name="Admin", role="admin"))
    url = database.url.render_as_string(hide_password=False)
    common = ("report", "evaluations", "--period", "2026-11", "--db", url)
    result = cli(*common, "--format", "json", "--user", "lead")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [r["call"] for r in rows] == ["17000001.1", "17000002.1"]
    assert {r["client_number"] for r in rows} == {"+7 9** ***-**-89"}
    assert rows[0]["listener"] == "qa" and rows[0]["operator"] == "Иванова Анна"
    result = cli(*common, "--format", "json", "--user", "admin")
    assert {json.loads(line)["client_number"] for line in result.out.splitlines()} == {
        "+7 912 345-67-89"}
    out = tmp_path / "grades.xlsx"
    assert cli(*common, "--format", "xlsx", "--out", out, "--user", "lead").code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert sheet.cell(2, header.index("client_number") + 1).value == "+7 9** ***-**-89"
    result = cli(*common, "--user", "qa")
    assert result.code == 4 and "qa (qa) may not see operators' quality" in result.err
    result = cli(*common, "--user", "anna")
    assert result.code == 4 and result.out == ""

"""What imported text can do to whoever reads a report: nothing. No formula starts in a
spreadsheet or CSV cell, no control byte reaches the terminal, money is exact."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import select

from scorecard.db.models import Call, Operator, User
from scorecard.domain.inert import printable, spreadsheet_text
from tests.factories import grade_two_calls_failing_price

EVIL_NAME = '=HYPERLINK("http://evil.example","Иванова")'
EVIL_LOGIN = "qa\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J"


def test_text_is_shown_not_obeyed() -> None:
    assert printable("a\x1b[31mb\x07\tc\n\u202e") == "a\\x1b[31mb\\x07\tc\n\\u202e"
    for start in ("=1+1", "+7 9", "-2", "@SUM(A1)", "\tx"):
        assert spreadsheet_text(start).startswith("'")
    assert spreadsheet_text("\r=1") == "\\x0d=1"
    assert spreadsheet_text("Иванова Анна") == "Иванова Анна"


def _hostile(graded_db) -> str:
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        session.exec(select(Operator)).one().name = EVIL_NAME
        for call in session.exec(select(Call)):
            call.client_number = "=cmd|' /C calc'!A0"
        session.exec(select(User).where(User.login == "qa2")).one().login = EVIL_LOGIN
    return database.url.render_as_string(hide_password=False)


def test_reports_carry_no_live_formula(cli, graded_db, tmp_path: Path) -> None:
    url = _hostile(graded_db)
    common = ("--period", "2026-11", "--user", "lead", "--db", url)
    out = tmp_path / "evaluations.xlsx"
    assert cli("report", "evaluations", *common, "--format", "xlsx", "--out", out).code == 0
    sheet = load_workbook(out).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert any(cell.value == EVIL_NAME for cell in cells)  # the name, as written
    assert all(cell.data_type != "f" for cell in cells)  # and never a formula
    text = cli("report", "evaluations", *common, "--format", "csv").out
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1:] and all(not cell.startswith(("=", "+", "-", "@")) for row in rows[1:]
                            for cell in row)
    assert any(cell == "'" + EVIL_NAME for cell in rows[1])


def test_no_control_byte_reaches_the_terminal(cli, graded_db) -> None:
    url = _hostile(graded_db)
    listed = cli("users", "list", "--db", url)
    assert listed.code == 0 and "\x1b" not in listed.out and "\x07" not in listed.out
    assert "qa\\x1b]52;c;" in listed.out  # shown, so the admin sees something is odd
    refused = cli("queue", "--user", EVIL_LOGIN, "--db", url)
    assert "\x1b" not in refused.out + refused.err


def test_money_is_exact_in_json(cli, tmp_path: Path) -> None:
    data = tmp_path / "input.json"
    data.write_text(json.dumps({"operators": [{"operator": "Богатая",
                                               "metrics": {"meetings_held": 10**12}}]}),
                    encoding="utf-8")
    result = cli("kpi", "simulate", data, "--scheme", "meetings-tiered", "--json")
    assert result.code == 0, result
    payout = json.loads(result.out)["payout"]
    assert isinstance(payout, str) and "e" not in payout.lower() and payout.endswith(".00")

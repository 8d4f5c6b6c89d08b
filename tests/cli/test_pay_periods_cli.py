"""`scorecard kpi close`, `kpi periods` and `kpi report` of a closed month: an admin closes,
the report shows what was paid and what changed since, the next month carries it; a lead is
refused and a second close is named."""

from __future__ import annotations

import json

from sqlalchemy import text

from scorecard.db.models import Operator
from tests.factories import with_admin_and_team_lead


def test_close_report_and_carry(graded_db, cli, tmp_path) -> None:
    database, ids = graded_db
    with_admin_and_team_lead(database, ids)
    url = database.url.render_as_string(hide_password=False)
    terms = tmp_path / "terms.json"

    def set_fixed(fixed: int) -> None:
        terms.write_text(json.dumps({"teams": {"Охрана": {
            "scheme": "security-50-50", "plan": {"effective_calls": 4, "deals": 2},
            "fixed": fixed, "bonus_target": 10000}}}), encoding="utf-8")
        done = cli("kpi", "terms", "import", str(terms), "--from", "2026-11-01", "--user",
                   "admin", "--db", url)
        assert done.code == 0, done.err

    set_fixed(30000)
    none = cli("kpi", "periods", "--user", "lead", "--db", url)
    assert "no month is closed yet" in none.out
    refused = cli("kpi", "close", "2026-11", "--user", "lead", "--db", url)
    assert refused.code == 4 and "may not close a month's pay" in refused.err
    trial = cli("kpi", "close", "2026-11", "--dry-run", "--user", "admin", "--db", url)
    assert trial.code == 0 and "would close" in trial.out and "nothing written" in trial.out
    closed = cli("kpi", "close", "2026-11", "--user", "admin", "--db", url)
    assert closed.code == 0 and "2026-11 closed by admin: 1 operator(s), 33 750.00 ₽" in \
        closed.out, closed.err
    again = cli("kpi", "close", "2026-11", "--user", "admin", "--db", url)
    assert again.code == 2 and "closed months are never rewritten" in again.err

    set_fixed(31000)  # back-dated terms: November is paid as it was, the rest is carried
    paid = cli("kpi", "report", "--period", "2026-11", "--user", "lead", "--db", url)
    assert "closed on" in paid.out and "33 750.00 ₽" in paid.out
    assert "changed since closing, to be paid with 2026-12" in paid.out
    assert "+1 000.00 ₽" in paid.out and "terms changed" in paid.out
    as_json = cli("kpi", "report", "--period", "2026-11", "--format", "json", "--user", "lead",
                  "--db", url)
    [line] = [json.loads(text) for text in as_json.out.splitlines()]
    assert (line["payout"], line["closed"]) == ("33750.00", True)
    # its parts as an open month's report writes them: the same keys, money to the kopeck
    assert line["parts"] and all(
        set(part) == {"name", "input", "amount", "multipliers"}
        and part["amount"].count(".") == 1 and len(part["amount"].split(".")[1]) == 2
        and all(set(a) == {"name", "ratio", "factor"} for a in part["multipliers"])
        for part in line["parts"])
    what_if = cli("kpi", "report", "--period", "2026-11", "--scheme", "security-50-50",
                  "--user", "lead", "--db", url)
    assert "is closed; this is a what-if" in what_if.err and "34 750.00" in what_if.out
    december = cli("kpi", "report", "--period", "2026-12", "--format", "csv", "--user",
                   "lead", "--db", url)
    header, row = december.out.splitlines()[:2]
    assert header.endswith("adjustments,to_pay"), december.out
    assert row.endswith("31000.00,security-50-50,1000.00,32000.00"), december.out
    with database.session() as session:  # gone in December: no line, still owed
        [(gone, team_id)] = session.execute(text("SELECT id, team_id FROM operator")).all()
        session.execute(text("UPDATE operator SET active = false WHERE id = :id"), {"id": gone})
        session.add(Operator(name="Новенький", team_id=team_id))  # the team goes on
        session.commit()
    owed = cli("kpi", "report", "--period", "2026-12", "--format", "json", "--user", "lead",
               "--db", url)
    assert owed.code == 0, owed.err
    lines = {line["operator"]: line for line in map(json.loads, owed.out.splitlines())}
    owed_line = next(line for line in lines.values() if line["operator"] != "Новенький")
    assert (owed_line["payout"], owed_line["adjustments"], owed_line["to_pay"]) == (
        "0", "1000.00", "1000.00")
    assert owed_line["parts"] == [] and lines["Новенький"]["parts"]
    listed = cli("kpi", "periods", "--user", "lead", "--db", url)
    assert "2026-11  closed" in listed.out and "changed since" in listed.out
    assert "next open month: 2026-12" in listed.out

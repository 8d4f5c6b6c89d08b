"""``scorecard teams``: a team gets its card and shift, and then its calls can be sampled."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import select

from scorecard.db.engine import open_database
from scorecard.db.models import AuditEntry, Team

DATA = Path(__file__).parents[2] / "data"


def test_a_new_centre_sets_its_teams_cards_then_samples(cli, db_url: str) -> None:
    common = ("--db", db_url)
    assert cli("teams", "list", *common).out.startswith("no teams yet")
    assert cli("import", "operators", DATA / "operators.csv", *common).code == 0
    assert cli("import", "cdr", DATA / "cdr" / "Master.csv", *common).code == 0
    assert cli("cards", "import", *common).code == 0
    assert cli("users", "save", "boss", "--role", "admin", *common).code == 0
    assert cli("users", "save", "qa", "--role", "qa", "--user", "boss", *common).code == 0
    listed = cli("teams", "list", *common).out
    assert "— (none: not sampled)" in listed and "09:00–18:00" in listed
    before = cli("sample", "--date", "2026-03-02", "--per-operator", "2", "--seed", "1",
                 "--user", "boss", *common)
    assert "skipped: team 'Холодные продажи' has no quality card" in before.out

    done = cli("teams", "set", "Холодные продажи", "--card", "security-cold-call",
               "--shift", "08:30-17:30", "--user", "boss", *common)
    assert done.code == 0, done
    assert done.out.strip() == "Холодные продажи: card security-cold-call, shift 08:30–17:30"
    row = next(line for line in cli("teams", "list", *common).out.splitlines()
               if line.startswith("Холодные продажи"))
    assert row.split()[2:] == ["security-cold-call", "08:30–17:30", "2"]
    after = cli("sample", "--date", "2026-03-02", "--per-operator", "2", "--seed", "1",
                "--user", "boss", *common)
    assert after.code == 0 and "skipped: team 'Холодные продажи'" not in after.out
    assert after.out.startswith("1 call(s) drawn for 2 operator(s)")
    assert "  qa                  1" in after.out
    # The team still without a card is skipped whole: its operators are not "short".
    assert "skipped: team 'Телемаркетинг' has no quality card" in after.out
    assert "Смирнова Ольга" not in after.out
    assert cli("queue", "next", "--user", "qa", "--json", *common).code == 0

    database = open_database(db_url)
    with database.session() as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "team.update")).one()
        assert json.loads(entry.old) == {"card": None, "shift_start": "09:00:00",
                                         "shift_end": "18:00:00"}
        assert json.loads(entry.new)["card"] == "security-cold-call"
    database.dispose()


def test_bad_team_settings_are_refused_and_change_nothing(cli, db_url: str) -> None:
    common = ("--db", db_url)
    assert cli("import", "operators", DATA / "operators.csv", *common).code == 0
    assert cli("cards", "import", *common).code == 0
    assert cli("users", "save", "boss", "--role", "admin", *common).code == 0
    assert cli("users", "save", "lead", "--role", "lead", "--user", "boss", *common).code == 0
    team = ("teams", "set", "Телемаркетинг")
    for args, code, message in (
        (("--card", "nope", "--user", "boss"), 2, "no card 'nope' in the database"),
        (("--shift", "18:00-09:00", "--user", "boss"), 2, "must end after it starts"),
        (("--shift", "9 to 6", "--user", "boss"), 2, "write it as HH:MM-HH:MM"),
        (("--user", "boss"), 2, "say what to set"),
        (("--card", "security-cold-call"), 2, "say which admin does this"),
        (("--card", "security-cold-call", "--user", "lead"), 4, "may not manage quality cards"),
    ):
        result = cli(*team, *args, *common)
        assert result.code == code and message in result.err, (args, result)
    missing = cli("teams", "set", "Охрана", "--card", "security-cold-call", "--user", "boss",
                  *common)
    assert missing.code == 2 and "no team named 'Охрана'" in missing.err
    assert "'Телемаркетинг'" in missing.err  # the teams there are
    database = open_database(db_url)
    with database.session() as session:
        team_row = session.exec(select(Team).where(Team.name == "Телемаркетинг")).one()
        assert team_row.card_id is None and f"{team_row.shift_start:%H:%M}" == "09:00"
        assert not session.exec(select(AuditEntry).where(
            AuditEntry.action == "team.update")).all()
    database.dispose()

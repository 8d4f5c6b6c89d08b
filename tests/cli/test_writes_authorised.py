"""Every write is someone's, allowed by the matrix and in the audit log: imports, norms,
sampling and wiping the database (issue: trust)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from scorecard.db.engine import open_database

DATA = Path(__file__).parents[2] / "data"


def _centre(cli, db_url: str) -> None:
    """Teams and operators from the sample list, an admin, a lead of «Телемаркетинг», a listener."""
    common = ("--db", db_url)
    assert cli("cards", "import", *common).code == 0
    assert cli("import", "operators", DATA / "operators.csv", *common).code == 0  # setting up
    assert cli("users", "save", "boss", "--role", "admin", *common).code == 0
    for login, role, *extra in (("lead", "lead", "--team", "Телемаркетинг"), ("qa", "qa")):
        assert cli("users", "save", login, "--role", role, *extra, "--user", "boss",
                   *common).code == 0


def _audit(db_url: str) -> list[tuple[str, str | None, dict]]:
    database = open_database(db_url)
    try:
        with database.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT a.action, u.login, a.new FROM audit_log a LEFT JOIN app_user u "
                "ON u.id = a.actor_id ORDER BY a.id")).all()
    finally:
        database.dispose()
    return [(action, login, json.loads(new or "null")) for action, login, new in rows]


def test_imports_are_an_admins_and_audited_once(cli, db_url: str) -> None:
    _centre(cli, db_url)
    master = DATA / "cdr" / "Master.csv"
    for login in (None, "lead", "qa"):
        who = ("--user", login) if login else ()
        refused = cli("import", "cdr", master, *who, "--db", db_url)
        assert refused.code in (2, 4) and "import call records" in refused.err, refused
    assert cli("import", "cdr", master, "--user", "boss", "--db", db_url).code == 0
    imports = [(who, new) for action, who, new in _audit(db_url) if action == "import.cdr"]
    assert len(imports) == 1 and imports[0][0] == "boss" and imports[0][1]["new"] > 0


def test_a_lead_sets_only_their_teams_norms(cli, db_url: str, tmp_path: Path) -> None:
    _centre(cli, db_url)
    whole = cli("slice", "norms", DATA / "norms.toml", "--user", "lead", "--db", db_url)
    assert whole.code == 4 and "only their own team's norms" in whole.err
    own = tmp_path / "own.toml"
    own.write_text('valid_from = 2026-11-01\n[team."Телемаркетинг"]\ncalls = 90\n',
                   encoding="utf-8")
    assert cli("slice", "norms", own, "--user", "lead", "--db", db_url).code == 0
    assert cli("slice", "norms", own, "--user", "qa", "--db", db_url).code == 4
    assert cli("slice", "norms", DATA / "norms.toml", "--user", "boss", "--db", db_url
               ).code == 0
    norms = [(who, new["teams"]) for action, who, new in _audit(db_url)
             if action == "norms.import"]
    assert norms[0] == ("lead", ["Телемаркетинг"]) and norms[1][0] == "boss"


def test_a_lead_samples_their_own_team(cli, db_url: str) -> None:
    _centre(cli, db_url)
    assert cli("import", "cdr", DATA / "cdr" / "Master.csv", "--user", "boss", "--db", db_url
               ).code == 0
    assert cli("teams", "set", "Холодные продажи", "--card", "security-cold-call",
               "--user", "boss", "--db", db_url).code == 0
    day = ("--date", "2026-03-02", "--per-operator", "2")
    other = cli("sample", *day, "--team", "Холодные продажи", "--user", "lead", "--db", db_url)
    assert other.code == 4 and "may see only their own team" in other.err
    assert cli("sample", *day, "--user", "qa", "--db", db_url).code == 4
    done = cli("sample", *day, "--user", "boss", "--db", db_url)
    assert done.code == 0 and "drawn" in done.out, done
    drawn = [(who, new) for action, who, new in _audit(db_url) if action == "sample.draw"]
    assert drawn and drawn[0][0] == "boss" and drawn[0][1]["calls"] > 0


def test_only_an_admin_wipes_the_database(cli, db_url: str) -> None:
    _centre(cli, db_url)
    for login in ("lead", "qa"):
        refused = cli("demo", "--replace", "--yes", "--no-tui", "--user", login, "--db", db_url)
        assert refused.code == 4 and "replace the whole database" in refused.err
    unasked = cli("demo", "--replace", "--no-tui", "--user", "boss", "--db", db_url)
    assert unasked.code == 2 and "--yes" in unasked.err
    database = open_database(db_url)
    with database.engine.connect() as connection:  # nothing was wiped
        assert connection.execute(text("SELECT count(*) FROM operator")).scalar() > 0
    database.dispose()

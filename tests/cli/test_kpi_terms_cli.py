"""`scorecard kpi terms`: an admin sets terms from a file, anyone who sees KPI reads them,
`kpi report` pays by them; a lead is refused, a bad file is named."""

from __future__ import annotations

import json

from tests.factories import with_admin_and_team_lead


def test_terms_set_shown_and_paid_by(graded_db, cli, tmp_path) -> None:
    database, ids = graded_db
    with_admin_and_team_lead(database, ids)
    url = database.url.render_as_string(hide_password=False)
    terms = tmp_path / "terms.json"
    terms.write_text(json.dumps({"teams": {"Охрана": {
        "scheme": "security-50-50", "plan": {"effective_calls": 4, "deals": 2},
        "fixed": 30000, "bonus_target": 10000}}}), encoding="utf-8")
    unpaid = cli("kpi", "report", "--period", "2026-11", "--user", "lead", "--db", url)
    assert unpaid.code == 2 and "no scheme pays Охрана" in unpaid.err
    refused = cli("kpi", "terms", "import", str(terms), "--from", "2026-11-01", "--user", "lead",
                  "--db", url)
    assert refused.code == 4 and "may not set KPI plans" in refused.err
    done = cli("kpi", "terms", "import", str(terms), "--from", "2026-11-01", "--user", "admin",
               "--db", url)
    assert done.code == 0 and "teams 1" in done.out, done.err
    shown = cli("kpi", "terms", "show", "--date", "2026-11-20", "--user", "lead", "--db", url)
    assert "Охрана" in shown.out and "security-50-50" in shown.out and "since 2026-11-01" in \
        shown.out
    before = cli("kpi", "terms", "show", "--date", "2026-10-31", "--user", "lead", "--db", url)
    assert "no KPI terms in force on 2026-10-31" in before.out
    report = cli("kpi", "report", "--period", "2026-11", "--format", "json", "--user", "lead",
                 "--db", url)  # the team's scheme, from its terms
    assert report.code == 0, report.err
    [line] = [json.loads(text) for text in report.out.splitlines()]
    assert (line["scheme"], line["payout"]) == ("security-50-50", "33750.00")
    terms.write_text('{"teams": {"Охрана": {"plan": {"effective_calls": -1}}}}',
                     encoding="utf-8")
    bad = cli("kpi", "terms", "import", str(terms), "--from", "2026-12-01", "--user", "admin",
              "--db", url)
    assert bad.code == 2 and str(terms) in bad.err and "effective_calls" in bad.err

"""``scorecard calls show|rebuild`` and ``scorecard pbx``, as a lead and an admin would use
them, on both databases."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.factories import query
from tests.ingest.test_call_rules import CASES, DID, master_rows

ANONYMOUS = ["", "Anonymous", DID, "from-trunk", '"" <Anonymous>', "SIP/mts-000000a1",
             "SIP/office2-000000a2", "Dial", "SIP/office2/100,60", "2026-03-02 11:00:00",
             "2026-03-02 11:00:04", "2026-03-02 11:01:04", "64", "60", "ANSWERED",
             "DOCUMENTATION", "1772449200.50", "", "", "1772449200.50", "1"]


def _setup(cli, db_url: str, tmp_path: Path) -> Path:
    operators = tmp_path / "operators.csv"
    operators.write_text("name,team,extension\nИванова Анна,Входящие,211\n"
                         "Петров Олег,Входящие,212\nСидорова Мария,Входящие,301\n"
                         "Орлов Денис,Входящие,302\nКозлова Ольга,Исходящие,401\n",
                         encoding="utf-8")
    assert cli("import", "operators", operators, "--db", db_url).code == 0
    for login, role, team in (("admin", "admin", None), ("lead", "lead", "Входящие"),
                              ("lead2", "lead", "Исходящие")):
        extra = ["--team", team] if team else []
        assert cli("users", "save", login, "--role", role, *extra, "--user", "admin",
                   "--db", db_url).code == 0
    master = tmp_path / "Master.csv"
    rows = [row for n, (legs, _) in enumerate(CASES.values())
            for row in master_rows(legs, linkedid=f"1772445600.{1000 + n}")]
    with master.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows([*rows, ANONYMOUS])
    assert cli("import", "cdr", master, "--user", "admin", "--db", db_url).code == 0
    return master


def test_a_lead_sees_why_a_missed_ring_group_call_counts(cli, db_url: str,
                                                          tmp_path: Path) -> None:
    _setup(cli, db_url, tmp_path)
    missed = "1772445600.1002"  # every leg unanswered, then the Hangup row
    shown = cli("calls", "show", missed, "--user", "lead", "--db", db_url)
    assert shown.code == 0, shown
    assert "3 leg(s) kept" in shown.out and "disposition         no_answer" in shown.out
    assert "leg 3 (asterisk): no_answer" in shown.out  # the Hangup row: no person answered
    assert "79161234567" not in shown.out and "7********67" in shown.out
    # Ids are not phone numbers: the lead can still find the call on the PBX.
    assert "uniqueid     1772445600.10\n" in shown.out and "SIP/mts-00000001" in shown.out
    assert "today's rules decide it the same way" in shown.out
    other = cli("calls", "show", missed, "--user", "lead2", "--db", db_url)
    assert other.code == 4 and "rang none of theirs" in other.err
    admin = cli("calls", "show", missed, "--user", "admin", "--db", db_url)
    assert "79161234567" in admin.out
    unknown = cli("calls", "show", "nope", "--user", "admin", "--db", db_url)
    assert unknown.code == 2 and "no call 'nope'" in unknown.err


def test_pbx_rules_change_calls_only_through_a_rebuild(cli, db_url: str,
                                                       tmp_path: Path) -> None:
    master = _setup(cli, db_url, tmp_path)
    call = "SELECT direction, client_number FROM call WHERE external_id = '1772449200.50'"
    # A hidden caller on a trunk to no extension: nothing says it came from outside.
    assert query(db_url, call) == [("outbound", DID)]
    refused = cli("pbx", "set", "--trunk", "SIP/mts", "--user", "lead", "--db", db_url)
    assert refused.code == 4, refused
    assert cli("pbx", "set", "--own-number", DID, "--trunk", "SIP/mts,SIP/beeline",
               "--time-zone", "Europe/Moscow", "--user", "admin", "--db", db_url).code == 0
    bad = cli("pbx", "set", "--time-zone", "Moscow/Kremlin", "--user", "admin", "--db", db_url)
    assert bad.code == 2 and "unknown time zone 'Moscow/Kremlin'" in bad.err
    shown = cli("pbx", "show", "--db", db_url)
    assert "version 1" in shown.out and "SIP/beeline,SIP/mts" in shown.out
    assert "version 2" not in shown.out
    assert query(db_url, call) == [("outbound", DID)]  # stored calls keep their decision
    explained = cli("calls", "show", "1772449200.50", "--user", "admin", "--db", db_url)
    assert "direction outbound → inbound" in explained.out, explained
    dry = cli("calls", "rebuild", "--dry-run", "--user", "admin", "--db", db_url)
    assert "1772449200.50: direction outbound → inbound" in dry.out, dry
    assert "1 would change" in dry.out
    assert query(db_url, call) == [("outbound", DID)]
    terms = tmp_path / "terms.json"  # March is paid and closed before the rebuild
    paid = {"scheme": "security-50-50", "plan": {"effective_calls": 10, "deals": 1}}
    terms.write_text(json.dumps({"teams": {"Входящие": paid, "Исходящие": paid}}),
                     encoding="utf-8")
    assert cli("kpi", "terms", "import", terms, "--from", "2026-03-01", "--user", "admin",
               "--db", db_url).code == 0
    closed = cli("kpi", "close", "2026-03", "--user", "admin", "--db", db_url)
    assert closed.code == 0, closed
    done = cli("calls", "rebuild", "--user", "admin", "--db", db_url)
    assert "1 changed, 0 held" in done.out, done
    assert "closed month: 1772449200.50 is in 2026-03, already paid" in done.out
    assert query(db_url, call) == [("inbound", "Anonymous")]
    # The rules read the file the same.
    again = cli("import", "cdr", master, "--user", "admin", "--db", db_url)
    assert "0 updated" in again.out, again
    actions = [action for (action,) in query(db_url, "SELECT action FROM audit_log")]
    assert {"pbx_rules.set", "calls.rebuild", "import.operators"} <= set(actions)
    assert actions.count("import.cdr") == 2  # one entry per import, not one per row


def test_recordings_find_their_calls_and_transcripts_follow(cli, db_url: str,
                                                            tmp_path: Path) -> None:
    master = _setup(cli, db_url, tmp_path)
    folder = tmp_path / "monitor" / "2026" / "03" / "02"
    folder.mkdir(parents=True)
    # MixMonitor's names: by the call's linkedid, and by a later leg's own uniqueid.
    (folder / "in-79161234567-211-20260302-100000-1772445600.1003.wav").write_bytes(b"RIFF")
    (folder / "1772445600.14.wav").write_bytes(b"RIFF")  # the attended transfer's last leg
    (folder / "notes.txt").write_text("not audio")
    result = cli("import", "cdr", master, "--recordings", tmp_path / "monitor", "--user",
                 "admin", "--db", db_url)
    assert result.code == 0, result
    assert "note: 2 of 13 call(s) found a recording" in result.out
    assert "2 audio file(s)" in result.out
    stored = dict(query(db_url, "SELECT external_id, recording_path FROM call "
                                "WHERE recording_path IS NOT NULL"))
    assert stored["1772445600.1003"].endswith("1772445600.1003.wav")
    assert stored["1772445600.1004"].endswith("1772445600.14.wav")
    transcript = tmp_path / "1772445600.14.txt"
    transcript.write_text("Оператор: Добрый день, компания «Офис-Снаб», Анна.\n"
                          "Клиент: Здравствуйте.\n", encoding="utf-8")
    attached = cli("import", "transcripts", transcript, "--match", "filename", "--user",
                   "admin", "--db", db_url)
    assert attached.code == 0 and "1 transcript(s) stored" in attached.out, attached
    # Without --recordings: the paths are kept.
    again = cli("import", "cdr", master, "--user", "admin", "--db", db_url)
    assert "0 updated" in again.out
    assert len(query(db_url, "SELECT 1 FROM call WHERE recording_path IS NOT NULL")) == 2


def test_a_mapped_export_keeps_its_legs_whichever_file_comes_first(
        cli, db_url: str, tmp_path: Path) -> None:
    """The ring-group call of the Mango Office sample (211 rang, 221 answered) in two
    files, the answering leg first: stored as the whole file makes it, legs shown."""
    from tests.ingest.test_mapped import shipped

    data = Path(__file__).resolve().parents[2] / "data"
    assert cli("import", "operators", data / "operators.csv", "--db", db_url).code == 0
    for login, role, team in (("admin", "admin", []), ("lead", "lead", ["--team",
                                                                        "Телемаркетинг"])):
        assert cli("users", "save", login, "--role", role, *team, "--user", "admin",
                   "--db", db_url).code == 0
    rows = (data / "cdr" / "mango-office.csv").read_text(encoding="utf-8").splitlines()
    answered = [row for row in rows if row.startswith("[MToxMDcyMzQ1Njc6MjIxOjkzMDIw]")]
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("\n".join(answered) + "\n", encoding="utf-8")
    second.write_text("\n".join(r for r in rows if r not in answered) + "\n",
                      encoding="utf-8")
    mapping = data / "mappings" / "mango-office.toml"
    for part in (first, second):
        done = cli("import", "cdr", part, "--format", "mapped", "--mapping", mapping,
                   "--user", "admin", "--db", db_url)
        assert done.code == 0, done
    key = "MTAxNjU0Nzg5NA=="
    [whole] = [c for c in shipped("mango-office", "mango-office.csv",
                                  centre_zone=None).calls if c.external_id == key]
    stored = query(db_url, "SELECT o.extension, c.ring_seconds, c.talk_seconds, "
                           "c.disposition FROM call c JOIN operator o ON o.id = c.operator_id "
                           f"WHERE c.external_id = '{key}'")
    assert stored == [(whole.operator_extension, whole.ring_seconds, whole.talk_seconds,
                       whole.disposition)] == [("221", 26, 154, "answered")]
    shown = cli("calls", "show", key, "--user", "lead", "--db", db_url)
    assert shown.code == 0, shown
    assert "2 leg(s) kept" in shown.out and "operator_extension 211\n" in shown.out
    assert "79035556677" not in shown.out  # the client's number, masked for a lead
    assert "today's rules decide it the same way" in shown.out

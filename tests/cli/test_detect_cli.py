"""``scorecard detect``, ``scorecard import transcripts`` and ``scorecard report detector``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import text

from scorecard.db.engine import open_database
from tests.factories import query

DATA = Path(__file__).resolve().parents[2] / "data" / "transcripts"


def test_detect_json_lines_with_evidence(cli) -> None:
    result = cli("detect", "--card", "security-cold-call", DATA / "call-0001.txt", "--json")
    assert result.code == 0, result
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert len(lines) == 1 and lines[0]["transcript"].endswith("call-0001.txt")
    items = {(i["stage"], i["item"]): i for i in lines[0]["items"]}
    greeting = items[("contact", "greeting")]
    assert greeting["found"] and greeting["turn"] == 0
    assert set(greeting) == {"stage", "item", "found", "score", "trigger", "turn", "start",
                             "end", "text", "suggested"}
    assert greeting["suggested"] == "pass"
    assert lines[0]["roles"]["source"] == "label"
    assert greeting["text"].lower().startswith("добрый день")
    assert items[("close", "meeting")]["found"]
    assert ("objections", "no_pressure") not in items  # graded by ear: no triggers


def test_detect_table_and_bad_files_keep_going(cli, tmp_path: Path) -> None:
    shutil.copy(DATA / "call-0001.txt", tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "broken.vtt").write_text("WEBVTT\n\n00:01.000 --> later\nтекст\n")
    result = cli("detect", "--card", "security-cold-call", tmp_path)
    assert result.code == 2
    assert "good.txt  (text, 17 turns, roles: label (labels: Оператор → operator" in result.out
    assert "+ contact/greeting" in result.out
    assert "empty.txt: the file is empty" in result.err
    assert "broken.vtt:3: broken timestamp" in result.err
    assert "2 file(s) could not be read" in result.err


def test_detect_needs_a_card(cli) -> None:
    result = cli("detect", DATA / "call-0001.txt")
    assert result.code == 2 and "--card is required" in result.err
    result = cli("detect", "--card", "no-such-card", DATA / "call-0001.txt")
    assert result.code == 2 and "no card 'no-such-card'" in result.err


def _demo_like(cli, db_url: str) -> None:
    """A tiny call centre: cards, one team on the security card, three calls."""
    assert cli("cards", "import", "--db", db_url).code == 0
    database = open_database(db_url)
    with database.engine.begin() as connection:
        card_id = connection.execute(
            text("SELECT id FROM quality_card WHERE slug = 'security-cold-call'")).scalar()
        connection.execute(text(
            "INSERT INTO team (name, card_id, shift_start, shift_end, created_at) "
            "VALUES ('Холодные', :card, '09:00:00', '18:00:00', CURRENT_TIMESTAMP)"),
            {"card": card_id})
        connection.execute(text(
            "INSERT INTO operator (name, team_id, extension, active, created_at) "
            "VALUES ('Анна', 1, '201', true, CURRENT_TIMESTAMP)"))
        for external, recording in (("call-0001", "rec/a1.wav"), ("call-0005", "rec/call-0002.wav"),
                                    ("x-3", None)):
            connection.execute(text(
                "INSERT INTO call (external_id, operator_id, started_at, ring_seconds, "
                "talk_seconds, direction, disposition, recording_path) VALUES "
                "(:e, 1, '2026-03-02 10:00:00', 5, 120, 'outbound', 'answered', :r)"),
                {"e": external, "r": recording})
    database.dispose()


def test_import_transcripts_matches_and_reports(cli, db_url: str, tmp_path: Path) -> None:
    _demo_like(cli, db_url)
    for name in ("call-0001.txt", "call-0005.srt", "call-0003.whisper.json"):
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "call-0009.txt").write_text("Оператор: алло\n")
    result = cli("import", "transcripts", tmp_path, "--db", db_url)
    assert result.code == 2, result
    assert ("2 transcript(s) stored (roles: 1 by label, 1 inferred, 0 none), 2 file(s) not "
            "stored") in result.out
    assert "call-0005.srt: roles: inferred, margin" in result.out
    assert ("call-0003.whisper.json: no call with external-id 'call-0003.whisper' or "
            "'call-0003'") in result.err
    assert "call-0009.txt: no call with external-id 'call-0009'" in result.err
    assert "operator inferred as SPEAKER_01 (said the greeting)" in result.out

    by_recording = cli("import", "transcripts", tmp_path / "call-0003.whisper.json",
                       "--match", "filename", "--db", db_url)
    assert by_recording.code == 2  # recording rec/call-0002.wav does not match call-0003
    database = open_database(db_url)
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM transcript")).scalar() == 2
        segments = connection.execute(text("SELECT count(*) FROM transcript_segment")).scalar()
    database.dispose()

    again = cli("import", "transcripts", tmp_path / "call-0001.txt", "--db", db_url)
    assert again.code == 0 and "1 transcript(s) stored" in again.out
    database = open_database(db_url)
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM transcript")).scalar() == 2
        assert connection.execute(text("SELECT count(*) FROM transcript_segment")).scalar() \
            == segments  # replaced, not duplicated
    database.dispose()


def test_transcripts_named_by_asterisk_uniqueids_find_their_calls(
    cli, db_url: str, tmp_path: Path
) -> None:
    """An Asterisk uniqueid has a dot in it: ``1756465406.16342.txt`` is that call's, not
    call 1756465406's; by recording name, ``1756465406.16342.wav`` matches it too."""
    _demo_like(cli, db_url)
    database = open_database(db_url)
    with database.engine.begin() as connection:
        for external, recording in (("1756465406", None),
                                    ("1756465406.16342", "/rec/1756465406.16342.wav")):
            connection.execute(text(
                "INSERT INTO call (external_id, operator_id, started_at, ring_seconds, "
                "talk_seconds, direction, disposition, recording_path) VALUES "
                "(:e, 1, '2026-03-02 11:00:00', 5, 120, 'outbound', 'answered', :r)"),
                {"e": external, "r": recording})
    database.dispose()
    transcript = tmp_path / "1756465406.16342.txt"
    shutil.copy(DATA / "call-0001.txt", transcript)
    by_id = cli("import", "transcripts", transcript, "--db", db_url)
    assert by_id.code == 0 and "1 transcript(s) stored" in by_id.out, by_id
    named = tmp_path / "by-recording" / "1756465406.16342.whisper.json"
    named.parent.mkdir()
    shutil.copy(DATA / "call-0003.whisper.json", named)
    by_recording = cli("import", "transcripts", named, "--match", "filename", "--db", db_url)
    assert by_recording.code == 0, by_recording
    database = open_database(db_url)
    with database.engine.connect() as connection:
        assert connection.execute(text(
            "SELECT c.external_id, t.format FROM transcript t JOIN call c ON c.id = t.call_id "
            "WHERE c.external_id LIKE '1756465406%'")).all() == [("1756465406.16342", "whisper")]
    database.dispose()


def test_detect_all_saves_findings_once(cli, db_url: str, tmp_path: Path) -> None:
    _demo_like(cli, db_url)
    shutil.copy(DATA / "call-0001.txt", tmp_path / "call-0001.txt")
    assert cli("import", "transcripts", tmp_path, "--db", db_url).code == 0
    first = cli("detect", "--all", "--db", db_url)
    assert first.code == 0, first
    assert first.out.startswith("1 transcript(s) checked")
    assert "security-cold-call" in first.out
    second = cli("detect", "--all", "--db", db_url)
    assert second.out.startswith("0 transcript(s) checked")
    redo = cli("detect", "--all", "--redo", "--since", "2026-03-01", "--db", db_url)
    assert redo.out.startswith("1 transcript(s) checked")
    database = open_database(db_url)
    with database.engine.connect() as connection:
        found = dict(connection.execute(text(
            "SELECT item_key, found FROM detection WHERE stage_key = 'contact'")).all())
        assert found["greeting"]
        total = connection.execute(text("SELECT count(*) FROM detection")).scalar()
    database.dispose()
    assert total == 15  # the card's items with triggers, once


def test_report_detector_without_grades(cli, db_url: str) -> None:
    result = cli("report", "detector", "--db", db_url)
    assert result.code == 0
    assert "no graded calls with detector findings yet" in result.out


def test_the_operator_speaker_can_be_given_per_file(cli, db_url: str, tmp_path: Path) -> None:
    _demo_like(cli, db_url)
    shutil.copy(DATA / "call-0002.whisperx.json", tmp_path / "call-0001.whisperx.json")
    speakers = tmp_path / "speakers.csv"
    speakers.write_text("file,operator\ncall-0001.whisperx.json,SPEAKER_01\n", encoding="utf-8")
    result = cli("import", "transcripts", tmp_path / "call-0001.whisperx.json",
                 "--speakers", speakers, "--operator", "SPEAKER_00", "--db", db_url)
    assert result.code == 0, result
    assert "roles: label (operator given: SPEAKER_01)" in result.out  # given, not guessed
    database = open_database(db_url)
    with database.engine.connect() as connection:
        label, inferred = connection.execute(text(
            "SELECT operator_label, operator_inferred FROM transcript")).one()
        first = connection.execute(text(
            "SELECT speaker, speaker_label FROM transcript_segment ORDER BY position")).first()
    database.dispose()
    assert (label, bool(inferred)) == ("SPEAKER_01", False)
    assert tuple(first) == ("operator", "SPEAKER_01")  # «Алло, слушаю.» is now the operator's

    speakers.write_text("file,operator\ncall-0001.whisperx.json,\n", encoding="utf-8")
    result = cli("import", "transcripts", tmp_path / "call-0001.whisperx.json",
                 "--speakers", speakers, "--db", db_url)
    assert result.code == 2 and f"{speakers}: line 2" in result.err


def test_import_reports_how_each_files_roles_were_set(cli, db_url: str, tmp_path: Path) -> None:
    _demo_like(cli, db_url)
    (tmp_path / "call-0001.txt").write_text(
        "Оператор: Добрый день, меня зовут Анна, компания Щит-Мониторинг\nАбонент: слушаю\n"
        "Unknown: [неразборчиво]\n", encoding="utf-8")
    (tmp_path / "call-0005.txt").write_text(
        "SPEAKER_00: Слушаю внимательно\nSPEAKER_01: да\n", encoding="utf-8")
    (tmp_path / "x-3.txt").write_text("добрый день\nда\n", encoding="utf-8")
    result = cli("import", "transcripts", tmp_path, "--db", db_url)
    assert result.code == 0, result
    assert ("3 transcript(s) stored (roles: 1 by label, 1 inferred, 1 none), 0 file(s) not "
            "stored") in result.out
    assert "call-0001.txt: roles: label (labels: Оператор → operator, Абонент → client, " \
           "Unknown → unknown)" in result.out
    assert "call-0005.txt: the operator was guessed with margin 0.10 (below 0.25)" in result.err
    assert "x-3.txt: no speaker roles" in result.err
    rows = query(db_url, "SELECT roles, roles_margin, roles_evidence FROM transcript "
                         "ORDER BY id")
    assert rows == [("label", None, "labels: Оператор → operator, Абонент → client, "
                                    "Unknown → unknown"),
                    ("inferred", 0.1, "SPEAKER_00: spoke first"),
                    ("none", None, "no speaker named in the file")]


def test_detect_withholds_passes_for_a_weak_guess(cli, tmp_path: Path) -> None:
    (tmp_path / "weak.txt").write_text(
        "SPEAKER_07: какая площадь объекта у вас\nSPEAKER_03: метров двести\n",
        encoding="utf-8")
    result = cli("detect", "--card", "security-cold-call", tmp_path / "weak.txt", "--json")
    assert result.code == 0, result
    record = json.loads(result.out)
    assert record["roles"]["source"] == "inferred" and record["roles"]["margin"] == 0.1
    item = next(i for i in record["items"] if i["item"] == "object")
    assert item["found"] and item["suggested"] is None


def test_a_big_folder_is_detected_by_workers_in_file_order(cli, tmp_path: Path,
                                                           monkeypatch) -> None:
    import scorecard.cli.detect as command

    for number in range(6):
        shutil.copy(DATA / "call-0001.txt", tmp_path / f"call-{number}.txt")
    (tmp_path / "call-3.txt").write_text("")  # a bad file keeps its place and its message
    alone = cli("detect", "--card", "security-cold-call", tmp_path, "--json")
    monkeypatch.setattr(command, "PARALLEL_FROM", 2)
    workers = cli("detect", "--card", "security-cold-call", tmp_path, "--json")
    assert workers.code == alone.code == 2
    assert workers.out == alone.out and len(workers.out.splitlines()) == 5
    assert workers.err == alone.err and "call-3.txt: the file is empty" in workers.err


def test_a_folder_is_read_whole_in_path_order(cli, tmp_path: Path) -> None:
    """Sub-folders are read, part by part in name order («a/b» before «a-b», as paths
    sort, not as strings do), upper-case extensions too; other files and a linked folder
    (which would read calls twice) are not."""
    for name in ("a-b/2.txt", "a/b/1.TXT", "a/0.srt", "notes.md", "a/audio.wav"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / ("call-0005.srt" if name.endswith(".srt") else "call-0001.txt"),
                    tmp_path / name)
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    result = cli("detect", "--card", "security-cold-call", tmp_path, "--json")
    assert result.code == 0, result
    read = [Path(json.loads(line)["transcript"]).relative_to(tmp_path).as_posix()
            for line in result.out.splitlines()]
    assert read == ["a/0.srt", "a/b/1.TXT", "a-b/2.txt"]



def test_an_item_found_by_one_of_its_alternative_groups_is_suggested_as_a_pass(
        cli, tmp_path: Path) -> None:
    from tests.domain.test_trigger_groups import card_text

    card = card_text(tmp_path, match="any")  # two alternative groups
    call = tmp_path / "call.txt"
    call.write_text("Оператор: меня зовут анна\nКлиент: да\n", encoding="utf-8")
    result = cli("detect", "--card", card, call, "--json")
    item = json.loads(result.out)["items"][0]
    assert result.code == 0 and item["found"] and item["suggested"] == "pass"
    assert "parts" not in item and [g["found"] for g in item["groups"]] == [False, True]
    table = cli("detect", "--card", card, call).out
    assert "+ contact/greeting" in table and "½" not in table


def test_the_table_shows_each_part_heard_of_an_item_of_parts(cli) -> None:
    result = cli("detect", "--card", "telemarketing-invoice", DATA / "call-0001.txt")
    line = next(x for x in result.out.splitlines() if "contact/greeting" in x)
    assert line.split()[0] == "½" and "2/3" in line
    assert "turn 0: «Добрый день», turn 0: «Меня зовут»" in line

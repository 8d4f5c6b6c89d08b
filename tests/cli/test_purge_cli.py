"""``scorecard purge``: personal data past its retention goes, in SQL, audited; the calls
and their grades stay."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import func, select

from scorecard.db.models import AuditEntry, Call, Transcript, TranscriptSegment


def test_purge_removes_what_is_past_its_retention(cli, graded_db, tmp_path: Path) -> None:
    database, ids = graded_db
    url = database.url.render_as_string(hide_password=False)
    audio = tmp_path / "old.wav"
    audio.write_bytes(b"RIFF")
    old_day = datetime.combine(date.today() - timedelta(days=400), datetime.min.time())
    with database.session() as session:
        for n, call in enumerate(session.exec(select(Call).order_by(Call.id)).all()):
            call.client_number = "+79161234567"
            call.legs = "raw row with +79161234567"
            if n == 0:  # call 1 (with the transcript) is old, the others recent
                call.started_at = old_day
                call.recording_path = str(audio)
    assert cli("users", "save", "boss", "--role", "admin", "--db", url).code == 0
    args = ("--client-numbers-days", "365", "--transcripts-days", "365", "--recordings-days",
            "365", "--user", "boss", "--db", url)
    dry = cli("purge", "--dry-run", *args)
    assert dry.code == 0 and "transcripts of calls before" in dry.out
    assert "client numbers of calls before" in dry.out and ": 1 would be removed" in dry.out
    assert cli("purge", *args, "--user", "qa").code == 4
    done = cli("purge", "--delete-files", *args)
    assert done.code == 0 and "audio files deleted: 1" in done.out, done
    assert not audio.exists()
    with database.session() as session:
        old = session.get(Call, ids["call1"])
        assert old.client_number is None and old.legs is None and old.recording_path is None
        recent = session.get(Call, ids["call2"])
        assert recent.client_number == "+79161234567" and recent.legs
        assert session.exec(select(func.count()).select_from(Transcript)).one() == 0
        assert session.exec(select(func.count()).select_from(TranscriptSegment)).one() == 0
        assert session.exec(select(func.count()).select_from(Call)).one() == 3
        purges = session.exec(select(AuditEntry).where(
            AuditEntry.action == "personal_data.purge")).all()
        assert len(purges) == 1 and '"transcripts": 1' in (purges[0].new or "")
    assert cli("audit", "verify", "--user", "boss", "--db", url).code == 0


def test_purge_needs_a_retention_period(cli, graded_db) -> None:
    database, _ = graded_db
    url = database.url.render_as_string(hide_password=False)
    result = cli("purge", "--user", "qa", "--db", url)
    assert result.code == 2 and "[retention]" in result.err

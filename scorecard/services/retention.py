"""Keeping personal data only as long as the centre's policy says (152-FZ): client numbers
(with the PBX rows that carry them), transcripts and recordings of calls older than their
retention period are removed, in SQL, in one audited unit of work. Evaluations, scores and
the calls themselves stay: they are the centre's own records, not the client's data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from scorecard.db.models import Call, Detection, Transcript, TranscriptSegment
from scorecard.services import audit
from scorecard.services.access import Actor, Permission


@dataclass(frozen=True)
class Retention:
    """Days each kind of personal data is kept (None: kept until removed by hand)."""

    client_numbers_days: int | None = None
    transcripts_days: int | None = None
    recordings_days: int | None = None


@dataclass
class PurgeReport:
    client_numbers: int = 0
    transcripts: int = 0
    recordings: int = 0
    files_deleted: int = 0
    files_missing: int = 0
    cutoffs: dict[str, str] = field(default_factory=dict)


def _before(today: date, days: int | None) -> datetime | None:
    return None if days is None else datetime.combine(today - timedelta(days=days), time.min)


def purge(session: Session, *, by: Actor, retention: Retention, today: date,
          dry_run: bool = False, delete_files: bool = False) -> PurgeReport:
    """Remove what is past its retention; with ``dry_run`` only count it (and write no
    audit entry: nothing happened)."""
    by.require(Permission.PURGE_PERSONAL_DATA)
    report = PurgeReport()
    numbers = _before(today, retention.client_numbers_days)
    if numbers is not None:
        report.cutoffs["client_numbers"] = numbers.date().isoformat()
        old = (col(Call.started_at) < numbers) & (
            col(Call.client_number).is_not(None) | col(Call.legs).is_not(None))
        report.client_numbers = session.exec(select(func.count()).where(old)).one()
        if not dry_run:
            session.execute(update(Call).where(old).values(client_number=None, legs=None))
    transcripts = _before(today, retention.transcripts_days)
    if transcripts is not None:
        report.cutoffs["transcripts"] = transcripts.date().isoformat()
        ids = (select(Transcript.id).join(Call, col(Call.id) == col(Transcript.call_id))
               .where(col(Call.started_at) < transcripts))
        report.transcripts = session.exec(select(func.count()).select_from(ids.subquery())
                                          ).one()
        if not dry_run:
            session.execute(delete(Detection).where(col(Detection.transcript_id).in_(ids)))
            session.execute(delete(TranscriptSegment)
                            .where(col(TranscriptSegment.transcript_id).in_(ids)))
            session.execute(delete(Transcript).where(col(Transcript.id).in_(ids)))
    recordings = _before(today, retention.recordings_days)
    if recordings is not None:
        report.cutoffs["recordings"] = recordings.date().isoformat()
        old = (col(Call.started_at) < recordings) & col(Call.recording_path).is_not(None)
        paths = [Path(p) for p in session.exec(select(Call.recording_path).where(old)).all()
                 if p]
        report.recordings = len(paths)
        if not dry_run:
            session.execute(update(Call).where(old).values(recording_path=None))
            if delete_files:
                for path in paths:
                    try:
                        path.unlink()
                        report.files_deleted += 1
                    except FileNotFoundError:
                        report.files_missing += 1
    if not dry_run:
        audit.record(session, action="personal_data.purge", entity="call", entity_id=None,
                     actor_id=by.user_id,
                     new={"cutoffs": report.cutoffs, "client_numbers": report.client_numbers,
                          "transcripts": report.transcripts, "recordings": report.recordings,
                          "files_deleted": report.files_deleted})
    return report

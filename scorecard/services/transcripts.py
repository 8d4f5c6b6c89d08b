"""Transcripts in the database: attaching them to calls and reading them back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete
from sqlmodel import Session, col, select

from scorecard.db.bulk import bulk_insert
from scorecard.db.models import Call, Detection, Transcript, TranscriptSegment, utcnow
from scorecard.domain.transcripts import TranscriptDoc, Turn

MATCH_MODES = ("external-id", "filename")


@dataclass(frozen=True)
class CallRef:
    id: int
    external_id: str
    direction: str
    team_card_id: int | None


def call_keys(path: Path) -> list[str]:
    """The call ids a file may be named after, longest first: ``1756465406.16342.whisper.json``
    is the call ``1756465406.16342.whisper`` or ``1756465406.16342`` (an Asterisk uniqueid
    keeps its dot) or ``1756465406``; ``call-0001.txt`` is ``call-0001``."""
    parts = path.name.split(".")
    return [".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1)] or [path.name]


def call_of(path: Path, calls: Mapping[str, CallRef]) -> CallRef | None:
    """The call ``path`` is named after, by its longest name that is a call's."""
    return next((calls[key] for key in call_keys(path) if key in calls), None)


def find_calls(session: Session, keys: Iterable[str], match: str) -> dict[str, CallRef]:
    """Calls whose external id (or recording file name) equals one of ``keys``."""
    from scorecard.db.models import Operator, Team

    wanted = set(keys)
    if not wanted:
        return {}
    query = (
        select(Call.id, Call.external_id, Call.direction, Call.recording_path, Team.card_id)
        .outerjoin(Operator, col(Operator.id) == col(Call.operator_id))
        .outerjoin(Team, col(Team.id) == col(Operator.team_id))
    )
    found: dict[str, CallRef] = {}
    if match == "external-id":
        for chunk in _chunks(sorted(wanted), 900):
            for row in session.exec(query.where(col(Call.external_id).in_(chunk))):
                found[row[1]] = CallRef(row[0], row[1], row[2], row[4])
        return found
    # By recording file name: the recording and its transcript share a name.
    for row in session.exec(query.where(col(Call.recording_path).is_not(None))):
        for key in call_keys(Path(row[3])):
            if key in wanted:
                found.setdefault(key, CallRef(row[0], row[1], row[2], row[4]))
    return found


def attach(
    session: Session, call_id: int, doc: TranscriptDoc, *, language: str = "ru",
    now: datetime | None = None,
) -> int:
    """Store ``doc`` as the call's transcript, replacing an earlier one and its detections."""
    old = session.exec(select(Transcript.id).where(Transcript.call_id == call_id)).first()
    if old is not None:
        session.execute(delete(Detection).where(col(Detection.transcript_id) == old))
        session.execute(
            delete(TranscriptSegment).where(col(TranscriptSegment.transcript_id) == old))
        session.execute(delete(Transcript).where(col(Transcript.id) == old))
    transcript = Transcript(
        call_id=call_id, source_path=doc.source, format=doc.format, language=language,
        operator_label=doc.operator_label, operator_inferred=doc.operator_inferred,
        roles=doc.roles.value, roles_evidence=_clip(doc.roles_evidence, 300),
        roles_margin=doc.roles_margin, word_count=doc.word_count, imported_at=now or utcnow(),
    )
    session.add(transcript)
    session.flush()
    assert transcript.id is not None
    rows = [
        {"transcript_id": transcript.id, "position": position, "speaker": turn.speaker,
         "speaker_label": turn.label, "start_seconds": turn.start, "end_seconds": turn.end,
         "text": turn.text}
        for position, turn in enumerate(doc.turns)
    ]
    if rows:
        bulk_insert(session, TranscriptSegment, rows)
    return transcript.id


def load_turns(session: Session, transcript_id: int) -> list[Turn]:
    rows = session.exec(
        select(TranscriptSegment)
        .where(TranscriptSegment.transcript_id == transcript_id)
        .order_by(col(TranscriptSegment.position))
    ).all()
    return [Turn(r.speaker, r.text, r.start_seconds, r.end_seconds, r.speaker_label) for r in rows]


def _clip(text: str | None, width: int) -> str | None:
    return text if text is None or len(text) <= width else text[: width - 1] + "…"


def _chunks(values: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]

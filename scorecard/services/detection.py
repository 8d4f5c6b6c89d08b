"""Auto-QA over stored transcripts: run the detector, keep its findings, measure it.

Detection runs in batches: one query fetches the segments of a few hundred transcripts,
one detector per card version is reused across all of them (its vocabulary cache is what
makes it fast), and the findings go back in one bulk insert per batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import and_, case, delete, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from scorecard.db.bulk import bulk_insert
from scorecard.db.engine import Database
from scorecard.db.models import (
    Call,
    CardVersion,
    Detection,
    Evaluation,
    EvaluationAnswer,
    Operator,
    QualityCardRecord,
    Team,
    Transcript,
    TranscriptSegment,
    utcnow,
)
from scorecard.domain.cards import QualityCard
from scorecard.domain.detection import DETECTOR_VERSION, Detector, ItemDetection
from scorecard.domain.transcripts import Turn
from scorecard.errors import ScorecardError

BATCH = 400


@dataclass
class DetectionRun:
    transcripts: int = 0
    items: int = 0
    found: int = 0
    skipped_no_card: int = 0
    per_card: dict[str, int] = field(default_factory=dict)


def detect_stored(
    database: Database,
    *,
    since: date | None = None,
    card_slug: str | None = None,
    redo: bool = False,
) -> DetectionRun:
    """Detect triggers in stored transcripts that have no findings for their card yet.

    The card is the one given, else the team's card of the call's operator. Each batch is
    its own unit of work, so a long run that is interrupted keeps what it finished.
    """
    run = DetectionRun()
    with database.session() as session:
        versions = _latest_versions(session)
        if card_slug is not None and card_slug not in versions:
            raise ScorecardError(f"no card {card_slug!r} in the database: "
                                 "run `scorecard cards import` first")
        todo = _pending(session, versions, since=since, card_slug=card_slug, redo=redo)
        run.skipped_no_card = todo.skipped
    detectors: dict[int, Detector] = {}
    for batch in _batched(todo.pairs, BATCH):
        with database.session() as session:
            turns = _turns_of(session, [transcript_id for transcript_id, _ in batch])
            rows = []
            now = utcnow()
            for transcript_id, version_id in batch:
                detector = detectors.get(version_id)
                if detector is None:
                    detector = detectors[version_id] = Detector(todo.cards[version_id])
                for result in detector.detect(turns.get(transcript_id, [])):
                    rows.append({
                        "transcript_id": transcript_id, "card_version_id": version_id,
                        "stage_key": result.stage_id, "item_key": result.item_id,
                        "found": result.found, "score": round(result.score, 1),
                        "trigger": result.trigger, "segment_position": result.turn,
                        "start_char": result.start, "end_char": result.end,
                        **finding_parts(result),
                        "detector_version": DETECTOR_VERSION, "created_at": now,
                    })
                    run.found += result.found
                run.transcripts += 1
                slug = todo.cards[version_id].id
                run.per_card[slug] = run.per_card.get(slug, 0) + 1
            session.execute(delete(Detection).where(
                col(Detection.transcript_id).in_([t for t, _ in batch])))
            if rows:
                bulk_insert(session, Detection, rows)
            run.items += len(rows)
    return run


def finding_parts(result: ItemDetection) -> dict[str, object]:
    """The per-group columns of a stored finding: parts heard, parts, each group's evidence."""
    parts = result.parts
    return {"parts_found": parts[0] if parts else None,
            "parts_total": parts[1] if parts else None, "groups": result.groups_json()}


@dataclass
class _Pending:
    pairs: list[tuple[int, int]]
    """(transcript id, card version id)"""
    cards: dict[int, QualityCard]
    skipped: int


def _latest_versions(session: Session) -> dict[str, tuple[int, int]]:
    """card slug -> (card id, newest version id)."""
    newest = (
        select(CardVersion.card_id, func.max(CardVersion.number).label("number"))
        .group_by(col(CardVersion.card_id)).subquery()
    )
    rows = session.exec(
        select(QualityCardRecord.slug, QualityCardRecord.id, CardVersion.id)
        .join(newest, newest.c.card_id == QualityCardRecord.id)
        .join(CardVersion, and_(col(CardVersion.card_id) == newest.c.card_id,
                                col(CardVersion.number) == newest.c.number))
    ).all()
    return {slug: (card_id, version_id) for slug, card_id, version_id in rows
            if card_id is not None and version_id is not None}


def _pending(
    session: Session,
    versions: dict[str, tuple[int, int]],
    *,
    since: date | None,
    card_slug: str | None,
    redo: bool,
) -> _Pending:
    version_of_card = {card_id: version_id for card_id, version_id in versions.values()}
    query = (
        select(Transcript.id, Team.card_id)
        .join(Call, col(Call.id) == col(Transcript.call_id))
        .outerjoin(Operator, col(Operator.id) == col(Call.operator_id))
        .outerjoin(Team, col(Team.id) == col(Operator.team_id))
        .order_by(col(Transcript.id))
    )
    if since is not None:
        query = query.where(col(Call.started_at) >= datetime.combine(since, time.min))
    done: set[tuple[int, int]] = set()
    if not redo:  # findings of an older detector are done again: its rules have changed
        done = set(session.exec(
            select(Detection.transcript_id, Detection.card_version_id)
            .where(Detection.detector_version == DETECTOR_VERSION).distinct()).all())
    forced = versions[card_slug][1] if card_slug else None
    pairs, skipped = [], 0
    for transcript_id, team_card in session.exec(query).all():
        version_id = forced if forced is not None else version_of_card.get(team_card or -1)
        if version_id is None:
            skipped += 1
            continue
        if (transcript_id, version_id) not in done:
            pairs.append((transcript_id, version_id))
    needed = {version_id for _, version_id in pairs}
    cards = {
        v.id: QualityCard.from_json(v.body)
        for v in session.exec(select(CardVersion).where(col(CardVersion.id).in_(needed))).all()
        if v.id is not None
    }
    return _Pending(pairs, cards, skipped)


def _turns_of(session: Session, transcript_ids: list[int]) -> dict[int, list[Turn]]:
    rows = session.exec(
        select(TranscriptSegment.transcript_id, TranscriptSegment.speaker,
               TranscriptSegment.text, TranscriptSegment.start_seconds,
               TranscriptSegment.end_seconds, TranscriptSegment.speaker_label)
        .where(col(TranscriptSegment.transcript_id).in_(transcript_ids))
        .order_by(col(TranscriptSegment.transcript_id), col(TranscriptSegment.position))
    ).all()
    turns: dict[int, list[Turn]] = {}
    for transcript_id, speaker, text, start, end, label in rows:
        turns.setdefault(transcript_id, []).append(Turn(speaker, text, start, end, label))
    return turns


def _batched(pairs: list[tuple[int, int]], size: int) -> Iterator[list[tuple[int, int]]]:
    for start in range(0, len(pairs), size):
        yield pairs[start : start + size]


# -- how good is the detector on real grades ----------------------------------------------


@dataclass(frozen=True)
class ItemAgreement:
    card: str
    stage_key: str
    item_key: str
    true_positive: int
    false_positive: int
    false_negative: int
    true_negative: int
    partial: int = 0
    """Findings with some parts of the item heard, not all: counted as not found."""

    @property
    def precision(self) -> float | None:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else None

    @property
    def recall(self) -> float | None:
        passed = self.true_positive + self.false_negative
        return self.true_positive / passed if passed else None


def detector_agreement(session: Session, *, since: date | None = None) -> list[ItemAgreement]:
    """Per item: the detector's findings against the listeners' submitted answers.

    A listener's pass is the truth; n.a. answers and calibration grades are left out.
    """
    detected = aliased(CardVersion)
    query = (
        select(
            QualityCardRecord.slug,
            EvaluationAnswer.stage_key,
            EvaluationAnswer.item_key,
            func.sum(case((and_(col(Detection.found), EvaluationAnswer.answer == "pass"), 1),
                          else_=0)),
            func.sum(case((and_(col(Detection.found), EvaluationAnswer.answer == "fail"), 1),
                          else_=0)),
            func.sum(case((and_(~col(Detection.found), EvaluationAnswer.answer == "pass"), 1),
                          else_=0)),
            func.sum(case((and_(~col(Detection.found), EvaluationAnswer.answer == "fail"), 1),
                          else_=0)),
            func.sum(case((and_(~col(Detection.found), col(Detection.parts_found) > 0), 1),
                          else_=0)),
        )
        .select_from(Evaluation)
        .join(EvaluationAnswer, col(EvaluationAnswer.evaluation_id) == col(Evaluation.id))
        .join(Transcript, col(Transcript.call_id) == col(Evaluation.call_id))
        .join(CardVersion, col(CardVersion.id) == col(Evaluation.card_version_id))
        .join(QualityCardRecord, col(QualityCardRecord.id) == col(CardVersion.card_id))
        .join(Detection, and_(
            col(Detection.transcript_id) == col(Transcript.id),
            col(Detection.stage_key) == col(EvaluationAnswer.stage_key),
            col(Detection.item_key) == col(EvaluationAnswer.item_key),
        ))
        .join(detected, and_(col(detected.id) == col(Detection.card_version_id),
                             col(detected.card_id) == col(CardVersion.card_id)))
        .where(col(Evaluation.status).in_(("submitted", "final")))
        .where(~col(Evaluation.is_calibration))
        .where(col(EvaluationAnswer.answer).in_(("pass", "fail")))
        .group_by(QualityCardRecord.slug, EvaluationAnswer.stage_key, EvaluationAnswer.item_key)
        .order_by(QualityCardRecord.slug, EvaluationAnswer.stage_key, EvaluationAnswer.item_key)
    )
    if since is not None:
        query = query.where(col(Evaluation.submitted_at) >= datetime.combine(since, time.min))
    return [ItemAgreement(*row) for row in session.exec(query).all()]

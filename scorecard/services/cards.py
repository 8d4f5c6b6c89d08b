"""Quality cards in the database: importing versions and reading them back.

A card's content is versioned by hash: importing an unchanged file is a no-op, a changed
file becomes a new version, and evaluations keep pointing at the version they were graded
with, so an edited card never rewrites old scores.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import Session, col, select

from scorecard.db.models import CardVersion, Evaluation, QualityCardRecord, utcnow
from scorecard.domain.cards import QualityCard, greeting_phrases
from scorecard.errors import GradingError, ScorecardError
from scorecard.services import audit
from scorecard.services.access import Actor, Permission


@dataclass(frozen=True)
class ImportedCard:
    slug: str
    number: int
    status: str
    """"new card", "new version" or "unchanged"."""
    declared_version: int


@dataclass(frozen=True)
class CardSummary:
    slug: str
    title: str
    language: str
    latest_number: int
    versions: int
    content_hash: str
    source_path: str | None
    evaluations: int


def import_card(
    session: Session,
    card: QualityCard,
    *,
    source: Path | None = None,
    by: Actor | None = None,
    now: datetime | None = None,
) -> ImportedCard:
    """Store ``card`` as a new version unless its content is already stored.

    ``by`` is the admin importing it; None only for the first setup of a database with no
    admin yet (see :func:`scorecard.services.users.setup_actor`) and for the demo builder.
    """
    if by is not None:
        by.require(Permission.MANAGE_CARDS)
    actor_id = by.user_id if by is not None else None
    now = now or utcnow()
    record = session.exec(
        select(QualityCardRecord).where(QualityCardRecord.slug == card.id)
    ).first()
    status = "new version"
    if record is None:
        record = QualityCardRecord(
            slug=card.id, title=card.title, language=card.language, created_at=now
        )
        session.add(record)
        session.flush()
        status = "new card"
    assert record.id is not None
    content_hash = card.content_hash()
    existing = session.exec(
        select(CardVersion).where(
            CardVersion.card_id == record.id, CardVersion.content_hash == content_hash
        )
    ).first()
    if existing is not None:
        return ImportedCard(card.id, existing.number, "unchanged", card.version)
    latest = session.exec(
        select(func.max(CardVersion.number)).where(CardVersion.card_id == record.id)
    ).one()
    version = CardVersion(
        card_id=record.id,
        number=(latest or 0) + 1,
        declared_version=card.version,
        content_hash=content_hash,
        body=card.canonical_json(),
        source_path=str(source) if source else None,
        imported_at=now,
        imported_by_id=actor_id,
    )
    record.title, record.language = card.title, card.language
    session.add(version)
    session.flush()
    audit.record(
        session,
        action="card.import",
        entity="card_version",
        entity_id=version.id,
        actor_id=actor_id,
        new={"card": card.id, "number": version.number, "hash": content_hash[:12]},
        at=now,
    )
    return ImportedCard(card.id, version.number, status, card.version)


def list_cards(session: Session) -> list[CardSummary]:
    """Every stored card with its newest version and how many evaluations use the card."""
    latest = (
        select(CardVersion.card_id, func.max(CardVersion.number).label("number"),
               func.count().label("versions"))
        .group_by(col(CardVersion.card_id))
        .subquery()
    )
    evaluations = (
        select(CardVersion.card_id, func.count(col(Evaluation.id)).label("n"))
        .join(Evaluation, col(Evaluation.card_version_id) == col(CardVersion.id))
        .group_by(col(CardVersion.card_id))
        .subquery()
    )
    rows = session.exec(
        select(
            QualityCardRecord,
            CardVersion,
            latest.c.versions,
            func.coalesce(evaluations.c.n, 0),
        )
        .join(latest, latest.c.card_id == QualityCardRecord.id)
        .join(
            CardVersion,
            (col(CardVersion.card_id) == latest.c.card_id)
            & (col(CardVersion.number) == latest.c.number),
        )
        .outerjoin(evaluations, evaluations.c.card_id == QualityCardRecord.id)
        .order_by(col(QualityCardRecord.slug))
    ).all()
    return [
        CardSummary(
            slug=record.slug,
            title=record.title,
            language=record.language,
            latest_number=version.number,
            versions=versions,
            content_hash=version.content_hash,
            source_path=version.source_path,
            evaluations=n,
        )
        for record, version, versions, n in rows
    ]


@functools.lru_cache(maxsize=64)
def _parse_card(body: str) -> QualityCard:
    return QualityCard.from_json(body)


def card_of_version(session: Session, version_id: int) -> tuple[QualityCard, str, int]:
    """(card, slug, version number); a clear error when the version is gone or unreadable."""
    row = session.exec(
        select(CardVersion, QualityCardRecord.slug)
        .join(QualityCardRecord, col(QualityCardRecord.id) == col(CardVersion.card_id))
        .where(CardVersion.id == version_id)
    ).first()
    if row is None:
        raise GradingError("error.card_version_gone", version=version_id)
    version, slug = row
    try:
        card = _parse_card(version.body)
    except ValidationError as exc:
        raise GradingError("error.card_unreadable", version=version_id,
                           problem=f"{exc.error_count()} validation error(s)") from None
    return card, slug, version.number


class ItemWording:
    """Item wordings by card version, each version read and parsed once."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._items: dict[int, dict[tuple[str, str], tuple[str, bool]]] = {}

    def _of(self, version_id: int) -> dict[tuple[str, str], tuple[str, bool]]:
        if version_id not in self._items:
            card, _, _ = card_of_version(self._session, version_id)
            self._items[version_id] = {(s.id, i.id): (i.text, i.critical)
                                       for s in card.stages for i in s.items}
        return self._items[version_id]

    def __call__(self, version_id: int, stage: str, item: str) -> str:
        """The item's wording (``item`` itself when the card no longer has it)."""
        return self._of(version_id).get((stage, item), (item, False))[0]

    def critical(self, version_id: int, stage: str, item: str) -> bool:
        """Whether failing the item sets the call's total to zero."""
        return self._of(version_id).get((stage, item), ("", False))[1]


def latest_version(session: Session, slug: str) -> tuple[int, QualityCard]:
    """(card version id, card) of the newest stored version of card ``slug``."""
    row = session.exec(
        select(CardVersion)
        .join(QualityCardRecord, col(QualityCardRecord.id) == col(CardVersion.card_id))
        .where(QualityCardRecord.slug == slug)
        .order_by(col(CardVersion.number).desc())
        .limit(1)
    ).first()
    if row is None or row.id is None:
        raise ScorecardError(f"no card {slug!r} in the database: run `scorecard cards import`")
    return row.id, QualityCard.from_json(row.body)


def card_version_greetings(session: Session) -> dict[int, tuple[str, ...]]:
    """card id -> the trigger phrases of its newest version's first stage.

    Used to tell which diarised speaker is the operator: the one who greets.
    """
    greetings: dict[int, tuple[str, ...]] = {}
    for record in session.exec(select(QualityCardRecord)).all():
        if record.id is None:
            continue
        _, card = latest_version(session, record.slug)
        greetings[record.id] = tuple(greeting_phrases(card))
    return greetings

"""Counts of what a database holds, for ``db info`` and the demo summary."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from scorecard.db.models import (
    Assignment,
    Call,
    CardVersion,
    Detection,
    Evaluation,
    Operator,
    OutcomeEvent,
    Team,
    Transcript,
    User,
)

_COUNTED = {
    "teams": Team,
    "operators": Operator,
    "users": User,
    "card versions": CardVersion,
    "calls": Call,
    "outcomes": OutcomeEvent,
    "transcripts": Transcript,
    "detections": Detection,
    "assignments": Assignment,
    "evaluations": Evaluation,
}


def table_counts(session: Session) -> dict[str, int]:
    return {
        name: session.exec(select(func.count()).select_from(model)).one()
        for name, model in _COUNTED.items()
    }

"""A small call centre to grade in: one card, one operator, three calls in the queue.

Call 1 has a transcript (the detector runs when it is first opened), call 2 has none
(graded by ear), call 3 waits in the shared queue.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlmodel import select

from scorecard.db.engine import Database
from scorecard.db.models import (
    Assignment,
    Call,
    CardVersion,
    Detection,
    Operator,
    Team,
    User,
)
from scorecard.domain.library import find_card
from scorecard.ingest.transcripts import read_transcript
from scorecard.services.cards import import_card
from scorecard.services.transcripts import attach

DATA = Path(__file__).resolve().parents[2] / "data"
CARD = "security-cold-call"

#: Findings stored for call 1 by hand, so screen snapshots do not move when the detector
#: is tuned: (stage, item) → (turn, evidence as said). Items not listed were not found.
FIXED_FINDINGS = {
    ("contact", "greeting"): (0, "Добрый день! Меня зовут Анна"),
    ("diagnosis", "current_security"): (4, "Как сейчас охраняется ваш объект"),
    ("diagnosis", "pain"): (6, "были ли у вас случаи проникновения"),
    ("presentation", "benefits"): (8, "группа быстрого реагирования"),
    ("objections", "handled"): (10, "Понимаю вас, многие наши клиенты"),
    ("close", "meeting"): (12, "Давайте назначим встречу"),
    ("close", "goodbye"): (16, "всего доброго, до свидания"),
}


def seed(database: Database, *, fixed_findings: bool = False) -> dict[str, int]:
    card, _ = find_card(CARD)
    with database.session() as session:
        import_card(session, card, now=datetime(2026, 11, 1, 9, 0))
        version = session.exec(select(CardVersion)).one()
        team = Team(name="Охрана", card_id=version.card_id)
        session.add(team)
        session.flush()
        operator = Operator(name="Иванова Анна", team_id=team.id, extension="201")
        session.add(operator)
        session.flush()
        for login, role in (("qa", "qa"), ("qa2", "qa"), ("anna", "operator")):
            session.add(User(login=login, display_name=login.upper(), role=role,
                             operator_id=operator.id if role == "operator" else None))
        session.flush()
        ids: dict[str, int] = {"version": version.id or 0}
        for n, (minute, talk) in enumerate(((5, 312), (20, 95), (40, 61)), start=1):
            call = Call(external_id=f"1700000{n}.1", operator_id=operator.id,
                        started_at=datetime(2026, 11, 20, 10, minute), talk_seconds=talk,
                        ring_seconds=4, disposition="answered")
            session.add(call)
            session.flush()
            ids[f"call{n}"] = call.id or 0
        doc = read_transcript(DATA / "transcripts" / "call-0001.txt")
        transcript_id = attach(session, ids["call1"], doc)
        if fixed_findings:
            for stage_id, item_id in card.item_keys():
                turn, said = FIXED_FINDINGS.get((stage_id, item_id), (None, None))
                start = doc.turns[turn].text.index(said) if turn is not None else None
                session.add(Detection(
                    transcript_id=transcript_id, card_version_id=version.id or 0,
                    stage_key=stage_id, item_key=item_id, found=turn is not None,
                    score=100.0 if turn is not None else 40.0, trigger=said, segment_position=turn,
                    start_char=start, end_char=None if start is None else start + len(said),
                    detector_version="fixed"))
        qa = session.exec(select(User).where(User.login == "qa")).one()
        for n in (1, 2, 3):
            assignment = Assignment(call_id=ids[f"call{n}"], card_version_id=version.id or 0,
                                    assignee_id=qa.id if n < 3 else None, status="new",
                                    created_at=datetime(2026, 11, 20, 19, n))
            session.add(assignment)
            session.flush()
            ids[f"assignment{n}"] = assignment.id or 0
    return ids


#: Options of make_test_app that are the app's own (the rest are settings).
_APP_OPTIONS = ("today", "retry_seconds", "screenshot_dir", "clock")


def make_test_app(database: Database, *, language: str = "en", login: str = "qa",
                  **options: object):
    """The app as ``login`` (who must exist: the app acts with their permissions).

    Keyword options are settings (``claim_minutes``, ``audio_output``, ``keys``…) or, for
    ``today``, ``retry_seconds``, ``screenshot_dir`` and ``clock``, the app's own.
    """
    from scorecard.config import Settings
    from scorecard.services.access import actor
    from scorecard.tui.app import ScorecardApp

    with database.session() as session:
        who = actor(session, login)
    assert options.pop("role", who.role) == who.role, "the user's role is in the database"
    own = {name: options.pop(name) for name in _APP_OPTIONS if name in options}
    own.setdefault("clock", lambda: 0.0)
    return ScorecardApp(database, Settings(**options), who, language, **own)


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for workers to deliver, without sleeping a fixed time."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await asyncio.sleep(0.02)

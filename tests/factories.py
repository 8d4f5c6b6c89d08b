"""What tests build: a small call centre, grades, call records, and the app to drive.

Shared by test modules (and benchmarks) through this one module, so no test module imports
another or a conftest.
"""

from __future__ import annotations

import asyncio
import csv
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlmodel import select

from scorecard.db.engine import Database, open_database
from scorecard.db.models import (
    Assignment,
    Call,
    CardVersion,
    Detection,
    Evaluation,
    EvaluationStage,
    Operator,
    Team,
    User,
)
from scorecard.domain.library import find_card
from scorecard.domain.scoring import Answer
from scorecard.ingest.transcripts import read_transcript
from scorecard.services.cards import import_card
from scorecard.services.grading import AnswerChange, open_for_grading, save_answers, submit
from scorecard.services.transcripts import attach

if TYPE_CHECKING:
    from scorecard.services.drafts import DraftJournal
    from scorecard.services.grading import EvaluationView
    from scorecard.tui.screens.grading import GradingScreen

# -- a small call centre -------------------------------------------------------------------

DATA = Path(__file__).resolve().parents[1] / "data"


CARD = "security-cold-call"
DAY = date(2026, 11, 20)
"""The day the seeded calls were made."""


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
    """A small call centre to grade in: one card, one operator, three calls in the queue.

    Call 1 has a transcript (the detector runs when it is first opened), call 2 has none
    (graded by ear), call 3 waits in the shared queue. ``fixed_findings`` stores the
    detector's findings for call 1 by hand (:data:`FIXED_FINDINGS`). Returns the ids.
    """
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


PAIN = ("diagnosis", "pain")


SUMMARY = ("close", "summary")


def grade_two_calls_failing_price(database, ids) -> None:
    keys = find_card(CARD)[0].item_keys()
    with database.session() as session:
        session.add(User(login="lead", display_name="Lead", role="lead"))
    for number in (1, 2):
        with database.session() as session:
            view = open_for_grading(session, assignment_id=ids[f"assignment{number}"],
                                    login="qa")
            save_answers(session, evaluation_id=view.evaluation_id, login="qa", changes=[
                AnswerChange(s, i, Answer.FAIL if s == "price" else Answer.PASS)
                for s, i in keys])
            submit(session, evaluation_id=view.evaluation_id, login="qa")


def with_admin_and_team_lead(database, ids) -> None:
    """After :func:`seed`: two calls graded (:func:`grade_two_calls_failing_price`), an
    ``admin``, and the ``lead`` leading the operator's team (payroll and KPI tests)."""
    from scorecard.db.models import Team

    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        team = session.exec(select(Team)).one()
        session.add(User(login="admin", display_name="Admin", role="admin"))
        session.flush()
        session.exec(select(User).where(User.login == "lead")).one().team_id = team.id


def zero_the_first_call(database, ids) -> int:
    """After :func:`grade_two_calls_failing_price`: call 1's grade amended to fail the
    critical greeting (its total becomes 0). Its evaluation id."""
    from scorecard.services.grading import amend

    with database.session() as session:
        evaluation = session.exec(select(Evaluation).where(
            Evaluation.call_id == ids["call1"])).one()
        assert evaluation.id is not None
        amend(session, evaluation_id=evaluation.id, login="qa", reason="не представился",
              changes=[AnswerChange("contact", "greeting", Answer.FAIL)])
        return evaluation.id


def assignment_of(database, session_id: int, login: str, external_id: str) -> int:
    with database.session() as session:
        return session.exec(
            select(Assignment.id).join(User, User.id == Assignment.assignee_id)
            .join(Call, Call.id == Assignment.call_id)
            .where(Assignment.calibration_session_id == session_id, User.login == login,
                   Call.external_id == external_id)).one()


def grade(database, assignment_id: int, login: str, fails=(), nas=()) -> float | None:
    """Grade every item pass except ``fails`` (fail) and ``nas`` (n.a.); the total."""
    with database.session() as session:
        view = open_for_grading(session, assignment_id=assignment_id, login=login)
        changes = [AnswerChange(*key, Answer.FAIL if key in fails
                                else Answer.NA if key in nas else Answer.PASS)
                   for key in find_card(CARD)[0].item_keys()]
        save_answers(session, evaluation_id=view.evaluation_id, login=login, changes=changes)
        return submit(session, evaluation_id=view.evaluation_id, login=login).total


def add_grade(session, call: str, operator_id: int, day: date, total: float,
              stages: dict[str, float | None], *, version: int, evaluator: int,
              status: str = "submitted", calibration: bool = False) -> None:
    """A graded call with its stage scores, stored as grading stores them (the rollups are
    the caller's to mark stale)."""
    started = datetime.combine(day, datetime.min.time()).replace(hour=10)
    row = Call(external_id=call, operator_id=operator_id, started_at=started,
               disposition="answered", talk_seconds=120)
    session.add(row)
    session.flush()
    evaluation = Evaluation(call_id=row.id or 0, operator_id=operator_id, call_started_at=started,
                            card_version_id=version, evaluator_id=evaluator, status=status,
                            is_calibration=calibration, total_score=total)
    session.add(evaluation)
    session.flush()
    for stage, score in stages.items():
        session.add(EvaluationStage(evaluation_id=evaluation.id or 0, stage_key=stage,
                                    weight=10, score=score))


GOOD = """\
id = "tiny-card"
title = "Маленькая карта"
language = "ru"
version = 1

[[stage]]
id = "contact"
title = "Контакт"
weight = 40

[[stage.item]]
id = "greeting"
text = "Поздоровался и представился"
weight = 60
critical = true
triggers = ["добрый день меня зовут", { text = "Щит-Мониторинг", exact = true }]

[[stage.item]]
id = "polite"
text = "Вежливый тон"
weight = 40

[[stage]]
id = "close"
title = "Завершение"
weight = 60

[[stage.item]]
id = "meeting"
text = "Назначил встречу"
weight = 100
na_allowed = true
triggers = ["назначим встречу"]
"""


def query(db_url: str, sql: str) -> list[tuple]:
    database = open_database(db_url)
    with database.engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(text(sql)).all()]
    database.dispose()
    return rows


#: Asterisk dispositions in the proportions a busy outbound line has.
DISPOSITIONS = ("ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION")


def write_master_csv(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 9, 0)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
        for n in range(rows):
            ext = str(200 + n % 200)
            when = start + timedelta(seconds=n * 2)
            disposition = rng.choices(DISPOSITIONS, (35, 45, 12, 5, 3))[0]
            duration = rng.randint(3, 900)
            billsec = rng.randint(1, duration) if disposition == "ANSWERED" else (
                duration if rng.random() < 0.1 else 0)
            answer = (when + timedelta(seconds=duration - billsec)).strftime(
                "%Y-%m-%d %H:%M:%S") if disposition == "ANSWERED" else ""
            unique = f"{1772431272 + n}.{n}"
            linked = unique if n % 50 else f"{1772431272 + n - 1}.{n - 1}"  # some transfers
            writer.writerow([
                "", ext, f"8495{rng.randint(1000000, 9999999)}", "from-internal",
                f'"Оператор {ext}" <{ext}>', f"SIP/{ext}-{n:08x}", f"SIP/trunk-{n:08x}",
                "Dial", "SIP/trunk/849,60", when.strftime("%Y-%m-%d %H:%M:%S"), answer,
                (when + timedelta(seconds=duration)).strftime("%Y-%m-%d %H:%M:%S"),
                duration, billsec, disposition, "DOCUMENTATION", unique, "", "", linked, n,
            ])


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


async def wait_for(condition: Callable[[], bool], timeout: float = 10.0, *,
                   seen: Callable[[], object] | None = None) -> None:
    """Wait for workers to deliver, without sleeping a fixed time; on a timeout, say what
    ``seen`` shows of the app."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app"
                                 + (f": {seen()}" if seen is not None else ""))
        await asyncio.sleep(0.02)


async def settled(pilot, screen_type: type | None = None):  # noqa: ANN201 - the screen
    """Wait until the app's workers are done and what they posted is drawn (on a screen of
    ``screen_type``, when given, once it is up): tests wait on the work, not on counters."""
    app = pilot.app
    if screen_type is not None:
        await wait_for(lambda: isinstance(app.screen, screen_type) and app.screen.is_mounted)
    await pilot.pause()  # the screen's on_mount ran: its reads are under way
    # A worker may start another (a write, then the reread it asks for): until all are done.
    while any(worker.is_running for worker in app.workers):
        await app.workers.wait_for_complete()
        await pilot.pause()  # the messages they posted are handled
    return app.screen


async def open_first_call(pilot) -> GradingScreen:
    """From the queue, open the call under the cursor; the grading screen once it shows."""
    from scorecard.tui.screens.grading import GradingScreen
    from scorecard.tui.screens.queue import QueueScreen

    app = pilot.app
    await wait_for(lambda: isinstance(app.screen, QueueScreen) and app.screen._entries)
    await pilot.press("enter")
    await wait_for(lambda: isinstance(app.screen, GradingScreen) and app.screen.ready)
    return app.screen


def journal_of(database: Database, view: EvaluationView, *, login: str = "qa",
               folder: Path | None = None) -> DraftJournal:
    """The draft journal the app keeps for ``view``, as the grading screen names it."""
    from scorecard.services.drafts import DraftJournal, DraftKey, database_id

    with database.session() as session:
        key = DraftKey(database_id(session), login, view.evaluation_id, view.call_id,
                       view.evaluation_started_at or datetime.min)
    return DraftJournal(key, folder)

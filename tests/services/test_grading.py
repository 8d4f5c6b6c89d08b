"""Grading without the screen: drafts, the local journal, submit rules, amendments."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import select

from scorecard.db.models import AuditEntry, Evaluation
from scorecard.domain.library import find_card
from scorecard.domain.scoring import Answer
from scorecard.services.drafts import DraftJournal, DraftKey, DraftSaver, database_id
from scorecard.services.grading import (
    KEEP,
    AnswerChange,
    GradingError,
    amend,
    open_for_grading,
    save_answers,
    submit,
)
from scorecard.services.queue import claim
from tests.factories import CARD, journal_of, seed

ITEMS = find_card(CARD)[0].item_keys()


def open_draft(database, ids, login: str = "qa", **options):
    with database.session() as session:
        return open_for_grading(session, assignment_id=ids["assignment1"], login=login,
                                **options)


def test_first_opening_creates_one_draft_with_suggestions(graded_db) -> None:
    database, ids = graded_db
    first = open_draft(database, ids)
    again = open_draft(database, ids)
    assert first.evaluation_id == again.evaluation_id and first.status == "draft"
    card = find_card(CARD)[0]
    with_triggers = {k for k in ITEMS if card.item(*k).triggers}
    assert set(first.suggestions) == with_triggers and not first.answers
    assert any(s.found for s in first.suggestions.values())


def test_another_listener_cannot_open_a_claimed_call(graded_db) -> None:
    database, ids = graded_db
    open_draft(database, ids)
    with pytest.raises(GradingError) as caught:
        open_draft(database, ids, login="qa2")
    assert caught.value.key == "error.claimed_by_other"
    assert claim(database, "qa2", ids["assignment1"]) is None


def test_the_journal_is_replayed_when_the_draft_is_opened_again(graded_db, tmp_path) -> None:
    database, ids = graded_db
    view = open_draft(database, ids)
    journal = journal_of(database, view, folder=tmp_path)
    journal.append([AnswerChange(*ITEMS[0], Answer.PASS),
                    AnswerChange(*ITEMS[1], Answer.FAIL, "перебил клиента")])
    with journal.path.open("a", encoding="utf-8") as torn:
        torn.write('{"stage": "contact", "ite')  # the app died mid-write
    resumed = open_draft(database, ids, pending_for=lambda *_: journal.pending())
    assert resumed.answers == {ITEMS[0]: Answer.PASS, ITEMS[1]: Answer.FAIL}
    assert resumed.comments == {ITEMS[1]: "перебил клиента"}


def test_a_journal_never_replays_into_another_database(graded_db, tmp_path) -> None:
    """Two databases, each with its evaluation 1: answers kept for one stay out of the
    other, and out of the first once it is rebuilt at the same URL (demo --replace)."""
    from scorecard.db.engine import open_database
    from scorecard.db.migrate import reset

    database, ids = graded_db
    view = open_draft(database, ids)
    kept = journal_of(database, view, folder=tmp_path)
    kept.append([AnswerChange(*ITEMS[0], Answer.FAIL, "не поздоровался")])

    def pending_for(db):
        def pending(evaluation_id, call_id, started):
            with db.session() as session:
                key = DraftKey(database_id(session), "qa", evaluation_id, call_id, started)
            return DraftJournal(key, tmp_path).pending()
        return pending

    other = open_database(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        other_ids = seed(other)
        opened = open_draft(other, other_ids, pending_for=pending_for(other))
        assert opened.evaluation_id == view.evaluation_id and not opened.answers
    finally:
        other.dispose()
    reset(database)
    rebuilt_ids = seed(database)
    opened = open_draft(database, rebuilt_ids, pending_for=pending_for(database))
    assert opened.evaluation_id == view.evaluation_id and not opened.answers
    assert kept.pending()  # still there, for the database it belongs to


def test_the_saver_writes_in_order_and_keeps_what_fails(graded_db, tmp_path) -> None:
    database, ids = graded_db
    view = open_draft(database, ids)
    failing = threading.Event()

    def save(changes, seconds) -> None:
        if failing.is_set():
            raise ConnectionError("server closed the connection")
        with database.session() as session:
            save_answers(session, evaluation_id=view.evaluation_id, login="qa",
                         changes=changes, seconds_spent=seconds)

    outcomes = []
    saver = DraftSaver(journal_of(database, view, folder=tmp_path), save, outcomes.append)
    saver.put([AnswerChange(*ITEMS[0], Answer.FAIL)], 10)
    saver.put([AnswerChange(*ITEMS[0], Answer.PASS)], 12)
    assert saver.flush().saved
    failing.set()
    saver.put([AnswerChange(*ITEMS[1], Answer.FAIL)], 20)
    assert not saver.flush().saved and saver.pending == 1
    assert saver.journal.pending() == [AnswerChange(*ITEMS[1], Answer.FAIL)]
    failing.clear()
    saver.retry()
    assert saver.flush().saved and not saver.journal.path.exists()
    saver.close()
    resumed = open_draft(database, ids)
    assert resumed.answers == {ITEMS[0]: Answer.PASS, ITEMS[1]: Answer.FAIL}
    assert resumed.seconds_spent == 20
    saved = [o.saved for o in outcomes]
    assert saved[-2:] == [False, True] and False not in saved[:-2]


def test_answers_follow_the_card_rules(graded_db) -> None:
    database, ids = graded_db
    card = find_card(CARD)[0]
    view = open_draft(database, ids)
    strict = next(k for k in ITEMS if not card.item(*k).na_allowed)
    with database.session() as session, pytest.raises(GradingError) as caught:
        save_answers(session, evaluation_id=view.evaluation_id, login="qa",
                     changes=[AnswerChange(*strict, Answer.NA)])
    assert caught.value.key == "error.na_not_allowed"
    with database.session() as session, pytest.raises(GradingError) as caught:
        save_answers(session, evaluation_id=view.evaluation_id, login="qa",
                     changes=[AnswerChange("contact", "no-such-item", Answer.PASS)])
    assert caught.value.key == "error.unknown_item"
    with database.session() as session, pytest.raises(GradingError) as caught:
        save_answers(session, evaluation_id=view.evaluation_id, login="qa2",
                     changes=[AnswerChange(*ITEMS[0], Answer.PASS)])
    assert caught.value.key == "error.not_yours"


def test_submit_needs_every_item_and_amend_needs_a_reason(graded_db) -> None:
    database, ids = graded_db
    view = open_draft(database, ids)
    with database.session() as session:
        save_answers(session, evaluation_id=view.evaluation_id, login="qa",
                     changes=[AnswerChange(*k, Answer.PASS) for k in ITEMS[:-1]])
    with database.session() as session, pytest.raises(GradingError) as caught:
        submit(session, evaluation_id=view.evaluation_id, login="qa")
    assert caught.value.key == "error.incomplete" and caught.value.params["count"] == 1
    with database.session() as session:
        save_answers(session, evaluation_id=view.evaluation_id, login="qa",
                     changes=[AnswerChange(*ITEMS[-1], Answer.PASS)])
        result = submit(session, evaluation_id=view.evaluation_id, login="qa")
    assert result.total == 100
    with database.session() as session, pytest.raises(GradingError) as caught:
        save_answers(session, evaluation_id=view.evaluation_id, login="qa",
                     changes=[AnswerChange(*ITEMS[0], Answer.FAIL)])
    assert caught.value.key == "error.not_draft"
    with database.session() as session, pytest.raises(GradingError) as caught:
        amend(session, evaluation_id=view.evaluation_id, login="qa",
              changes=[AnswerChange(*ITEMS[0], Answer.FAIL)], reason="  ")
    assert caught.value.key == "error.reason_required"
    with database.session() as session:
        amended = amend(session, evaluation_id=view.evaluation_id, login="qa",
                        changes=[AnswerChange(*ITEMS[0], KEEP, "слышно плохо")],
                        reason="добавил комментарий")
    assert amended.total == 100
    with database.session() as session:
        entry = session.exec(select(AuditEntry).where(
            AuditEntry.action == "evaluation.amend")).one()
        assert entry.reason == "добавил комментарий" and "слышно плохо" in entry.new
        assert session.exec(select(Evaluation)).one().status == "submitted"


def test_a_submitted_grade_reaches_the_operator_day_rollup(graded_db) -> None:
    from datetime import date

    from scorecard.services.metrics import period_metrics

    database, ids = graded_db
    view = open_draft(database, ids)
    card = find_card(CARD)[0]
    critical = next(k for k in ITEMS if card.item(*k).critical)
    with database.session() as session:
        save_answers(session, evaluation_id=view.evaluation_id, login="qa",
                     changes=[AnswerChange(*k, Answer.PASS) for k in ITEMS])
        submit(session, evaluation_id=view.evaluation_id, login="qa")
    day = date(2026, 11, 20)
    with database.session() as session:
        [anna] = period_metrics(session, first=day, last=day)
    assert (anna.evaluations, anna.quality.mean, anna.critical_fails) == (1, 100.0, 0)
    with database.session() as session:
        amend(session, evaluation_id=view.evaluation_id, login="qa",
              changes=[AnswerChange(*critical, Answer.FAIL)], reason="не представился")
    with database.session() as session:
        [anna] = period_metrics(session, first=day, last=day)
    assert (anna.evaluations, anna.quality.mean, anna.critical_fails) == (1, 0.0, 1)


def test_an_expired_claim_hands_the_draft_to_the_next_listener(graded_db) -> None:
    from datetime import timedelta

    from scorecard.db.models import utcnow

    database, ids = graded_db
    shared = {"assignment1": ids["assignment3"]}  # the call in the shared queue
    earlier = utcnow() - timedelta(hours=2)  # qa grades a little, then leaves
    assert claim(database, "qa", ids["assignment3"], now=earlier)
    view = open_draft(database, shared, now=earlier)
    with database.session() as session:
        save_answers(session, evaluation_id=view.evaluation_id, login="qa", now=earlier,
                     changes=[AnswerChange(*ITEMS[0], Answer.PASS)])
    taken = claim(database, "qa2", ids["assignment3"])  # qa's claim has expired
    assert taken is not None
    resumed = open_draft(database, shared, login="qa2")
    assert resumed.evaluation_id == view.evaluation_id
    assert resumed.answers == {ITEMS[0]: Answer.PASS}
    with database.session() as session, pytest.raises(GradingError):
        save_answers(session, evaluation_id=view.evaluation_id, login="qa",
                     changes=[AnswerChange(*ITEMS[1], Answer.PASS)])


def _guessed_roles(database, margin: float) -> None:
    from scorecard.db.models import Transcript

    with database.session() as session:
        for transcript in session.exec(select(Transcript)).all():
            transcript.roles, transcript.roles_margin = "inferred", margin
            transcript.roles_evidence = "SPEAKER_00: spoke first"


def test_a_weak_guess_of_the_operator_suggests_no_pass(graded_db) -> None:
    from scorecard.db.models import EvaluationAnswer

    database, ids = graded_db
    _guessed_roles(database, 0.1)
    view = open_draft(database, ids)
    assert view.passes_withheld and view.roles == "inferred" and view.roles_margin == 0.1
    assert any(s.found for s in view.suggestions.values())
    assert all(s.withheld and not s.suggests_pass for s in view.suggestions.values())
    with database.session() as session:
        suggested = {a.suggested for a in session.exec(select(EvaluationAnswer).where(
            EvaluationAnswer.evaluation_id == view.evaluation_id)).all()}
    assert suggested == {None}  # neither a pass nor a fail stands on a weak guess


def test_a_guess_above_the_stated_margin_keeps_its_suggestions(graded_db) -> None:
    database, ids = graded_db
    _guessed_roles(database, 0.1)
    view = open_draft(database, ids, role_margin=0.05)
    assert not view.passes_withheld
    assert any(s.suggests_pass for s in view.suggestions.values())

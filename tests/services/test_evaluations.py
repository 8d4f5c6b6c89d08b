"""Reading one evaluation: access decided on the evaluation itself, masking by role, the
opening audited, the history in words. On both databases."""

from __future__ import annotations

import pytest
from sqlmodel import select

from scorecard.db.models import AuditEntry, Evaluation, Team, TranscriptSegment, User
from scorecard.errors import AccessDenied, ScorecardError
from scorecard.services.access import actor
from scorecard.services.disputes import open_dispute, resolve
from scorecard.services.evaluations import read_evaluation
from scorecard.services.grading import open_for_grading
from tests.factories import grade_two_calls_failing_price, zero_the_first_call

GREETING = ("contact", "greeting")


def _read(database, login: str, evaluation_id: int):
    with database.session() as session:
        return read_evaluation(session, evaluation_id=evaluation_id,
                               viewer=actor(session, login))


def _refused(database, login: str, evaluation_id: int) -> str:
    with pytest.raises(AccessDenied) as caught:
        _read(database, login, evaluation_id)
    return str(caught.value)


def test_who_may_read_an_evaluation(graded_db) -> None:
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        other = Team(name="Входящие")
        session.add(other)
        session.flush()
        session.add_all([
            User(login="trainer", display_name="T", role="trainer"),
            User(login="other_lead", display_name="O", role="lead", team_id=other.id),
            User(login="admin", display_name="A", role="admin"),
        ])
        graded = session.exec(select(Evaluation.id).order_by(Evaluation.id)).first()
        # A draft of call 3 by the second listener, not submitted yet.
        draft = open_for_grading(session, assignment_id=ids["assignment3"], login="qa2")
    assert graded is not None
    for login in ("qa", "anna", "lead", "trainer", "admin"):
        record = _read(database, login, graded)
        assert record.view.evaluation_id == graded and record.listener == "qa"
    assert "other_lead" in _refused(database, "other_lead", graded)
    assert "qa2" in _refused(database, "qa2", graded)  # another listener's grade
    assert _read(database, "qa2", draft.evaluation_id).view.status == "draft"
    for login in ("lead", "anna", "admin"):  # a draft is its listener's alone
        _refused(database, login, draft.evaluation_id)
    with pytest.raises(ScorecardError, match="no evaluation 999999|999999"):
        _read(database, "admin", 999_999)
    with database.session() as session:
        opened = session.exec(select(AuditEntry).where(AuditEntry.action == "call.open",
                                                       AuditEntry.new.contains("read_only"))
                              ).all()
    # Every reading that was allowed is on record, none that was refused.
    assert len(opened) == 6


def test_an_operator_reads_their_call_masked_and_sees_what_zeroed_it(graded_db) -> None:
    database, ids = graded_db
    with database.session() as session:
        segment = session.exec(select(TranscriptSegment).order_by(TranscriptSegment.id)).first()
        assert segment is not None
        segment.text = "Мой номер +7 916 123-45-67, перезвоните. " + segment.text
    grade_two_calls_failing_price(database, ids)
    evaluation_id = zero_the_first_call(database, ids)
    record = _read(database, "anna", evaluation_id)
    assert record.zeroed_by == (GREETING,)
    assert record.total == 0
    assert "123-45-67" not in record.view.turns[0].text
    assert "+7 9** ***-**-67" in record.view.turns[0].text
    assert "123-45-67" not in _read(database, "qa", evaluation_id).view.turns[0].text
    amended = record.history[-1]
    assert amended.action == "evaluation.amend" and amended.reason == "не представился"
    assert [(c.item, c.before, c.after) for c in amended.changes] == [
        ("Поздоровался, представился, назвал компанию", "pass", "fail")]
    assert amended.total is not None and amended.total[1] == 0


def test_disputes_show_in_the_history_and_on_their_item(graded_db) -> None:
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        evaluation = session.exec(select(Evaluation).where(
            Evaluation.call_id == ids["call2"])).one()
        assert evaluation.id is not None
        dispute = open_dispute(session, actor=actor(session, "anna"),
                               evaluation_id=evaluation.id, stage="price", item="price_named",
                               comment="клиент сам замолчал на 02:15")
        assert dispute.id is not None
        resolve(session, actor=actor(session, "lead"), dispute_id=dispute.id, accept=True,
                reason="цена названа")
    record = _read(database, "lead", evaluation.id)
    line = record.disputes[("price", "price_named")]
    assert (line.status, line.comment, line.resolution) == (
        "accepted", "клиент сам замолчал на 02:15", "цена названа")
    assert [e.action for e in record.history] == [
        "evaluation.submit", "dispute.open", "dispute.accept"]
    opened, accepted = record.history[1], record.history[2]
    assert opened.item is not None and opened.item != "price/price_named"  # the item's wording
    assert [(c.before, c.after) for c in accepted.changes] == [("fail", "pass")]

"""Disputes: an operator contests a failed item within the window; a lead accepts (the
grade changes, audited) or rejects with a reason; the operator sees the outcome."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from scorecard.db.models import AuditEntry, Evaluation, EvaluationAnswer, Team, User
from scorecard.services import disputes
from scorecard.services.access import AccessDenied, actor
from scorecard.services.metrics import period_metrics
from tests.factories import grade_two_calls_failing_price

DAY = date(2026, 11, 20)


@pytest.fixture
def graded(graded_db):
    database, ids = graded_db
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        other = Team(name="Продажи")
        session.add(other)
        session.flush()
        session.add(User(login="lead2", display_name="lead2", role="lead", team_id=other.id))
        newest = select(Evaluation).order_by(Evaluation.call_started_at.desc())
        evaluation = session.exec(newest).first()
        assert evaluation is not None and evaluation.submitted_at is not None
        return database, evaluation.id, evaluation.submitted_at


def as_(database, login):
    with database.session() as session:
        return actor(session, login)


def test_the_operator_disputes_and_the_lead_accepts(graded) -> None:
    database, evaluation_id, submitted = graded
    anna, lead = as_(database, "anna"), as_(database, "lead")
    with database.session() as session:
        [mine, _] = disputes.own_evaluations(session, viewer=anna, now=submitted)
        assert {i.answer for i in mine.items if i.stage == "price"} == {"fail"}
        assert mine.open_until == submitted + timedelta(days=7)
        before = period_metrics(session, first=DAY, last=DAY)[0].quality_sum
        price_item = next(i.item for i in mine.items if i.stage == "price")
        disputes.open_dispute(session, actor=anna, evaluation_id=evaluation_id, stage="price",
                              item=price_item, comment="Цену я назвала на 3:10",
                              now=submitted + timedelta(days=1))
    with database.session() as session:
        assert session.get(Evaluation, evaluation_id).status == "disputed"
        [open_one] = disputes.disputes_for(session, viewer=lead)
        assert (open_one.operator, open_one.item, open_one.answer, open_one.listener) == (
            "Иванова Анна", price_item, "fail", "qa")
        with pytest.raises(AccessDenied):
            disputes.disputes_for(session, viewer=anna)
        assert disputes.disputes_for(session, viewer=as_(database, "lead2")) == []
        with pytest.raises(AccessDenied, match="not Иванова Анна"):
            disputes.resolve(session, actor=as_(database, "lead2"),
                             dispute_id=open_one.dispute_id, accept=True, reason="да")
    with database.session() as session:
        disputes.resolve(session, actor=lead, dispute_id=open_one.dispute_id, accept=True,
                         reason="Цена названа, слушатель пропустил")
    with database.session() as session:
        evaluation = session.get(Evaluation, evaluation_id)
        assert evaluation.status == "submitted"
        answer = session.exec(select(EvaluationAnswer).where(
            EvaluationAnswer.evaluation_id == evaluation_id,
            EvaluationAnswer.item_key == price_item)).one()
        assert answer.answer == "pass"
        assert period_metrics(session, first=DAY, last=DAY)[0].quality_sum > before
        accepted = session.exec(select(AuditEntry).where(
            AuditEntry.action == "dispute.accept")).one()
        assert "слушатель пропустил" in (accepted.reason or "")
        assert accepted.actor_id == lead.user_id and '"fail"' in (accepted.old or "")
        [mine, _] = disputes.own_evaluations(session, viewer=anna, now=submitted)
        [seen] = mine.disputes
        assert (seen.dispute_status, seen.resolution) == (
            "accepted", "Цена названа, слушатель пропустил")


def test_a_rejected_dispute_keeps_the_grade_and_says_why(graded) -> None:
    database, evaluation_id, submitted = graded
    anna, lead = as_(database, "anna"), as_(database, "lead")
    with database.session() as session:
        [mine, _] = disputes.own_evaluations(session, viewer=anna, now=submitted)
        item = next(i.item for i in mine.items if i.stage == "price")
        dispute = disputes.open_dispute(session, actor=anna, evaluation_id=evaluation_id,
                                        stage="price", item=item, comment="Не согласна",
                                        now=submitted)
        dispute_id = dispute.id
    with database.session() as session:
        with pytest.raises(disputes.DisputeError, match="reason"):
            disputes.resolve(session, actor=lead, dispute_id=dispute_id, accept=False,
                             reason=" ")
        disputes.resolve(session, actor=lead, dispute_id=dispute_id, accept=False,
                         reason="Цена не прозвучала")
    with database.session() as session:
        assert session.get(Evaluation, evaluation_id).status == "submitted"
        [mine, _] = disputes.own_evaluations(session, viewer=anna, now=submitted)
        assert {i.answer for i in mine.items if i.stage == "price"} == {"fail"}
        assert mine.disputes[0].dispute_status == "rejected"
        assert session.exec(select(AuditEntry).where(
            AuditEntry.action == "dispute.reject")).one().reason == "Цена не прозвучала"
        with pytest.raises(disputes.DisputeError, match="already rejected"):
            disputes.resolve(session, actor=lead, dispute_id=dispute_id, accept=True,
                             reason="передумал")


def test_what_cannot_be_disputed(graded) -> None:
    database, evaluation_id, submitted = graded
    anna = as_(database, "anna")
    with database.session() as session:
        [mine, _] = disputes.own_evaluations(session, viewer=anna, now=submitted)
        failed = next(i.item for i in mine.items if i.answer == "fail")
        passed = next(i for i in mine.items if i.answer == "pass")

        def dispute(**change):
            args = {"actor": anna, "evaluation_id": evaluation_id, "stage": "price",
                    "item": failed, "comment": "Не согласна", "now": submitted, **change}
            return disputes.open_dispute(session, **args)

        with pytest.raises(disputes.DisputeError, match="window closed"):
            dispute(now=submitted + timedelta(days=7, seconds=1))
        assert len(disputes.own_evaluations(
            session, viewer=anna, now=submitted + timedelta(days=8))) == 2
        with pytest.raises(disputes.DisputeError, match="needs a comment"):
            dispute(comment="  ")
        with pytest.raises(disputes.DisputeError, match="only failed items"):
            dispute(stage=passed.stage, item=passed.item)
        with pytest.raises(disputes.DisputeError, match="has no item"):
            dispute(item="nope")
        with pytest.raises(AccessDenied, match="may not dispute"):
            dispute(actor=as_(database, "qa"))
        dispute()
        with pytest.raises(disputes.DisputeError, match="already disputed"):
            dispute()
        session.rollback()
    with database.session() as session:
        other = User(login="petrov", display_name="petrov", role="operator")
        from scorecard.db.models import Operator

        person = Operator(name="Петров Илья")
        session.add(person)
        session.flush()
        other.operator_id = person.id
        session.add(other)
    with database.session() as session, pytest.raises(AccessDenied, match="their own"):
        disputes.open_dispute(session, actor=as_(database, "petrov"),
                              evaluation_id=evaluation_id, stage="price", item=failed,
                              comment="чужая", now=submitted)

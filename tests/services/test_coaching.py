"""Coaching tasks from setting to closing: examples, notes, outcome, the grades behind the
follow-up, and each refusal. On both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from scorecard.db.models import AuditEntry, Evaluation, Operator, Team, User
from scorecard.errors import AccessDenied, ScorecardError
from scorecard.services.access import actor
from scorecard.services.coaching import (
    add_note,
    close_task,
    create_task,
    example_candidates,
    task_detail,
)
from tests.factories import grade_two_calls_failing_price

DAY = date(2026, 11, 20)
ANNA = "Иванова Анна"


def _coaching_centre(database, ids) -> list[int]:
    """Anna's two calls graded; a trainer, a lead of another team with an operator of its
    own. Anna's evaluation ids."""
    grade_two_calls_failing_price(database, ids)
    with database.session() as session:
        other = Team(name="Входящие")
        session.add(other)
        session.flush()
        session.add_all([User(login="trainer", display_name="T", role="trainer"),
                         User(login="other_lead", display_name="O", role="lead",
                              team_id=other.id),
                         Operator(name="Петров Илья", team_id=other.id, extension="301")])
        return list(session.exec(select(Evaluation.id).order_by(Evaluation.id)).all())


def test_a_task_from_setting_to_closing(graded_db) -> None:
    database, ids = graded_db
    evaluations = _coaching_centre(database, ids)
    with database.session() as session:
        trainer = actor(session, "trainer")
        offered = example_candidates(session, viewer=trainer, operator=ANNA, stage="price",
                                     first=DAY, last=DAY)
        assert {c.evaluation_id for c in offered} == set(evaluations)
        assert all(c.stage_score == 0 for c in offered)
        task = create_task(session, operator=ANNA, stage="price", goal="Называть цену",
                           due_on=date(2026, 12, 4), login="trainer", started_on=DAY,
                           examples=[evaluations[0]])
        assert task.id is not None
        add_note(session, task_id=task.id, text="Разобрали звонок вместе", login="trainer")
        detail = task_detail(session, viewer=trainer, task_id=task.id, today=DAY)
        assert [c.evaluation_id for c in detail.examples] == [evaluations[0]]
        assert len(detail.after) == 2 and detail.before == ()
        assert detail.follow_up.after == (2, 0.0)
        assert [(n.author, n.text) for n in detail.notes] == [
            ("trainer", "Разобрали звонок вместе")]
        with pytest.raises(ScorecardError, match="needs its outcome"):
            close_task(session, task_id=task.id, login="trainer", outcome="  ")
        close_task(session, task_id=task.id, login="trainer", outcome="Цену называет")
        with pytest.raises(ScorecardError, match="takes no more notes"):
            add_note(session, task_id=task.id, text="ещё", login="trainer")
        with pytest.raises(ScorecardError, match="already done"):
            close_task(session, task_id=task.id, login="trainer", outcome="ещё раз")
        closed = task_detail(session, viewer=trainer, task_id=task.id, today=DAY)
        assert closed.outcome == "Цену называет" and closed.follow_up.status == "done"
        actions = session.exec(select(AuditEntry.action).where(
            AuditEntry.entity == "coaching_task")).all()
        assert actions == ["coaching.create", "coaching.note", "coaching.close"]


def test_what_a_task_refuses(graded_db) -> None:
    database, ids = graded_db
    evaluations = _coaching_centre(database, ids)
    with database.session() as session:
        with pytest.raises(ScorecardError, match="not a graded call of Петров Илья"):
            create_task(session, operator="Петров Илья", stage="price", goal="x",
                        due_on=DAY, login="trainer", started_on=DAY, examples=evaluations[:1])
        with pytest.raises(ScorecardError, match="no evaluation 999999"):
            create_task(session, operator=ANNA, stage="price", goal="x", due_on=DAY,
                        login="trainer", started_on=DAY, examples=[999_999])
        with pytest.raises(ScorecardError, match="more than a year"):
            create_task(session, operator=ANNA, stage="price", goal="x",
                        due_on=date(2028, 1, 1), login="trainer", started_on=DAY)
        with pytest.raises(AccessDenied, match="may not set and close coaching tasks"):
            create_task(session, operator=ANNA, stage="price", goal="x", due_on=DAY,
                        login="qa", started_on=DAY)
        task = create_task(session, operator=ANNA, stage="price", goal="x", due_on=DAY,
                           login="trainer", started_on=DAY)
        assert task.id is not None
        other_lead = actor(session, "other_lead")
        with pytest.raises(AccessDenied, match="their team's operators"):
            task_detail(session, viewer=other_lead, task_id=task.id)
        with pytest.raises(AccessDenied, match="their team's operators"):
            add_note(session, task_id=task.id, text="чужая", login="other_lead")
        with pytest.raises(AccessDenied, match="their team's operators"):
            close_task(session, task_id=task.id, login="other_lead", outcome="чужая")

"""Calibration sessions: blind grading through the normal grading service, the report's
numbers checked by hand, and calibration grades kept out of every quality figure."""

from __future__ import annotations

from datetime import datetime, timedelta

import krippendorff
import pytest
from sqlmodel import select

from scorecard.db.models import (
    Assignment,
    AuditEntry,
    Call,
    Evaluation,
    Operator,
    OperatorDay,
    Team,
    User,
)
from scorecard.domain.agreement import ANSWER_CODES
from scorecard.domain.library import find_card
from scorecard.domain.sampling import SamplingRules
from scorecard.domain.scoring import Answer
from scorecard.errors import ScorecardError
from scorecard.services.access import AccessDenied, actor
from scorecard.services.calibration import (
    close_session,
    create_session,
    list_sessions,
    report,
)
from scorecard.services.grading import (
    AnswerChange,
    GradingError,
    amend,
    open_for_grading,
    save_answers,
)
from scorecard.services.quality import quality_breakdown
from scorecard.services.queue import claim, claim_next, list_queue
from scorecard.services.sampling import sample_day
from tests.factories import CARD, DAY, PAIN, SUMMARY, assignment_of, grade, seed

ITEMS = find_card(CARD)[0].item_keys()



@pytest.fixture
def centre(database):
    """The grading seed plus a lead, an admin, a third listener and a fourth call that has
    no ordinary assignment (so the sampler could still pick it)."""
    ids = seed(database)
    with database.session() as session:
        team = session.exec(select(Team)).one()
        for login, role in (("lead", "lead"), ("lead2", "lead"), ("boss", "admin"),
                            ("qa3", "qa")):
            session.add(User(login=login, display_name=login.upper(), role=role,
                             team_id=team.id if role == "lead" else None))
        operator = session.exec(select(Operator)).one()
        call = Call(external_id="17000004.1", operator_id=operator.id,
                    started_at=datetime(2026, 11, 20, 11, 0), talk_seconds=120,
                    ring_seconds=3, disposition="answered")
        session.add(call)
        session.flush()
        ids["call4"] = call.id or 0
    return database, ids


def new_session(database, calls=("17000001.1", "17000002.1"), listeners=("qa", "qa2", "qa3"),
                login: str = "lead", **options) -> int:
    with database.session() as session:
        created = create_session(session, login=login, title="Ноябрь, охрана",
                                 listeners=list(listeners), calls=list(calls) if calls else None,
                                 **options)
    return created.session_id


def grade_all(database, session_id: int) -> None:
    """The worked example: qa passes everything; qa2 fails PAIN on call 1; qa3 fails PAIN on
    call 1 and SUMMARY on call 2."""
    plan = {("qa", "17000001.1"): (), ("qa", "17000002.1"): (),
            ("qa2", "17000001.1"): (PAIN,), ("qa2", "17000002.1"): (),
            ("qa3", "17000001.1"): (PAIN,), ("qa3", "17000002.1"): (SUMMARY,)}
    for (login, call), fails in plan.items():
        grade(database, assignment_of(database, session_id, login, call), login, fails)


def test_a_session_gives_every_listener_every_call_with_the_team_card(centre) -> None:
    database, ids = centre
    session_id = new_session(database)
    with database.session() as session:
        rows = session.exec(select(Assignment).where(
            Assignment.calibration_session_id == session_id)).all()
        assert len(rows) == 6
        assert {(r.call_id, r.assignee_id) for r in rows} == {
            (c, u) for c in (ids["call1"], ids["call2"])
            for u in session.exec(select(User.id).where(
                User.login.in_(("qa", "qa2", "qa3")))).all()}
        assert {r.card_version_id for r in rows} == {ids["version"]}
        assert {r.status for r in rows} == {"new"}
        entry = session.exec(select(AuditEntry).where(
            AuditEntry.action == "calibration.create")).one()
        assert entry.entity_id == session_id and "17000002.1" in (entry.new or "")
        listed = list_sessions(session, viewer=actor(session, "lead"))
    assert [(s.session_id, s.calls, s.expected, s.graded, s.listeners) for s in listed] == [
        (session_id, 2, 6, 0, ("qa", "qa2", "qa3"))]


def test_a_random_draw_repeats_with_its_seed_and_keeps_to_the_day(centre) -> None:
    database, _ = centre
    drawn = []
    for _ in range(2):
        with database.session() as session:
            drawn.append(create_session(session, login="lead", title="random",
                                        listeners=["qa", "qa2"], day=DAY, count=3, seed=7,
                                        any_call=True))
    assert drawn[0].calls == drawn[1].calls and len(drawn[0].calls) == 3
    assert drawn[0].seed == 7 and drawn[0].assignments == 6
    # By default only calls with something to grade by: call 1 has the only transcript.
    with database.session() as session:
        heard = create_session(session, login="lead", title="heard", listeners=["qa", "qa2"],
                               day=DAY, count=3, seed=7)
    assert heard.calls == ("17000001.1",)
    with database.session() as session, pytest.raises(ScorecardError, match="no answered"):
        create_session(session, login="lead", title="empty day", listeners=["qa", "qa2"],
                       day=DAY + timedelta(days=1), count=3)


def test_who_may_create_and_whom_to_invite(centre) -> None:
    database, _ = centre
    with pytest.raises(AccessDenied, match="run calibration"):
        new_session(database, login="qa")
    with pytest.raises(ScorecardError, match="at least 2 listeners"):
        new_session(database, listeners=("qa", "qa"))
    with pytest.raises(ScorecardError, match="anna .operator. may not grade"):
        new_session(database, listeners=("qa", "anna"))
    with pytest.raises(ScorecardError, match="no call nope"):
        new_session(database, calls=("17000001.1", "nope"))
    with pytest.raises(ScorecardError, match="not both"):
        new_session(database, day=DAY, count=2)


def test_calibration_calls_reach_only_the_invited_listeners(centre) -> None:
    database, _ = centre
    session_id = new_session(database, calls=("17000004.1",), listeners=("qa2", "qa3"))
    with database.session() as session:
        mine = [e for e in list_queue(session, "qa2") if e.calibration is not None]
        assert [(e.external_id, e.calibration, e.mine) for e in mine] == [
            ("17000004.1", session_id, True)]
        assert not [e for e in list_queue(session, "qa") if e.calibration is not None]
    theirs = assignment_of(database, session_id, "qa2", "17000004.1")
    with database.session() as session, pytest.raises(GradingError) as refused:
        open_for_grading(session, assignment_id=theirs, login="qa")
    assert refused.value.key == "calibration.not_invited"
    assert claim(database, "qa", theirs) is None
    # qa's own and shared ordinary calls come out of claim_next, never someone's calibration.
    taken = []
    while (entry := claim_next(database, "qa")) is not None:
        taken.append(entry.calibration)
    assert taken == [None, None, None]
    entry = claim_next(database, "qa3")
    assert entry is not None and entry.calibration == session_id


def test_an_expired_claim_leaves_a_calibration_call_with_its_listener(centre) -> None:
    database, _ = centre
    session_id = new_session(database, calls=("17000004.1",), listeners=("qa2", "qa3"))
    start = datetime(2026, 11, 21, 9, 0)
    entry = claim_next(database, "qa2", now=start)
    assert entry is not None and entry.calibration == session_id
    # Much later qa asks for work: the expired claim goes back to qa2, never to the pool.
    while claim_next(database, "qa", now=start + timedelta(hours=2)) is not None:
        pass
    with database.session() as session:
        row = session.get(Assignment, entry.assignment_id)
        owner = session.exec(select(User.login).where(User.id == row.assignee_id)).one()
    assert (row.status, owner) == ("new", "qa2")


def test_the_report_by_hand(centre) -> None:
    database, _ = centre
    session_id = new_session(database)
    grade_all(database, session_id)
    with database.session() as session:
        found = report(session, viewer=actor(session, "lead"), session_id=session_id)
    assert (found.session.graded, found.session.expected) == (6, 6)

    # 16 items × 2 calls, each answered by all three: two disagreements.
    assert len(found.units) == 32 and found.agreement.units == 32
    assert [(u.call, u.stage, u.item, u.answers, u.majority) for u in found.disagreements] == [
        ("17000001.1", *PAIN, {"qa": "pass", "qa2": "fail", "qa3": "fail"}, "fail"),
        ("17000002.1", *SUMMARY, {"qa": "pass", "qa2": "pass", "qa3": "fail"}, "pass"),
    ]
    assert all(u.agreement == pytest.approx(2 / 3) for u in found.disagreements)
    assert found.agreement.observed == pytest.approx(30 / 32)
    pain = next(i for i in found.items if (i.stage, i.item) == PAIN)
    assert (pain.units, pain.disagreements) == (2, 1)
    assert pain.agreement == pytest.approx((2 / 3 + 1) / 2)

    # Totals: a failed 30 % item of a 20 % stage costs 6 points: 100 or 94.
    # Call 1: 100, 94, 94 (mean 96); call 2: 100, 100, 94 (mean 98).
    totals = {c.call: c.totals for c in found.calls}
    assert totals == {"17000001.1": {"qa": 100, "qa2": 94, "qa3": 94},
                      "17000002.1": {"qa": 100, "qa2": 100, "qa3": 94}}
    assert [c.spread for c in found.calls] == [6, 6]
    by = {d.login: d for d in found.listeners}
    # qa: call 1 others agree on fail (differs), call 2 others split (not compared).
    assert (by["qa"].compared, by["qa"].differs) == (31, 1)
    assert (by["qa2"].compared, by["qa2"].differs) == (30, 0)
    assert (by["qa3"].compared, by["qa3"].differs) == (31, 1)
    assert by["qa"].total_bias == pytest.approx((4 + 2) / 2)
    assert by["qa"].total_distance == pytest.approx(3.0)
    assert by["qa2"].total_bias == pytest.approx((-2 + 2) / 2)
    assert by["qa2"].total_distance == pytest.approx(2.0)
    assert by["qa3"].total_bias == pytest.approx((-2 - 4) / 2)

    # Alpha by hand from the coincidence matrix: o(pass,pass) 91, o(fail,fail) 1,
    # o(pass,fail) = o(fail,pass) 2; n_pass 93, n_fail 3, n 96:
    # alpha = 1 - (n - 1) · 4 / (2 · 93 · 3) = 1 - 380/558 = 89/279.
    assert found.agreement.alpha == pytest.approx(89 / 279)
    assert found.agreement.reading == "poor"
    matrix = [[ANSWER_CODES[u.answers[login]] for u in found.units]
              for login in ("qa", "qa2", "qa3")]
    assert found.agreement.alpha == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    assert found.stages["contact"].reading == "no_variation"
    payload = found.to_json()
    assert payload["statistic"] == "krippendorff_alpha_nominal"
    assert payload["agreement"]["alpha"] == pytest.approx(89 / 279, abs=1e-4)


def test_perfect_agreement_reads_good(centre) -> None:
    database, _ = centre
    session_id = new_session(database, listeners=("qa", "qa2"))
    for login in ("qa", "qa2"):
        for call in ("17000001.1", "17000002.1"):
            grade(database, assignment_of(database, session_id, login, call), login,
                  fails=(PAIN,), nas=(("objections", "handled"),))
    with database.session() as session:
        found = report(session, viewer=actor(session, "lead"), session_id=session_id)
    assert found.agreement.alpha == pytest.approx(1.0)
    assert (found.agreement.reading, found.agreement.observed) == ("good", 1.0)
    assert not found.disagreements
    assert all(d.differs == 0 and d.total_distance == 0 for d in found.listeners)


def test_na_is_a_category_of_its_own(centre) -> None:
    database, _ = centre
    session_id = new_session(database, calls=("17000001.1",), listeners=("qa", "qa2"))
    handled = ("objections", "handled")
    grade(database, assignment_of(database, session_id, "qa", "17000001.1"), "qa",
          nas=(handled,))
    grade(database, assignment_of(database, session_id, "qa2", "17000001.1"), "qa2",
          fails=(handled,))
    with database.session() as session:
        found = report(session, viewer=actor(session, "lead"), session_id=session_id)
    assert [(u.stage, u.item, u.answers) for u in found.disagreements] == [
        (*handled, {"qa": "na", "qa2": "fail"})]


def test_calibration_grades_never_count_toward_quality(centre) -> None:
    database, ids = centre
    with database.session() as session:
        lead = actor(session, "lead")

    def quality():
        with database.session() as session:
            rows = quality_breakdown(session, viewer=lead, first=DAY, last=DAY)
            day = session.exec(select(OperatorDay).where(OperatorDay.day == DAY)).all()
            return ([(r.operator, r.total.evaluations, r.total.mean, r.stages, r.items)
                     for r in rows],
                    [(d.evaluations, d.quality_sum, d.critical_fails) for d in day])

    before = quality()
    session_id = new_session(database, calls=("17000001.1", "17000004.1"))
    for login in ("qa", "qa2", "qa3"):
        for call in ("17000001.1", "17000004.1"):
            grade(database, assignment_of(database, session_id, login, call), login,
                  fails=(PAIN, ("contact", "greeting")))
    assert quality() == before
    with database.session() as session:
        flags = session.exec(select(Evaluation.is_calibration)).all()
        assert flags == [True] * 6
        # The sampler still sees the calibrated call 4 as ungraded (1 to 3 are queued).
        picked = sample_day(session, DAY, SamplingRules(), seed=1, dry_run=True)
    assert picked.picked == 1
    # An ordinary grade does count, so the comparison above is not empty-handed.
    grade(database, ids["assignment1"], "qa")
    after = quality()
    assert after != before and after[1][0][0] == 1


def test_closing_cancels_the_rest_and_freezes_the_grades(centre) -> None:
    database, _ = centre
    session_id = new_session(database, listeners=("qa", "qa2"))
    done = assignment_of(database, session_id, "qa", "17000001.1")
    grade(database, done, "qa")
    with database.session() as session:
        evaluation_id = session.exec(select(Evaluation.id).where(
            Evaluation.assignment_id == done)).one()
    left = assignment_of(database, session_id, "qa2", "17000001.1")
    with database.session() as session:
        view = open_for_grading(session, assignment_id=left, login="qa2")  # a draft, left
    with database.session() as session, pytest.raises(AccessDenied, match="they created"):
        close_session(session, login="lead2", session_id=session_id)
    with database.session() as session:
        closed = close_session(session, login="lead", session_id=session_id)
    assert (closed.graded, closed.expected, closed.is_open) == (1, 4, False)
    with database.session() as session:
        statuses = sorted(session.exec(select(Assignment.status).where(
            Assignment.calibration_session_id == session_id)).all())
        assert statuses == ["cancelled", "cancelled", "cancelled", "done"]
        assert session.exec(select(AuditEntry).where(
            AuditEntry.action == "calibration.close")).one().entity_id == session_id
        assert not [e for e in list_queue(session, "qa2") if e.calibration is not None]
        assert list_sessions(session, viewer=actor(session, "lead"), include_closed=False) == []
    with database.session() as session, pytest.raises(GradingError) as refused:
        save_answers(session, evaluation_id=view.evaluation_id, login="qa2",
                     changes=[AnswerChange(*ITEMS[0], Answer.PASS)])
    assert refused.value.key == "calibration.closed"
    with database.session() as session, pytest.raises(GradingError) as refused:
        amend(session, evaluation_id=evaluation_id, login="qa", reason="передумал",
              changes=[AnswerChange(*PAIN, Answer.FAIL)])
    assert refused.value.key == "calibration.closed"
    with database.session() as session:  # the listener may still look at what they gave
        assert open_for_grading(session, assignment_id=done, login="qa").status == "submitted"
    with database.session() as session, pytest.raises(GradingError) as refused:
        open_for_grading(session, assignment_id=assignment_of(
            database, session_id, "qa", "17000002.1"), login="qa")
    assert refused.value.key == "calibration.closed"
    with database.session() as session, pytest.raises(ScorecardError, match="closed already"):
        close_session(session, login="boss", session_id=session_id)


def test_a_lead_who_listens_sees_no_report_before_their_own_grades(centre) -> None:
    database, _ = centre
    session_id = new_session(database, calls=("17000001.1",), listeners=("lead", "qa2"))
    grade(database, assignment_of(database, session_id, "qa2", "17000001.1"), "qa2")
    with database.session() as session, pytest.raises(AccessDenied, match="calls left"):
        report(session, viewer=actor(session, "lead"), session_id=session_id)
    with database.session() as session:  # another lead may read it
        boss = actor(session, "boss")
        assert report(session, viewer=boss, session_id=session_id).session.graded == 1
    grade(database, assignment_of(database, session_id, "lead", "17000001.1"), "lead",
          fails=(PAIN,))
    with database.session() as session:
        found = report(session, viewer=actor(session, "lead"), session_id=session_id)
    assert len(found.disagreements) == 1
    with database.session() as session, pytest.raises(AccessDenied):
        report(session, viewer=actor(session, "qa2"), session_id=session_id)


def test_a_session_in_progress_reports_what_is_in(centre) -> None:
    database, _ = centre
    session_id = new_session(database)
    with database.session() as session:
        empty = report(session, viewer=actor(session, "lead"), session_id=session_id)
    assert (empty.agreement.alpha, empty.agreement.reading) == (None, "no_data")
    grade(database, assignment_of(database, session_id, "qa", "17000001.1"), "qa")
    grade(database, assignment_of(database, session_id, "qa2", "17000001.1"), "qa2",
          fails=(PAIN,))
    with database.session() as session:
        found = report(session, viewer=actor(session, "lead"), session_id=session_id)
    assert found.agreement.units == 16  # call 2 has no grades yet; qa3 none at all
    assert {d.login: d.graded for d in found.listeners} == {"qa": 1, "qa2": 1, "qa3": 0}
    assert found.calls[1].totals == {} and found.calls[1].spread is None
    assert found.units[0].answers["qa3"] is None


def test_a_team_lead_reads_only_sessions_on_their_teams_calls(centre) -> None:
    database, _ = centre
    session_id = new_session(database, listeners=("qa", "qa2"))  # lead's, on their team
    with database.session() as session:
        other = Team(name="Продажи")
        session.add(other)
        session.flush()
        session.add(User(login="lead3", display_name="LEAD3", role="lead", team_id=other.id))
    with database.session() as session:
        lead2, lead3, boss = (actor(session, login) for login in ("lead2", "lead3", "boss"))
        # A lead of the same team and an admin see it; a lead of another team does not.
        for viewer in (lead2, boss):
            assert [s.session_id for s in list_sessions(session, viewer=viewer)] == [session_id]
            assert report(session, viewer=viewer, session_id=session_id).session.calls == 2
        assert list_sessions(session, viewer=lead3) == []
        with pytest.raises(AccessDenied, match="only their team's calibration sessions"):
            report(session, viewer=lead3, session_id=session_id)

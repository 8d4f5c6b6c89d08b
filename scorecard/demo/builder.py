"""Building the demo database: a month of a believable call centre, from one seed.

Everything random flows from one ``random.Random(seed)`` and every timestamp from the
chosen last working day, so the same seed and end date give the same database, row for
row; today's calls so far (a demo built without an end date) come from a stream of their
own, so they never change the days before. Rows are generated in Python (a few hundred
thousand at most) and written with bulk inserts in one transaction.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, SQLModel, select

from scorecard.db.bulk import bulk_insert
from scorecard.db.engine import Database
from scorecard.db.models import (
    Assignment,
    Call,
    CoachingTask,
    Evaluation,
    EvaluationAnswer,
    EvaluationStage,
    Norm,
    Operator,
    OutcomeEvent,
    QualityCardRecord,
    Sample,
    Team,
    Transcript,
    TranscriptSegment,
    User,
)
from scorecard.demo.people import CLIENT_NAMES, STAFF, TEAMS, OperatorPlan, plan_operators
from scorecard.demo.transcripts import synthesize_call
from scorecard.domain.cards import QualityCard, load_card
from scorecard.domain.library import card_files, shipped_library
from scorecard.domain.scoring import Answer, score
from scorecard.errors import ScorecardError
from scorecard.services.audit import append_rows
from scorecard.services.cards import import_card, latest_version
from scorecard.services.detection import detect_stored
from scorecard.services.kpi_terms import import_terms
from scorecard.services.metrics import rebuild

WORKING_DAYS = 30
GRADED_DAYS = 10
SAMPLED_PER_OPERATOR_DAY = 2
SHIFT_START, SHIFT_END = time(9, 0), time(18, 0)
DEFAULT_NORMS = {"calls": 120, "long_calls": 3, "presentations": 10, "invoices": 3, "payments": 1}


@dataclass
class DemoSummary:
    first_day: date
    last_day: date
    queue_for_qa: int = 0
    logins: dict[str, str] = field(default_factory=dict)
    """An operator's login per team, to try the operator's screen with."""
    today_until: datetime | None = None
    """The calls of today run up to this moment (None: no partial day)."""


def last_working_day_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def working_days(last: date, count: int) -> list[date]:
    days: list[date] = []
    day = last
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


def build_demo(
    database: Database, *, seed: int, last_day: date, days: int = WORKING_DAYS,
    until: datetime | None = None, progress: Callable[[str], None] = lambda step: None,
) -> DemoSummary:
    """Fill an empty, current-schema database with the demo call centre (``days`` working
    days of it; at least the graded ones). ``until``: also the calls of its day up to that
    moment, when it is a working day after ``last_day`` (the demo built today shows today's
    slices as they stand); the earlier days do not depend on it. ``progress`` hears each
    step as it starts."""
    builder = _Builder(random.Random(seed), seed,
                       working_days(last_day, max(days, GRADED_DAYS)))
    if until is not None and until.date() > last_day and until.weekday() < 5 \
            and until.time() > SHIFT_START:
        builder.summary.today_until = until
    with database.session() as session:
        if session.execute(text('SELECT count(*) FROM "call"')).scalar():
            raise ScorecardError(
                f"the {database.describe()} already holds calls; the demo needs an empty "
                "database: use another --db, or --replace to wipe this one"
            )
        builder.build(session, progress)
        if database.dialect == "postgresql":
            _advance_sequences(session, builder.explicit_id_tables)
        progress("KPI terms for every team")
        import_terms(session, DEMO_TERMS, valid_from=builder.days[0].replace(day=1),
                     login="admin", source="the demo's terms", now=builder.now)
    # Auto-QA over every demo transcript, and what it suggested next to each graded item.
    progress("auto-QA over the transcripts")
    detect_stored(database)
    progress("daily rollups")
    with database.session() as session:
        session.execute(text(_SUGGESTIONS_FROM_DETECTIONS))
        rebuild(session, first=builder.days[0],
                last=builder.until.date() if builder.until else builder.days[-1])
    return builder.summary


_PLAN = {"effective_calls": 800, "deals": 12, "meetings_set": 60, "invoices": 70,
         "payments": 45}
DEMO_TERMS = {
    "default": {"plan": _PLAN, "fixed": 35000, "bonus_target": 35000},
    "teams": {
        "Холодные продажи": {"scheme": "security-50-50", "fixed": 35000, "bonus_target": 35000,
                             "plan": {**_PLAN, "effective_calls": 750, "deals": 16,
                                      "meetings_set": 65}},
        "Телемаркетинг": {"scheme": "invoices-payments", "fixed": 32000, "bonus_target": 30000,
                          "plan": {**_PLAN, "effective_calls": 900, "invoices": 80,
                                   "payments": 48}},
        "Входящие и реактивация": {"scheme": "invoices-payments", "fixed": 30000,
                                   "bonus_target": 30000,
                                   "plan": {**_PLAN, "effective_calls": 1200, "invoices": 70,
                                            "payments": 44}},
    },
}
"""Monthly plans near what the demo's operators reach, and the scheme that pays each team:
every shipped scheme pays something on the demo."""

_DETECTION_FOR_ANSWER = """
    FROM detection d
    JOIN transcript t ON t.id = d.transcript_id
    JOIN evaluation e ON e.call_id = t.call_id
    WHERE e.id = evaluation_answer.evaluation_id
      AND d.stage_key = evaluation_answer.stage_key
      AND d.item_key = evaluation_answer.item_key"""
_SUGGESTIONS_FROM_DETECTIONS = f"""
UPDATE evaluation_answer SET
  suggested = (SELECT CASE WHEN d.found THEN 'pass' ELSE 'fail' END {_DETECTION_FOR_ANSWER}),
  suggestion_score = (SELECT d.score {_DETECTION_FOR_ANSWER})"""


class _Builder:
    def __init__(self, rng: random.Random, seed: int, days: list[date]) -> None:
        self.rng = rng
        self.seed = seed
        self.days = days
        self.now = datetime.combine(days[-1], time(20, 0))
        self.summary = DemoSummary(days[0], days[-1])
        self.explicit_id_tables: list[type[SQLModel]] = []

    @property
    def until(self) -> datetime | None:
        """The moment today's calls run up to (None: whole days only)."""
        return self.summary.today_until

    # -- orchestration ------------------------------------------------------------------

    def build(self, session: Session, progress: Callable[[str], None]) -> None:
        progress("cards, teams, operators and users")
        cards = self._import_cards(session)
        operators = plan_operators(self.rng)
        team_ids = self._teams(session)
        operator_ids = self._operators(session, operators, team_ids)
        user_ids = self._users(session, operators, operator_ids)
        self.summary.logins = {op.team.name: op.login for op in reversed(operators)}
        self._norms(session, team_ids)
        progress(f"calls of {len(self.days)} working days")
        calls = self._calls(session, operators, operator_ids)
        self._outcomes(session, calls, operators, operator_ids, rng=self.rng,
                       end=datetime.combine(self.days[-1], SHIFT_END), prefix="demo-o")
        progress("transcripts and grades")
        self._grading(session, calls, operators, operator_ids, cards, user_ids)
        self._coaching(session, operators, operator_ids, cards, user_ids)
        if self.until is not None:
            progress(f"today's calls until {self.until:%H:%M}")
            self._today(session, operators, operator_ids, len(calls))

    def _today(self, session: Session, operators: list[OperatorPlan],
               operator_ids: dict[str, int], first_id: int) -> None:
        """Today's calls and their outcomes up to ``until``, from their own random stream:
        the days before come out the same whatever the hour."""
        assert self.until is not None
        rng = random.Random(f"{self.seed}:{self.until:%Y-%m-%d}:today")
        rows: list[dict[str, Any]] = []
        for op in operators:
            rows.extend(self._day_of_calls(self.until.date(), op, operator_ids[op.login],
                                           first_id + len(rows), rng=rng, until=self.until))
        self._bulk(session, Call, rows)
        self._outcomes(session, rows, operators, operator_ids, rng=rng, end=self.until,
                       prefix="demo-t")

    def _bulk(
        self, session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]]
    ) -> None:
        bulk_insert(session, model, rows)
        if rows and "id" in rows[0] and model not in self.explicit_id_tables:
            self.explicit_id_tables.append(model)

    # -- reference data -------------------------------------------------------------------

    def _import_cards(self, session: Session) -> dict[str, tuple[int, QualityCard]]:
        for path in card_files([shipped_library()]):
            import_card(session, load_card(path), source=Path("scripts_library", path.name),
                        now=self.now)
        slugs = {team.card_id for team in TEAMS}
        return {slug: latest_version(session, slug) for slug in slugs}

    def _teams(self, session: Session) -> dict[str, int]:
        card_ids = _card_ids(session)
        ids = {team.name: number for number, team in enumerate(TEAMS, start=1)}
        self._bulk(session, Team, [
            {"id": ids[team.name], "name": team.name, "card_id": card_ids[team.card_id],
             "shift_start": SHIFT_START, "shift_end": SHIFT_END,
             "created_at": self.now - timedelta(days=90)}
            for team in TEAMS
        ])
        return ids

    def _operators(
        self, session: Session, operators: list[OperatorPlan], team_ids: dict[str, int]
    ) -> dict[str, int]:
        rows = [
            {"id": n, "name": op.name, "team_id": team_ids[op.team.name], "extension": op.extension,
             "agent_id": f"agent-{op.extension}", "pbx_login": op.extension, "active": True,
             "hired_on": self.days[0] - timedelta(days=self.rng.randint(20, 700)),
             "created_at": self.now - timedelta(days=60)}
            for n, op in enumerate(operators, start=1)
        ]
        self._bulk(session, Operator, rows)
        return {op.login: n for n, op in enumerate(operators, start=1)}

    def _users(
        self, session: Session, operators: list[OperatorPlan], operator_ids: dict[str, int]
    ) -> dict[str, int]:
        rows = [
            {"id": n, "login": login, "display_name": name, "role": role,
             "operator_id": None, "team_id": None, "active": True, "created_at": self.now}
            for n, (login, name, role) in enumerate(STAFF, start=1)
        ]
        for op in operators:
            rows.append({"id": len(rows) + 1, "login": op.login, "display_name": op.name,
                         "role": "operator", "operator_id": operator_ids[op.login],
                         "team_id": None, "active": True, "created_at": self.now})
        self._bulk(session, User, rows)
        return {row["login"]: row["id"] for row in rows}

    def _norms(self, session: Session, team_ids: dict[str, int]) -> None:
        rows = [{"team_id": None, "metric": metric, "per_shift": float(value),
                 "valid_from": self.days[0]} for metric, value in DEFAULT_NORMS.items()]
        rows.append({"team_id": team_ids["Холодные продажи"], "metric": "meetings_set",
                     "per_shift": 2.0, "valid_from": self.days[0]})
        self._bulk(session, Norm, rows)

    # -- calls ------------------------------------------------------------------------------

    def _calls(
        self, session: Session, operators: list[OperatorPlan], operator_ids: dict[str, int]
    ) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for day in self.days:
            for op in operators:
                rows.extend(self._day_of_calls(day, op, operator_ids[op.login], len(rows),
                                               rng=self.rng))
        self._bulk(session, Call, rows)
        return rows

    def _day_of_calls(
        self, day: date, op: OperatorPlan, operator_id: int, first_id: int, *,
        rng: random.Random, until: datetime | None = None,
    ) -> Iterator[dict[str, Any]]:
        clock = datetime.combine(day, SHIFT_START) + timedelta(seconds=rng.randint(0, 900))
        shift_end = min(datetime.combine(day, SHIFT_END), until or datetime.max)
        lunch = datetime.combine(day, time(13, 0))
        dials = max(20, int(rng.gauss(op.dials_per_day, op.dials_per_day * 0.12)))
        for n in range(dials):
            if clock >= shift_end:
                break
            if lunch <= clock < lunch + timedelta(hours=1) and rng.random() < 0.9:
                clock = lunch + timedelta(hours=1, seconds=rng.randint(0, 600))
            inbound = rng.random() < op.team.inbound_share
            answered = rng.random() < (0.8 if inbound else op.answer_rate)
            ring = rng.randint(2, 8) if op.dial_and_drop and not answered else rng.randint(4, 35)
            talk = self._talk_seconds(op, rng) if answered else 0
            if until is not None:  # a call still going on is not in the records yet
                if clock + timedelta(seconds=ring + talk) > until:
                    break
            disposition = "answered" if answered else rng.choices(
                ("no_answer", "busy", "failed", "congestion"), (70, 22, 5, 3))[0]
            yield {
                "id": first_id + n + 1,
                "external_id": f"demo-{day:%Y%m%d}-{op.extension}-{n + 1:04d}",
                "operator_id": operator_id,
                "started_at": clock,
                "answered_at": clock + timedelta(seconds=ring) if answered else None,
                "ring_seconds": ring,
                "talk_seconds": talk,
                "direction": "inbound" if inbound else "outbound",
                "disposition": disposition,
                "client_number": f"+7 9{rng.randint(0, 99):02d} {rng.randint(100, 999)}-"
                                 f"{rng.randint(10, 99)}-{rng.randint(10, 99)}",
                "recording_path": f"recordings/{day:%Y/%m/%d}/{op.extension}-{n + 1:04d}.wav"
                if answered else None,
                "source": "demo",
            }
            wrap_up = rng.randint(5, 25) if op.dial_and_drop else rng.randint(15, 75)
            clock += timedelta(seconds=ring + talk + wrap_up)

    def _talk_seconds(self, op: OperatorPlan, rng: random.Random) -> int:
        short = 0.8 if op.dial_and_drop else 0.38
        weights = (short, 0.3, 0.24, 0.06 * op.long_call_bias)
        bucket = rng.choices(range(4), weights)[0]
        low, high = ((3, 39), (40, 179), (180, 599), (600, 1500))[bucket]
        return int(low + (high - low) * rng.random() ** 1.6)

    # -- outcomes ----------------------------------------------------------------------------

    def _outcomes(
        self,
        session: Session,
        calls: list[dict[str, Any]],
        operators: list[OperatorPlan],
        operator_ids: dict[str, int],
        *,
        rng: random.Random,
        end: datetime,
        prefix: str,
    ) -> None:
        """Outcomes of ``calls`` that happened by ``end``."""
        by_id = {operator_ids[op.login]: op for op in operators}
        rows: list[dict[str, Any]] = []

        def event(call: dict[str, Any], kind: str, at: datetime, **extra: Any) -> None:
            if at > end:
                return
            rows.append({"external_id": f"{prefix}-{len(rows) + 1:06d}", "call_id": call["id"],
                         "operator_id": call["operator_id"], "occurred_at": at, "kind": kind,
                         "amount_kopecks": extra.get("amount"),
                         "client_kind": extra.get("client_kind"),
                         "client_ref": call["client_number"], "source": "demo"})

        for call in calls:
            op = by_id[call["operator_id"]]
            skill = op.stage_skill
            talk = call["talk_seconds"]
            ended = call["started_at"] + timedelta(seconds=call["ring_seconds"] + talk)
            later = ended + timedelta(days=rng.randint(1, 6), hours=rng.randint(-3, 3))
            inbound = call["direction"] == "inbound"
            if inbound:
                event(call, "request_assigned", call["started_at"], client_kind="new")
                if talk >= 30 and rng.random() < 0.92:
                    event(call, "request_processed", ended, client_kind="new")
            if talk < 120 or rng.random() > min(0.9, 0.25 + talk / 900) * skill["presentation"]:
                continue
            event(call, "presentation", ended)
            if op.team.card_id == "security-cold-call":
                if rng.random() < 0.32 * skill["close"] + 0.05:
                    event(call, "meeting_set", ended, client_kind="new")
                    if rng.random() < 0.3 + 0.45 * skill["objections"]:
                        event(call, "meeting_held", later, client_kind="new")
                        if rng.random() < 0.4:
                            event(call, "deal", later + timedelta(days=rng.randint(1, 5)),
                                  amount=rng.randint(45, 150) * 10_000, client_kind="new")
                continue
            if rng.random() < 0.35 * skill["price"] + 0.08:
                client_kind = "existing" if op.team.inbound_share and not inbound else "new"
                event(call, "invoice", ended, client_kind=client_kind)
                if rng.random() < 0.62:
                    event(call, "payment", later, amount=rng.randint(120, 1200) * 10_000,
                          client_kind=client_kind)
        self._bulk(session, OutcomeEvent, rows)

    # -- sampling, transcripts, evaluations ------------------------------------------------------

    def _grading(
        self,
        session: Session,
        calls: list[dict[str, Any]],
        operators: list[OperatorPlan],
        operator_ids: dict[str, int],
        cards: dict[str, tuple[int, QualityCard]],
        user_ids: dict[str, int],
    ) -> None:
        rng = self.rng
        by_id = {operator_ids[op.login]: op for op in operators}
        graded_days = self.days[-GRADED_DAYS:]
        candidates: dict[tuple[date, int], list[dict[str, Any]]] = {}
        for call in calls:
            day = call["started_at"].date()
            if day >= graded_days[0] and call["talk_seconds"] >= 15:
                candidates.setdefault((day, call["operator_id"]), []).append(call)

        samples, assignments, transcripts, segments = [], [], [], []
        evaluations, answers, stages, audit = [], [], [], []
        queue_users = ["qa"] * 2 + ["qa2", None]
        for day_index, day in enumerate(graded_days):
            is_today = day == graded_days[-1]
            sample_id = len(samples) + 1
            samples.append({"id": sample_id, "day": day, "team_id": None, "seed": self.seed,
                            "rules": json.dumps({"per_operator": SAMPLED_PER_OPERATOR_DAY}),
                            "created_at": datetime.combine(day, time(19, 0)),
                            "created_by_id": user_ids["lead"]})
            for operator_id, op in by_id.items():
                pool = candidates.get((day, operator_id), [])
                for call in _stratified(rng, pool, SAMPLED_PER_OPERATOR_DAY):
                    version_id, card = cards[op.team.card_id]
                    said = self._said(card, op, call["talk_seconds"])
                    transcript_id = len(transcripts) + 1
                    turns = synthesize_call(
                        card, said, rng, operator_name=op.first_name, company=op.team.company,
                        client_name=rng.choice(CLIENT_NAMES), talk_seconds=call["talk_seconds"])
                    transcripts.append({
                        "id": transcript_id, "call_id": call["id"], "format": "demo",
                        "source_path": None, "language": card.language, "operator_label": None,
                        "operator_inferred": False,
                        "word_count": sum(len(t.text.split()) for t in turns),
                        "imported_at": self.now})
                    segments.extend(
                        {"transcript_id": transcript_id, "position": i, "speaker": t.speaker,
                         "speaker_label": "Оператор" if t.speaker == "operator" else "Клиент",
                         "start_seconds": t.start, "end_seconds": t.end, "text": t.text}
                        for i, t in enumerate(turns))
                    assignment_id = len(assignments) + 1
                    if is_today:
                        assignee = queue_users[assignment_id % len(queue_users)]
                        assignments.append({
                            "id": assignment_id, "call_id": call["id"],
                            "card_version_id": version_id, "sample_id": sample_id,
                            "assignee_id": user_ids[assignee] if assignee else None,
                            "status": "new", "created_at": datetime.combine(day, time(19, 0))})
                        continue
                    evaluator = "qa" if (day_index + operator_id) % 2 else "qa2"
                    evaluation_id = len(evaluations) + 1
                    submitted = datetime.combine(
                        day + timedelta(days=1), time(10, 0)) + timedelta(
                        minutes=rng.randint(0, 420))
                    assignments.append({
                        "id": assignment_id, "call_id": call["id"],
                        "card_version_id": version_id, "sample_id": sample_id,
                        "assignee_id": user_ids[evaluator], "status": "done",
                        "claimed_at": submitted - timedelta(minutes=15),
                        "created_at": datetime.combine(day, time(19, 0))})
                    given = self._listener_answers(card, said)
                    result = score(card, given)
                    spent = rng.randint(240, 900)
                    evaluations.append({
                        "id": evaluation_id, "call_id": call["id"], "operator_id": operator_id,
                        "call_started_at": call["started_at"],
                        "card_version_id": version_id, "evaluator_id": user_ids[evaluator],
                        "assignment_id": assignment_id, "status": "submitted",
                        "is_calibration": False,
                        "started_at": submitted - timedelta(seconds=spent),
                        "updated_at": submitted, "submitted_at": submitted,
                        "seconds_spent": spent,
                        "total_score": None if result.total is None else round(result.total, 2),
                        "critical_fail": result.critical_fail, "comment": None})
                    answers.extend(
                        {"evaluation_id": evaluation_id, "stage_key": s, "item_key": i,
                         "answer": a.value, "suggested": None, "suggestion_score": None,
                         "comment": None, "answered_at": submitted}
                        for (s, i), a in given.items())
                    stages.extend(
                        {"evaluation_id": evaluation_id, "stage_key": st.stage_id,
                         "weight": st.weight,
                         "score": None if st.score is None else round(st.score, 2),
                         "passed": st.passed, "failed": st.failed}
                        for st in result.stages)
                    audit.append({
                        "at": submitted, "actor_id": user_ids[evaluator],
                        "action": "evaluation.submit", "entity": "evaluation",
                        "entity_id": evaluation_id, "old": None,
                        "new": json.dumps({"total": evaluations[-1]["total_score"]}),
                        "reason": None})
        self._bulk(session, Sample, samples)
        self._bulk(session, Transcript, transcripts)
        self._bulk(session, TranscriptSegment, segments)
        self._bulk(session, Assignment, assignments)
        self._bulk(session, Evaluation, evaluations)
        self._bulk(session, EvaluationAnswer, answers)
        self._bulk(session, EvaluationStage, stages)
        append_rows(session, audit)
        self.summary.queue_for_qa = sum(
            1 for a in assignments if a["status"] == "new" and a["assignee_id"] == user_ids["qa"])

    def _said(self, card: QualityCard, op: OperatorPlan, talk: int) -> dict[tuple[str, str], bool]:
        """What the operator actually did on this call, from their stage skills."""
        said = {}
        for stage in card.stages:
            reached = talk >= 40 or stage.id == card.stages[0].id
            for item in stage.items:
                p = max(op.stage_skill.get(stage.id, 0.8), 0.94) if item.critical else \
                    op.stage_skill.get(stage.id, 0.8)
                said[(stage.id, item.id)] = reached and self.rng.random() < p
        return said

    def _listener_answers(
        self, card: QualityCard, said: dict[tuple[str, str], bool]
    ) -> dict[tuple[str, str], Answer]:
        """How a careful listener grades it: the truth, n.a. where allowed, rare slips."""
        rng = self.rng
        given = {}
        for stage in card.stages:
            for item in stage.items:
                key = (stage.id, item.id)
                did = said[key] if rng.random() > 0.02 else not said[key]
                if not did and item.na_allowed and rng.random() < 0.35:
                    given[key] = Answer.NA
                else:
                    given[key] = Answer.PASS if did else Answer.FAIL
        return given

    # -- coaching -----------------------------------------------------------------------------

    def _coaching(
        self,
        session: Session,
        operators: list[OperatorPlan],
        operator_ids: dict[str, int],
        cards: dict[str, tuple[int, QualityCard]],
        user_ids: dict[str, int],
    ) -> None:
        card_ids = _card_ids(session)
        rows = []
        for op in operators[:: 5]:
            for stage in op.weak_stages[:1]:
                started = self.days[-GRADED_DAYS // 2]
                rows.append({
                    "operator_id": operator_ids[op.login], "stage_key": stage,
                    "card_id": card_ids[op.team.card_id],
                    "goal": f"Поднять этап «{_stage_title(cards[op.team.card_id][1], stage)}» "
                            "до 80 % по карте качества",
                    "notes": "Разбор двух записей, ролевая игра по скрипту.",
                    "created_by_id": user_ids["trainer"], "started_on": started,
                    "due_on": started + timedelta(days=14), "status": "open",
                    "created_at": datetime.combine(started, time(17, 0))})
        self._bulk(session, CoachingTask, rows)


def _card_ids(session: Session) -> dict[str, int]:
    return {r.slug: r.id for r in session.exec(select(QualityCardRecord)).all() if r.id}


def _stratified(rng: random.Random, pool: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """Pick ``n`` calls from different talk-time buckets where possible."""
    buckets: dict[int, list[dict[str, Any]]] = {}
    for call in pool:
        talk = call["talk_seconds"]
        buckets.setdefault(0 if talk < 60 else 1 if talk < 600 else 2, []).append(call)
    order = rng.sample(sorted(buckets), k=len(buckets))
    picked = [rng.choice(buckets[b]) for b in order[:n]]
    rest = [c for c in pool if c not in picked]
    picked += rng.sample(rest, k=min(len(rest), n - len(picked)))
    return picked


def _advance_sequences(session: Session, models: list[type[SQLModel]]) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the rows."""
    for model in models:
        table = model.__tablename__  # type: ignore[attr-defined]
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f"COALESCE((SELECT max(id) FROM \"{table}\"), 0) + 1, false)"))


def _stage_title(card: QualityCard, stage: str) -> str:
    return next((s.title for s in card.stages if s.id == stage), stage)

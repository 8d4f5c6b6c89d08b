"""The tables: every record the product keeps, on SQLite and PostgreSQL alike.

Conventions that hold for every table:

* call and outcome times are the call centre's local wall-clock time (naive), because
  slices and norms are read in local hours; system stamps (``created_at``, audit) are UTC;
* money is integer kopecks (``*_kopecks``), never floats;
* stages and items are referred to by their card ids (``stage_key``, ``item_key``) so
  reports can aggregate across card versions with plain SQL;
* enumerations are short strings guarded by CHECK constraints, readable in any SQL client.

Changing a table means a new Alembic migration under ``migrations/versions``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Index,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from scorecard.domain.enums import (
    Answer,
    AssignmentStatus,
    ClientKind,
    CoachingStatus,
    Direction,
    Disposition,
    DisputeStatus,
    EvaluationStatus,
    OutcomeKind,
    Role,
)
from scorecard.domain.transcripts import SPEAKER_ROLES, RolesSource


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _one_of(column: str, values: Iterable[str], *, nullable: bool = False) -> CheckConstraint:
    """A CHECK that ``column`` holds one of ``values`` (an enum of :mod:`domain.enums`)."""
    allowed = ", ".join(f"'{v}'" for v in values)
    condition = f"{column} IN ({allowed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"{column}_allowed")


# -- people ---------------------------------------------------------------------------------


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=120)
    card_id: int | None = Field(default=None, foreign_key="quality_card.id")
    """The card the team's calls are graded and auto-checked with."""
    shift_start: time = Field(default=time(9, 0))
    shift_end: time = Field(default=time(18, 0))
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class Operator(SQLModel, table=True):
    """A person who makes or takes calls and is graded."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    extension: str | None = Field(default=None, max_length=40, index=True)
    agent_id: str | None = Field(default=None, max_length=80, unique=True)
    pbx_login: str | None = Field(default=None, max_length=80)
    active: bool = True
    hired_on: date | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class Seat(SQLModel, table=True):
    """Who held an extension (and in which team) from one day to another: calls and pay of a
    day go to who held the seat that day, whatever changes later."""

    __table_args__ = (Index("ix_seat_extension", "extension"),)

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(foreign_key="operator.id", index=True)
    extension: str = Field(max_length=40)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    valid_from: date | None = None
    """The first day (None: since before any call)."""
    valid_to: date | None = None
    """The first day no longer held (None: still held)."""


class AgentState(SQLModel, table=True):
    """An operator logged in to the queues (to one queue; empty: all) or paused, as the
    PBX's queue log says: the time occupancy and talk-time shares are measured against."""

    __tablename__ = "agent_state"
    __table_args__ = (
        CheckConstraint("state IN ('logged_in', 'paused')", name="state_allowed"),
        UniqueConstraint("operator_id", "state", "queue", "started_at",
                         name="uq_agent_state_span"),
        Index("ix_agent_state_operator_started", "operator_id", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(foreign_key="operator.id")
    state: str = Field(max_length=12)
    queue: str = Field(default="", max_length=80)
    started_at: datetime = Field(sa_type=DateTime)
    ended_at: datetime | None = Field(default=None, sa_type=DateTime)
    """None: still so when the last queue log was read."""
    reason: str | None = Field(default=None, max_length=120)


class User(SQLModel, table=True):
    """Someone who logs in: a listener, lead, trainer, admin, or an operator themselves."""

    __tablename__ = "app_user"
    __table_args__ = (_one_of("role", Role),)

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(unique=True, max_length=80)
    display_name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    operator_id: int | None = Field(default=None, foreign_key="operator.id", unique=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    os_account: str | None = Field(default=None, unique=True, max_length=64)
    """The server's OS account that proves this user on a shared database (see README,
    "Security model")."""
    password_hash: str | None = Field(default=None, max_length=200)
    """An Argon2 hash of the password the browser app asks for; None: no browser login."""


class Installation(SQLModel, table=True):
    """One row: a random id of this database, made when it was created. Draft journals are
    kept under it, so they never replay into another database that happens to have an
    evaluation with the same number."""

    __tablename__ = "installation"

    id: str = Field(primary_key=True, max_length=32)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


# -- quality cards --------------------------------------------------------------------------


class QualityCardRecord(SQLModel, table=True):
    """A card's identity; its content lives in :class:`CardVersion`."""

    __tablename__ = "quality_card"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=64)
    title: str = Field(max_length=300)
    language: str = Field(max_length=2)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class CardVersion(SQLModel, table=True):
    """One immutable version of a card; evaluations point at the version they used."""

    __tablename__ = "card_version"
    __table_args__ = (
        UniqueConstraint("card_id", "number"),
        UniqueConstraint("card_id", "content_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    card_id: int = Field(foreign_key="quality_card.id", index=True)
    number: int
    declared_version: int
    content_hash: str = Field(max_length=64)
    body: str = Field(sa_column=Column(Text, nullable=False))
    """The validated card as canonical JSON."""
    source_path: str | None = Field(default=None, max_length=1000)
    imported_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    imported_by_id: int | None = Field(default=None, foreign_key="app_user.id")


# -- calls and what came of them ------------------------------------------------------------


class Call(SQLModel, table=True):
    __table_args__ = (
        _one_of("direction", Direction),
        _one_of("disposition", Disposition),
        CheckConstraint("ring_seconds >= 0 AND talk_seconds >= 0", name="seconds_not_negative"),
        Index("ix_call_operator_started", "operator_id", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(unique=True, max_length=120)
    operator_id: int | None = Field(default=None, foreign_key="operator.id")
    started_at: datetime = Field(index=True, sa_type=DateTime)
    answered_at: datetime | None = Field(default=None, sa_type=DateTime)
    ring_seconds: int = 0
    talk_seconds: int = 0
    direction: str = Field(default="outbound", max_length=8)
    disposition: str = Field(max_length=12)
    client_number: str | None = Field(default=None, max_length=40)
    recording_path: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=40)
    """Which import format brought the call in (asterisk, freeswitch, mapped, demo)."""
    legs: str | None = Field(default=None, sa_type=Text)
    """Every row the PBX wrote for the call, as written (the columns the rules, ``calls
    show`` and leg identity read): the call is decided from them (see
    :mod:`scorecard.ingest.cdr.records`), so a later file with more of its rows, or a change
    of the PBX rules, decides it again. Fields are joined by U+001F, rows by U+001E."""


class PbxRules(SQLModel, table=True):
    """The centre's PBX as the call rules need it, one version per change (the newest
    holds): its own numbers, the trunks' channel names, the time zone its exports are in.
    Kept in the database, so every lead derives the same calls from one file."""

    __tablename__ = "pbx_rules"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    own_numbers: str = Field(default="", sa_type=Text)
    """Comma-separated: the centre's external numbers (DIDs)."""
    trunks: str = Field(default="", sa_type=Text)
    """Comma-separated channel names of trunks (``SIP/mts``), never an operator's."""
    time_zone: str | None = Field(default=None, max_length=64)
    created_by: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class OutcomeEvent(SQLModel, table=True):
    """A result a call led to, as the CRM reports it: presentation, meeting, invoice, payment."""

    __tablename__ = "outcome_event"
    __table_args__ = (
        _one_of("kind", OutcomeKind),
        _one_of("client_kind", ClientKind, nullable=True),
        CheckConstraint(
            "amount_kopecks IS NULL OR amount_kopecks >= 0", name="amount_not_negative"
        ),
        Index("ix_outcome_operator_occurred", "operator_id", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    external_id: str = Field(unique=True, max_length=120)
    call_id: int | None = Field(default=None, foreign_key="call.id", index=True)
    operator_id: int | None = Field(default=None, foreign_key="operator.id")
    occurred_at: datetime = Field(sa_type=DateTime)
    kind: str = Field(max_length=20)
    amount_kopecks: int | None = Field(default=None, sa_type=BigInteger)
    client_kind: str | None = Field(default=None, max_length=8)
    client_ref: str | None = Field(default=None, max_length=120)
    source: str | None = Field(default=None, max_length=40)


class Transcript(SQLModel, table=True):
    __table_args__ = (_one_of("roles", RolesSource),)

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", unique=True)
    source_path: str | None = Field(default=None, max_length=1000)
    format: str = Field(max_length=20)
    language: str = Field(default="ru", max_length=2)
    operator_label: str | None = Field(default=None, max_length=80)
    """The diarised speaker taken to be the operator (e.g. SPEAKER_00)."""
    operator_inferred: bool = False
    roles: str = Field(default="label", max_length=8)
    """How the speakers' roles were set: label, inferred or none (RolesSource)."""
    roles_evidence: str | None = Field(default=None, max_length=300)
    """What the roles rest on: the labels, the option, or the guess's evidence."""
    roles_margin: float | None = None
    """How sure an inferred operator is, 0–1."""
    word_count: int = 0
    imported_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class TranscriptSegment(SQLModel, table=True):
    __tablename__ = "transcript_segment"
    __table_args__ = (
        UniqueConstraint("transcript_id", "position"),
        _one_of("speaker", SPEAKER_ROLES),
    )

    id: int | None = Field(default=None, primary_key=True)
    transcript_id: int = Field(foreign_key="transcript.id")
    position: int
    speaker: str = Field(max_length=8)
    speaker_label: str | None = Field(default=None, max_length=80)
    start_seconds: float | None = None
    end_seconds: float | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))


class Detection(SQLModel, table=True):
    """What the trigger-phrase detector found for one item of one transcript."""

    __table_args__ = (
        UniqueConstraint("transcript_id", "card_version_id", "stage_key", "item_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    transcript_id: int = Field(foreign_key="transcript.id")
    card_version_id: int = Field(foreign_key="card_version.id", index=True)
    stage_key: str = Field(max_length=64)
    item_key: str = Field(max_length=64)
    found: bool
    score: float
    trigger: str | None = Field(default=None, max_length=200)
    segment_position: int | None = None
    start_char: int | None = None
    end_char: int | None = None
    parts_found: int | None = None
    """For an item that needs all of its trigger groups: how many were heard."""
    parts_total: int | None = None
    groups: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    """Each trigger group's evidence, as JSON (see ItemDetection.groups_json)."""
    detector_version: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


# -- sampling and grading -------------------------------------------------------------------


class Sample(SQLModel, table=True):
    """One draw of calls for listening, reproducible from its seed and rules."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    seed: int
    rules: str = Field(sa_column=Column(Text, nullable=False))
    """The sampling rules used, as JSON."""
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class CalibrationSession(SQLModel, table=True):
    __tablename__ = "calibration_session"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)


class Assignment(SQLModel, table=True):
    """A call handed to a listener (or to the shared queue) to grade with a card."""

    __table_args__ = (
        _one_of("status", AssignmentStatus),
        UniqueConstraint("call_id", "calibration_session_id", "assignee_id"),
        Index("ix_assignment_queue", "status", "assignee_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id", index=True)
    card_version_id: int = Field(foreign_key="card_version.id")
    sample_id: int | None = Field(default=None, foreign_key="sample.id", index=True)
    calibration_session_id: int | None = Field(default=None, foreign_key="calibration_session.id")
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id")
    """None: in the shared queue, any listener may claim it."""
    status: str = Field(default="new", max_length=10)
    claimed_at: datetime | None = Field(default=None, sa_type=DateTime)
    claim_expires_at: datetime | None = Field(default=None, sa_type=DateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class Evaluation(SQLModel, table=True):
    __table_args__ = (
        _one_of("status", EvaluationStatus),
        CheckConstraint(
            "total_score IS NULL OR (total_score >= 0 AND total_score <= 100)",
            name="total_in_range",
        ),
        Index("ix_evaluation_call", "call_id"),
        Index("ix_evaluation_evaluator_status", "evaluator_id", "status"),
        Index("ix_evaluation_call_started", "call_started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    call_id: int = Field(foreign_key="call.id")
    operator_id: int | None = Field(default=None, foreign_key="operator.id", index=True)
    """Copied from the call so quality reports need no join through calls."""
    call_started_at: datetime | None = Field(default=None, sa_type=DateTime)
    """The call's start, copied too: quality by period is read by it, never by walking a
    month of calls."""
    card_version_id: int = Field(foreign_key="card_version.id")
    evaluator_id: int = Field(foreign_key="app_user.id")
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id", unique=True)
    status: str = Field(default="draft", max_length=10)
    is_calibration: bool = False
    """Calibration grades never count toward quality or KPI."""
    started_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=DateTime)
    seconds_spent: int = 0
    total_score: float | None = None
    critical_fail: bool = False
    comment: str | None = Field(default=None, sa_column=Column(Text))


class EvaluationAnswer(SQLModel, table=True):
    """The listener's answer to one item, next to what the detector suggested."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "stage_key", "item_key"),
        _one_of("answer", Answer, nullable=True),
        _one_of("suggested", ("pass", "fail"), nullable=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id")
    stage_key: str = Field(max_length=64)
    item_key: str = Field(max_length=64)
    answer: str | None = Field(default=None, max_length=4)
    suggested: str | None = Field(default=None, max_length=4)
    suggestion_score: float | None = None
    comment: str | None = Field(default=None, sa_column=Column(Text))
    answered_at: datetime | None = Field(default=None, sa_type=DateTime)


class EvaluationStage(SQLModel, table=True):
    """A stage's score in a submitted evaluation, kept for per-stage reports in SQL."""

    __tablename__ = "evaluation_stage"
    __table_args__ = (UniqueConstraint("evaluation_id", "stage_key"),)

    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id")
    stage_key: str = Field(max_length=64)
    weight: float
    score: float | None = None
    """None when every item of the stage was n.a."""
    passed: int = 0
    failed: int = 0


class Dispute(SQLModel, table=True):
    __table_args__ = (_one_of("status", DisputeStatus),)

    id: int | None = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id", index=True)
    stage_key: str = Field(max_length=64)
    item_key: str = Field(max_length=64)
    opened_by_id: int = Field(foreign_key="app_user.id")
    comment: str = Field(sa_column=Column(Text, nullable=False))
    opened_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    status: str = Field(default="open", max_length=10)
    resolved_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    resolved_at: datetime | None = Field(default=None, sa_type=DateTime)
    resolution: str | None = Field(default=None, sa_column=Column(Text))


class AuditEntry(SQLModel, table=True):
    """Append-only: a database trigger refuses UPDATE and DELETE on this table; ``digest``
    chains each entry to the one before (:mod:`scorecard.domain.audit_chain`)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True, sa_type=DateTime)
    actor_id: int | None = Field(default=None, foreign_key="app_user.id")
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    old: str | None = Field(default=None, sa_column=Column(Text))
    new: str | None = Field(default=None, sa_column=Column(Text))
    reason: str | None = Field(default=None, sa_column=Column(Text))
    digest: str | None = Field(default=None, max_length=64)


# -- management -----------------------------------------------------------------------------


class CoachingTask(SQLModel, table=True):
    __tablename__ = "coaching_task"
    __table_args__ = (_one_of("status", CoachingStatus),)

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(foreign_key="operator.id", index=True)
    stage_key: str = Field(max_length=64)
    card_id: int | None = Field(default=None, foreign_key="quality_card.id")
    goal: str = Field(sa_column=Column(Text, nullable=False))
    notes: str | None = Field(default=None, sa_column=Column(Text))
    created_by_id: int = Field(foreign_key="app_user.id")
    started_on: date
    due_on: date
    status: str = Field(default="open", max_length=10)
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    outcome: str | None = Field(default=None, sa_column=Column(Text))
    """What came of it, in the coach's words, given when the task is closed."""


class CoachingNote(SQLModel, table=True):
    """A coach's note on a task: a session held, an exercise given, what was agreed."""

    __tablename__ = "coaching_note"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="coaching_task.id", index=True)
    author_id: int = Field(foreign_key="app_user.id")
    at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    text: str = Field(sa_column=Column(Text, nullable=False))


class CoachingExample(SQLModel, table=True):
    """A graded call a task points at: what to listen to together."""

    __tablename__ = "coaching_example"

    task_id: int = Field(foreign_key="coaching_task.id", primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id", primary_key=True)


class Norm(SQLModel, table=True):
    """How much of a metric an operator should reach in a full shift."""

    __table_args__ = (UniqueConstraint("team_id", "metric", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    """None: the default for every team without its own norm."""
    metric: str = Field(max_length=40)
    per_shift: float
    valid_from: date


class KpiTerms(SQLModel, table=True):
    """Payroll terms from a day on: the centre's default, a team's (with the scheme that pays
    it) or one operator's plan, fixed pay and bonus target. A new version is a new row; the
    one in force on a day is the latest that started by then."""

    __tablename__ = "kpi_terms"
    __table_args__ = (Index("ix_kpi_terms_valid_from", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int | None = Field(default=None, foreign_key="team.id")
    operator_id: int | None = Field(default=None, foreign_key="operator.id")
    """Neither set: the centre's default."""
    scheme: str | None = Field(default=None, max_length=64)
    """The shipped scheme that pays the team (team terms only)."""
    body: str = Field(sa_column=Column(Text, nullable=False))
    """``{"plan": {...}, "fixed": "…", "bonus_target": "…"}``, amounts as exact decimals."""
    valid_from: date
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class PayPeriod(SQLModel, table=True):
    """A closed month: its payouts are frozen (:class:`Payout`), who closed it and when,
    and with which scheme and terms versions. A month without a row is open."""

    __tablename__ = "pay_period"

    id: int | None = Field(default=None, primary_key=True)
    month: date = Field(unique=True)
    """The month's first day."""
    closed_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    closed_by_id: int = Field(foreign_key="app_user.id")
    versions: str = Field(sa_column=Column(Text, nullable=False))
    """``{"schemes": {id: sha256 of its content}, "terms": [kpi_terms ids]}``."""
    recheck: bool = False
    """Something it was paid from changed since it was last compared (calls, grades,
    terms, teams): the next read recomputes it for adjustments."""


class Payout(SQLModel, table=True):
    """One frozen line of a closed month: an operator's payout for that month, or an
    adjustment to an earlier closed month carried into it. Never updated."""

    __tablename__ = "payout"
    __table_args__ = (_one_of("kind", ("payout", "adjustment")),
                      Index("ix_payout_month_operator", "month", "operator_id"))

    id: int | None = Field(default=None, primary_key=True)
    pay_period_id: int = Field(foreign_key="pay_period.id", index=True)
    """The closed month this line is paid in."""
    month: date
    """The month it is for: the pay period's own, or the earlier one it corrects."""
    operator_id: int = Field(foreign_key="operator.id")
    kind: str = Field(max_length=12)
    scheme: str = Field(max_length=64)
    amount_kopecks: int = Field(sa_type=BigInteger)
    """Kopecks; hundredths of a percent for an index scheme."""
    detail: str = Field(sa_column=Column(Text, nullable=False))
    """JSON: what it was computed from: ``record`` (the report line), ``parts``, ``terms``
    (version ids), ``kind`` (the scheme's); an adjustment adds ``paid`` and ``reasons``."""


class SliceTask(SQLModel, table=True):
    """A lead's task to an operator lagging at one slice, checked at the next slice."""

    __tablename__ = "slice_task"
    __table_args__ = (_one_of("result", ("met", "missed"), nullable=True),)

    id: int | None = Field(default=None, primary_key=True)
    operator_id: int = Field(foreign_key="operator.id", index=True)
    day: date
    set_at: time
    due_at: time
    metric: str = Field(max_length=40)
    target: float
    note: str | None = Field(default=None, sa_column=Column(Text))
    created_by_id: int = Field(foreign_key="app_user.id")
    result: str | None = Field(default=None, max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class OperatorDay(SQLModel, table=True):
    """One operator's day in numbers: the rollup KPI reports read instead of raw calls.

    Kept current by the imports and by grading (``scorecard.services.metrics``), rebuilt
    from the raw tables with ``scorecard kpi rebuild``; a test holds it equal to a recount.
    Money in kopecks; quality as count, sum and sum of squares of evaluation totals, so a
    period's mean and its confidence interval come from sums alone.
    """

    __tablename__ = "operator_day"

    operator_id: int = Field(foreign_key="operator.id", primary_key=True)
    day: date = Field(primary_key=True, index=True)
    dials: int = 0
    answered: int = 0
    effective_calls: int = 0
    long_calls: int = 0
    talk_seconds: int = Field(default=0, sa_type=BigInteger)
    presentations: int = 0
    meetings_set: int = 0
    meetings_held: int = 0
    invoices: int = 0
    payments: int = 0
    payments_kopecks: int = Field(default=0, sa_type=BigInteger)
    revenue_new_kopecks: int = Field(default=0, sa_type=BigInteger)
    revenue_existing_kopecks: int = Field(default=0, sa_type=BigInteger)
    deals: int = 0
    sales_kopecks: int = Field(default=0, sa_type=BigInteger)
    requests_assigned: int = 0
    requests_processed: int = 0
    evaluations: int = 0
    quality_sum: float = 0.0
    quality_squares: float = 0.0
    critical_fails: int = 0


class OperatorDayStage(SQLModel, table=True):
    """Stage scores of one operator's graded calls of one day: what the weak-stage map reads.

    Kept with :class:`OperatorDay`, by the same rebuilds.
    """

    __tablename__ = "operator_day_stage"

    operator_id: int = Field(foreign_key="operator.id", primary_key=True)
    day: date = Field(primary_key=True, index=True)
    stage_key: str = Field(max_length=64, primary_key=True)
    evaluations: int = 0
    """Graded calls where the stage applied (all n.a. stages drop out)."""
    score_sum: float = 0.0


class RollupStale(SQLModel, table=True):
    """A day whose operator-day rollup must be recounted before it is read.

    Imports only mark days here (one cheap insert), so a million-row import does not pay
    for a recount; the next KPI read recounts just these days.
    """

    __tablename__ = "rollup_stale"

    day: date = Field(primary_key=True)

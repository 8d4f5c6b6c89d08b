"""The product's fixed vocabularies: roles, call and grading states. One definition each,
used by the tables' CHECK constraints, the services and the screens alike.

StrEnums, so a member is the string stored in the database (``Role.LEAD == "lead"``).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    QA = "qa"
    """A QA listener: grades calls."""
    LEAD = "lead"
    TRAINER = "trainer"
    ADMIN = "admin"
    OPERATOR = "operator"


LEADING_ROLES = frozenset({Role.LEAD, Role.TRAINER, Role.ADMIN})
"""Roles whose home is the weak-stage map (the queue is one key away)."""


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class Disposition(StrEnum):
    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"
    CONGESTION = "congestion"


class OutcomeKind(StrEnum):
    PRESENTATION = "presentation"
    MEETING_SET = "meeting_set"
    MEETING_HELD = "meeting_held"
    INVOICE = "invoice"
    PAYMENT = "payment"
    DEAL = "deal"
    REQUEST_ASSIGNED = "request_assigned"
    REQUEST_PROCESSED = "request_processed"


class ClientKind(StrEnum):
    NEW = "new"
    EXISTING = "existing"


class AssignmentStatus(StrEnum):
    NEW = "new"
    CLAIMED = "claimed"
    DONE = "done"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


class EvaluationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    FINAL = "final"
    DISPUTED = "disputed"


GRADED = (EvaluationStatus.SUBMITTED, EvaluationStatus.FINAL, EvaluationStatus.DISPUTED)
"""Statuses of an evaluation that is a submitted grade."""


class Answer(StrEnum):
    """A listener's answer on one item of a card."""

    PASS = "pass"
    FAIL = "fail"
    NA = "na"


class DisputeStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class CoachingStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"

"""Why a call counts as it does, and deciding calls again: a call's stored legs read back
with today's rules (``scorecard calls show``), and every call of a period decided again
after the rules or the operator list changed (``scorecard calls rebuild``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import DateTime, bindparam, text
from sqlmodel import Session, select

from scorecard.db.models import Call, Operator, PayPeriod
from scorecard.errors import ScorecardError
from scorecard.ingest.cdr.asterisk import COLUMNS as ASTERISK_COLUMNS
from scorecard.ingest.cdr.asterisk import KEPT
from scorecard.ingest.cdr.freeswitch import COLUMNS as FREESWITCH_COLUMNS
from scorecard.ingest.cdr.legs import calls_from_legs
from scorecard.ingest.cdr.mapped import MAPPED_FIELDS
from scorecard.ingest.cdr.records import LEG_SEPARATOR, RAW_SEPARATOR, CallRecord
from scorecard.services.access import (
    AccessDenied,
    Actor,
    Permission,
    client_number_for,
    require_in_scope,
)
from scorecard.services.audit import record
from scorecard.services.call_legs import stored_legs
from scorecard.services.imports import import_calls, operator_extensions
from scorecard.services.metrics import as_date
from scorecard.services.pbx import current_rules

#: What a leg shows, per reader, in this order.
_SHOWN = {
    "asterisk": ("start", "answer", "src", "dst", "clid", "channel", "dstchannel", "lastapp",
                 "lastdata", "duration", "billsec", "disposition", "uniqueid"),
    "freeswitch": ("start_stamp", "answer_stamp", "caller_id_name", "caller_id_number",
                   "destination_number", "duration", "billsec", "hangup_cause", "uuid",
                   "bleg_uuid"),
    "mapped": MAPPED_FIELDS[1:],
}
#: The columns a kept leg holds, per reader.
_LAYOUTS = {"asterisk": tuple((*ASTERISK_COLUMNS, "recording")[position] for position in KEPT),
            "freeswitch": FREESWITCH_COLUMNS, "mapped": MAPPED_FIELDS}
#: Decided values compared between the stored call and its legs read again.
DECIDED = ("operator_extension", "started_at", "answered_at", "ring_seconds", "talk_seconds",
           "direction", "disposition", "client_number")
#: Phone numbers in what a leg shows: 7 digits and more (extensions are shorter), not part
#: of an id (a uniqueid's ``1772438700.110``, a channel's counter ``-00000110``).
_NUMBER = re.compile(r"(?<![\d.\-])\+?\d{7,}(?![\d.])")
#: Fields that hold ids and times, never a client's number.
_NOT_NUMBERS = frozenset({"start", "answer", "uniqueid", "start_stamp", "answer_stamp",
                          "uuid", "bleg_uuid", "duration", "billsec", "started_at",
                          "answered_at", "ring_seconds", "talk_seconds"})


@dataclass(frozen=True)
class LegView:
    source: str
    fields: list[tuple[str, str]]
    """(column, value) as written, numbers masked for who may not see them."""
    alone: CallRecord | None
    """The leg read alone: what it says by itself (None: today's reader rejects it)."""


@dataclass(frozen=True)
class CallView:
    external_id: str
    stored: dict[str, object]
    legs: list[LegView]
    now: dict[str, object] | None
    """The call its legs make with today's rules (None: no legs kept)."""

    @property
    def differences(self) -> list[str]:
        return [] if self.now is None else [
            name for name in DECIDED if self.now[name] != self.stored[name]]


def show_call(session: Session, who: Actor, ref: str) -> CallView:
    """A call (by external id, or by number) with its legs and the decision they make."""
    who.require(Permission.VIEW_QUALITY)
    call = session.exec(select(Call).where(Call.external_id == ref)).first()
    if call is None and ref.isdigit():
        call = session.get(Call, int(ref))
    if call is None:
        raise ScorecardError(f"no call {ref!r} (give its external id or number)")
    record(session, action="call.open", entity="call", entity_id=call.id,
           actor_id=who.user_id, new={"via": "calls show"})
    operator = session.get(Operator, call.operator_id) if call.operator_id else None
    extensions = operator_extensions(session)
    rules = current_rules(session)
    legs = stored_legs(session, [call.external_id]).get(call.external_id, [])
    alone = [next(iter(calls_from_legs(source, [raw], extensions, rules)), None)
             for source, raw in legs]
    if operator is not None:
        require_in_scope(who, operator)
    elif who.scope() is not None and not _rang_in_scope(session, who, alone):
        raise AccessDenied(f"{who.login} ({who.role}) may see only calls of their own "
                           "operators; this call has no known operator and rang none of "
                           "theirs")
    stored = {"operator_extension": operator.extension if operator else None,
              "started_at": call.started_at, "answered_at": call.answered_at,
              "ring_seconds": call.ring_seconds, "talk_seconds": call.talk_seconds,
              "direction": call.direction, "disposition": call.disposition,
              "client_number": client_number_for(who, call.client_number)}
    views = [LegView(source, _fields(who, source, raw), leg)
             for (source, raw), leg in zip(legs, alone, strict=True)]
    now = None
    sources = {source for source, _ in legs}
    if len(sources) == 1:
        decided = calls_from_legs(sources.pop(), [raw for _, raw in legs], extensions, rules)
        if len(decided) == 1:
            now = {name: getattr(decided[0], name) for name in DECIDED}
            now["client_number"] = client_number_for(who, decided[0].client_number)
    return CallView(call.external_id, stored, views, now)


def _rang_in_scope(session: Session, who: Actor, legs: Sequence[CallRecord | None]) -> bool:
    """Whether a leg of a call no operator took rang one of ``who``'s operators (a lead
    sees the missed calls of their team's ring group)."""
    extensions = {leg.operator_extension for leg in legs if leg and leg.operator_extension}
    if not extensions:
        return False
    rung = session.exec(select(Operator).where(
        Operator.extension.in_(sorted(extensions)))).all()  # type: ignore[union-attr]
    return any(who.in_scope(person) for person in rung)


def _fields(who: Actor, source: str, raw: str) -> list[tuple[str, str]]:
    values = dict(zip(_LAYOUTS.get(source, ()), raw.split(RAW_SEPARATOR), strict=False))
    shown = []
    for name in _SHOWN.get(source, ()):
        value = "".join(ch if ch.isprintable() else "?" for ch in values.get(name, ""))
        if name not in _NOT_NUMBERS and not who.may(Permission.SEE_CLIENT_NUMBERS):
            value = _NUMBER.sub(lambda match: client_number_for(who, match.group()) or "",
                                value)
        shown.append((name, value))
    return shown


@dataclass
class RebuildReport:
    checked: int = 0
    changed: list[tuple[str, list[tuple[str, object, object]]]] = field(default_factory=list)
    """(external id, [(field, stored, now)]) of every call decided differently."""
    held: list[tuple[str, str]] = field(default_factory=list)
    """(external id, why) of calls decided differently but left as they are: graded ones,
    and those of operators no longer active."""
    in_closed: list[tuple[str, date]] = field(default_factory=list)
    """(external id, month) of changed calls in a closed pay period: the month stays as it
    was paid, the difference is paid as an adjustment with the next open month."""


def rebuild_calls(session: Session, by: Actor | None, *, since: date | None = None,
                  until: date | None = None, dry_run: bool = False) -> RebuildReport:
    """Decide every call of the period (with kept legs) again from its legs, with today's
    PBX rules and operator list; update those that changed, except graded calls."""
    if by is not None:
        by.require(Permission.MANAGE_PBX)
    report = RebuildReport()
    extensions = operator_extensions(session)
    rules = current_rules(session)
    first = datetime.combine(since or date(1900, 1, 1), time())
    last = datetime.combine((until or date(9999, 12, 30)) + timedelta(days=1), time())
    rows = session.connection().execute(
        text('SELECT source, legs FROM "call" WHERE legs IS NOT NULL AND started_at >= :first '
             "AND started_at < :last")
        .bindparams(bindparam("first", type_=DateTime), bindparam("last", type_=DateTime)),
        {"first": first, "last": last}).all()
    by_source: dict[str, list[str]] = {}
    for source, legs in rows:
        by_source.setdefault(source, []).extend(legs.split(LEG_SEPARATOR))
    closed = set(session.exec(select(PayPeriod.month)))
    graded = {key for (key,) in session.connection().execute(text(
        'SELECT DISTINCT c.external_id FROM evaluation e JOIN "call" c ON c.id = e.call_id'))}
    for source, raws in by_source.items():
        calls = calls_from_legs(source, raws, extensions, rules)
        report.checked += len(calls)
        before = _stored(session, [call.external_id for call in calls])
        moving = []
        for call in calls:
            old = before.get(call.external_id)
            if old is None:
                continue
            if old["operator_extension"] is not None:
                # Who held the seat is not decided again: an extension given to someone
                # else since must not take over earlier calls.
                call = call._replace(operator_extension=old["operator_extension"])
            changes = [(name, old[name], getattr(call, name)) for name in DECIDED
                       if old[name] != getattr(call, name)]
            if not changes:
                continue
            if call.external_id in graded:
                report.held.append((call.external_id, "graded"))
                continue
            if call.operator_extension not in (None, *extensions):
                report.held.append((call.external_id, "its operator is no longer active"))
                continue
            report.changed.append((call.external_id, changes))
            moving.append(call)
            months = {as_date(old["started_at"]).replace(day=1),
                      call.started_at.date().replace(day=1)} & closed
            if months:
                report.in_closed.append((call.external_id, min(months)))
        if moving and not dry_run:
            import_calls(session, moving, source=source)
    if not dry_run and (report.changed or report.held):
        record(session, action="calls.rebuild", entity="call", entity_id=None,
               actor_id=by.user_id if by else None,
               new={"since": since, "until": until, "changed": len(report.changed),
                    "held": len(report.held)})
    return report


def _stored(session: Session, keys: Sequence[str]) -> dict[str, dict[str, object]]:
    found: dict[str, dict[str, object]] = {}
    for start in range(0, len(keys), 900):
        chunk = list(keys[start:start + 900])
        for call, extension in session.exec(
                select(Call, Operator.extension)
                .outerjoin(Operator, Operator.id == Call.operator_id)  # type: ignore[arg-type]
                .where(Call.external_id.in_(chunk))):  # type: ignore[attr-defined]
            found[call.external_id] = {
                "operator_extension": extension, "started_at": call.started_at,
                "answered_at": call.answered_at, "ring_seconds": call.ring_seconds,
                "talk_seconds": call.talk_seconds, "direction": call.direction,
                "disposition": call.disposition, "client_number": call.client_number}
    return found

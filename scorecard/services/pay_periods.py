"""Pay periods: closing a month freezes its payouts; what changes later is carried into the
next open month as adjustments, never written back into the closed one.

Months close in order: the first close may be any month that is over, after it only the
month after the last closed one. Closing pays every team by the scheme its terms name (as
``kpi report`` does), stores each operator's payout with the figures and parts it came
from, and records who closed it, when, and the scheme and terms versions used.

An adjustment to a closed month, for one operator, is what the month pays now (recomputed
from today's calls, grades, terms, teams and scheme files) minus what was already paid for
it: its frozen payout plus the adjustments carried into later closed months. Each change is
therefore paid once, in whichever month it is noticed. Closed months are recomputed only
when something they were paid from changed (``pay_period.recheck``, set by the rollup, terms
and team changes) or a scheme file they used was edited, so a report of the open month
stays one read of the period in the usual case.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property

from sqlmodel import Session, col, select

from scorecard.db.models import Operator, Payout, PayPeriod, User, utcnow
from scorecard.domain.inert import json_default, kopecks, money, roubles
from scorecard.domain.kpi import KpiError, KpiScheme, find_scheme
from scorecard.domain.periods import month_of
from scorecard.services import audit
from scorecard.services.access import Actor, Permission
from scorecard.services.kpi import ReportRow, kpi_report_by_team, parts_record, report_record
from scorecard.services.metrics import refresh

MONEY_FIELDS = frozenset({"payout", "payments_amount", "sales_amount", "revenue_new",
                          "revenue_existing"})


@dataclass(frozen=True)
class FrozenLine:
    """One stored line of a closed month: a payout or an adjustment carried into it."""

    month: date
    """The month the amount is for."""
    operator_id: int
    operator: str
    kind: str
    scheme: str
    amount: Decimal
    detail: dict[str, object]

    @property
    def record(self) -> dict[str, object]:
        """The report line it was paid from, amounts as decimals again."""
        stored = self.detail["record"]
        assert isinstance(stored, dict)
        return {key: Decimal(value) if key in MONEY_FIELDS and value is not None else value
                for key, value in stored.items()}

    @property
    def parts(self) -> list[dict[str, object]]:
        """Its parts as an open month's report writes them (:func:`parts_record`); lines
        frozen by earlier versions keep amounts unrounded and each multiplier as
        ``[name, ratio, factor]``."""
        stored = self.detail.get("parts", [])
        assert isinstance(stored, list)
        return [{**part, "amount": money(Decimal(str(part["amount"]))), "multipliers": [
            dict(zip(("name", "ratio", "factor"), a, strict=True)) if isinstance(a, list)
            else a for a in part["multipliers"]]} for part in stored]


@dataclass(frozen=True)
class Adjustment:
    """A closed month that pays an operator differently now than it was paid."""

    month: date
    operator_id: int
    operator: str
    scheme: str
    paid: Decimal
    """What was paid for the month so far: its payout and earlier adjustments."""
    now: Decimal
    reasons: tuple[tuple[str, object, object], ...]
    """(what, before, now): a metric's name, ``scheme``, ``scheme edited``, ``terms`` or
    ``team``."""
    row: ReportRow

    @property
    def amount(self) -> Decimal:
        return self.now - self.paid


@dataclass(frozen=True)
class ClosedMonth:
    month: date
    closed_at: datetime
    closed_by: str
    versions: dict[str, object]
    lines: list[FrozenLine]

    @cached_property
    def payouts(self) -> list[FrozenLine]:
        return [line for line in self.lines if line.kind == "payout"]

    @cached_property
    def _by_operator(self) -> dict[int, FrozenLine]:
        return {line.operator_id: line for line in self.payouts}

    def payout_for(self, operator_id: int) -> FrozenLine | None:
        """What the month paid the operator (None: they had no line)."""
        return self._by_operator.get(operator_id)

    @property
    def paid(self) -> Decimal:
        """The money it paid (index schemes rank, they do not pay)."""
        return sum((line.amount for line in self.payouts if line.detail.get("kind") != "index"),
                   Decimal(0))

    @property
    def carried(self) -> list[FrozenLine]:
        """Adjustments to earlier months paid in this one."""
        return [line for line in self.lines if line.kind == "adjustment"]


@dataclass(frozen=True)
class MonthPay:
    """A month's pay beyond its live figures: whether it is closed, and the adjustments
    that concern it (for a closed month: changes since, waiting for the next open month;
    for the next open month: those carried into it)."""

    month: date
    closed: ClosedMonth | None
    adjustments: list[Adjustment]
    carried_into: date | None
    """The month the adjustments are paid in."""

    @property
    def column(self) -> str | None:
        """The column a report of the month adds: ``paid`` (closed: what it paid),
        ``adjustment`` (it pays adjustments to closed months), or None."""
        if self.closed is not None:
            return "paid"
        return "adjustment" if self.carried_into == self.month and self.adjustments else None

    def adjustment_for(self, operator_id: int) -> Decimal:
        return sum((a.amount for a in self.adjustments if a.operator_id == operator_id),
                   Decimal("0.00"))

    def owed_without_line(self, listed: Iterable[int]) -> list[Adjustment]:
        """One adjustment of each operator owed one who has no line of the month's report
        (gone since, or left out of the team): they are paid all the same."""
        seen, owed = set(listed), []
        for adjustment in self.adjustments:
            if adjustment.operator_id not in seen:
                seen.add(adjustment.operator_id)
                owed.append(adjustment)
        return owed


def close_month(session: Session, month: date, *, by: Actor, today: date,
                now: datetime | None = None) -> tuple[ClosedMonth, list[Adjustment]]:
    """Freeze ``month``'s payouts and carry into it the adjustments to earlier closed
    months; refused (nothing written) for a month not over, closed already, or out of
    order, and for a team no scheme pays."""
    by.require(Permission.CLOSE_PAY_PERIODS)
    first, last = month_of(month)
    if last >= today:
        raise KpiError(f"{first:%Y-%m} is not over until {last}: close it from "
                       f"{last + timedelta(days=1)}")
    done = _period_row(session, first)
    if done is not None:
        raise KpiError(f"{first:%Y-%m} was closed on {done.closed_at:%Y-%m-%d %H:%M} UTC by "
                       f"{_login(session, done.closed_by_id)}: closed months are never "
                       "rewritten; later changes are carried into the next open month")
    following = next_open(session)
    if following is not None and following != first:
        raise KpiError(f"months close in order: the next to close is {following:%Y-%m}")
    adjustments = _pending(session, by, before=first)
    blocks = kpi_report_by_team(session, viewer=by, first=first, last=last, team=None)
    if not any(rows for _, rows in blocks):
        raise KpiError(f"{first:%Y-%m}: no operators to pay")
    now = now or utcnow()
    terms_ids = sorted({i for _, rows in blocks for row in rows
                        for i in _terms_of(row)})
    versions = {"schemes": {scheme.id: fingerprint(scheme) for scheme, _ in blocks},
                "terms": terms_ids}
    period = PayPeriod(month=first, closed_at=now, closed_by_id=by.user_id,
                       versions=json.dumps(versions))
    session.add(period)
    session.flush()
    assert period.id is not None
    lines = [Payout(pay_period_id=period.id, month=first, operator_id=row.metrics.operator_id,
                    kind="payout", scheme=scheme.id, amount_kopecks=kopecks(row.result.payout),
                    detail=_detail(row, scheme))
             for scheme, rows in blocks for row in rows]
    lines += [Payout(pay_period_id=period.id, month=a.month, operator_id=a.operator_id,
                     kind="adjustment", scheme=a.scheme, amount_kopecks=kopecks(a.amount),
                     detail=_detail(a.row, find_scheme(a.scheme), reasons=a.reasons,
                                    paid=a.paid))
              for a in adjustments]
    session.add_all(lines)
    # Every closed month was compared just now: none needs it again until the next change.
    session.execute(PayPeriod.__table__.update().values(recheck=False))  # type: ignore[attr-defined]
    total = sum((row.result.payout for scheme, rows in blocks if scheme.kind != "index"
                 for row in rows), Decimal(0))
    audit.record(session, action="pay_period.close", entity="pay_period", entity_id=period.id,
                 actor_id=by.user_id, at=now,
                 new={"month": f"{first:%Y-%m}", "operators": len(lines) - len(adjustments),
                      "total": str(total), "adjustments": len(adjustments),
                      "adjusted": str(sum((a.amount for a in adjustments), Decimal(0))),
                      **versions})
    session.flush()
    closed = month_status(session, first)
    assert closed is not None
    return closed, adjustments


def month_pay(session: Session, viewer: Actor, month: date) -> MonthPay:
    """What ``month``'s report shows beside its live figures, as far as ``viewer`` sees."""
    first = month_of(month)[0]
    closed = month_status(session, first, viewer=viewer)
    following = next_open(session)
    if closed is not None:
        pending = _pending(session, viewer, only=first)
        return MonthPay(first, closed, pending, following)
    if following == first:
        return MonthPay(first, None, _pending(session, viewer, before=first), first)
    return MonthPay(first, None, [], None)


def month_status(session: Session, month: date, *, viewer: Actor | None = None
                 ) -> ClosedMonth | None:
    """A closed month with its lines (those of operators ``viewer`` sees); None: open."""
    period = _period_row(session, month)
    if period is None:
        return None
    query = (select(Payout, Operator.name).join(Operator, col(Operator.id) == Payout.operator_id)
             .where(Payout.pay_period_id == period.id).order_by(col(Payout.kind).desc(),
                                                                 col(Payout.month),
                                                                 col(Operator.name)))
    if viewer is not None and (limit := viewer.scope_condition()) is not None:
        query = query.where(limit)
    lines = [FrozenLine(p.month, p.operator_id, name, p.kind, p.scheme,
                        roubles(p.amount_kopecks), json.loads(p.detail))
             for p, name in session.exec(query)]
    return ClosedMonth(period.month, period.closed_at, _login(session, period.closed_by_id),
                       json.loads(period.versions), lines)


def closed_months(session: Session) -> list[PayPeriod]:
    return list(session.exec(select(PayPeriod).order_by(col(PayPeriod.month))))


def next_open(session: Session) -> date | None:
    """The month after the last closed one; None while none is closed."""
    last = session.exec(select(PayPeriod.month).order_by(col(PayPeriod.month).desc())).first()
    return None if last is None else month_of(last + timedelta(days=31))[0]


def fingerprint(scheme: KpiScheme) -> str:
    """A short digest of a scheme's content: a closed month names the version it used."""
    return hashlib.sha256(scheme.model_dump_json().encode()).hexdigest()[:16]


def _pending(session: Session, viewer: Actor, *, before: date | None = None,
             only: date | None = None) -> list[Adjustment]:
    """Adjustments not yet paid for the closed months before ``before`` (or ``only`` that
    one) that may have changed."""
    refresh(session)  # days changed by imports mark the closed months they fall in
    if only is not None:
        periods = [period] if (period := _period_row(session, only)) is not None else []
    else:
        periods = [period for period in closed_months(session)
                   if before is None or period.month < before]
    # The schemes a month was paid by, as their files are now, each read once. (A change
    # of terms, which may name another scheme, marks the month itself: see recheck.)
    now: dict[str, str | None] = {}
    found: list[Adjustment] = []
    for period in periods:
        versions = json.loads(period.versions)
        for name in versions["schemes"].keys() - now.keys():
            now[name] = _fingerprint_now(name)
        edited = {name for name, digest in versions["schemes"].items()
                  if now[name] != digest}
        if period.recheck or edited:
            found += _month_adjustments(session, viewer, period.month, edited)
    return found


def _month_adjustments(session: Session, viewer: Actor, month: date,
                       edited: set[str]) -> list[Adjustment]:
    first, last = month_of(month)
    try:
        blocks = kpi_report_by_team(session, viewer=viewer, first=first, last=last, team=None)
    except KpiError as exc:
        raise KpiError(f"closed month {first:%Y-%m} cannot be compared with today's "
                       f"figures: {exc}") from None
    paid: dict[int, Decimal] = {}
    latest: dict[int, Payout] = {}
    for payout in session.exec(select(Payout).where(Payout.month == first)
                               .order_by(col(Payout.id))):
        paid[payout.operator_id] = paid.get(payout.operator_id, Decimal(0)) + \
            roubles(payout.amount_kopecks)
        latest[payout.operator_id] = payout
    found = []
    for scheme, rows in blocks:
        if scheme.kind == "index":  # a ranking, not money: nothing to carry
            continue
        for row in rows:
            operator = row.metrics.operator_id
            now = money(row.result.payout)
            before = paid.get(operator, Decimal(0))
            if now == before:
                continue
            found.append(Adjustment(first, operator, row.metrics.operator, scheme.id, before,
                                    now, _reasons(latest.get(operator), row, scheme, edited),
                                    row))
    return found


def _reasons(last_paid: Payout | None, row: ReportRow, scheme: KpiScheme,
             edited: set[str]) -> tuple[tuple[str, object, object], ...]:
    """What differs between the figures last paid and today's."""
    if last_paid is None:
        return (("new", None, None),)
    before = json.loads(last_paid.detail)
    reasons: list[tuple[str, object, object]] = []
    if last_paid.scheme != scheme.id:
        reasons.append(("scheme", last_paid.scheme, scheme.id))
    elif scheme.id in edited:
        reasons.append(("scheme edited", scheme.id, scheme.id))
    record = json.loads(json.dumps(report_record(row), default=json_default))
    old = before.get("record", {})
    assert isinstance(old, dict)
    if old.get("team") != record["team"]:
        reasons.append(("team", old.get("team"), record["team"]))
    reasons += [(key, old.get(key), value) for key, value in record.items()
                if key not in ("operator", "team", "payout", "quality_low", "quality_high")
                and old.get(key) != value]
    if before.get("terms") != _terms_of(row):
        reasons.append(("terms", None, None))
    return tuple(reasons)


def _detail(row: ReportRow, scheme: KpiScheme, *, reasons: Iterable[tuple] = (),
            paid: Decimal | None = None) -> str:
    detail: dict[str, object] = {
        "kind": scheme.kind, "record": report_record(row), "terms": _terms_of(row),
        "parts": parts_record(row.result)}
    if paid is not None:
        detail |= {"paid": paid, "reasons": [list(r) for r in reasons]}
    return json.dumps(detail, ensure_ascii=False, default=json_default)


def _terms_of(row: ReportRow) -> list[int]:
    return [] if row.terms_version is None else [row.terms_version]


def _period_row(session: Session, month: date) -> PayPeriod | None:
    return session.exec(select(PayPeriod).where(PayPeriod.month == month_of(month)[0])).first()


def _login(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.login if user else f"user {user_id}"


def _fingerprint_now(name: str) -> str | None:
    """The digest of a shipped scheme as its file is now (None: it no longer loads, which
    reads as edited)."""
    try:
        return fingerprint(find_scheme(name))
    except KpiError:
        return None

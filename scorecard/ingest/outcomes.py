"""Outcome events from CRM exports: presentations, meetings, invoices, payments, deals.

A row links to a call by its external id, or to an operator and a time. Headers may be
English or Russian; kinds too («встреча назначена», «оплата»). Amounts are roubles with a
dot or a comma, at most :data:`MAX_ROUBLES`, and are kept as integer kopecks.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from scorecard.domain.inert import kopecks
from scorecard.ingest.dates import in_range, out_of_range
from scorecard.ingest.encoding import InputFileError
from scorecard.ingest.tables import NUL_MARK, Rejected, Row, read_header

HEADERS = {
    "id": "external_id", "event id": "external_id", "event_id": "external_id",
    "номер": "external_id", "ид": "external_id",
    "call": "call", "call id": "call", "call_id": "call", "звонок": "call",
    "operator": "operator", "оператор": "operator", "менеджер": "operator",
    "time": "time", "date": "time", "datetime": "time", "occurred at": "time",
    "дата": "time", "время": "time",
    "kind": "kind", "event": "kind", "type": "kind", "событие": "kind", "тип": "kind",
    "amount": "amount", "sum": "amount", "сумма": "amount",
    "client": "client", "client kind": "client_kind", "client_kind": "client_kind",
    "клиент": "client", "тип клиента": "client_kind",
}
KINDS = {
    "presentation": "presentation", "презентация": "presentation",
    "meeting_set": "meeting_set", "meeting set": "meeting_set",
    "встреча назначена": "meeting_set", "назначена встреча": "meeting_set",
    "meeting_held": "meeting_held", "meeting held": "meeting_held",
    "встреча состоялась": "meeting_held", "состоялась встреча": "meeting_held",
    "invoice": "invoice", "счет": "invoice", "счёт": "invoice", "выставлен счет": "invoice",
    "payment": "payment", "оплата": "payment", "платеж": "payment", "платёж": "payment",
    "deal": "deal", "сделка": "deal", "договор": "deal",
    "request_assigned": "request_assigned", "заявка": "request_assigned",
    "request_processed": "request_processed", "заявка обработана": "request_processed",
}
CLIENT_KINDS = {"new": "new", "новый": "new", "existing": "existing", "действующий": "existing",
                "постоянный": "existing", "": None}
#: The largest amount of one event, in roubles: more than any real payment or deal, and
#: kopecks far below what the database's 64-bit integer column holds.
MAX_ROUBLES = 10**12
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                 "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    line: int
    external_id: str
    call: str | None
    operator: str | None
    occurred_at: datetime | None
    kind: str
    amount_kopecks: int | None
    client_kind: str | None
    client_ref: str | None


def parse_outcomes(rows: Iterable[Row], source: str) -> tuple[list[OutcomeRow], list[Rejected]]:
    iterator = iter(rows)
    columns, header = read_header(iterator, HEADERS, source)
    if "kind" not in columns or ("call" not in columns and not {"operator", "time"} <= set(
            columns)):
        raise InputFileError(
            f"{source}:1: the header needs a kind column and either a call column or "
            f"operator and time columns (found: {', '.join(h for h in header if h)})")
    events: list[OutcomeRow] = []
    rejected: list[Rejected] = []
    seen: dict[str, int] = {}  # event id -> the line that gave it first
    for line, fields in iterator:
        if not any(f.strip() for f in fields):
            continue
        value = {name: fields[i].strip() if i < len(fields) else "" for name, i in columns.items()}
        try:
            event = _event(line, value)
        except ValueError as problem:
            rejected.append(Rejected(line, str(problem)))
            continue
        # One event per id: a later row with the same id would silently replace the first
        # on import, so it is rejected and the file's first row for the id wins, every time.
        first = seen.setdefault(event.external_id, line)
        if first != line:
            rejected.append(Rejected(line, _repeated(event, value, first)))
            continue
        events.append(event)
    return events, rejected


def _repeated(event: OutcomeRow, value: dict[str, str], first: int) -> str:
    """Why a row whose event id an earlier row of the file had is rejected."""
    if value.get("external_id"):
        return f"id: {event.external_id!r} already on line {first}"
    return (f"the same event as line {first} (no id column: call, operator, time, kind and "
            "amount alike; give the events ids to import both)")


def _event(line: int, value: dict[str, str]) -> OutcomeRow:
    if any(NUL_MARK in v for v in value.values()):
        raise ValueError("NUL byte in the line")
    kind = KINDS.get(value["kind"].casefold().replace("ё", "е"))
    if kind is None:
        raise ValueError(f"kind: unknown event {value['kind']!r}")
    occurred = _date(value["time"]) if value.get("time") else None
    call, operator = value.get("call") or None, value.get("operator") or None
    if call is None and (operator is None or occurred is None):
        raise ValueError("call: empty, and no operator and time to link the event to")
    amount = _kopecks(value.get("amount", ""))
    if kind in ("payment", "deal") and amount is None:
        raise ValueError(f"amount: a {kind} needs an amount")
    client_text = value.get("client_kind", "").casefold()
    if client_text not in CLIENT_KINDS:
        raise ValueError(f"client kind: {value['client_kind']!r} is neither new nor existing")
    external = value.get("external_id") or _natural_key(value)
    return OutcomeRow(line, external, call, operator, occurred, kind, amount,
                      CLIENT_KINDS[client_text], value.get("client") or None)


def _date(text: str) -> datetime:
    for pattern in _DATE_FORMATS:
        try:
            moment = datetime.strptime(text, pattern)
        except ValueError:
            continue
        if not in_range(moment):
            raise ValueError(out_of_range("time", text))
        return moment
    raise ValueError(f"time: not a date {text!r} (YYYY-MM-DD HH:MM or DD.MM.YYYY HH:MM)")


def _kopecks(text: str) -> int | None:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace("₽", "").replace(",", ".")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"amount: not a number {text!r}") from None
    if not amount.is_finite():  # Decimal reads NaN, sNaN and Infinity too
        raise ValueError(f"amount: not a number {text!r}")
    if amount < 0:
        raise ValueError(f"amount: negative {text!r}")
    if amount > MAX_ROUBLES:  # compared before multiplying: 1E+1000000000 overflows that
        raise ValueError(f"amount: {text!r} is more than {MAX_ROUBLES} roubles, the most "
                         "one event may carry")
    return kopecks(amount)


def _natural_key(value: dict[str, str]) -> str:
    """Rows without an id are known by what they say: the same row twice is one event."""
    parts = "|".join(value.get(k, "") for k in ("call", "operator", "time", "kind", "amount"))
    return "row:" + hashlib.sha1(parts.encode()).hexdigest()[:20]

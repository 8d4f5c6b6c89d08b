"""Imports as units of work: idempotent on natural keys, all or nothing per file.

Each import compares what the file says with what is stored: rows that are not there are
inserted, rows that differ are updated, identical rows are left alone, so running the same
file twice changes nothing and a corrected file updates just what it corrects. Calls go in
through the driver's ``executemany`` with plain tuples: a million rows leave no room for
per-row ORM work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, text
from sqlmodel import Session, col, select

from scorecard.db.models import Call, Operator, OutcomeEvent, Team, utcnow
from scorecard.ingest.asterisk import CallRecord, Rejected
from scorecard.ingest.operators import OperatorRow
from scorecard.ingest.outcomes import OutcomeRow
from scorecard.ingest.tables import paused_gc
from scorecard.services.metrics import mark_stale


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
                f"{len(self.rejected)} rejected")


# -- operators ------------------------------------------------------------------------------


def import_operators(session: Session, rows: Sequence[OperatorRow]) -> ImportReport:
    """Create or update operators (and their teams); the key is the agent id, else the name."""
    report = ImportReport()
    teams = {t.name.casefold(): t for t in session.exec(select(Team)).all()}
    existing = session.exec(select(Operator)).all()
    by_agent = {o.agent_id: o for o in existing if o.agent_id}
    by_name = {o.name.casefold(): o for o in existing}
    now = utcnow()
    for row in rows:
        team = teams.get(row.team.casefold())
        if team is None:
            team = teams[row.team.casefold()] = Team(name=row.team, created_at=now)
            session.add(team)
            session.flush()
            report.notes.append(f"new team {row.team!r}")
        operator = by_agent.get(row.agent_id) if row.agent_id else by_name.get(row.name.casefold())
        values = {"name": row.name, "team_id": team.id, "extension": row.extension,
                  "agent_id": row.agent_id, "pbx_login": row.pbx_login, "active": row.active}
        if operator is None:
            session.add(Operator(**values, created_at=now))
            report.new += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(operator, k) != v}
        if not changed:
            report.unchanged += 1
            continue
        for key, value in changed.items():
            setattr(operator, key, value)
        report.updated += 1
    session.flush()
    return report


# -- calls ----------------------------------------------------------------------------------

_REBUILD_INDEXES_ABOVE = 100_000
#: The secondary indexes on calls (see the initial migration), rebuilt after big imports.
_TIME_INDEXES = (("ix_call_started_at", "started_at"),
                 ("ix_call_operator_started", "operator_id, started_at"))
_CALL_COLUMNS = ("external_id", "operator_id", "started_at", "answered_at", "ring_seconds",
                 "talk_seconds", "direction", "disposition", "client_number", "source")


def operator_extensions(session: Session) -> dict[str, int]:
    """Extension -> operator id, for the active operators."""
    rows = session.exec(
        select(Operator.extension, Operator.id).where(Operator.active)  # type: ignore[arg-type]
    ).all()
    return {extension: operator_id for extension, operator_id in rows
            if extension and operator_id is not None}


def operator_names(session: Session) -> dict[str, str]:
    """Every way an export names an active operator (name, extension, agent id, login),
    case-folded, to their extension."""
    names: dict[str, str] = {}
    for operator in session.exec(select(Operator).where(col(Operator.active))).all():
        if not operator.extension:
            continue
        for ref in (operator.extension, operator.name, operator.agent_id, operator.pbx_login):
            if ref:
                names.setdefault(ref.casefold(), operator.extension)
    return names


def import_calls(
    session: Session, calls: Sequence[CallRecord], *, source: str
) -> ImportReport:
    """Insert new calls and update changed ones, in the caller's transaction."""
    with paused_gc():
        return _import_calls(session, calls, source)


def _import_calls(session: Session, calls: Sequence[CallRecord], source: str) -> ImportReport:
    report = ImportReport()
    if not calls:
        return report
    extensions = operator_extensions(session)
    unknown = sum(1 for c in calls if c.operator_extension not in extensions)
    if unknown:
        report.notes.append(f"{unknown} call(s) with no known operator extension "
                            "(import the operator list, then this file again)")
    rows = [
        (c.external_id, extensions.get(c.operator_extension or ""), c.started_at,
         c.answered_at, c.ring_seconds, c.talk_seconds, c.direction, c.disposition,
         c.client_number, source)
        for c in calls
    ]
    stored = _stored_calls(session, min(c.started_at for c in calls),
                           max(c.started_at for c in calls))
    fresh, changed = [], []
    for row in rows:
        before = stored.get(row[0])
        if before is None:
            fresh.append(row)
        elif before != row[1:9]:
            changed.append(row)
        else:
            report.unchanged += 1
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite and len(fresh) + len(changed) > 10_000:
        # The default 2 MB page cache makes every index update of a big import a disk
        # read; a larger cache for this connection keeps the call indexes in memory.
        connection.exec_driver_sql("PRAGMA cache_size = -262144")
    if fresh:
        placeholders = ", ".join(["?" if sqlite else "%s"] * len(_CALL_COLUMNS))
        insert = (f'INSERT INTO "call" ({", ".join(_CALL_COLUMNS)}) VALUES ({placeholders}) '
                  "ON CONFLICT (external_id) DO NOTHING")
        rebuild = sqlite and len(fresh) > _REBUILD_INDEXES_ABOVE
        if rebuild:
            # Building the time indexes once afterwards beats updating them a million
            # times; it all happens inside the import's transaction.
            for name, _ in _TIME_INDEXES:
                connection.exec_driver_sql(f"DROP INDEX {name}")
        report.new = _executemany(connection, insert, _for_driver(fresh, sqlite))
        if rebuild:
            for name, columns in _TIME_INDEXES:
                connection.exec_driver_sql(f'CREATE INDEX {name} ON "call" ({columns})')
        report.unchanged += len(fresh) - report.new  # stored outside the file's time span
    if changed:
        assignments = ", ".join(f"{c} = {'?' if sqlite else '%s'}" for c in _CALL_COLUMNS[1:])
        update = f'UPDATE "call" SET {assignments} WHERE external_id = {"?" if sqlite else "%s"}'
        shuffled = [(*row[1:], row[0]) for row in _for_driver(changed, sqlite)]
        _executemany(connection, update, shuffled)
        report.updated = len(changed)
    if report.new or report.updated:
        first = min(c.started_at for c in calls).date()
        mark_stale(session, first, max(c.started_at for c in calls).date())
    return report


def _stored_calls(
    session: Session, first: datetime, last: datetime
) -> dict[str, tuple[object, ...]]:
    """Calls already stored in the file's time span, keyed by external id."""
    result = session.connection().execute(
        text('SELECT external_id, operator_id, started_at, answered_at, ring_seconds, '
             'talk_seconds, direction, disposition, client_number FROM "call" '
             "WHERE started_at BETWEEN :first AND :last").columns(),
        {"first": first, "last": last},
    )
    sqlite = session.connection().dialect.name == "sqlite"
    stored = {}
    for row in result:
        values = tuple(row[1:])
        if sqlite:  # text columns come back as text; compare in the file's terms
            values = (values[0], _as_datetime(values[1]), _as_datetime(values[2]), *values[3:])
        stored[row[0]] = values
    return stored


def _as_datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _for_driver(rows: list[tuple], sqlite: bool) -> list[tuple]:
    """SQLite stores datetimes as text in SQLAlchemy's format; PostgreSQL takes them as is."""
    if not sqlite:
        return rows
    return [(r[0], r[1], _text(r[2]), _text(r[3]), *r[4:]) for r in rows]


def _text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(" ", "microseconds")


def _executemany(connection: Connection, statement: str, rows: list[tuple]) -> int:
    """Run ``statement`` for every row through the driver; the number of rows it changed."""
    cursor = connection.connection.driver_connection.cursor()
    changed = 0
    for start in range(0, len(rows), 50_000):
        cursor.executemany(statement, rows[start:start + 50_000])
        changed += max(cursor.rowcount, 0)
    return changed


# -- outcome events -------------------------------------------------------------------------


def import_outcomes(session: Session, rows: Sequence[OutcomeRow]) -> ImportReport:
    """Create or update outcome events (the key is the event id); link calls and operators.

    A row whose call or operator is unknown is rejected with its line.
    """
    report = ImportReport()
    touched: set[date] = set()
    calls = _calls_by_external_id(session, {r.call for r in rows if r.call})
    operators = _operator_refs(session)
    existing = {e.external_id: e for e in session.exec(
        select(OutcomeEvent).where(col(OutcomeEvent.external_id).in_([r.external_id
                                                                       for r in rows]))
    ).all()} if rows else {}
    for row in rows:
        call = calls.get(row.call) if row.call else None
        if row.call and call is None:
            report.rejected.append(Rejected(row.line, f"call: no call with external id "
                                                      f"{row.call!r}"))
            continue
        operator_id = operators.get(row.operator.casefold()) if row.operator else None
        if row.operator and operator_id is None:
            report.rejected.append(Rejected(row.line, f"operator: unknown {row.operator!r} "
                                                      "(name, extension or agent id)"))
            continue
        values = {
            "call_id": call[0] if call else None,
            "operator_id": operator_id if operator_id is not None else (call[1] if call else None),
            "occurred_at": row.occurred_at or (call[2] if call else None),
            "kind": row.kind, "amount_kopecks": row.amount_kopecks,
            "client_kind": row.client_kind, "client_ref": row.client_ref, "source": "import",
        }
        event = existing.get(row.external_id)
        if event is None:
            event = OutcomeEvent(external_id=row.external_id, **values)
            session.add(event)
            existing[row.external_id] = event
            report.new += 1
            if values["occurred_at"] is not None:
                touched.add(values["occurred_at"].date())
            continue
        changed = {k: v for k, v in values.items() if getattr(event, k) != v}
        if changed:
            if "occurred_at" in changed and event.occurred_at is not None:
                touched.add(event.occurred_at.date())  # the day it moved away from
            for key, value in changed.items():
                setattr(event, key, value)
            report.updated += 1
        else:
            report.unchanged += 1
            continue
        if values["occurred_at"] is not None:
            touched.add(values["occurred_at"].date())
    session.flush()
    if touched:
        mark_stale(session, min(touched), max(touched))
    return report


def _calls_by_external_id(
    session: Session, external_ids: set[str | None]
) -> dict[str, tuple[int, int | None, datetime]]:
    wanted = sorted(e for e in external_ids if e)
    found: dict[str, tuple[int, int | None, datetime]] = {}
    for start in range(0, len(wanted), 900):
        for external, call_id, operator_id, started in session.exec(
            select(Call.external_id, Call.id, Call.operator_id, Call.started_at)
            .where(col(Call.external_id).in_(wanted[start:start + 900]))
        ).all():
            found[external] = (call_id, operator_id, started)
    return found


def _operator_refs(session: Session) -> dict[str, int]:
    """Every way an export names an operator (name, extension, agent id, login) -> id."""
    refs: dict[str, int] = {}
    for operator in session.exec(select(Operator)).all():
        assert operator.id is not None
        for ref in (operator.name, operator.extension, operator.agent_id, operator.pbx_login):
            if ref:
                refs.setdefault(ref.casefold(), operator.id)
    return refs

"""Imports as units of work: idempotent on natural keys, all or nothing per file.

Each import compares what the file says with what is stored: rows that are not there are
inserted, rows that differ are updated, identical rows are left alone, so running the same
file twice changes nothing and a corrected file updates just what it corrects. Calls go in
through the driver with plain tuples (on SQLite many rows per INSERT): a million rows leave
no room for per-row ORM work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from operator import itemgetter

from sqlalchemy import Connection, DateTime, bindparam, text
from sqlmodel import Session, col, select

from scorecard.db.bulk import copy_postgres, executemany, insert_sqlite
from scorecard.db.models import Call, Operator, OutcomeEvent, Seat, Team, utcnow
from scorecard.ingest.cdr.legs import LEG_SOURCES
from scorecard.ingest.cdr.records import CallRecord, stored_form
from scorecard.ingest.operators import OperatorRow
from scorecard.ingest.outcomes import OutcomeRow
from scorecard.ingest.tables import Rejected, paused_gc
from scorecard.services.call_legs import reconcile_legs, write_legs
from scorecard.services.limits import INT_MAX, beyond_limits, limits_of
from scorecard.services.metrics import mark_stale, recheck_closed
from scorecard.services.seats import SeatMap


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


def import_operators(session: Session, rows: Sequence[OperatorRow], *,
                     since: date | None = None) -> ImportReport:
    """Create or update operators (and their teams); the key is the agent id, else the name.

    Extensions and teams are seats held from a day on (see :mod:`scorecard.services.seats`):
    a change is held from ``since`` (default: today), so earlier calls stay whose they were;
    a new operator's first seat is held from ``since`` (default: since always).
    """
    report = ImportReport()
    seats = _open_seats(session)
    changed_on = since or date.today()
    teams = {t.name.casefold(): t for t in session.exec(select(Team)).all()}
    existing = session.exec(select(Operator)).all()
    by_agent = {o.agent_id: o for o in existing if o.agent_id}
    by_name = {o.name.casefold(): o for o in existing}
    now = utcnow()
    operator_limits, team_limits = limits_of(Operator), limits_of(Team)
    moved = False
    for row in rows:
        problem = beyond_limits({"name": row.name, "extension": row.extension,
                                 "agent_id": row.agent_id, "pbx_login": row.pbx_login},
                                operator_limits) or beyond_limits({"name": row.team},
                                                                   team_limits)
        if problem:
            report.rejected.append(Rejected(row.line, problem))
            continue
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
            operator = Operator(**values, created_at=now)
            session.add(operator)
            session.flush()
            if row.active:
                session.add(Seat(operator_id=operator.id, extension=row.extension,
                                 team_id=team.id, valid_from=since))
            report.new += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(operator, k) != v}
        if not changed:
            report.unchanged += 1
            continue
        if changed.keys() & {"extension", "team_id", "active"}:
            _move_seat(session, operator, seats.get(operator.id), changed_on,
                       row.extension if row.active else None, team.id)
        moved = moved or "team_id" in changed
        for key, value in changed.items():
            setattr(operator, key, value)
        report.updated += 1
    if moved:  # a month paid by the team held from that day on
        recheck_closed(session, changed_on)
    session.flush()
    return report


def _open_seats(session: Session) -> dict[int, Seat]:
    """Each operator's seat held today, by operator id."""
    return {seat.operator_id: seat for seat in session.exec(
        select(Seat).where(col(Seat.valid_to).is_(None))).all()}


def _move_seat(session: Session, operator: Operator, held: Seat | None, day: date,
               extension: str | None, team_id: int | None) -> None:
    """The operator leaves their seat on ``day`` and, with an ``extension``, takes that one."""
    if held is None and operator.extension and operator.id is not None:
        # Kept from before seats were: held since always, until now.
        held = Seat(operator_id=operator.id, extension=operator.extension,
                    team_id=operator.team_id)
        session.add(held)
    if held is not None:
        if held.valid_from is not None and held.valid_from >= day:
            session.delete(held)  # changed again the day it began: that day never was
        else:
            held.valid_to = day
    if extension is not None and operator.id is not None:
        session.add(Seat(operator_id=operator.id, extension=extension, team_id=team_id,
                         valid_from=day))


# -- calls ----------------------------------------------------------------------------------

_REBUILD_INDEXES_ABOVE = 100_000
#: Calls above which PostgreSQL takes them by COPY (a statement per row costs ten times more).
_COPY_ABOVE = 2_000
#: The secondary indexes on calls (see the initial migration), rebuilt after big imports.
_TIME_INDEXES = (("ix_call_started_at", "started_at"),
                 ("ix_call_operator_started", "operator_id, started_at"))
_CALL_COLUMNS = ("external_id", "operator_id", "started_at", "answered_at", "ring_seconds",
                 "talk_seconds", "direction", "disposition", "client_number", "source",
                 "recording_path", "legs")


def operator_extensions(session: Session) -> dict[str, int | None]:
    """Every extension an operator holds or held (see :mod:`scorecard.services.seats`): the
    readers' answer to "is this an operator's?"."""
    return SeatMap.load(session).extensions()


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


def _import_calls(session: Session, given: Sequence[CallRecord], source: str) -> ImportReport:
    report = ImportReport()
    given = _within_limits(given, report)
    if not given:
        return report
    calls = list(given)  # a call whose earlier legs are stored is decided again
    seats = SeatMap.load(session)
    extensions = seats.extensions()
    # None: nobody held the call's extension that day.
    operator_ids = seats.operators_of([call.operator_extension for call in calls],
                                      [call.started_at for call in calls])
    first = min(map(_STARTED, calls))
    last = max(map(_STARTED, calls))
    stored = _stored_calls(session, first, last)
    fresh = [p for p, call in enumerate(calls) if call.external_id not in stored] if stored \
        else range(len(calls))
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    sample = calls[0].legs[0] if calls[0].legs else calls[0]
    keeps_legs = source in LEG_SOURCES and sample.raw is not None
    changed: list[int] = []
    legs_to_write: dict[str, list[str]] = {}
    with _big_cache(connection, sqlite and len(calls) > 10_000):
        if fresh:
            rows = _rows(calls, operator_ids, list(fresh) if stored else None, source, sqlite)
            report.new = _insert_calls(connection, rows, len(fresh), sqlite)
        known = [p for p, call in enumerate(calls) if call.external_id in stored] if stored \
            else []
        if report.new < len(fresh):  # some were stored already, with a start outside the span
            moved = _stored_calls(session, first, last, external_ids=[
                calls[p].external_id for p in fresh])
            stored.update(moved)
            known += [p for p in fresh if calls[p].external_id in moved]
            fresh = [p for p in fresh if calls[p].external_id not in moved]
            for before in moved.values():
                old_start = before[1]
                assert isinstance(old_start, datetime)
                first, last = min(first, old_start), max(last, old_start)
        if keeps_legs and known:
            legs_to_write = reconcile_legs(session, calls, known, source, extensions)
            for position in known:
                operator_ids[position] = seats.operator_at(calls[position].operator_extension,
                                                           calls[position].started_at)
        for position in known:
            if _stored_differs(stored[calls[position].external_id], calls[position],
                               operator_ids[position]):
                changed.append(position)
            else:
                report.unchanged += 1
        if changed:
            mark = "?" if sqlite else "%s"
            # A file that names no recording keeps the one stored (--recordings, say).
            assignments = ", ".join(
                f"{c} = COALESCE({mark}, {c})" if c in ("recording_path", "legs")
                else f"{c} = {mark}" for c in _CALL_COLUMNS[1:])
            update = (f'UPDATE "call" SET {assignments} '
                      f'WHERE external_id = {"?" if sqlite else "%s"}')
            shuffled = [(*row[1:], row[0])
                        for row in _rows(calls, operator_ids, changed, source, sqlite)]
            executemany(connection, update, shuffled)
            report.updated = len(changed)
        if legs_to_write:
            write_legs(connection, legs_to_write)
    unknown = sum(operator_ids[p] is None for p in (*fresh, *changed))
    if unknown:  # some rightly: a remote office answered, or nobody did
        report.notes.append(f"{unknown} call(s) with no known operator extension "
                            "(if operators are missing: import the operator list, then "
                            "this file again)")
    if report.new or report.updated:
        mark_stale(session, first.date(), last.date())
    return report


_STARTED = itemgetter(2)


def _within_limits(calls: Sequence[CallRecord], report: ImportReport) -> Sequence[CallRecord]:
    """The calls whose values fit their columns; the others rejected (see
    :mod:`scorecard.services.limits`). One cheap pass: a million calls in a fraction of a
    second, and the list is only copied when something is over."""
    limits = limits_of(Call)
    longest_id, longest_number, longest_path = (limits["external_id"], limits["client_number"],
                                                limits["recording_path"])
    over = [call for call in calls if len(call.external_id) > longest_id
            or call.talk_seconds > INT_MAX or call.ring_seconds > INT_MAX
            or (call.client_number is not None and len(call.client_number) > longest_number)
            or (call.recording is not None and len(call.recording) > longest_path)]
    if not over:
        return calls
    for call in over:
        report.rejected.append(Rejected(call.line, beyond_limits(
            {"external_id": call.external_id, "client_number": call.client_number,
             "talk_seconds": call.talk_seconds, "ring_seconds": call.ring_seconds,
             "recording_path": call.recording}, limits) or "a value is too long"))
    skipped = {id(call) for call in over}
    return [call for call in calls if id(call) not in skipped]


@contextmanager
def _big_cache(connection: Connection, wanted: bool) -> Iterator[None]:
    """A big page cache on this SQLite connection while a big import runs.

    The default 2 MB cache makes every index update of a big import a disk read; 256 MB
    keeps the call table's indexes in memory. The connection goes back to the pool after,
    so it gets its own cache size back (after a failure it keeps the big one: harmless).
    """
    if not wanted:
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql("PRAGMA cache_size = -262144")
    yield
    connection.exec_driver_sql(f"PRAGMA cache_size = {int(before)}")


def _rows(
    calls: Sequence[CallRecord], operator_ids: list[int | None], positions: list[int] | None,
    source: str, sqlite: bool,
) -> Iterator[tuple]:
    """Rows in _CALL_COLUMNS order of the calls at ``positions`` (all when None), made as
    they are inserted (a million rows at once would only cost memory).

    SQLite stores datetimes as text in SQLAlchemy's format; the reader's text is used where
    it has it. PostgreSQL takes datetimes as they are.
    """
    chosen: Iterable[tuple[CallRecord, int | None]] = zip(calls, operator_ids, strict=True)
    if positions is not None:
        chosen = ((calls[p], operator_ids[p]) for p in positions)
    if not sqlite:
        return ((c[0], operator_id, *c[2:9], source, c[12], stored_form(c))
                for c, operator_id in chosen)
    return ((c[0], operator_id, c[10] or _text(c[2]), c[11] or (c[3] and _text(c[3])),
             *c[4:9], source, c[12], stored_form(c)) for c, operator_id in chosen)


def _insert_calls(connection: Connection, rows: Iterator[tuple], count: int, sqlite: bool) -> int:
    """Insert the ``count`` ``rows`` (those already stored are left alone); how many went in.

    Above 100,000 rows, SQLite builds the call time indexes once afterwards instead of
    updating them a million times; it all happens inside the import's transaction.
    """
    placeholder = "?" if sqlite else "%s"
    head = f'INSERT INTO "call" ({", ".join(_CALL_COLUMNS)}) VALUES '
    conflict = " ON CONFLICT (external_id) DO NOTHING"
    if not sqlite:
        if count > _COPY_ABOVE:
            return copy_postgres(connection, "call", _CALL_COLUMNS, rows, conflict)
        values = f"({', '.join([placeholder] * len(_CALL_COLUMNS))})"
        return executemany(connection, head + values + conflict, list(rows))
    rebuild = count > _REBUILD_INDEXES_ABOVE
    if rebuild:
        for name, _ in _TIME_INDEXES:
            connection.exec_driver_sql(f"DROP INDEX {name}")
    inserted = insert_sqlite(connection, head, conflict, rows, len(_CALL_COLUMNS))
    if rebuild:
        for name, columns in _TIME_INDEXES:
            connection.exec_driver_sql(f'CREATE INDEX {name} ON "call" ({columns})')
    return inserted


def _stored_differs(before: tuple[object, ...], call: CallRecord, operator_id: int | None) -> bool:
    return before[:8] != (operator_id, *call[2:9]) or (
        call.recording is not None and call.recording != before[8])


def _stored_calls(
    session: Session, first: datetime, last: datetime, *, external_ids: Sequence[str] = (),
) -> dict[str, tuple[object, ...]]:
    """Calls already stored in the file's time span, keyed by external id; with
    ``external_ids``, those of these stored outside the span instead."""
    select_calls = ('SELECT external_id, operator_id, started_at, answered_at, ring_seconds, '
                    'talk_seconds, direction, disposition, client_number, recording_path '
                    'FROM "call" WHERE ')
    # Typed bounds: SQLite keeps times as text with microseconds, and a bare "09:00:00"
    # would sort before the stored "09:00:00.000000" of the file's last call.
    bounds = (bindparam("first", type_=DateTime), bindparam("last", type_=DateTime))
    if external_ids:
        statement = text(select_calls + "external_id IN :ids AND (started_at < :first "
                         "OR started_at > :last)").bindparams(
            bindparam("ids", expanding=True), *bounds)
    else:
        statement = text(select_calls + "started_at BETWEEN :first AND :last").bindparams(
            *bounds)
    sqlite = session.connection().dialect.name == "sqlite"
    stored = {}
    ids = list(external_ids) or [None]
    for start in range(0, len(ids), 900):
        parameters = {"first": first, "last": last, "ids": ids[start:start + 900]}
        if not external_ids:
            del parameters["ids"]
        for row in session.connection().execute(statement.columns(), parameters):
            values = tuple(row[1:])
            if sqlite:  # text columns come back as text; compare in the file's terms
                values = (values[0], _as_datetime(values[1]), _as_datetime(values[2]),
                          *values[3:])
            stored[row[0]] = values
    return stored


def _as_datetime(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _text(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(" ", "microseconds")


# -- outcome events -------------------------------------------------------------------------


def import_outcomes(session: Session, rows: Sequence[OutcomeRow]) -> ImportReport:
    """Create or update outcome events (the key is the event id); link calls and operators.

    A row whose call or operator is unknown is rejected with its line.
    """
    report = ImportReport()
    touched: set[date] = set()
    calls = _calls_by_external_id(session, {r.call for r in rows if r.call})
    operators = operator_refs(session)
    existing = {e.external_id: e for e in session.exec(
        select(OutcomeEvent).where(col(OutcomeEvent.external_id).in_([r.external_id
                                                                       for r in rows]))
    ).all()} if rows else {}
    event_limits = limits_of(OutcomeEvent)
    for row in rows:
        problem = beyond_limits({"external_id": row.external_id, "client_ref": row.client_ref,
                                 "amount_kopecks": row.amount_kopecks}, event_limits)
        if problem:
            report.rejected.append(Rejected(row.line, problem))
            continue
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


def operator_refs(session: Session) -> dict[str, int]:
    """Every way an export names an operator (name, extension, agent id, login) -> id."""
    refs: dict[str, int] = {}
    for operator in session.exec(select(Operator)).all():
        assert operator.id is not None
        for ref in (operator.name, operator.extension, operator.agent_id, operator.pbx_login):
            if ref:
                refs.setdefault(ref.casefold(), operator.id)
    return refs

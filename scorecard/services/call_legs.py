"""The stored legs of calls: written with every import, merged with the legs a later file
brings, and read back to show or decide a call again.

A file may hold only some legs of a call (an export cut at midnight, a second file with
the transfer's leg): its legs join those stored, by leg identity (a corrected row replaces
its earlier form), and the call is decided again from all of them, so the order files come
in never changes the calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

from sqlalchemy import Connection, bindparam, text
from sqlmodel import Session

from scorecard.db.bulk import executemany, insert_sqlite
from scorecard.ingest.cdr.legs import calls_from_legs, leg_identity
from scorecard.ingest.cdr.records import CallRecord

_REBUILD_INDEX_ABOVE = 100_000
_INSERT = "INSERT INTO call_leg (call_key, source, raw) VALUES "


def stored_legs(session: Session, keys: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """(source, raw) of every stored leg of the calls with these external ids."""
    found: dict[str, list[tuple[str, str]]] = {}
    statement = text("SELECT call_key, source, raw FROM call_leg WHERE call_key IN :keys "
                     "ORDER BY id").bindparams(bindparam("keys", expanding=True))
    connection = session.connection()
    for start in range(0, len(keys), 900):
        for key, source, raw in connection.execute(statement, {"keys": keys[start:start + 900]}):
            found.setdefault(key, []).append((source, raw))
    return found


def reconcile_legs(session: Session, calls: list[CallRecord], positions: Sequence[int],
                   source: str, extensions: Mapping[str, object]) -> dict[str, list[str]]:
    """The legs to store for the already stored calls at ``positions``, by call key (only
    calls whose legs changed). A call with stored legs the file lacks is decided again
    from all of them, in place in ``calls``."""
    stored = stored_legs(session, [calls[p].external_id for p in positions])
    to_write: dict[str, list[str]] = {}
    for position in positions:
        call = calls[position]
        given = [leg.raw for leg in (call.legs or (call,)) if leg.raw is not None]
        before = [raw for leg_source, raw in stored.get(call.external_id, ())
                  if leg_source == source]
        if sorted(before) == sorted(given):
            continue
        mine = {leg_identity(source, raw): raw for raw in given}
        merged = {leg_identity(source, raw): raw for raw in before} | mine
        if merged.keys() == mine.keys():  # the file has every leg: its call stands
            to_write[call.external_id] = given
            continue
        raws = sorted(merged.values())
        decided = calls_from_legs(source, raws, extensions)
        if len(decided) == 1:
            calls[position] = decided[0]._replace(external_id=call.external_id,
                                                  line=call.line)
        to_write[call.external_id] = raws
    return to_write


def write_legs(connection: Connection, calls: Sequence[CallRecord], fresh: Iterable[int],
               replaced: Mapping[str, list[str]], source: str) -> None:
    """Store the legs of the new calls at ``fresh``, and replace the legs of ``replaced``."""
    sqlite = connection.dialect.name == "sqlite"
    if replaced:
        keys = list(replaced)
        mark = "?" if sqlite else "%s"
        executemany(connection, f"DELETE FROM call_leg WHERE call_key = {mark}",
                    [(key,) for key in keys])
    rows = _leg_rows(calls, fresh, replaced, source)
    if not sqlite:
        executemany(connection, _INSERT + "(%s, %s, %s)", list(rows))
        return
    fresh_count = len(fresh) if isinstance(fresh, Sequence | range) else 0
    rebuild = fresh_count > _REBUILD_INDEX_ABOVE
    if rebuild:  # one index build after a big insert, not a million updates
        connection.exec_driver_sql("DROP INDEX ix_call_leg_call_key")
    insert_sqlite(connection, _INSERT, "", rows, 3)
    if rebuild:
        connection.exec_driver_sql("CREATE INDEX ix_call_leg_call_key ON call_leg (call_key)")


def _leg_rows(calls: Sequence[CallRecord], fresh: Iterable[int],
              replaced: Mapping[str, list[str]], source: str) -> Iterator[tuple[str, str, str]]:
    for position in fresh:
        call = calls[position]
        key = call[0]
        if call.legs is None:
            if call.raw is not None:
                yield key, source, call.raw
        else:
            for leg in call.legs:
                if leg.raw is not None:
                    yield key, source, leg.raw
    for key, raws in replaced.items():
        for raw in raws:
            yield key, source, raw

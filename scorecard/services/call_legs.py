"""The stored legs of calls: merged with the legs a later file brings, and read back to
show or decide a call again. They are kept on the call itself (``call.legs``): one row
written per call, however many legs it had.

A file may hold only some legs of a call (an export cut at midnight, a second file with
the transfer's leg): its legs join those stored, by leg identity (a corrected row replaces
its earlier form), and the call is decided again from all of them, so the order files come
in never changes the calls.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Connection, bindparam, text
from sqlmodel import Session

from scorecard.db.bulk import executemany
from scorecard.ingest.cdr.legs import calls_from_legs, leg_identity
from scorecard.ingest.cdr.records import LEG_SEPARATOR, CallRecord


def stored_legs(session: Session, keys: Sequence[str]) -> dict[str, list[tuple[str, str]]]:
    """(source, raw) of every stored leg of the calls with these external ids."""
    found: dict[str, list[tuple[str, str]]] = {}
    statement = text('SELECT external_id, source, legs FROM "call" WHERE legs IS NOT NULL '
                     "AND external_id IN :keys").bindparams(bindparam("keys", expanding=True))
    connection = session.connection()
    for start in range(0, len(keys), 900):
        for key, source, legs in connection.execute(statement,
                                                    {"keys": keys[start:start + 900]}):
            found[key] = [(source, raw) for raw in legs.split(LEG_SEPARATOR)]
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


def write_legs(connection: Connection, replaced: Mapping[str, list[str]]) -> None:
    """Store the legs of calls already stored whose legs changed."""
    mark = "?" if connection.dialect.name == "sqlite" else "%s"
    executemany(connection, f'UPDATE "call" SET legs = {mark} WHERE external_id = {mark}',
                [(LEG_SEPARATOR.join(raws), key) for key, raws in replaced.items()])

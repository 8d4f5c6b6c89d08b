"""The centre's PBX rules, kept in the database as versions: read the newest, add a new one.

Every lead and listener importing call records reads the same rules from the shared
database, so one file always gives the same calls; each change is a new version with who
made it, and an audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from scorecard.db.models import PbxRules
from scorecard.ingest.cdr.rules import NO_RULES, CentreRules
from scorecard.ingest.dates import zone
from scorecard.services.access import Actor
from scorecard.services.audit import record


def current_rules(session: Session) -> CentreRules:
    """The newest rules (none set: no own numbers, no trunks, times kept as written)."""
    row = _newest(session)
    return NO_RULES if row is None else as_rules(row)


def as_rules(row: PbxRules) -> CentreRules:
    return CentreRules(own_numbers=frozenset(_split(row.own_numbers)),
                       trunks=frozenset(_split(row.trunks)), time_zone=row.time_zone)


def rules_history(session: Session) -> list[PbxRules]:
    return list(session.exec(select(PbxRules).order_by(col(PbxRules.version).desc())).all())


def set_rules(session: Session, by: Actor | None, *, own_numbers: Iterable[str] | None = None,
              trunks: Iterable[str] | None = None, time_zone: str | None = None) -> PbxRules:
    """A new version of the rules: what is given replaces the newest version's value, the
    rest is kept (``time_zone=""`` clears the zone). ``by`` None: the first setup."""
    before = _newest(session)
    numbers = _clean(own_numbers) if own_numbers is not None else (
        _split(before.own_numbers) if before else [])
    channels = _clean(trunks) if trunks is not None else (
        _split(before.trunks) if before else [])
    zone_name = (time_zone or None) if time_zone is not None else (
        before.time_zone if before else None)
    zone(zone_name)  # refused by name before anything is written
    row = PbxRules(version=(before.version + 1) if before else 1,
                   own_numbers=",".join(numbers), trunks=",".join(channels),
                   time_zone=zone_name, created_by=by.user_id if by else None)
    session.add(row)
    session.flush()
    record(session, action="pbx_rules.set", entity="pbx_rules", entity_id=row.id,
           actor_id=by.user_id if by else None, old=_described(before), new=_described(row))
    return row


def _newest(session: Session) -> PbxRules | None:
    return session.exec(select(PbxRules).order_by(col(PbxRules.version).desc())).first()


def _described(row: PbxRules | None) -> dict[str, object] | None:
    if row is None:
        return None
    return {"version": row.version, "own_numbers": row.own_numbers, "trunks": row.trunks,
            "time_zone": row.time_zone}


def _split(text: str) -> list[str]:
    return [part for part in text.split(",") if part]


def _clean(values: Iterable[str]) -> list[str]:
    """Each value trimmed, commas splitting values given together, no repeats, sorted."""
    return sorted({part.strip() for value in values for part in value.split(",")
                   if part.strip()})

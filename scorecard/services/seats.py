"""Who held which extension when: the seats behind "whose call was it".

An operator list imported with a start date (``scorecard import operators --from``) closes
the seats it changes on that day and opens the new ones; calls are given to whoever held
the extension on the call's day, so moving a person, or giving their extension to a
newcomer, never moves earlier calls or pay. Operators with an extension and no seat yet
(made before seats were kept) hold it since always while they are active.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Date, bindparam, text
from sqlmodel import Session, col, select

from scorecard.db.models import Operator, Seat


@dataclass
class SeatMap:
    """Extension -> operator, by day."""

    always: dict[str, int] = field(default_factory=dict)
    """Extensions held by one operator, every day: the common case, one lookup."""
    dated: dict[str, tuple[list[date], list[tuple[date | None, int]]]] = field(
        default_factory=dict)
    """Other extensions: the days their holders changed, and (until, operator) per span."""

    @classmethod
    def load(cls, session: Session) -> SeatMap:
        seats: dict[str, list[tuple[date | None, date | None, int]]] = {}
        for seat in session.exec(select(Seat)).all():
            seats.setdefault(seat.extension, []).append(
                (seat.valid_from, seat.valid_to, seat.operator_id))
        seated = {operator_id for spans in seats.values() for *_, operator_id in spans}
        for operator_id, extension in session.exec(
                select(Operator.id, Operator.extension).where(col(Operator.active))).all():
            if extension and operator_id is not None and operator_id not in seated:
                seats.setdefault(extension, []).append((None, None, operator_id))
        found = cls()
        for extension, spans in seats.items():
            if len(spans) == 1 and spans[0][:2] == (None, None):
                found.always[extension] = spans[0][2]
                continue
            spans.sort(key=lambda span: span[0] or date.min)
            starts = [span[0] or date.min for span in spans]
            found.dated[extension] = (starts, [(span[1], span[2]) for span in spans])
        return found

    def extensions(self) -> dict[str, int | None]:
        """Every extension any operator held (for the readers: who is an operator)."""
        return {**dict.fromkeys(self.dated), **self.always}

    def operator_at(self, extension: str | None, when: datetime) -> int | None:
        """Who held ``extension`` on ``when``'s day; None: nobody."""
        if extension is None:
            return None
        found = self.always.get(extension)
        if found is not None or extension not in self.dated:
            return found
        starts, spans = self.dated[extension]
        index = bisect_right(starts, when.date()) - 1
        if index < 0:
            return None
        until, operator_id = spans[index]
        return operator_id if until is None or when.date() < until else None

    def operators_of(self, extensions: Sequence[str | None],
                     times: Sequence[datetime]) -> list[int | None]:
        """:meth:`operator_at` for many calls at once."""
        always, dated = self.always, self.dated
        if not dated:
            return [always.get(extension) for extension in extensions]  # type: ignore[arg-type]
        return [always[extension] if extension in always else
                self.operator_at(extension, when) if extension in dated else None
                for extension, when in zip(extensions, times, strict=True)]


#: The team of the seat operator ``o`` held as a period began (or first took within it), in
#: SQL: bind ``:first``, ``:last`` and ``:origin`` (:data:`ORIGIN`). Without a seat, their
#: team now. Pay, quality and slices all place people by it.
SEAT_TEAM = (
    "COALESCE((SELECT s.team_id FROM seat s WHERE s.operator_id = o.id "
    "AND (s.valid_from IS NULL OR s.valid_from <= :last) "
    "AND (s.valid_to IS NULL OR s.valid_to > :first) "
    "ORDER BY COALESCE(s.valid_from, :origin), s.id LIMIT 1), o.team_id)")
ORIGIN = date(1, 1, 1)


def teams_on(session: Session, day: date) -> dict[int, int | None]:
    """Operator id → the team of the seat they held on ``day`` (:data:`SEAT_TEAM`)."""
    return {operator_id: team_id for operator_id, team_id in session.execute(
        text(f"SELECT o.id, {SEAT_TEAM} FROM operator o").bindparams(
            bindparam("first", type_=Date), bindparam("last", type_=Date),
            bindparam("origin", type_=Date)),
        {"first": day, "last": day, "origin": ORIGIN}).all()}

"""The centre's PBX as the call rules need to know it: its own numbers, its trunks, the time
zone calls are stored in. Plain data: the services keep versions of it in the database
(see :class:`scorecard.db.models.PbxRules`), the readers take it as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from scorecard.errors import ScorecardError
from scorecard.ingest.dates import parse_column, to_centre, zone
from scorecard.ingest.tables import Row


@dataclass(frozen=True)
class CentreRules:
    own_numbers: frozenset[str] = field(default_factory=frozenset)
    """The centre's external numbers (DIDs): a call to one came in from outside."""
    trunks: frozenset[str] = field(default_factory=frozenset)
    """Channel names of the trunks (``SIP/mts``, the channel up to its ``-``): a call on one
    came from outside, or goes out."""
    time_zone: str | None = None
    """The zone calls are stored in; times written with an offset are turned into it."""

    def __post_init__(self) -> None:
        zone(self.time_zone)  # refused here, not in the middle of a file

    @property
    def zone(self) -> ZoneInfo | None:
        return zone(self.time_zone)

    def local(self, moment: datetime) -> datetime:
        """A time as the centre's wall clock (see :func:`scorecard.ingest.dates.to_centre`):
        a plain one is already the PBX's wall clock.

        Every reader passes a time written with an offset through here at once, so that a
        file mixing times with and without one is normalised row by row, and aware and
        naive times never meet (when deciding a call from its legs, say)."""
        return moment if moment.tzinfo is None else to_centre(moment, None, self.zone)


NO_RULES = CentreRules()


def settled_form(rows: Sequence[Row], *positions: int) -> Callable[[str], datetime]:
    """How the times in these columns of these rows are read: ISO as PBXs write them, or
    the one form (``2020/2/10 22:41``, ``10.02.2020 22:41:05``…) a spreadsheet re-saved them
    in, day and month told apart by all of them. When no one form fits, ISO alone (the rows
    are then rejected, each naming its time)."""
    fromiso = datetime.fromisoformat
    texts = [fields[p] for _, fields in rows for p in positions
             if p < len(fields) and fields[p]]
    try:
        for text in texts:
            fromiso(text)
        return fromiso
    except ValueError:
        pass
    try:
        form = parse_column(texts, column="start").parser
    except ScorecardError:
        return fromiso

    def either(text: str) -> datetime:
        try:
            return fromiso(text)
        except ValueError:
            return form(text)
    return either

"""The centre's PBX as the call rules need to know it: its own numbers, its trunks, the time
zone calls are stored in. Plain data: the services keep versions of it in the database
(see :class:`scorecard.db.models.PbxRules`), the readers take it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from scorecard.ingest.dates import to_centre, zone


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
        a plain one is already the PBX's wall clock."""
        return moment if moment.tzinfo is None else to_centre(moment, None, self.zone)


NO_RULES = CentreRules()

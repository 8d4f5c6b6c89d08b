"""A call as every call-record reader hands it to storage, whatever the PBX, and the rules
that decide one call from the several rows (legs) a PBX writes for it.

Every reader turns each row into the call it would be alone (a *leg*); rows sharing a key
are then decided into one call by :func:`decide`, the same way in every format. The rules
depend on the legs' content only, never on their order in the file, so a file read forwards,
backwards or in two halves gives the same calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from operator import itemgetter
from typing import NamedTuple

from scorecard.domain.periods import covered_seconds

#: The longest call stored: the largest whole number PostgreSQL's integer column holds.
MAX_SECONDS = 2**31 - 1


class CallRecord(NamedTuple):
    """One call, ready to store (times are the centre's local wall clock).

    A named tuple, not a dataclass: a million of them are made in one import.
    """

    external_id: str
    operator_extension: str | None
    started_at: datetime
    answered_at: datetime | None
    ring_seconds: int
    talk_seconds: int
    direction: str
    disposition: str
    client_number: str | None
    line: int
    started_text: str | None = None
    """``started_at`` as ``YYYY-MM-DD HH:MM:SS.ffffff`` when the reader had it for free
    (the file wrote it so); None: format ``started_at``."""
    answered_text: str | None = None
    """``answered_at`` likewise."""
    recording: str | None = None
    """Where the call's recording is (a path or a name), when the export says."""
    raw: str | None = None
    """The row as the PBX wrote it (the columns its reader keeps: see
    :data:`scorecard.ingest.cdr.asterisk.KEPT`), fields joined by :data:`RAW_SEPARATOR`,
    kept as the call's leg; None for readers that keep no legs."""
    legs: tuple[CallRecord, ...] | None = None
    """The legs a call was decided from, when it had more than one."""


#: Joins a leg's fields in :attr:`CallRecord.raw` (a control character: never in a field).
RAW_SEPARATOR = "\x1f"
#: Joins the legs of a call where they are stored.
LEG_SEPARATOR = "\x1e"


def stored_form(call: CallRecord) -> str | None:
    """The call's legs as they are stored (None: the reader kept none)."""
    if call.legs is None:
        return call.raw
    raws = [leg.raw for leg in call.legs]
    return None if None in raws else LEG_SEPARATOR.join(raws)  # type: ignore[arg-type]


#: Which unanswered result a call gets when its legs disagree: a leg that rang and was not
#: picked up says more about the call than a busy one, and a busy one more than a failure.
UNANSWERED_ORDER = ("no_answer", "busy", "congestion", "failed")
_RANK = {name: rank for rank, name in enumerate(UNANSWERED_ORDER)}
_new = tuple.__new__  # builds a CallRecord without NamedTuple's Python-level __new__


def one_call_per_key(legs: Iterable[CallRecord]) -> list[CallRecord]:
    """One call per key from the legs (each the call it would be alone), ordered by line."""
    # Most calls have one leg, so a key holds that call, and a list only for several legs.
    calls_by_key: dict[str, CallRecord | list[CallRecord]] = {}
    first_call = calls_by_key.setdefault
    for call in legs:
        earlier = first_call(call[0], call)
        if earlier is not call:  # one more leg of a call already seen
            if type(earlier) is list:
                earlier.append(call)
            else:
                calls_by_key[call[0]] = [earlier, call]  # type: ignore[list-item]
    calls = [found if type(found) is not list else decide(found)
             for found in calls_by_key.values()]
    calls.sort(key=itemgetter(9))  # by line
    return calls  # type: ignore[return-value]


def decide(legs: Sequence[CallRecord]) -> CallRecord:
    """The call its legs (rows sharing one key, each as the call it would be alone) make.

    - Legs identical but for their line are one leg written twice.
    - The call starts with its earliest leg, which also gives its direction and client.
    - It was answered when a leg was (readers have already counted voicemail, IVR,
      feature codes and hang-up handlers as not answered); the earliest answer gives the
      operator and the answer time, ring is the time from the start to that answer. Talk is
      the time some answered leg with the call's client was talking: legs one after the
      other (a transfer) add up, legs at the same time (both sides of one conversation, as
      FreeSWITCH writes a- and b-legs) count once.
    - Unanswered: ring is the longest leg's ring (parallel legs ring at once: never a sum),
      the operator is the one every leg rang (none when they rang several), the result the
      most telling of the legs' (see :data:`UNANSWERED_ORDER`).

    Ties are broken by the whole content, so the answer never depends on the legs' order;
    the call keeps the smallest line of its legs.
    """
    # By content, then line: of a row written twice, the first line stays. (Indexes, not
    # names, and a leg that keeps its row is that row (see _content): this runs for every
    # call with several legs, hundreds of thousands a file.)
    keyed = sorted([((leg[2], 0, raw) if (raw := leg[13]) is not None else _content(leg),
                     leg[9], n) for n, leg in enumerate(legs)])
    ordered: list[CallRecord] = []
    contents: list[tuple[object, ...]] = []
    last: tuple[object, ...] | None = None
    for content, _, n in keyed:
        if content != last:
            contents.append(content)
            ordered.append(legs[n])
            last = content
    line = min([key[1] for key in keyed])
    first = ordered[0]
    client = first[8] or next((leg[8] for leg in ordered if leg[8]), None)
    answered = [n for n, leg in enumerate(ordered) if leg[7] == "answered"]
    if answered:
        if len(answered) == 1:
            taker = ordered[answered[0]]
            talking = [taker]
        else:
            taker = ordered[min(answered, key=lambda n: (ordered[n][3] or ordered[n][2],
                                                         contents[n]))]
            talking = [ordered[n] for n in answered]
        answered_at = taker[3] or first[2]
        # Legs of one key may start decades apart (a reused id): ring, like talk, is capped
        # at what storage holds.
        ring = min(MAX_SECONDS, max(0, int((answered_at - first[2]).total_seconds())))
        # Talk with the client: an attended transfer's consultation between two operators
        # is a leg with another party, not talk with the client.
        with_client = [leg for leg in talking if leg[8] in (client, None)] or talking
        talk = with_client[0][5] if len(with_client) == 1 else _talk_time(with_client)
        return _new(CallRecord, (
            first[0], taker[1], first[2], answered_at, ring, min(MAX_SECONDS, talk), first[6],
            "answered", client, line, first[10], taker[11], taker[12] or first[12], None,
            tuple(ordered)))
    operators = {leg[1] for leg in ordered}
    operators.discard(None)
    results = [leg[7] for leg in ordered]
    # Mostly every leg has the same result (the legs of a ring group did not answer): then
    # it is the call's, with no ranking.
    result = results[0] if results.count(results[0]) == len(results) else min(
        results, key=lambda name: _RANK.get(name, len(_RANK)))
    return _new(CallRecord, (
        first[0], operators.pop() if len(operators) == 1 else None, first[2], None,
        max([leg[4] for leg in ordered]), 0, first[6], result,
        client, line, first[10], None, next((leg[12] for leg in ordered if leg[12]), None),
        None, tuple(ordered)))


def _talk_time(legs: Sequence[CallRecord]) -> int:
    """Seconds covered by the legs' talk intervals (answer to answer + talk), overlaps once."""
    spans = []
    for leg in legs:
        start = leg.answered_at or leg.started_at
        spans.append((start, start + timedelta(seconds=leg.talk_seconds)))
    return covered_seconds(spans)


def _content(leg: CallRecord) -> tuple[object, ...]:
    """What a leg that keeps no row says, comparable, without its line or the texts its
    times were written as (two legs alike in everything else are one row written twice).
    :func:`decide` takes a leg that keeps its row as ``(start, 0, row)`` itself: the row
    says everything else, and the second field keeps the two shapes apart, so a call with
    legs of both still sorts."""
    return (leg.started_at, 1, leg.answered_at is not None, leg.answered_at or leg.started_at,
            leg.operator_extension or "", leg.ring_seconds, leg.talk_seconds, leg.direction,
            leg.disposition, leg.client_number or "", leg.recording or "", "")

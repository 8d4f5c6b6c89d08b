"""Asterisk's ``queue_log``: who was logged in to the queues and paused when, and which agent
took each queue call.

Each line is ``epoch|callid|queue|agent|event|data…``. Logged-in time runs from ADDMEMBER
(or AGENTLOGIN) to REMOVEMEMBER (AGENTLOGOFF), paused time from PAUSE (PAUSEALL) to UNPAUSE
(UNPAUSEALL); CONNECT (AGENTCONNECT in older versions) names the agent who took a call.
Times are Unix times, turned into the centre's wall clock by the caller's zone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from scorecard.ingest.dates import in_range, out_of_range
from scorecard.ingest.tables import NUL_MARK, Rejected

_OPEN = {"ADDMEMBER": "logged_in", "AGENTLOGIN": "logged_in", "PAUSE": "paused",
         "PAUSEALL": "paused"}
_CLOSE = {"REMOVEMEMBER": "logged_in", "AGENTLOGOFF": "logged_in", "UNPAUSE": "paused",
          "UNPAUSEALL": "paused"}
_CONNECT = frozenset({"CONNECT", "AGENTCONNECT"})
#: Events that say nothing about agents' time or calls' agents, skipped without a word.
_OTHER = frozenset({"ENTERQUEUE", "RINGNOANSWER", "COMPLETEAGENT", "COMPLETECALLER",
                    "ABANDON", "EXITWITHTIMEOUT", "EXITWITHKEY", "EXITEMPTY", "TRANSFER",
                    "BLINDTRANSFER", "ATTENDEDTRANSFER", "QUEUESTART", "CONFIGRELOAD",
                    "SYSCOMPAT", "RINGCANCELED", "AGENTDUMP", "AGENTCALLBACKLOGIN",
                    "AGENTCALLBACKLOGOFF", "INFO", "DID", "UPDATEFIELD"})


class Span(NamedTuple):
    """An agent logged in (to a queue; empty: to all) or paused, from ``started_at`` to
    ``ended_at`` (None: the file ends before it does)."""

    agent: str
    state: str
    queue: str
    started_at: datetime
    ended_at: datetime | None
    reason: str | None


class Connect(NamedTuple):
    """A queue call (the caller's uniqueid) taken by an agent."""

    callid: str
    agent: str
    at: datetime


class Close(NamedTuple):
    """The end of a span that began before the file: it closes the one stored."""

    agent: str
    state: str
    queue: str
    at: datetime


class QueueLog(NamedTuple):
    spans: list[Span]
    connects: list[Connect]
    closes: list[Close]
    rejected: list[Rejected]
    ignored: int
    """Lines of events that say nothing about agents' time or calls' agents."""


def parse_queue_log(lines: Iterable[tuple[int, str]], zone: ZoneInfo) -> QueueLog:
    """Spans and connections from numbered ``queue_log`` lines, in the centre's ``zone``."""
    open_spans: dict[tuple[str, str, str], tuple[datetime, str | None]] = {}
    spans: list[Span] = []
    connects: list[Connect] = []
    closes: list[Close] = []
    rejected: list[Rejected] = []
    ignored = 0
    events = []
    for line, text in lines:
        if not text.strip():
            continue
        if NUL_MARK in text:
            rejected.append(Rejected(line, "NUL byte in the line"))
            continue
        fields = text.rstrip("\r\n").split("|")
        if len(fields) < 5:
            rejected.append(Rejected(line, f"{len(fields)} fields, expected at least 5 "
                                           "(time|callid|queue|agent|event)"))
            continue
        try:
            seconds = float(fields[0])
            at = datetime.fromtimestamp(seconds, UTC).astimezone(zone).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            rejected.append(Rejected(line, f"time: not a Unix time {fields[0]!r}"))
            continue
        if not in_range(at):  # 99999999999 is a Unix time too: in the year 5138
            rejected.append(Rejected(line, out_of_range("time", fields[0])))
            continue
        events.append((at, line, fields))
    events.sort(key=lambda event: (event[0], event[1]))  # files are in time order: mostly
    for at, line, fields in events:
        callid, queue, agent, event = fields[1], fields[2], fields[3], fields[4].upper()
        queue = "" if queue.upper() == "NONE" else queue
        if event in _OPEN or event in _CLOSE:
            state = _OPEN.get(event) or _CLOSE[event]
            if state == "paused" or event in ("AGENTLOGIN", "AGENTLOGOFF"):
                queue = "" if event in ("PAUSEALL", "UNPAUSEALL") else queue
            key = (agent, state, queue)
            if event in _OPEN:
                reason = fields[5] if state == "paused" and len(fields) > 5 else None
                open_spans.setdefault(key, (at, reason or None))
            elif key in open_spans:
                started, reason = open_spans.pop(key)
                spans.append(Span(agent, state, queue, started, at, reason))
            else:  # the span began before the file (a log rotated while it ran)
                closes.append(Close(agent, state, queue, at))
        elif event in _CONNECT:
            if callid and callid.upper() != "NONE" and agent and agent.upper() != "NONE":
                connects.append(Connect(callid, agent, at))
        elif event in _OTHER:
            ignored += 1
        else:
            rejected.append(Rejected(line, f"event: unknown {fields[4]!r}"))
    spans += [Span(agent, state, queue, started, None, reason)
              for (agent, state, queue), (started, reason) in open_spans.items()]
    spans.sort(key=lambda span: (span.started_at, span.agent, span.state, span.queue))
    return QueueLog(spans, connects, closes, sorted(rejected, key=lambda r: r.line), ignored)

"""Call exports of any other layout (cloud PBXs, CRM reports), read through a TOML mapping.

The mapping says which column holds what, how dates are written and which of the
export's words mean answered, busy and so on (see README, "Mapping other exports").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from scorecard.errors import ScorecardError
from scorecard.ingest.cdr.records import MAX_SECONDS, CallRecord
from scorecard.ingest.tables import NUL_MARK, Rejected, Row, paused_gc
from scorecard.tomlfiles import load_model

Disposition = Literal["answered", "no_answer", "busy", "failed", "congestion"]


class Columns(BaseModel):
    """Header names (or 1-based column numbers) of the export."""

    model_config = ConfigDict(extra="forbid")

    external_id: str | int
    operator: str | int
    started_at: str | int
    talk_seconds: str | int
    disposition: str | int
    client_number: str | int | None = None
    direction: str | int | None = None
    ring_seconds: str | int | None = None


class CallMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delimiter: str | None = None
    encoding: str | None = None
    header: bool = True
    date_format: str = "%Y-%m-%d %H:%M:%S"
    columns: Columns
    dispositions: dict[str, Disposition]
    directions: dict[str, Literal["outbound", "inbound"]] = {}


def load_mapping(path: Path) -> CallMapping:
    return load_model(path, CallMapping)


def parse_mapped(
    rows: Iterable[Row], mapping: CallMapping, operators: Mapping[str, str], source: str
) -> tuple[list[CallRecord], list[Rejected]]:
    """Calls from an export; ``operators`` maps every name of an operator to their extension."""
    iterator = iter(rows)
    index = _column_index(iterator, mapping, source)
    dispositions = {k.casefold(): v for k, v in mapping.dispositions.items()}
    directions = {k.casefold(): v for k, v in mapping.directions.items()}
    calls: list[CallRecord] = []
    rejected: list[Rejected] = []
    with paused_gc():
        for line, fields in iterator:
            if not any(f.strip() for f in fields):
                continue
            if NUL_MARK in "".join(fields):
                rejected.append(Rejected(line, "NUL byte in the line"))
                continue
            try:
                value = {name: fields[i].strip() if i < len(fields) else ""
                         for name, i in index.items()}
                calls.append(_call(line, value, mapping, dispositions, directions, operators))
            except ValueError as problem:
                rejected.append(Rejected(line, str(problem)))
    return calls, rejected


def _column_index(iterator: Iterator[Row], mapping: CallMapping, source: str) -> dict[str, int]:
    wanted = {k: v for k, v in mapping.columns.model_dump().items() if v is not None}
    if not mapping.header:
        return {name: int(column) - 1 for name, column in wanted.items()}
    try:
        _, header = next(iterator)
    except StopIteration:
        raise ScorecardError(f"{source}: the file is empty") from None
    positions = {h.strip().casefold(): i for i, h in enumerate(header)}
    index = {}
    for name, column in wanted.items():
        if isinstance(column, int):
            index[name] = column - 1
        elif column.casefold() in positions:
            index[name] = positions[column.casefold()]
        else:
            raise ScorecardError(f"{source}:1: no column {column!r} (for {name}) in the header")
    return index


def _call(
    line: int,
    value: dict[str, str],
    mapping: CallMapping,
    dispositions: Mapping[str, str],
    directions: Mapping[str, str],
    operators: Mapping[str, str],
) -> CallRecord:
    if not value["external_id"]:
        raise ValueError("external_id: empty")
    try:
        started = datetime.strptime(value["started_at"], mapping.date_format)
    except ValueError:
        raise ValueError(f"started_at: {value['started_at']!r} does not match "
                         f"{mapping.date_format!r}") from None
    disposition = dispositions.get(value["disposition"].casefold())
    if disposition is None:
        raise ValueError(f"disposition: {value['disposition']!r} is not in the mapping's "
                         "[dispositions]")
    talk = _seconds(value["talk_seconds"], "talk_seconds")
    ring = _seconds(value.get("ring_seconds") or "0", "ring_seconds")
    direction = directions.get(value.get("direction", "").casefold(), "outbound")
    operator = operators.get(value["operator"].casefold())
    answered = disposition == "answered"
    answered_at = started + timedelta(seconds=ring) if answered else None
    return CallRecord(value["external_id"], operator, started, answered_at,
                      ring, talk if answered else 0, direction, disposition,
                      value.get("client_number") or None, line)


def _seconds(text: str, column: str) -> int:
    """Whole seconds from ``125``, ``2:05`` or ``00:02:05``."""
    try:
        if ":" in text:
            total = 0
            for part in text.split(":"):
                total = total * 60 + int(part)
        else:
            total = int(float(text.replace(",", ".")))
    except (ValueError, OverflowError):  # OverflowError: an infinite float
        raise ValueError(f"{column}: not a duration {text!r}") from None
    if total < 0:
        raise ValueError(f"{column}: negative {text!r}")
    if total > MAX_SECONDS:
        raise ValueError(f"{column}: impossibly long {text!r}")
    return total

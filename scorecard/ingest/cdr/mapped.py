"""Call exports of any other layout (cloud PBXs, CRM reports), read through a TOML mapping.

This module owns the mapping language (:class:`CallMapping`: which column holds what, which
rows are calls at all, and which of the export's words mean answered, busy, inbound) and the
reading of an export's rows through it (:func:`read_mapped`). How dates are written and which
clock they are stored in is :mod:`scorecard.ingest.dates`; how the rows that share a call's
id become one call is :func:`scorecard.ingest.cdr.records.decide`, as for every reader.
See README, "Mapping other exports".
"""

from __future__ import annotations

import dataclasses
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from operator import itemgetter
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple
from zoneinfo import ZoneInfo

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

from scorecard.errors import ScorecardError
from scorecard.ingest import dates
from scorecard.ingest.cdr.records import (
    MAX_SECONDS,
    RAW_SEPARATOR,
    CallRecord,
    one_call_per_key,
)
from scorecard.ingest.tables import NUL_MARK, Rejected, Row, first_row, paused_gc
from scorecard.tomlfiles import load_model

Disposition = Literal["answered", "no_answer", "busy", "failed", "congestion"]
Direction = Literal["outbound", "inbound"]
ColumnRef = str | int
"""A header name, or a 1-based column number."""

#: The longest recording path stored (the database column's length).
MAX_RECORDING = 1000
#: Mapped fields a recording template may name besides the export's columns; the times are
#: the export's own wall clock, the one a PBX names its recording folders by.
TEMPLATE_FIELDS = ("external_id", "started_at", "answered_at", "ended_at")


def _one_column(value: object) -> ColumnRef:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{value!r} is not a column: give a header name or a 1-based number")
    if isinstance(value, int) and value < 1:
        raise ValueError(f"column numbers start at 1, not {value}")
    if isinstance(value, str) and not value.strip():
        raise ValueError("an empty column name")
    return value


class Pick(NamedTuple):
    """Part of a column: what a regular expression's first group (else its whole match)
    finds in it; nothing when it finds nothing."""

    column: ColumnRef
    pattern: str


def _column_or_pick(value: object) -> ColumnRef | Pick:
    if not isinstance(value, dict):
        return _one_column(value)
    if set(value) != {"column", "pattern"} or not isinstance(value["pattern"], str):
        raise ValueError('give part of a column as {column = "…", pattern = "…"}')
    try:
        compiled = re.compile(value["pattern"])
    except re.error as exc:
        raise ValueError(f"pattern: not a regular expression: {exc}") from None
    if compiled.groups > 1:
        raise ValueError("pattern: give at most one group, the part to take")
    return Pick(_one_column(value["column"]), value["pattern"])


def _columns(value: object) -> tuple[ColumnRef | Pick, ...]:
    """One column, or a list of them, as a tuple."""
    items = value if isinstance(value, list) else [value]
    if not items:
        raise ValueError("an empty list: give at least one column")
    return tuple(_column_or_pick(item) for item in items)


class Sides(NamedTuple):
    """A value written in one column on outbound calls and in another on inbound ones."""

    outbound: tuple[ColumnRef | Pick, ...]
    inbound: tuple[ColumnRef | Pick, ...]


def _sided(value: object) -> tuple[ColumnRef | Pick, ...] | Sides:
    if not isinstance(value, dict) or set(value) == {"column", "pattern"}:
        return _columns(value)
    unknown = sorted(set(value) - {"outbound", "inbound"})
    if unknown or len(value) != 2:
        raise ValueError("give the column of outbound calls and of inbound ones: "
                         '{outbound = "…", inbound = "…"}')
    return Sides(_columns(value["outbound"]), _columns(value["inbound"]))


# One error message per wrong value, instead of one per member of a union.
ColumnSpec = Annotated[tuple[ColumnRef | Pick, ...], PlainValidator(_columns)]
SidedSpec = Annotated[tuple[ColumnRef | Pick, ...] | Sides, PlainValidator(_sided)]
OneColumn = Annotated[ColumnRef, PlainValidator(_one_column)]


class Columns(BaseModel):
    """Which of the export's columns (header names or 1-based numbers) hold what.

    A list of columns is read as one value: joined with a space (a date in one column and
    the time in the next), or with ``-`` for ``external_id`` (a key of several columns). A
    :class:`Pick` takes part of a column (the extension in ``PJSIP/221-0000000c``).
    """

    model_config = ConfigDict(extra="forbid")

    external_id: ColumnSpec
    operator: SidedSpec
    started_at: ColumnSpec
    talk_seconds: ColumnSpec | None = None
    disposition: ColumnSpec | None = None
    client_number: SidedSpec | None = None
    direction: ColumnSpec | None = None
    ring_seconds: ColumnSpec | None = None
    answered_at: ColumnSpec | None = None
    ended_at: ColumnSpec | None = None
    duration_seconds: ColumnSpec | None = None
    """Ring and talk together: ring is this less the talk, when nothing else says."""
    recording: ColumnSpec | None = None

    @model_validator(mode="after")
    def _talk_known(self) -> Columns:
        if self.talk_seconds is None and self.ended_at is None:
            raise ValueError("give talk_seconds, or ended_at (talk is then the time from the "
                             "answer to ended_at)")
        return self

    def refs(self) -> Iterator[ColumnRef]:
        """Every column named."""
        for name in type(self).model_fields:
            spec = getattr(self, name)
            for part in (spec if isinstance(spec, Sides) else (spec,)):
                for ref in part or ():
                    yield ref.column if isinstance(ref, Pick) else ref


class RowFilter(BaseModel):
    """An ``[[include]]`` or ``[[exclude]]`` rule: a column, and the values (compared
    without case) or the regular expression (searched) that match it."""

    model_config = ConfigDict(extra="forbid")

    column: OneColumn
    values: list[str] | None = None
    pattern: str | None = None

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return pattern

    @model_validator(mode="after")
    def _one_test(self) -> RowFilter:
        if (self.values is None) == (self.pattern is None):
            raise ValueError("give values or pattern (one of them)")
        return self

    def test(self) -> Callable[[str], bool]:
        """Whether a value (stripped) matches."""
        if self.pattern is not None:
            search = re.compile(self.pattern).search
            return lambda value: search(value) is not None
        wanted = frozenset(value.strip().casefold() for value in self.values or ())
        return lambda value: value.casefold() in wanted


class CallMapping(BaseModel):
    """A mapping file: how one kind of export is read (README, "Mapping other exports")."""

    model_config = ConfigDict(extra="forbid")

    delimiter: str | None = None
    encoding: str | None = None
    header: bool = True
    date_format: str | None = None
    """A strptime format; None: the form is settled from the file (:mod:`..dates`)."""
    time_zone: str | None = None
    """The zone of the export's times that do not say their offset (IANA name)."""
    null: list[str] = []
    """Values that mean an empty field (``NULL``, ``\\N``), compared exactly."""
    columns: Columns
    answered_from: Literal["disposition", "answered_at", "talk"] = Field(
        "disposition", validate_default=True)
    dispositions: dict[str, Disposition] = Field(default_factory=dict, validate_default=True)
    directions: dict[str, Direction] = {}
    include: list[RowFilter] = []
    exclude: list[RowFilter] = []
    recording_template: str | None = None
    """A recording's path from ``{placeholders}``: a column, or one of TEMPLATE_FIELDS
    (times take a strftime format: ``{started_at:%Y/%m/%d}``)."""
    recording_when: RowFilter | None = None
    """Rows whose recording is named; others have none (exports that flag recorded calls)."""

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, delimiter: str | None) -> str | None:
        if delimiter is not None and (len(delimiter) != 1 or delimiter in '"\r\n'):
            raise ValueError(f"give one character that is not a quote or a line break, not "
                             f"{delimiter!r} (\"\\t\" for tabs)")
        return delimiter

    @field_validator("date_format")
    @classmethod
    def _date_format(cls, date_format: str | None) -> str | None:
        if date_format is not None:
            try:
                datetime.strptime(dates.EXAMPLE.strftime(date_format), date_format)
            except ValueError as exc:
                raise ValueError(f"not a usable strptime format: {exc}") from None
        return date_format

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, name: str | None) -> str | None:
        try:
            dates.zone(name)
        except ScorecardError as exc:
            raise ValueError(str(exc)) from None
        return name

    @field_validator("columns")
    @classmethod
    def _numbers_without_header(cls, columns: Columns, info: ValidationInfo) -> Columns:
        if not info.data.get("header", True):
            names = [ref for ref in columns.refs() if isinstance(ref, str)]
            if names:
                raise ValueError(f"header = false: give column numbers, not {names[0]!r}")
        return columns

    @field_validator("answered_from")
    @classmethod
    def _answer_column(cls, source: str, info: ValidationInfo) -> str:
        columns = info.data.get("columns")
        needs = {"disposition": "disposition", "answered_at": "answered_at",
                 "talk": "talk_seconds"}[source]
        if columns is not None and getattr(columns, needs) is None:
            raise ValueError(f"{source!r} needs columns.{needs}")
        return source

    @field_validator("dispositions")
    @classmethod
    def _words_given(
        cls, words: dict[str, Disposition], info: ValidationInfo
    ) -> dict[str, Disposition]:
        if info.data.get("answered_from") == "disposition" and not words:
            raise ValueError("give the export's words for answered, no_answer, busy, failed, "
                             "congestion (answered_from = 'disposition')")
        return words

    @field_validator("include", "exclude", "recording_when")
    @classmethod
    def _filter_numbers(
        cls, rules: list[RowFilter] | RowFilter | None, info: ValidationInfo
    ) -> list[RowFilter] | RowFilter | None:
        if not info.data.get("header", True):
            listed = rules if isinstance(rules, list) else [rules] if rules else []
            names = [rule.column for rule in listed if isinstance(rule.column, str)]
            if names:
                raise ValueError(f"header = false: give column numbers, not {names[0]!r}")
        return rules

    @field_validator("recording_template")
    @classmethod
    def _template(cls, template: str | None, info: ValidationInfo) -> str | None:
        if template is None:
            return None
        columns = info.data.get("columns")
        if columns is not None and columns.recording is not None:
            raise ValueError("give columns.recording or recording_template, not both")
        try:
            parts = list(string.Formatter().parse(template))
        except ValueError as exc:
            raise ValueError(f"{exc} in {template!r}") from None
        for _, name, spec, conversion in parts:
            if name is None:
                continue
            if not name.strip() or conversion:
                raise ValueError(f"write placeholders as {{column}} or {{started_at:%Y/%m/%d}}, "
                                 f"not {{{name}{'!' + conversion if conversion else ''}}}")
            if not info.data.get("header", True) and name not in TEMPLATE_FIELDS:
                _numbered_placeholder(name)
            try:
                format(dates.EXAMPLE if name in TEMPLATE_FIELDS[1:] else "", spec or "")
            except ValueError as exc:
                raise ValueError(f"{{{name}:{spec}}}: {exc}") from None
        return template


def _numbered_placeholder(name: str) -> int:
    """The column a placeholder of a file without a header names: a 1-based number."""
    if not _is_number(name[1:] if name.startswith("-") else name):
        raise ValueError(f"header = false: give column numbers, not {{{name}}}")
    if int(name) < 1:
        raise ValueError(f"column numbers start at 1, not {{{name}}}")
    return int(name)


def _is_number(text: str) -> bool:
    """ASCII digits only: str.isdigit() also takes ² and ٣, which int() refuses."""
    return text.isascii() and text.isdigit()


def load_mapping(path: Path) -> CallMapping:
    """The mapping file at ``path``; ScorecardError naming the file and the key when a key
    is unknown or a value wrong."""
    return load_model(path, CallMapping)


class MappedCalls(NamedTuple):
    """What an export gave."""

    calls: list[CallRecord]
    rejected: list[Rejected]
    filtered: int
    """Rows the mapping's ``[[include]]``/``[[exclude]]`` rules left out: not calls, and not
    rejected either."""


def parse_mapped(
    rows: Iterable[Row],
    mapping: CallMapping,
    operators: Mapping[str, str],
    source: str,
    *,
    centre_zone: ZoneInfo | None = None,
) -> tuple[list[CallRecord], list[Rejected]]:
    """Calls and rejected lines of an export (:func:`read_mapped` also counts the rows its
    filters left out)."""
    calls, rejected, _ = read_mapped(rows, mapping, operators, source, centre_zone=centre_zone)
    return calls, rejected


def read_mapped(
    rows: Iterable[Row],
    mapping: CallMapping,
    operators: Mapping[str, str],
    source: str,
    *,
    centre_zone: ZoneInfo | None = None,
) -> MappedCalls:
    """The calls of an export, its rejected lines and how many rows its filters left out.

    ``operators`` maps every name of an operator (case-folded) to their extension.
    ``centre_zone`` is the centre's time zone: times are stored as its wall clock
    (:func:`scorecard.ingest.dates.to_centre`). Rows sharing an external id are one call
    (:func:`scorecard.ingest.cdr.records.decide`, every reader's rule), the same whatever
    their order.
    """
    iterator = iter(rows)
    layout = _layout(iterator, mapping, source)
    with paused_gc():
        kept, filtered, rejected = _read_rows(iterator, layout, mapping)
        start_of, answer_of, end_of = (
            _getter(layout.started_at), _getter(layout.answered_at), _getter(layout.ended_at))
        starts = [start_of(cells) for _, cells in kept]
        answers = [answer_of(cells) for _, cells in kept] if layout.answered_at else None
        ends = [end_of(cells) for _, cells in kept] if layout.ended_at else None
        try:
            form = dates.parse_column(
                starts + [t for t in answers or () if t] + [t for t in ends or () if t],
                mapping.date_format, column=layout.date_columns)
        except ScorecardError as exc:
            raise ScorecardError(f"{source}: {exc}") from None
        reader = _Reader(layout, mapping, form, operators, centre_zone)
        legs: list[CallRecord] = []
        for number, (line, cells) in enumerate(kept):
            try:
                legs.append(reader.call(line, cells, starts[number],
                                        answers[number] if answers else "",
                                        ends[number] if ends else ""))
            except ValueError as problem:
                rejected.append(Rejected(line, str(problem)))
            except OverflowError:  # a time pushed past year 9999 by its ring or talk
                rejected.append(Rejected(line, "answered_at: out of the range of dates"))
        calls = one_call_per_key(legs)
    rejected.sort(key=lambda row: row.line)
    return MappedCalls(calls, rejected, filtered)


Slots = tuple[int, ...]
"""Where a field's columns are in a row's cells (its columns, then its picks)."""


@dataclasses.dataclass(frozen=True, slots=True)
class _Layout:
    """The mapping resolved against the file's header: which cells each field reads."""

    positions: tuple[int, ...]
    """The 0-based positions of every column read, once each; a row's cells follow them."""
    picks: tuple[tuple[int, re.Pattern[str]], ...]
    """Parts of cells (the cell, what to find), appended to the row's cells in this order."""
    external_id: Slots
    operator: Slots | tuple[Slots, Slots]
    started_at: Slots
    talk_seconds: Slots
    disposition: Slots
    client_number: Slots | tuple[Slots, Slots]
    direction: Slots
    ring_seconds: Slots
    answered_at: Slots
    ended_at: Slots
    duration_seconds: Slots
    recording: Slots
    include: tuple[tuple[int, Callable[[str], bool]], ...]
    exclude: tuple[tuple[int, Callable[[str], bool]], ...]
    recording_when: tuple[tuple[int, Callable[[str], bool]], ...]
    template: tuple[tuple[str, str | int | None, str], ...]
    """(literal text, then a TEMPLATE_FIELDS name, a cell index or None, and its format)."""
    date_columns: str
    """The mapped time fields, for messages about their form."""


def _getter(slots: Slots) -> Callable[[Sequence[str]], str]:
    """A field's text from a row's cells: its one cell (an itemgetter, for the speed of C),
    its cells joined with a space, or "" for a field the mapping does not name."""
    if not slots:
        return lambda cells: ""
    if len(slots) == 1:
        return itemgetter(slots[0])
    return lambda cells: " ".join(cells[slot] for slot in slots).strip()


def _layout(iterator: Iterator[Row], mapping: CallMapping, source: str) -> _Layout:
    """Resolves every column the mapping names (reading the header when it has one)."""
    by_name: dict[str, int] = {}
    if mapping.header:
        _, header = first_row(iterator, source)
        for at, title in enumerate(header):
            by_name.setdefault(title.strip().casefold(), at)
    # Cells are the columns read, once each, then the picks: slots are numbered once all
    # are known, so a pick is first a (position, pattern) key.
    keys: dict[int | tuple[int, str], None] = {}

    def position(ref: ColumnRef, field: str) -> int:
        if isinstance(ref, int):
            return ref - 1
        found = by_name.get(ref.strip().casefold())
        if found is None:
            raise ScorecardError(f"{source}:1: no column {ref!r} (for {field}) in the header")
        return found

    def slot(ref: ColumnRef | Pick, field: str) -> int | tuple[int, str]:
        if isinstance(ref, Pick):
            base = position(ref.column, field)
            keys.setdefault(base)
            key: int | tuple[int, str] = (base, ref.pattern)
        else:
            key = position(ref, field)
        keys.setdefault(key)
        return key

    def slots(spec: tuple[ColumnRef | Pick, ...] | None, field: str) -> Any:
        return tuple(slot(ref, field) for ref in spec or ())

    def sided(spec: tuple[ColumnRef | Pick, ...] | Sides | None, field: str) -> Any:
        if isinstance(spec, Sides):
            return (slots(spec.outbound, f"{field}.outbound"),
                    slots(spec.inbound, f"{field}.inbound"))
        return slots(spec, field)

    columns = mapping.columns
    fields = {name: slots(getattr(columns, name), name) for name in (
        "external_id", "started_at", "talk_seconds", "disposition", "direction",
        "ring_seconds", "answered_at", "ended_at", "duration_seconds", "recording")}
    operator = sided(columns.operator, "operator")
    client_number = sided(columns.client_number, "client_number")
    include = tuple((slot(rule.column, "include"), rule.test()) for rule in mapping.include)
    exclude = tuple((slot(rule.column, "exclude"), rule.test()) for rule in mapping.exclude)
    when = mapping.recording_when
    recording_when = ((slot(when.column, "recording_when"), when.test()),) if when else ()
    template: list[tuple[str, Any, str]] = []
    for literal, name, spec, _ in string.Formatter().parse(mapping.recording_template or ""):
        if name is None:
            template.append((literal, None, ""))
        elif name in TEMPLATE_FIELDS:
            template.append((literal, name, spec or ""))
        else:
            # Without a header a placeholder is a column number (checked: 1 or more).
            column: ColumnRef = name if mapping.header else _numbered_placeholder(name)
            template.append((literal, slot(column, "recording_template"), spec or ""))
    date_columns = ", ".join(name for name in ("started_at", "answered_at", "ended_at")
                             if fields[name])
    # Number the slots: plain columns first (read in one go), then the picks.
    plain = [key for key in keys if isinstance(key, int)]
    picked = [key for key in keys if isinstance(key, tuple)]
    index = {key: number for number, key in enumerate([*plain, *picked])}

    def number(value: Any) -> Any:
        if isinstance(value, tuple) and not (len(value) == 2 and isinstance(value[1], str)):
            return tuple(number(item) for item in value)
        return index[value]

    return _Layout(
        positions=tuple(plain),
        picks=tuple((index[base], re.compile(pattern)) for base, pattern in picked),
        operator=number(operator), client_number=number(client_number),
        include=tuple((index[at], test) for at, test in include),
        exclude=tuple((index[at], test) for at, test in exclude),
        recording_when=tuple((index[at], test) for at, test in recording_when),
        template=tuple((literal, index[name] if isinstance(name, int) else name, spec)
                       for literal, name, spec in template),
        date_columns=date_columns, **{name: number(value) for name, value in fields.items()})


def _read_rows(
    iterator: Iterator[Row], layout: _Layout, mapping: CallMapping
) -> tuple[list[tuple[int, list[str]]], int, list[Rejected]]:
    """The rows that are calls, as (line, cells); how many the filters left out; and the
    lines rejected before anything was read from them."""
    positions = layout.positions
    last = max(positions, default=-1)
    nulls = frozenset(mapping.null)
    picks = layout.picks
    include, exclude = layout.include, layout.exclude
    kept: list[tuple[int, list[str]]] = []
    rejected: list[Rejected] = []
    filtered = 0
    for line, fields in iterator:
        joined = "".join(fields)
        if not joined.strip():
            continue  # a blank line
        if NUL_MARK in joined:
            rejected.append(Rejected(line, "NUL byte in the line"))
            continue
        if len(fields) > last:
            cells = [fields[position].strip() for position in positions]
        else:  # a short row: the columns it lacks are empty
            count = len(fields)
            cells = [fields[p].strip() if p < count else "" for p in positions]
        if nulls:
            cells = ["" if cell in nulls else cell for cell in cells]
        for at, pattern in picks:
            found = pattern.search(cells[at])
            cells.append("" if found is None else found.group(found.re.groups))
        if (include and not all(test(cells[at]) for at, test in include)) or (
                exclude and any(test(cells[at]) for at, test in exclude)):
            filtered += 1
            continue
        kept.append((line, cells))
    return kept, filtered, rejected


class _Reader:
    """Turns one row's cells into the call it would be alone."""

    def __init__(
        self,
        layout: _Layout,
        mapping: CallMapping,
        form: dates.DateColumn,
        operators: Mapping[str, str],
        centre_zone: ZoneInfo | None,
    ) -> None:
        self.layout = layout
        # Each field's text, found the fastest way for its columns.
        self.disposition_text = _getter(layout.disposition)
        self.talk_text = _getter(layout.talk_seconds)
        self.ring_text = _getter(layout.ring_seconds)
        self.duration_text = _getter(layout.duration_seconds)
        self.direction_text = _getter(layout.direction)
        self.recording_text = _getter(layout.recording)
        self.operator_sides, self.operator_text = _sides(layout.operator)
        self.client_sides, self.client_text = _sides(layout.client_number)
        self.answered_from = mapping.answered_from
        self.disposition_of = _words(mapping.dispositions)
        self.direction_of = _words(mapping.directions)
        self.operators = operators
        self.dates = {name: dataclasses.replace(form, column=name)
                      for name in ("started_at", "answered_at", "ended_at")}
        self.parse = form.parser
        self.source_zone = dates.zone(mapping.time_zone)
        self.centre_zone = centre_zone
        # Naive times need converting only when both zones are known and differ.
        self.convert_naive = (self.source_zone is not None and centre_zone is not None
                              and self.source_zone != centre_zone)

    def moment(self, text: str, name: str) -> tuple[datetime, datetime]:
        """(the time as the export wrote it, the centre's wall clock)."""
        try:
            written = self.parse(text)
        except (ValueError, OverflowError, OSError):
            raise ValueError(self.dates[name].problem(text)) from None
        if written.tzinfo is None and not self.convert_naive:
            if not dates.EARLIEST <= written < dates.LATEST:
                raise ValueError(dates.out_of_range(name, text))
            return written, written
        return written, dates.local_in_range(written, self.to_centre, name, text)

    def to_centre(self, written: datetime) -> datetime:
        """A time as the centre's wall clock (see :func:`scorecard.ingest.dates.to_centre`)."""
        if written.tzinfo is None:
            return dates.to_centre(written, self.source_zone, self.centre_zone)
        # dates.to_centre, written out: this runs for every time of a big file.
        centre = self.centre_zone
        return (written if centre is None else written.astimezone(centre)).replace(
            tzinfo=None)

    def call(
        self, line: int, cells: list[str], start_text: str, answer_text: str, end_text: str
    ) -> CallRecord:
        layout = self.layout
        external_id = "-".join(cells[slot] for slot in layout.external_id)
        if not external_id.strip("-"):
            raise ValueError("external_id: empty")
        if not start_text:
            raise ValueError("started_at: empty")
        written_start, started = self.moment(start_text, "started_at")
        written_answer = answered = written_end = ended = None
        if answer_text:
            written_answer, answered = self.moment(answer_text, "answered_at")
        if end_text:
            written_end, ended = self.moment(end_text, "ended_at")

        word = self.disposition_text(cells)
        result = self.disposition_of(word)
        if result is None and (word or self.answered_from == "disposition"):
            raise ValueError(f"disposition: {word!r} is not in the mapping's [dispositions]")
        talk_text = self.talk_text(cells)
        talk = _seconds(talk_text, "talk_seconds") if talk_text else None
        if self.answered_from == "disposition":
            is_answered = result == "answered"
        elif self.answered_from == "answered_at":
            is_answered = answered is not None
        else:
            is_answered = bool(talk)
        disposition = "answered" if is_answered else (
            result if result not in (None, "answered") else "no_answer")

        ring = self.ring(cells, is_answered, started, answered, ended, talk)
        if not is_answered:
            answered, talk = None, 0
        else:
            if answered is None:
                answered = started + timedelta(seconds=ring)
            if talk is None:
                if layout.talk_seconds:
                    raise ValueError("talk_seconds: empty on an answered call")
                if ended is None:
                    raise ValueError("ended_at: empty on an answered call")
                talk = _between(answered, ended, "ended_at", "the answer")

        operator, direction, client = self.parties(cells)
        recording = self.recording(cells, external_id, written_start, written_answer,
                                   written_end)
        # In MAPPED_FIELDS' order: the row kept as its leg.
        kept = (external_id, operator, started, answered, ring, talk, direction, disposition,
                client, recording)
        return CallRecord(
            external_id=external_id, operator_extension=operator, started_at=started,
            answered_at=answered, ring_seconds=ring, talk_seconds=talk, direction=direction,
            disposition=disposition, client_number=client, line=line, recording=recording,
            raw=RAW_SEPARATOR.join("" if value is None else value.isoformat(" ")
                                   if isinstance(value, datetime) else str(value)
                                   for value in kept))

    def ring(
        self,
        cells: list[str],
        is_answered: bool,
        started: datetime,
        answered: datetime | None,
        ended: datetime | None,
        talk: int | None,
    ) -> int:
        """Seconds before the answer (or before giving up): the ring column, else the time to
        the answer, else the duration less the talk, else 0."""
        layout = self.layout
        if layout.ring_seconds:
            text = self.ring_text(cells)
            return _seconds(text, "ring_seconds") if text else 0
        if is_answered and answered is not None:
            return _between(started, answered, "answered_at", "started_at")
        duration_text = self.duration_text(cells)
        duration = _seconds(duration_text, "duration_seconds") if duration_text else None
        if not is_answered:
            if layout.answered_at and ended is not None:
                return _between(started, ended, "ended_at", "started_at")
            return duration or 0
        if duration is not None and talk is not None:
            if talk > duration:
                raise ValueError(f"duration_seconds: {duration_text!r} is shorter than the talk")
            return duration - talk
        return 0

    def parties(self, cells: list[str]) -> tuple[str | None, str, str | None]:
        """(the operator's extension, the direction, the client's number)."""
        operators = self.operators
        direction: str | None = None
        if self.layout.direction:
            direction = self.direction_of(self.direction_text(cells)) or "outbound"
        if self.operator_sides is not None:  # a column per direction
            outbound_text = self.operator_sides[0](cells)
            inbound_text = self.operator_sides[1](cells)
            if direction is None:
                # No direction column: the side an operator stands on says it; with no known
                # operator on either, a call is outbound when someone is on the outbound side
                # (an extension no longer listed), inbound when no one is (the IVR took it).
                operator = operators.get(outbound_text.casefold()) if outbound_text else None
                if operator is not None:
                    direction = "outbound"
                else:
                    operator = operators.get(inbound_text.casefold()) if inbound_text else None
                    direction = ("inbound" if operator is not None or not outbound_text
                                 else "outbound")
            else:
                text = outbound_text if direction == "outbound" else inbound_text
                operator = operators.get(text.casefold()) if text else None
        else:
            text = self.operator_text(cells) if self.operator_text else ""
            operator = operators.get(text.casefold()) if text else None
            direction = direction or "outbound"
        if self.client_sides is not None:
            client = self.client_sides[0 if direction == "outbound" else 1](cells)
        else:
            client = self.client_text(cells) if self.client_text else ""
        return operator, direction, client or None

    def recording(
        self,
        cells: list[str],
        external_id: str,
        started: datetime,
        answered: datetime | None,
        ended: datetime | None,
    ) -> str | None:
        layout = self.layout
        if layout.recording_when and not all(test(cells[at]) for at, test in
                                             layout.recording_when):
            return None
        if layout.recording:
            path = self.recording_text(cells)
        elif layout.template:
            fields: dict[str, Any] = {"external_id": external_id, "started_at": started,
                                      "answered_at": answered, "ended_at": ended}
            parts = []
            for literal, name, spec in layout.template:
                parts.append(literal)
                if name is None:
                    continue
                value = fields[name] if isinstance(name, str) else cells[name]
                if value is None or value == "":
                    return None  # a recording named by an empty value is no recording
                parts.append(format(value, spec))
            path = "".join(parts)
        else:
            return None
        if len(path) > MAX_RECORDING:
            raise ValueError(f"recording: longer than {MAX_RECORDING} characters")
        return path or None


def _sides(slots: Slots | tuple[Slots, Slots]) -> tuple[
    tuple[Callable[[Sequence[str]], str], Callable[[Sequence[str]], str]] | None,
    Callable[[Sequence[str]], str] | None,
]:
    """(outbound and inbound getters, None) of a field with a column per direction; else
    (None, its getter), or (None, None) when it is not mapped."""
    if not slots:
        return None, None
    if isinstance(slots[0], tuple):
        outbound, inbound = slots
        return (_getter(outbound), _getter(inbound)), None
    return None, _getter(slots)


def _words(words: Mapping[str, str]) -> Callable[[str], str | None]:
    """What an export's word means, compared without case; a word ending in ``*`` stands
    for every value starting with the rest (``"in_*"``; ``"*"`` alone: any other value)."""
    exact = {word.strip().casefold(): meaning for word, meaning in words.items()
             if not word.strip().endswith("*")}
    # Longest first, so that "no answer*" wins over "no*".
    prefixes = sorted(((word.strip()[:-1].casefold(), meaning) for word, meaning in words.items()
                       if word.strip().endswith("*")), key=lambda pair: -len(pair[0]))

    def meaning(text: str) -> str | None:
        key = text.casefold()
        found = exact.get(key)
        if found is None:
            for prefix, value in prefixes:
                if key.startswith(prefix):
                    return value
        return found

    return meaning


def _between(earlier: datetime, later: datetime, name: str, since: str) -> int:
    """Whole seconds from ``earlier`` to ``later``; ValueError when ``later`` is earlier."""
    seconds = int((later - earlier).total_seconds())
    if seconds < 0:
        raise ValueError(f"{name}: before {since}")
    if seconds > MAX_SECONDS:
        raise ValueError(f"{name}: impossibly long after {since}")
    return seconds


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


# -- stored legs ------------------------------------------------------------------------------

#: What a mapped export's row keeps as its leg, in this order: the row as its mapping read
#: it, so the call is decided again from its legs without the mapping (a file on one
#: machine). :meth:`_Reader.call` writes them.
MAPPED_FIELDS = ("external_id", "operator_extension", "started_at", "answered_at",
                 "ring_seconds", "talk_seconds", "direction", "disposition", "client_number",
                 "recording")
_IDENTITY = (MAPPED_FIELDS.index("started_at"), MAPPED_FIELDS.index("operator_extension"))


def leg_identity(raw: str) -> str:
    """A stored leg's name within its call: its start and operator."""
    fields = raw.split(RAW_SEPARATOR)
    return RAW_SEPARATOR.join(fields[n] if n < len(fields) else "" for n in _IDENTITY)


def calls_from_stored(raws: Sequence[str]) -> list[CallRecord]:
    """The calls a mapped export's stored legs make, merged as a file's rows are."""
    return one_call_per_key(_stored_leg(line, raw) for line, raw in enumerate(raws, start=1))


def _stored_leg(line: int, raw: str) -> CallRecord:
    field = dict(zip(MAPPED_FIELDS, raw.split(RAW_SEPARATOR), strict=False))

    def given(name: str) -> str | None:
        return field.get(name) or None

    answered = given("answered_at")
    return CallRecord(field["external_id"], given("operator_extension"),
                      datetime.fromisoformat(field["started_at"]),
                      datetime.fromisoformat(answered) if answered else None,
                      int(given("ring_seconds") or 0), int(given("talk_seconds") or 0),
                      field["direction"], field["disposition"], given("client_number"), line,
                      recording=given("recording"), raw=raw)

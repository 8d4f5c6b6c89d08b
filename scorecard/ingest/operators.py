"""The operator list: who works in which team on which extension (CSV or XLSX)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scorecard.ingest.encoding import InputFileError
from scorecard.ingest.tables import NUL_MARK, Rejected, Row, read_header

#: Header names as exports spell them, English and Russian, to our field names.
HEADERS = {
    "name": "name", "operator": "name", "имя": "name", "фио": "name", "оператор": "name",
    "team": "team", "group": "team", "команда": "team", "группа": "team", "отдел": "team",
    "extension": "extension", "ext": "extension", "добавочный": "extension",
    "внутренний": "extension",
    "agent id": "agent_id", "agent_id": "agent_id", "id": "agent_id", "табельный": "agent_id",
    "login": "pbx_login", "pbx login": "pbx_login", "pbx_login": "pbx_login",
    "логин": "pbx_login",
    "active": "active", "активен": "active",
}
REQUIRED = ("name", "team", "extension")
_TRUE = {"1", "yes", "true", "да", "y", "+", "активен"}
_FALSE = {"0", "no", "false", "нет", "n", "-", "уволен"}


@dataclass(frozen=True, slots=True)
class OperatorRow:
    line: int
    name: str
    team: str
    extension: str
    agent_id: str | None
    pbx_login: str | None
    active: bool


def parse_operators(rows: Iterable[Row], source: str) -> tuple[list[OperatorRow], list[Rejected]]:
    """Operators from a table whose first row is a header naming at least name, team, extension."""
    iterator = iter(rows)
    columns, header = read_header(iterator, HEADERS, source)
    missing = [field for field in REQUIRED if field not in columns]
    if missing:
        raise InputFileError(
            f"{source}:1: the header needs the columns {', '.join(REQUIRED)}; "
            f"missing {', '.join(missing)} (found: {', '.join(h for h in header if h)})")
    operators: list[OperatorRow] = []
    rejected: list[Rejected] = []
    seen: dict[str, int] = {}
    for line, fields in iterator:
        if not any(f.strip() for f in fields):
            continue
        value = {field: fields[i].strip() if i < len(fields) else ""
                 for field, i in columns.items() if field}
        problem = _problem(value, seen)
        if problem:
            rejected.append(Rejected(line, problem))
            continue
        active_text = value.get("active", "").casefold()
        seen[_key(value)] = line
        operators.append(OperatorRow(
            line, value["name"], value["team"], value["extension"],
            value.get("agent_id") or None, value.get("pbx_login") or None,
            active_text not in _FALSE))
    return operators, rejected


def _key(value: dict[str, str]) -> str:
    return value.get("agent_id") or value["name"].casefold()


def _problem(value: dict[str, str], seen: dict[str, int]) -> str | None:
    if any(NUL_MARK in v for v in value.values()):
        return "NUL byte in the line"
    for field in REQUIRED:
        if not value.get(field):
            return f"{field}: empty"
    if not value["extension"].isdigit():
        return f"extension: not a number {value['extension']!r}"
    active = value.get("active", "").casefold()
    if active and active not in _TRUE | _FALSE:
        return f"active: {value['active']!r} is neither yes nor no"
    if _key(value) in seen:
        return f"the same operator as line {seen[_key(value)]}"
    return None

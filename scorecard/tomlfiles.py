"""Reading small TOML files (rules, mappings) into validated models, with clear messages."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from scorecard.errors import ScorecardError

Model = TypeVar("Model", bound=BaseModel)


def load_model(path: Path, model: type[Model], *, section: str | None = None) -> Model:
    """``model`` validated from the TOML file at ``path`` (from ``[section]`` if it has one)."""
    data = read_toml(path)
    if section is not None:
        data = data.get(section, data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ScorecardError(f"{path}: {problems}") from None


def read_toml(path: Path) -> dict[str, Any]:
    """The TOML document at ``path``; ScorecardError naming the file (and the line, where
    there is one) when it cannot be read, is not UTF-8, or is not TOML a person writes."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScorecardError(f"{path}: no such file") from None
    except OSError as exc:
        raise ScorecardError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScorecardError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScorecardError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:  # arrays or tables nested thousands deep: tomllib recurses
        raise ScorecardError(f"{path}: not valid TOML: nested too deeply") from None

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
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ScorecardError(f"{path}: no such file") from None
    except OSError as exc:
        raise ScorecardError(f"{path}: cannot read: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScorecardError(f"{path}: not valid TOML: {exc}") from None
    if section is not None:
        data = data.get(section, data)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ScorecardError(f"{path}: {problems}") from None

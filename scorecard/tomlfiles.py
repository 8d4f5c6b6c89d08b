"""Reading the small files a user names (rules, mappings, cards, transcripts): their bytes,
their TOML, validated models, with messages naming the file."""

from __future__ import annotations

import re
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


def read_bytes(path: Path, *, error: type[ScorecardError] = ScorecardError,
               what: str = "file") -> bytes:
    """The bytes of the file at ``path``; ``error`` naming it when it is missing, a folder
    or unreadable."""
    try:
        with open(path, "rb") as handle:  # what Path.read_bytes does, without its layers
            return handle.read()
    except FileNotFoundError:
        raise error(f"{path}: no such file") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror}") from None


def read_toml(path: Path, *, error: type[ScorecardError] = ScorecardError,
              what: str = "file") -> dict[str, Any]:
    """The TOML document at ``path``; ``error`` naming the file (and the line, where there
    is one) when it cannot be read, is not UTF-8, or is not TOML a person writes. ``what``
    the document is, for the messages ("card")."""
    raw = read_bytes(path, error=error, what=what)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error(f"{path}:{line}: not UTF-8 text; save the {what} as UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(where.group(1)) if where else text.count("\n") + 1  # "at end of document"
        raise error(f"{path}:{line}: not valid TOML: {exc}") from None
    except RecursionError:  # arrays or tables nested thousands deep: tomllib recurses
        raise error(f"{path}: not valid TOML: nested too deeply") from None

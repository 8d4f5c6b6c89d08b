"""Settings: where they come from and where the files live.

Precedence, strongest first: a command-line option (``--db``), an environment variable
(``SCORECARD_DATABASE_URL``, ``SCORECARD_CONFIG``, ``SCORECARD_DATA_DIR``), the config file
(``config.toml`` in the user config directory), then defaults. Paths are computed when asked
for, never at import time, and nothing here creates a directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scorecard.errors import ScorecardError
from scorecard.i18n import LANGUAGES

APP_NAME = "scorecard"
_KNOWN_KEYS = {"database_url": str, "language": str, "user": str, "library": list,
               "claim_minutes": int, "keys": dict, "slices": dict, "kpi_terms": str,
               "dispute_days": int, "audio_output": str}


def data_dir() -> Path:
    """Where the default SQLite database lives."""
    override = os.environ.get("SCORECARD_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def config_path() -> Path:
    override = os.environ.get("SCORECARD_CONFIG")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


@dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    language: str | None = None
    user: str | None = None
    library: tuple[Path, ...] = field(default_factory=tuple)
    """Extra folders of quality cards, searched before the shipped library."""
    claim_minutes: int = 30
    """How long a listener's claim on a call lasts before the call returns to the queue."""
    slices: dict[str, Any] = field(default_factory=dict)
    """The [slices] table: times (["11:00", …]) and lag_below (share of the norm)."""
    kpi_terms: Path | None = None
    """Plans, fixed pay and bonus targets the app's KPI screen uses (JSON, as --terms)."""
    dispute_days: int = 7
    """How many days after an evaluation is submitted its operator may dispute it."""
    audio_output: str | None = None
    """mpv's audio output for listening (--ao: pulse, alsa, pipewire…); None: mpv's own."""
    keys: tuple[tuple[str, str], ...] = ()
    """Remapped keys of the app: (binding id, keys), e.g. ("grading.pass", "y")."""


def load_settings() -> Settings:
    """Read the config file if there is one; a malformed file is a user error."""
    path = config_path()
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ScorecardError(f"{path}: cannot read the config file: {exc.strerror}") from None
    try:
        data: dict[str, Any] = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ScorecardError(f"{path}: not valid TOML: {exc}") from None
    for key, value in data.items():
        expected = _KNOWN_KEYS.get(key)
        if expected is None:
            known = ", ".join(sorted(_KNOWN_KEYS))
            raise ScorecardError(f"{path}: unknown key {key!r} (known keys: {known})")
        if not isinstance(value, expected):
            raise ScorecardError(f"{path}: {key} must be a {expected.__name__}")
    return Settings(
        database_url=data.get("database_url"),
        language=data.get("language"),
        user=data.get("user"),
        library=tuple(Path(p).expanduser() for p in data.get("library", [])),
        claim_minutes=data.get("claim_minutes", 30),
        dispute_days=data.get("dispute_days", 7),
        audio_output=data.get("audio_output") or None,
        keys=_keys(path, data.get("keys", {})),
        slices=data.get("slices", {}),
        kpi_terms=Path(data["kpi_terms"]).expanduser() if data.get("kpi_terms") else None,
    )


def _keys(path: Path, table: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    for binding_id, keys in table.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ScorecardError(f"{path}: keys.{binding_id} must be a key name such as "
                                 "'p' or 'ctrl+s' (several: 'p,1')")
    return tuple(sorted(table.items()))


def resolve_database_url(option: str | None, settings: Settings | None = None) -> str:
    """The database URL to use: ``--db`` > environment > config file > default file."""
    if option:
        return option
    env = os.environ.get("SCORECARD_DATABASE_URL")
    if env:
        return env
    settings = settings if settings is not None else load_settings()
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{data_dir() / 'scorecard.db'}"


def system_language() -> str:
    """ru when the locale says Russian, else en (the locale is read, never set)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value:
            return "ru" if value.lower().startswith(("ru", "uk", "be", "kk")) else "en"
    return "en"


def resolve_language(option: str | None, configured: str | None) -> str:
    """``--lang`` > the config file > the system locale."""
    for candidate in (option, configured):
        if candidate:
            language = candidate.lower()[:2]
            if language not in LANGUAGES:
                raise ScorecardError("error.no_language", language=candidate)
            return language
    return system_language()

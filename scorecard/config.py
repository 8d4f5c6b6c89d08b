"""Settings: where they come from and where the files live.

Precedence, strongest first: a command-line option (``--db``), an environment variable
(``SCORECARD_DATABASE_URL``, ``SCORECARD_CONFIG``, ``SCORECARD_DATA_DIR``), the config file
(``config.toml`` in the user config directory), then defaults. Paths are computed when asked
for, never at import time, and nothing here creates a directory.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from scorecard.domain.slices import SliceRules
from scorecard.domain.transcripts import DEFAULT_ROLE_MARGIN
from scorecard.errors import ScorecardError
from scorecard.i18n import LANGUAGES
from scorecard.tomlfiles import read_toml

APP_NAME = "scorecard"


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


class TranscriptSettings(BaseModel):
    """The [transcripts] table: how speaker labels map to roles."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    operator_labels: tuple[str, ...] = ()
    """Labels that mean the operator, besides the vocabulary (оператор, менеджер, agent…)."""
    client_labels: tuple[str, ...] = ()
    """Labels that mean the client, besides the vocabulary (клиент, абонент, customer…)."""
    unknown_labels: tuple[str, ...] = ()
    """Labels diarisation writes for an unattributed stretch, besides Unknown/Неизвестно."""
    role_margin: Annotated[float, Field(ge=0, le=1)] = DEFAULT_ROLE_MARGIN
    """Below this margin a guessed operator is too unsure: nothing is suggested."""
    operator_channel: str | None = None
    """Stereo recordings: the channel that is the operator (left, right, in, out, 0, 1…)."""


class SecuritySettings(BaseModel):
    """The [security] table: who may act for whom on a shared database, and the browser
    app's logins (README, "Security model")."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    trusted_accounts: tuple[str, ...] = ()
    """OS accounts that hold the database credentials and may act as any user (--user):
    the service account that runs ``scorecard serve`` and the administrators' own."""
    session_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 30
    """A browser session ends after this many minutes without a request."""
    session_hours: Annotated[int, Field(ge=1, le=24 * 7)] = 12
    """A browser session ends this many hours after its login, used or not."""
    login_attempts: Annotated[int, Field(ge=1, le=100)] = 5
    """Failed browser logins allowed per login and per address in 15 minutes."""


class RetentionSettings(BaseModel):
    """The [retention] table: how many days personal data is kept (scorecard purge)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    client_numbers_days: Annotated[int, Field(ge=1, le=36500)] | None = None
    """Client numbers (and the PBX rows that carry them) of calls older than this."""
    transcripts_days: Annotated[int, Field(ge=1, le=36500)] | None = None
    """Transcripts of calls older than this."""
    recordings_days: Annotated[int, Field(ge=1, le=36500)] | None = None
    """Recordings (their paths; the files too with --delete-files) older than this."""


class Settings(BaseModel):
    """The config file, ``config.toml``: every key optional. Read once per run."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    database_url: str | None = None
    """The shared database when neither --db nor $SCORECARD_DATABASE_URL names one."""
    language: str | None = None
    """The app's language, ru or en (default: the system locale)."""
    user: str | None = None
    """The login used when --user is not given."""
    library: tuple[Path, ...] = ()
    """Extra folders of quality cards, searched before the shipped library."""
    claim_minutes: Annotated[int, Field(ge=1, le=24 * 60)] = 30
    """How long a listener's claim on a call lasts before the call returns to the queue."""
    dispute_days: Annotated[int, Field(ge=0, le=366)] = 7
    """How many days after an evaluation is submitted its operator may dispute it."""
    kpi_terms: Path | None = None
    """Plans, fixed pay and bonus targets the app's KPI screen uses (JSON, as --terms)."""
    audio_output: str | None = None
    """mpv's audio output when listening to recordings (mpv --ao: pulse, alsa…)."""
    slices: SliceRules = SliceRules()
    """The [slices] table: when slices are taken and what lags."""
    transcripts: TranscriptSettings = TranscriptSettings()
    """The [transcripts] table: speaker labels, the role margin, the operator's channel."""
    retention: RetentionSettings = RetentionSettings()
    """The [retention] table: days client numbers, transcripts and recordings are kept."""
    security: SecuritySettings = SecuritySettings()
    """The [security] table: trusted OS accounts, browser sessions and logins."""
    keys: dict[str, Annotated[str, Field(min_length=1, pattern=r"\S")]] = {}
    """The [keys] table: remapped keys of the app by binding id ("grading.pass" = "y")."""

    @field_validator("library", "kpi_terms", mode="after")
    @classmethod
    def _home(cls, value: object) -> object:
        if isinstance(value, Path):
            return value.expanduser()
        if isinstance(value, tuple):
            return tuple(p.expanduser() for p in value)
        return value

    @field_validator("language", mode="after")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and language_code(value) is None:
            raise ValueError("use ru or en")
        return value


def load_settings() -> Settings:
    """The config file's settings (defaults when there is none); a malformed file is a user
    error naming the file and the key. Read once however often it is asked for."""
    path = config_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        return Settings()
    except OSError as exc:
        raise ScorecardError(f"{path}: cannot read the config file: {exc.strerror}") from None
    return _read(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read(path: Path, _mtime: int, _size: int) -> Settings:
    data = read_toml(path)
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(_problem(error) for error in exc.errors())
        raise ScorecardError(f"{path}: {problems}") from None


def _problem(error: ErrorDetails) -> str:
    where = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        known = ", ".join(Settings.model_fields)
        return f"unknown key {where!r} (known keys: {known})"
    return f"{where}: {error['msg']}"


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
    return default_database_url()


def default_database_url() -> str:
    """The SQLite file in the user data folder, used when nothing names a database."""
    return f"sqlite:///{data_dir() / 'scorecard.db'}"


def system_language() -> str:
    """ru when the locale says Russian, else en (the locale is read, never set)."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable, "")
        if value:
            return "ru" if value.lower().startswith(("ru", "uk", "be", "kk")) else "en"
    return "en"


def language_code(text: str) -> str | None:
    """ru or en for what a user may write (``RU``, ``ru_RU``, ``english``); None: neither."""
    code = text.lower()[:2]
    return code if code in LANGUAGES else None


def resolve_language(option: str | None, configured: str | None) -> str:
    """``--lang`` > the config file > the system locale."""
    for candidate in (option, configured):
        if candidate:
            language = language_code(candidate)
            if language is None:
                raise ScorecardError("error.no_language", language=candidate)
            return language
    return system_language()

"""The log file: what went wrong that a user could not have fixed, with its traceback.

Problems a user can act on are told to them and not logged (they are
:class:`~scorecard.errors.ScorecardError`). Anything else is written to a rotating file in
the data folder, and the user is shown where it is, so a report can come with it.
"""

from __future__ import annotations

import logging
from pathlib import Path

LOGGER = logging.getLogger("scorecard")


def log_file() -> Path:
    from scorecard.config import data_dir

    return data_dir() / "logs" / "scorecard.log"


def _attached(path: Path) -> bool:
    """Send the log to ``path`` (one file at a time); False when it cannot be written."""
    from logging.handlers import RotatingFileHandler

    current = [h for h in LOGGER.handlers if isinstance(h, RotatingFileHandler)]
    if current and Path(current[0].baseFilename) == path.absolute():
        return True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3,
                                      encoding="utf-8", delay=True)
    except OSError:
        return False
    for old in current:
        LOGGER.removeHandler(old)
        old.close()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False  # never onto the terminal the app draws on
    return True


def record_unexpected(error: BaseException, context: str) -> Path | None:
    """Log ``error`` with its traceback; the log file's path, None when it cannot be written."""
    path = log_file()
    if not _attached(path):
        return None
    LOGGER.error("%s: %s: %s", context, type(error).__name__, error, exc_info=error)
    for handler in LOGGER.handlers:
        handler.flush()
    return path

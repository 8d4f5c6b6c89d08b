"""Telling the user what went wrong, the same way on every screen.

A :class:`~scorecard.errors.ScorecardError` (a refusal, a bad input, an unreachable
database) is said in the user's language. Anything else is a fault of ours: it is written
to the log file with its traceback, and the message says where that file is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scorecard.errors import ScorecardError

if TYPE_CHECKING:
    from scorecard.tui.app import ScorecardApp


def describe(app: ScorecardApp, error: BaseException, context: str = "app") -> str:
    """One message for ``error`` in the user's language (unexpected ones are logged)."""
    if isinstance(error, ScorecardError):
        return error.message(app.t)
    from scorecard.logs import record_unexpected

    path = record_unexpected(error, context)
    first_line = (str(error).strip().splitlines() or [""])[0][:200]
    detail = f"{type(error).__name__}: {first_line}" if first_line else type(error).__name__
    if path is None:
        return app.t("app.unexpected_unlogged", error=detail)
    return app.t("app.unexpected", error=detail, log=str(path))


def tell(app: ScorecardApp, error: BaseException, context: str = "app") -> None:
    """Notify the user of ``error`` (call on the UI thread)."""
    app.notify(describe(app, error, context), severity="error", timeout=_seconds(error))


def tell_from_thread(app: ScorecardApp, error: BaseException, context: str = "app") -> None:
    """:func:`tell`, from a worker thread (the message is made there, logging included)."""
    app.call_from_thread(app.notify, describe(app, error, context), severity="error",
                         timeout=_seconds(error))


def _seconds(error: BaseException) -> int:
    """How long the notice stays: longer when it names a log file to look at."""
    return 10 if isinstance(error, ScorecardError) else 20

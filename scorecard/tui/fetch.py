"""Reading from the database on a worker thread, the same way on every screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlmodel import Session

    from scorecard.tui.app import ScorecardApp

T = TypeVar("T")


def fetch(
    app: ScorecardApp, query: Callable[[Session], T], *,
    refused: Callable[[str], None] | None = None,
) -> T | None:
    """``query`` in one unit of work; on failure the user is told and None comes back.

    ``refused``, when given, is called (on the UI thread) with the message of a refusal
    the user can act on (:class:`ScorecardError`), for screens that show it in place.
    Call it from a worker thread only: it blocks on the database.
    """
    from scorecard.errors import ScorecardError
    from scorecard.tui.problems import describe, tell_from_thread

    try:
        with app.database.session() as session:
            return query(session)
    except ScorecardError as exc:
        if refused is None:
            tell_from_thread(app, exc)
        else:
            app.call_from_thread(refused, describe(app, exc))
        return None
    except Exception as exc:  # logged and said; the app stays usable
        tell_from_thread(app, exc, "reading")
        return None


def deliver(app: ScorecardApp, fill: Callable[..., object], *loaded: object) -> None:
    """Hand what a worker loaded to the screen, unless a newer request of the same
    exclusive group has cancelled this one meanwhile: a slow, outrun read must never land
    on top of a fresh one. Call it from the worker's thread."""
    from textual.worker import get_current_worker

    if get_current_worker().is_cancelled:
        return
    app.call_from_thread(fill, *loaded)

"""The terminal app: listeners grade, leads and trainers watch and coach, operators see
their own evaluations.

:func:`make_app` builds the app from settings; the CLI and the tests share it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scorecard.domain.enums import Role
from scorecard.errors import ScorecardError

if TYPE_CHECKING:
    from pathlib import Path

    from scorecard.db.engine import Database
    from scorecard.domain.slices import SliceRules
    from scorecard.tui.app import ScorecardApp



def make_app(
    database: Database, *, login: str, language: str, claim_minutes: int = 30,
    keymap: dict[str, str] | None = None, slice_rules: SliceRules | None = None,
    kpi_terms: Path | None = None, dispute_days: int = 7, audio_output: str | None = None,
) -> ScorecardApp:
    """The app for ``login``; refuses users that do not exist or have no screens."""
    from scorecard.i18n import Catalogue
    from scorecard.services.access import actor
    from scorecard.services.users import role_of
    from scorecard.tui.app import ScorecardApp

    t = Catalogue(language)
    with database.session() as session:
        if role_of(session, login) is None:
            raise ScorecardError(t("error.no_user", login=login))
        who = actor(session, login)  # refuses an operator login linked to no operator
    if who.role not in tuple(Role):  # every role has screens
        raise ScorecardError(t("app.role_no_screens", role=who.role))
    queue = None
    if who.role == Role.QA:
        # The listener's first screen is the queue: read it now, while the terminal is not
        # taken yet, so the first frame the app draws already lists the calls.
        from scorecard.services.queue import list_queue

        with database.session() as session:
            queue = list_queue(session, login)
    return ScorecardApp(database=database, login=login, language=language, actor=who,
                        claim_minutes=claim_minutes, keymap=keymap, slice_rules=slice_rules,
                        kpi_terms=kpi_terms, dispute_days=dispute_days, queue=queue,
                        audio_output=audio_output)

"""The terminal app: listeners grade, leads and trainers watch and coach, operators see
their own evaluations.

:func:`make_app` builds the app from settings; the CLI and the tests share it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scorecard.domain.enums import Role
from scorecard.errors import ScorecardError

if TYPE_CHECKING:
    from scorecard.config import Settings
    from scorecard.db.engine import Database
    from scorecard.services.access import Identity
    from scorecard.tui.app import ScorecardApp


def make_app(
    database: Database, settings: Settings, identity: Identity, language: str,
) -> ScorecardApp:
    """The app for ``identity``; refuses users that do not exist.

    The CLI, the demo, the served app and the tests all build the app here.
    """
    from scorecard.i18n import Catalogue
    from scorecard.services.access import actor
    from scorecard.services.users import role_of
    from scorecard.tui.app import ScorecardApp

    t = Catalogue(language)
    login = identity.login
    queue = None
    with database.session() as session:
        if role_of(session, login) is None:
            raise ScorecardError(t("error.no_user", login=login))
        who = actor(session, login)  # refuses an operator login linked to no operator
        if who.role == Role.QA:
            # The listener's first screen is the queue: read it now, while the terminal is
            # not taken yet, so the first frame the app draws already lists the calls.
            from scorecard.services.queue import list_queue

            queue = list_queue(session, login)
    return ScorecardApp(database, settings, who, language, queue=queue)

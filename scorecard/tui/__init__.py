"""The terminal app for QA listeners: the queue and the grading screen.

:func:`make_app` builds the app from settings; the CLI and the tests share it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scorecard.errors import ScorecardError

if TYPE_CHECKING:
    from pathlib import Path

    from scorecard.db.engine import Database
    from scorecard.domain.slices import SliceRules
    from scorecard.tui.app import ScorecardApp

#: Roles that grade calls; the others have no screens yet.
GRADING_ROLES = ("qa", "lead", "trainer", "admin")


def make_app(
    database: Database, *, login: str, language: str, claim_minutes: int = 30,
    keymap: dict[str, str] | None = None, slice_rules: SliceRules | None = None,
    kpi_terms: Path | None = None,
) -> ScorecardApp:
    """The app for ``login``; refuses users that do not exist or have no screens."""
    from scorecard.i18n import Catalogue
    from scorecard.services.users import role_of
    from scorecard.tui.app import ScorecardApp

    t = Catalogue(language)
    with database.session() as session:
        role = role_of(session, login)
    if role is None:
        raise ScorecardError(t("error.no_user", login=login))
    if role not in GRADING_ROLES:
        raise ScorecardError(t("app.role_no_screens", role=role))
    return ScorecardApp(database=database, login=login, language=language, role=role,
                        claim_minutes=claim_minutes, keymap=keymap, slice_rules=slice_rules,
                        kpi_terms=kpi_terms)

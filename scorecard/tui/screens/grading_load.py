"""Loading a call for grading, off the UI thread: what the grading screen shows and the
draft saver that keeps what the listener answers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from scorecard.services.grading import AnswerChange, EvaluationView
from scorecard.tui.problems import describe

if TYPE_CHECKING:
    from scorecard.services.drafts import DraftSaver
    from scorecard.tui.app import ScorecardApp

Prepared = tuple[EvaluationView, "DraftSaver"] | str
"""A call loaded for grading (its view and draft saver), or why it could not be."""


def prepare(app: ScorecardApp, assignment_id: int) -> Prepared:
    """Load a call for grading, off the UI thread: its view and its draft saver, or why not.

    The queue calls this in the same worker that claims the call, so the grading screen
    appears once, complete, instead of drawing a loading state first.
    """
    from scorecard.services.drafts import DraftJournal, DraftKey, DraftSaver, database_id
    from scorecard.services.grading import open_for_grading

    try:
        with app.database.session() as session:
            database = database_id(session)

            def pending_for(evaluation_id: int, call_id: int, started: datetime
                            ) -> list[AnswerChange]:
                key = DraftKey(database, app.login, evaluation_id, call_id, started)
                return DraftJournal(key).pending()

            view = open_for_grading(
                session, assignment_id=assignment_id, login=app.login, pending_for=pending_for,
                role_margin=app.settings.transcripts.role_margin)
    except Exception as exc:  # refused, or storage: said, and the app stays alive
        return describe(app, exc, "opening a call")
    assert view.evaluation_started_at is not None
    journal = DraftJournal(DraftKey(database, app.login, view.evaluation_id, view.call_id,
                                    view.evaluation_started_at))
    if view.status == "draft":
        journal.clear()  # what it held is in the database now

    def save(changes: list[AnswerChange], seconds: int | None) -> None:
        from scorecard.services.grading import save_answers

        with app.database.session() as session:
            save_answers(session, evaluation_id=view.evaluation_id, login=app.login,
                         changes=changes, seconds_spent=seconds)

    return view, DraftSaver(journal, save)

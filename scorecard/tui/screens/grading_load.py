"""Loading a call for grading, off the UI thread: what the grading screen shows and the
draft saver that keeps what the listener answers."""

from __future__ import annotations

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
    from scorecard.services.drafts import DraftJournal, DraftSaver
    from scorecard.services.grading import open_for_grading

    try:
        with app.database.session() as session:
            view = open_for_grading(
                session, assignment_id=assignment_id, login=app.login,
                pending_for=lambda evaluation_id: DraftJournal(evaluation_id).pending(),
                role_margin=app.settings.transcripts.role_margin)
    except Exception as exc:  # refused, or storage: said, and the app stays alive
        return describe(app, exc, "opening a call")
    journal = DraftJournal(view.evaluation_id)
    if view.status == "draft":
        journal.clear()  # what it held is in the database now

    def save(changes: list[AnswerChange], seconds: int | None) -> None:
        from scorecard.services.grading import save_answers

        with app.database.session() as session:
            save_answers(session, evaluation_id=view.evaluation_id, login=app.login,
                         changes=changes, seconds_spent=seconds)

    return view, DraftSaver(journal, save)

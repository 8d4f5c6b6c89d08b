"""One evaluation, read-only: the call as it was graded and what happened to the grade.

Opened with Enter from every screen that names an evaluation. The transcript carries the
detector's evidence as on the grading screen, the card shows the answers given, the line
under the card the item's evidence, the listener's comment and its dispute; ``h`` swaps
the panes for the grade's history (submitted, amended, disputed, resolved) in words. The
recording plays under the grading screen's keys. Whether the reader may see the evaluation
at all is the service's decision, made on the evaluation itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Static

from scorecard.domain.scoring import ItemKey, score
from scorecard.tui.fetch import deliver, fetch
from scorecard.tui.keys import bind
from scorecard.tui.local_time import local
from scorecard.tui.screens.listening import (
    PLAYER_BINDINGS,
    ListeningScreen,
    call_panes,
    evidence_lines,
    show_transcript,
)
from scorecard.tui.screens.result import percent
from scorecard.tui.widgets.checklist import CardChecklist
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.player import PlayerBar
from scorecard.tui.widgets.transcript import TranscriptView, clock
from scorecard.tui.wording import action_title, entry_in_words

if TYPE_CHECKING:
    from scorecard.services.evaluations import EvaluationRecord
    from scorecard.tui.app import ScorecardApp


class EvaluationScreen(ListeningScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("evaluation.history", "h", "history", "evaluation.history"),
        *PLAYER_BINDINGS,
        bind("evaluation.back", "escape", "back", "app.back"),
    ]

    app: ScorecardApp

    def __init__(self, evaluation_id: int = 0, record: EvaluationRecord | None = None) -> None:
        super().__init__()
        self.evaluation_id = evaluation_id
        self.view = None
        self.record: EvaluationRecord | None = None
        self._loaded = record
        """Read before the screen was pushed (it then paints once, complete)."""
        self.ready = False
        """True once the evaluation is shown (or refused); tests and the benchmark wait."""

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield from call_panes(t, t("evaluation.no_transcript"))
        with VerticalScroll(id="history-pane"):
            yield Static("", id="history", markup=False)
        yield Static("", id="critical-banner", markup=False)
        yield Static("", id="score-bar", markup=False)
        yield PlayerBar(id="player")
        yield KeyBar()

    def open(self, evaluation_id: int, record: EvaluationRecord) -> None:
        """Show another evaluation. The app keeps one view and fills it again for every
        evaluation opened: building the screen costs more than filling it. Filled before it
        is shown again, so the previous evaluation never shows for a frame."""
        self.evaluation_id, self.ready = evaluation_id, False
        if self.is_mounted:
            self._start(record)
        else:  # the first time: filled once its widgets exist
            self._loaded = record

    def on_screen_resume(self) -> None:
        if self._loaded is not None:
            self._start(self._loaded)
            self._loaded = None
        elif self.record is None and not self.ready:
            self._start(None)

    def _start(self, record: EvaluationRecord | None) -> None:
        self.title = self.app.t("evaluation.title", evaluation=self.evaluation_id)
        self.query_one("#call-info").remove_class("-error")
        self.query_one("#panes").display = True
        self.query_one("#history-pane").display = False
        self.query_one("#no-transcript").display = False
        self.query_one("#critical-banner").display = False
        if record is None:
            self.load()
        else:
            self._show(record)

    @work(thread=True, exclusive=True, group="evaluation-load", exit_on_error=False)
    def load(self) -> None:
        from scorecard.services.evaluations import read_evaluation

        app = self.app
        record = fetch(app, lambda session: read_evaluation(
            session, evaluation_id=self.evaluation_id, viewer=app.actor,
            role_margin=app.settings.transcripts.role_margin), refused=self._refused)
        if record is not None:
            deliver(app, self._show, record)

    def _refused(self, message: str) -> None:
        info = self.query_one("#call-info", Static)
        info.update(message)
        info.add_class("-error")
        self.query_one("#panes").display = False
        self.notify(message, severity="error", timeout=10)
        self.ready = True

    def _show(self, record: EvaluationRecord) -> None:
        t = self.app.t
        view = record.view
        self.record, self.view = record, view
        self.query_one("#call-info", Static).update(" · ".join([
            view.external_id, view.operator or "—", f"{view.started_at:%d.%m.%Y %H:%M}",
            clock(view.talk_seconds).strip(), f"{view.card_slug} v{view.card_number}",
            t("evaluation.listener", listener=record.listener),
            *([view.client_number] if view.client_number else []),
            *([t("evaluation.calibration", session=view.calibration)]
              if view.calibration is not None else []),
        ]))
        self.query_one("#no-transcript").display = not view.has_transcript
        show_transcript(self.query_one(TranscriptView), view, t)
        result = score(view.card, view.answers)
        checklist = self.query_one(CardChecklist)
        checklist.load(view.card, view.answers, view.suggestions, t,
                       {s.stage_id: s.score for s in result.stages})
        for key in record.disputes:
            checklist.show_answer(key, view.answers.get(key), changed=True)
        checklist.focus()
        # The reader came for what went wrong: the cursor starts on the first zeroing or
        # failed item.
        failed = [k for k in view.card.item_keys() if view.answers.get(k) == "fail"]
        first = (record.zeroed_by or failed or view.card.item_keys())[0]
        checklist.move_to(first)
        self.call_after_refresh(checklist.scroll_to_highlight)
        banner = self.query_one("#critical-banner", Static)
        banner.display = bool(record.zeroed_by)
        if record.zeroed_by:
            banner.update(t("evaluation.zeroed", items=", ".join(
                f"«{view.card.item(*key).text}»" for key in record.zeroed_by)))
        self.query_one("#score-bar", Static).update("  ·  ".join([
            f"{t('grading.total')} {percent(record.total)}",
            t(f"evaluation.status.{view.status}"),
            t("evaluation.submitted", at=f"{local(record.submitted_at):%d.%m.%Y %H:%M}")
            if record.submitted_at else t("evaluation.draft"),
            t("evaluation.history_count", count=len(record.history)),
        ]))
        self.query_one("#history", Static).update(self._history_text(record))
        self._show_item(checklist.current_key)
        self.refresh_bindings()
        self.query_one(KeyBar).refresh_keys()
        self.ready = True

    def _history_text(self, record: EvaluationRecord) -> str:
        t = self.app.t
        if not record.history:
            return t("evaluation.no_history")
        lines = []
        for entry in record.history:
            words = entry_in_words(entry, t)
            lines.append(" · ".join(part for part in (
                f"{local(entry.at):%d.%m.%Y %H:%M}", entry.actor or "—",
                action_title(entry.action, t), words,
                t("evaluation.reason", reason=entry.reason) if entry.reason else "") if part))
        return "\n".join(lines)

    def _show_item(self, key: ItemKey | None) -> None:
        if key is None or self.view is None or self.record is None:
            return
        t = self.app.t
        lines = evidence_lines(self.view, key, t)
        if key in self.view.comments:
            lines.append(t("grading.item_comment", comment=self.view.comments[key]))
        dispute = self.record.disputes.get(key)
        if dispute is not None:
            lines.append(t("evaluation.dispute", status=t(f"own.dispute.{dispute.status}"),
                           comment=dispute.comment, resolution=dispute.resolution or "—"))
        self.query_one("#item-detail", Static).update("\n".join(lines))

    def action_history(self) -> None:
        pane = self.query_one("#history-pane")
        pane.display = not pane.display
        self.query_one("#panes").display = not pane.display
        (pane if pane.display else self.query_one(CardChecklist)).focus()

    async def action_back(self) -> None:
        await self.stop_listening()
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "play" and (self.view is None or not self.view.recording_path):
            return False  # nothing to play: the key is not offered
        return super().check_action(action, parameters)


def open_evaluation(app: ScorecardApp, evaluation_id: int | None) -> None:
    """Open an evaluation read-only from any screen (nothing happens without one).

    It is read on a worker first and the screen pushed complete, so it paints once; a
    refusal is told as a notice and the reader stays where they were.
    """
    if evaluation_id is None:
        return

    def read() -> None:
        from scorecard.services.evaluations import read_evaluation

        record = fetch(app, lambda session: read_evaluation(
            session, evaluation_id=evaluation_id, viewer=app.actor,
            role_margin=app.settings.transcripts.role_margin))
        if record is not None:
            deliver(app, _push, app, evaluation_id, record)

    app.run_worker(read, thread=True, exclusive=True, group="evaluation-open",
                   exit_on_error=False)


def _push(app: ScorecardApp, evaluation_id: int, record: EvaluationRecord) -> None:
    if not app.is_screen_installed("evaluation"):
        app.install_screen(EvaluationScreen(), "evaluation")
    screen = app.get_screen("evaluation")
    assert isinstance(screen, EvaluationScreen)
    if screen in app.screen_stack:  # open already, under another screen: a second one
        app.push_screen(EvaluationScreen(evaluation_id, record))
        return
    screen.open(evaluation_id, record)
    app.push_screen(screen)

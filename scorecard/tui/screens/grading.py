"""The grading screen: transcript on the left, the card on the right, the score below.

Keys answer the item under the cursor; the answer shows at once and goes to the draft
saver, which writes it to a local journal and then to the database on its own thread. The
screen never waits for storage: loading, submitting, amending and playing run in workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import BindingType
from textual.css.query import NoMatches
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widgets import Header, Static

from scorecard.domain.scoring import Answer, ItemKey, missing_answers, score
from scorecard.services.grading import (
    KEEP,
    AnswerChange,
    EvaluationView,
    GradingError,
    SubmitResult,
)
from scorecard.tui.fetch import deliver
from scorecard.tui.keys import bind
from scorecard.tui.problems import tell_from_thread
from scorecard.tui.screens.grading_load import Prepared, prepare
from scorecard.tui.screens.listening import (
    PLAYER_BINDINGS,
    ListeningScreen,
    call_panes,
    evidence_lines,
    show_transcript,
)
from scorecard.tui.screens.result import Next, ResultDialog, percent
from scorecard.tui.screens.text_dialog import TextDialog
from scorecard.tui.widgets.checklist import CardChecklist
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.player import PlayerBar
from scorecard.tui.widgets.transcript import TranscriptView, clock

if TYPE_CHECKING:
    from scorecard.services.drafts import DraftSaver, SaveOutcome
    from scorecard.tui.app import ScorecardApp



class GradingScreen(ListeningScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("grading.pass", "p,1", "answer('pass')", "grading.pass"),
        bind("grading.fail", "f,2", "answer('fail')", "grading.fail"),
        bind("grading.na", "n,3", "answer('na')", "grading.na"),
        bind("grading.accept", "a,space", "accept", "grading.accept"),
        bind("grading.submit", "ctrl+s", "submit", "grading.submit", priority=True),
        bind("grading.comment", "c", "comment", "grading.comment"),
        bind("grading.next_unanswered", "u", "next_unanswered", "grading.next_unanswered"),
        *PLAYER_BINDINGS,
        bind("grading.back", "escape", "back", "grading.back"),
    ]
    app: ScorecardApp

    def __init__(self) -> None:
        super().__init__()
        self._reset(0, None)

    def _reset(self, assignment_id: int, prepared: Prepared | None) -> None:
        self.assignment_id = assignment_id
        self._prepared = prepared
        self._starting = True
        self.view: EvaluationView | None = None
        self.answers: dict[ItemKey, Answer] = {}
        self.comments: dict[ItemKey, str] = {}
        self._amendments: dict[ItemKey, AnswerChange] = {}
        self._saver: DraftSaver | None = None
        self._opened_at = 0.0
        self._saving_failed = False
        self.ready = False
        """True once the call is shown; tests and the benchmark wait for it."""

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield from call_panes(t, t("grading.no_transcript"))
        yield Static("", id="critical-banner", markup=False)
        yield Static("", id="save-problem", markup=False)
        yield Static("", id="score-bar", markup=False)
        yield PlayerBar(id="player")
        yield KeyBar()

    def open(self, assignment_id: int, prepared: Prepared | None = None) -> None:
        """Show a call. The app keeps one grading screen and reuses it for every call:
        building the screen costs more than filling it."""
        if self.is_mounted:
            self.run_worker(self.stop_listening(), group="player-stop")
        self._reset(assignment_id, prepared)
        if self.is_current:
            self._start()

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """The clock of time spent, once a second while the call is on screen."""
        if not self.is_current:
            return
        try:
            self._refresh_score()
        except NoMatches:
            return  # the app is closing and the screen's widgets are already gone

    def on_screen_resume(self) -> None:
        self._start()

    def _start(self) -> None:
        if not self._starting:
            return  # back from a dialog: the call is already shown
        self._starting = False
        self.title = self.app.t("grading.title")
        info = self.query_one("#call-info", Static)
        info.update(self.app.t("grading.loading"))
        info.remove_class("-error")
        self.query_one("#save-problem").display = False
        self.query_one("#critical-banner").display = False
        self.query_one(CardChecklist).clear_options()
        self.query_one("#item-detail", Static).update("")
        self.query_one("#score-bar", Static).update("")
        self.query_one(TranscriptView).show((), (), {})
        if self._prepared is None:
            self.load()
        else:
            self._present(self._prepared)
            self._prepared = None

    # -- loading ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="grading-load", exit_on_error=False)
    def load(self) -> None:
        prepared = prepare(self.app, self.assignment_id)
        deliver(self.app, self._present, prepared)

    @dataclass
    class DraftSaved(Message):
        """The draft saver's thread tried the database: posted, never waited for, so a
        quit that waits for the saver cannot deadlock with the report."""

        saver: DraftSaver
        outcome: SaveOutcome

    def _report_for(self, saver: DraftSaver) -> Callable[[SaveOutcome], None]:
        """What ``saver``'s thread calls after each attempt. Posting is thread-safe and
        returns at once; after the app closed it goes nowhere, which is fine: the save is
        done, or journalled."""
        return lambda outcome: self.post_message(self.DraftSaved(saver, outcome))

    def on_grading_screen_draft_saved(self, message: DraftSaved) -> None:
        if message.saver is self._saver:  # a report about an earlier call is stale
            self._saved(message.outcome)

    def _present(self, prepared: Prepared) -> None:
        if isinstance(prepared, str):
            self._fail(prepared)
        else:
            self._show(*prepared)

    def _fail(self, message: str) -> None:
        self.query_one("#call-info", Static).update(message)
        self.query_one("#call-info").add_class("-error")
        self.notify(message, severity="error", timeout=15)

    def _show(self, view: EvaluationView, saver: DraftSaver) -> None:
        t = self.app.t
        self.view, self._saver = view, saver
        saver.report_to(self._report_for(saver))
        self.app.savers.add(saver)
        self.answers = dict(view.answers)
        self.comments = dict(view.comments)
        self._opened_at = self.app.clock()
        self.query_one("#call-info", Static).update(" · ".join([
            view.external_id, view.operator or "—", f"{view.started_at:%d.%m.%Y %H:%M}",
            clock(view.talk_seconds).strip(), f"{view.card_slug} v{view.card_number}",
            *([view.client_number] if view.client_number else []),
            *([t("calibration.screen_mark", session=view.calibration)]
              if view.calibration is not None else []),
        ]))
        self.query_one("#no-transcript").display = not view.has_transcript
        show_transcript(self.query_one(TranscriptView), view, t)
        if view.passes_withheld:  # too long for the title: said once, when the call opens
            self.notify(t("grading.roles.withheld", label=view.operator_label or "?",
                          margin=view.roles_margin or 0.0), severity="warning", timeout=10)
        checklist = self.query_one(CardChecklist)
        result = score(view.card, self.answers)
        checklist.load(view.card, self.answers, view.suggestions, t,
                       {s.stage_id: s.score for s in result.stages})
        checklist.focus()
        first_open = next((k for k in view.card.item_keys() if k not in self.answers), None)
        if first_open is not None:
            checklist.move_to(first_open)
        if view.status != "draft":
            self.notify(t("grading.view_submitted"), timeout=6)
        self._refresh_score()
        self._show_item(checklist.current_key)
        self.ready = True

    # -- saving ----------------------------------------------------------------------------

    def seconds_spent(self) -> int:
        if self.view is None:
            return 0
        return self.view.seconds_spent + int(self.app.clock() - self._opened_at)

    def _saved(self, outcome: SaveOutcome) -> None:
        problem = self.query_one("#save-problem", Static)
        if outcome.saved:
            if self._saving_failed:
                self.notify(self.app.t("grading.saved_again"))
            self._saving_failed = False
            problem.display = False
            return
        self._saving_failed = True
        error = outcome.error
        if isinstance(error, GradingError):
            message = error.message(self.app.t)
            gone = error.key in ("error.evaluation_gone", "error.call_gone")
            if gone and self._saver is not None and self.view is not None:
                # Say where the answers are kept, so nothing typed is lost with the call.
                message = self.app.t(error.key, evaluation=self.view.evaluation_id,
                                     call=self.view.call_id, journal=self._saver.journal.path)
        else:
            message = self.app.t("grading.saved_locally", count=outcome.pending,
                                 error=str(error) if error else "")
        problem.update(message)
        problem.display = True
        self.set_timer(self.app.retry_seconds, self._retry)

    def _retry(self) -> None:
        if self._saver is not None and self._saving_failed:
            self._saver.retry()

    # -- answering -------------------------------------------------------------------------

    @property
    def _editing_submitted(self) -> bool:
        return self.view is not None and self.view.status != "draft"

    def _hint(self, message: str, severity: SeverityLevel = "information") -> None:
        """A short notice about a key just pressed; it replaces the previous one, so a
        listener going fast does not bury the screen in toasts."""
        self.app.clear_notifications()
        self.notify(message, severity=severity, timeout=3)

    def action_answer(self, value: str) -> None:
        key = self._current()
        if key is None or self.view is None:
            return
        answer = Answer(value)
        item = self.view.card.item(*key)
        if answer is Answer.NA and not item.na_allowed:
            self._hint(self.app.t("grading.na_not_allowed", item=item.text), severity="warning")
            return
        self._give(key, answer)
        self._advance(key)

    def action_accept(self) -> None:
        key = self._current()
        if key is None or self.view is None:
            return
        suggestion = self.view.suggestions.get(key)
        if suggestion is None:
            self._hint(self.app.t("grading.no_suggestion"), severity="warning")
            return
        if suggestion.withheld:
            self._hint(self.app.t("grading.withheld"), severity="warning")
            return
        if suggestion.partial and suggestion.parts is not None:
            self._hint(self.app.t("grading.partial_hint", found=suggestion.parts[0],
                                  total=suggestion.parts[1]), severity="warning")
            return
        self._give(key, Answer.PASS if suggestion.found else Answer.FAIL)
        self._advance(key)

    def _give(self, key: ItemKey, answer: Answer) -> None:
        assert self.view is not None
        self.answers[key] = answer
        change = AnswerChange(key[0], key[1], answer)
        if self._editing_submitted:
            earlier = self._amendments.get(key)
            self._amendments[key] = AnswerChange(key[0], key[1], answer,
                                                 earlier.comment if earlier else None)
        elif self._saver is not None:
            self._saver.put([change], self.seconds_spent())
        self.query_one(CardChecklist).show_answer(key, answer, changed=self._editing_submitted)
        self._refresh_score()

    def _advance(self, key: ItemKey) -> None:
        assert self.view is not None
        keys = self.view.card.item_keys()
        position = keys.index(key)
        if position + 1 < len(keys):
            self.query_one(CardChecklist).move_to(keys[position + 1])

    def action_next_unanswered(self) -> None:
        if self.view is None:
            return
        keys = self.view.card.item_keys()
        current = self._current()
        start = keys.index(current) + 1 if current in keys else 0
        for key in keys[start:] + keys[:start]:
            if key not in self.answers:
                self.query_one(CardChecklist).move_to(key)
                return
        self._hint(self.app.t("grading.all_answered"))

    def action_comment(self) -> None:
        key = self._current()
        if key is None or self.view is None:
            return
        item = self.view.card.item(*key)

        def keep(text: str | None) -> None:
            if text is None:
                return
            if text:
                self.comments[key] = text
            else:
                self.comments.pop(key, None)
            if self._editing_submitted:
                earlier = self._amendments.get(key)
                self._amendments[key] = AnswerChange(key[0], key[1],
                                                     earlier.answer if earlier else KEEP, text)
            elif self._saver is not None:
                self._saver.put([AnswerChange(key[0], key[1], KEEP, text)],
                                self.seconds_spent())
            self._show_item(key)

        self.app.push_screen(TextDialog(self.app.t("dialog.comment_title", item=item.text),
                                        text=self.comments.get(key, "")), keep)

    # -- what the screen shows -------------------------------------------------------------

    def _show_item(self, key: ItemKey | None) -> None:
        if key is None or self.view is None:
            return
        t = self.app.t
        lines = evidence_lines(self.view, key, t)
        if key in self.comments:
            lines.append(t("grading.item_comment", comment=self.comments[key]))
        self.query_one("#item-detail", Static).update("\n".join(lines))

    def _refresh_score(self) -> None:
        if self.view is None:
            return
        t = self.app.t
        card = self.view.card
        result = score(card, self.answers)
        self.query_one(CardChecklist).show_stage_scores({s.stage_id: s.score
                                                          for s in result.stages})
        done = len(card.item_keys()) - len(missing_answers(card, self.answers))
        self.query_one("#score-bar", Static).update("  ·  ".join([
            f"{t('grading.total')} {percent(result.total)}",
            t("grading.answered", done=done, all=len(card.item_keys())),
            t("grading.time", time=clock(self.seconds_spent())),
        ]))
        banner = self.query_one("#critical-banner", Static)
        banner.display = result.critical_fail
        if result.critical_fail:
            names = ", ".join(card.item(*key).text for key in result.failed_critical)
            banner.update(t("grading.critical", items=names))

    # -- submitting ------------------------------------------------------------------------

    def action_submit(self) -> None:
        if self.view is None:
            return
        t = self.app.t
        if self._editing_submitted:
            if not self._amendments:
                self._hint(t("grading.no_changes"))
                return
            self.app.push_screen(
                TextDialog(t("dialog.reason_title"), placeholder=t("dialog.reason_placeholder"),
                           required=True),
                lambda reason: self.amend(reason) if reason else None)
            return
        missing = missing_answers(self.view.card, self.answers)
        if missing:
            self._hint(t("grading.missing", count=len(missing),
                          item=self.view.card.item(*missing[0]).text), severity="warning")
            self.query_one(CardChecklist).move_to(missing[0])
            return
        self.submit()

    @work(thread=True, exclusive=True, group="grading-submit", exit_on_error=False)
    def submit(self) -> None:
        from scorecard.services.grading import submit

        app, view, saver = self.app, self.view, self._saver
        assert view is not None and saver is not None
        saver.put([], self.seconds_spent())
        outcome = saver.flush()
        if not outcome.saved:
            return  # the saver has told the listener why; nothing is lost
        try:
            with app.database.session() as session:
                result = submit(session, evaluation_id=view.evaluation_id, login=app.login,
                                seconds_spent=self.seconds_spent())
        except Exception as exc:  # refused, or storage: the draft stays as it is
            tell_from_thread(app, exc)
            return
        app.call_from_thread(self._submitted, result)

    def _submitted(self, result: SubmitResult) -> None:
        assert self.view is not None
        self._close_saver()
        self.app.push_screen(ResultDialog(self.view.card, result), self._after_result)

    def _after_result(self, choice: Next | None) -> None:
        if choice == "next":
            self.next_call()
        else:
            self.app.pop_screen()

    @work(thread=True, exclusive=True, group="grading-next", exit_on_error=False)
    def next_call(self) -> None:
        from scorecard.services.queue import claim_next

        app = self.app
        try:
            entry = claim_next(app.database, app.login, claim_minutes=app.settings.claim_minutes)
        except Exception as exc:  # storage failure: back to the queue, which says more
            tell_from_thread(app, exc)
            entry = None
        if entry is None:
            app.call_from_thread(self.notify, app.t("queue.nothing_left"))
            app.call_from_thread(app.pop_screen)
            return
        prepared = prepare(app, entry.assignment_id)
        app.call_from_thread(app.open_call, entry.assignment_id, prepared=prepared,
                             replace=True)

    @work(thread=True, exclusive=True, group="grading-submit", exit_on_error=False)
    def amend(self, reason: str) -> None:
        from scorecard.services.grading import amend

        app, view = self.app, self.view
        assert view is not None
        try:
            with app.database.session() as session:
                amend(session, evaluation_id=view.evaluation_id, login=app.login,
                      changes=list(self._amendments.values()), reason=reason)
        except Exception as exc:  # refused, or storage: the changes stay on screen
            tell_from_thread(app, exc)
            return
        app.call_from_thread(self._amended)

    def _amended(self) -> None:
        self._amendments.clear()
        self.notify(self.app.t("grading.amended"))
        assert self.view is not None
        checklist = self.query_one(CardChecklist)
        for key in self.view.card.item_keys():
            checklist.show_answer(key, self.answers.get(key))

    # -- leaving, playing ------------------------------------------------------------------

    def _close_saver(self) -> None:
        if self._saver is not None:
            self._saver.put([], self.seconds_spent())
            self._saver.close(timeout=0)
            self._saver = None

    def leave(self) -> None:
        """The listener leaves the call: its time spent is saved with the draft."""
        if self.view is not None and self.view.status == "draft":
            self._close_saver()

    async def action_back(self) -> None:
        await self.stop_listening()
        self.leave()
        self.app.pop_screen()

    def palette_commands(self) -> list[SystemCommand]:
        t = self.app.t
        return [
            SystemCommand(t("command.submit"), t("command.submit"), self.action_submit),
            SystemCommand(t("command.next_unanswered"), t("command.next_unanswered"),
                          self.action_next_unanswered),
            SystemCommand(t("command.queue"), t("command.queue"), self.action_back),
        ]

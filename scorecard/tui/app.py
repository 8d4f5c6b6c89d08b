"""The Textual application: who is grading, in which language, against which database.

The app is deliberately thin: it holds the session context (database, user, catalogue,
key map), opens the first screen the user's role has, and offers the command palette's
app-wide commands. Screens do the work, services do the storage.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from scorecard.db.engine import Database
from scorecard.domain.enums import LEADING_ROLES, Role
from scorecard.i18n import Catalogue
from scorecard.tui.keys import bind, with_russian_layout

if TYPE_CHECKING:
    from scorecard.domain.slices import SliceRules
    from scorecard.services.access import Actor
    from scorecard.services.drafts import DraftSaver
    from scorecard.services.queue import QueueEntry
    from scorecard.tui.screens.grading_load import Prepared

STYLES = Path(__file__).parent / "styles"


class ScorecardApp(App[None]):
    CSS_PATH = [STYLES / "app.tcss", STYLES / "queue.tcss", STYLES / "grading.tcss",
                STYLES / "quality.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("app.quit", "ctrl+q", "quit", "app.quit", priority=True),
    ]

    def __init__(
        self, *, database: Database, login: str, language: str, actor: Actor,
        claim_minutes: int = 30,
        keymap: dict[str, str] | None = None, clock: Callable[[], float] = time.monotonic,
        screenshot_dir: Path | None = None, retry_seconds: float = 5.0,
        today: date | None = None, slice_rules: SliceRules | None = None,
        kpi_terms: Path | None = None, dispute_days: int = 7,
        queue: list[QueueEntry] | None = None, audio_output: str | None = None,
    ) -> None:
        super().__init__()
        self.database = database
        self.login = login
        self.actor = actor
        """Who is using the app: every service call is made on their behalf."""
        self.role = actor.role
        self.t = Catalogue(language)
        self.claim_minutes = claim_minutes
        self.clock = clock
        self.retry_seconds = retry_seconds
        self.today = today or date.today()
        self._slice_rules = slice_rules
        self.dispute_days = dispute_days
        """How long operators may dispute an evaluation (config: dispute_days)."""
        self.kpi_terms = kpi_terms
        """Plans, fixed pay and bonus targets for the KPI screen (config: kpi_terms)."""
        """The day screens count periods from (fixed in tests)."""
        """How soon a draft the database refused is offered to it again."""
        self.savers: set[DraftSaver] = set()
        """Draft savers of open grading screens; quitting waits for them to finish."""
        self.audio_output = audio_output
        """mpv's audio output (config: audio_output), e.g. pulse; None: mpv's choice."""
        self.last_opened: str | None = None
        """The assignment of the call last opened, for the queue to move on from."""
        self.preloaded_queue = queue
        """The queue read before the app started (the listener's first screen shows it)."""
        self._keymap_config = keymap or {}
        self._screenshot_dir = screenshot_dir
        self.title = self.t("app.title")
        self.sub_title = login

    def on_mount(self) -> None:
        from scorecard.startup import resume_collector

        self.call_after_refresh(resume_collector)  # start-up ends with the first frame
        if self._keymap_config:
            self.set_keymap({binding_id: with_russian_layout(keys)
                             for binding_id, keys in self._keymap_config.items()})
        if self.role == Role.OPERATOR:
            from scorecard.tui.screens.own_evaluations import OwnEvaluationsScreen

            self.push_screen(OwnEvaluationsScreen())
        elif self.role in LEADING_ROLES:
            from scorecard.tui.screens.weak_stages import WeakStageScreen

            self.push_screen(WeakStageScreen(today=self.today))
        else:
            from scorecard.tui.screens.queue import QueueScreen

            self.push_screen(QueueScreen())

    @property
    def slice_rules(self) -> SliceRules:
        """Slice times and the lag threshold (built when first needed: it costs start-up)."""
        if self._slice_rules is None:
            from scorecard.domain.slices import SliceRules

            self._slice_rules = SliceRules()
        return self._slice_rules

    async def action_quit(self) -> None:
        if self.is_screen_installed("grading"):
            from scorecard.tui.screens.grading import GradingScreen

            grading = self.get_screen("grading")
            if isinstance(grading, GradingScreen):
                if grading.is_mounted:
                    await grading.stop_listening()
                grading.leave()
        self.finish_saving()
        self.exit()

    def finish_saving(self, timeout: float = 3.0) -> None:
        """Give every draft saver a last chance to reach the database. Waiting is a courtesy,
        not a safeguard: whatever does not make it is in the local journal already."""
        for saver in list(self.savers):
            saver.close(timeout=timeout)
        self.savers.clear()

    def open_call(
        self, assignment_id: int, *, prepared: Prepared | None = None, replace: bool = False
    ) -> None:
        """Show the grading screen of a claimed call (in place of the current one if asked).

        ``prepared`` is the call already loaded by a worker; without it the screen loads it.
        """
        from scorecard.tui.screens.grading import GradingScreen

        self.last_opened = str(assignment_id)
        if not self.is_screen_installed("grading"):
            self.install_screen(GradingScreen(), "grading")
        screen = self.get_screen("grading")
        assert isinstance(screen, GradingScreen)
        screen.open(assignment_id, prepared)
        if not replace:
            self.push_screen(screen)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed in a way its screen did not foresee: say so, keep running."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(f"{type(event.worker.error).__name__}: {event.worker.error}",
                        severity="error", timeout=15)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: the screen's own commands first, then the app's, all translated
        (Textual's built-in ones speak English only, so they are replaced, not added to)."""
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()
        t = self.t
        yield SystemCommand(t("command.keys"), t("command.keys_help"),
                            lambda: self.push_screen(self._keys_help(screen)))
        yield SystemCommand(t("command.screenshot"), t("command.screenshot"),
                            self.save_screen_svg)
        yield SystemCommand(t("command.quit"), t("command.quit_help"), self.action_quit)

    def _keys_help(self, screen: Screen) -> Screen:
        from scorecard.tui.screens.keys_help import KeysHelp

        return KeysHelp(screen)

    def save_screen_svg(self) -> None:
        path = self.save_screenshot(path=str(self._screenshot_dir or Path.cwd()))
        self.notify(path)

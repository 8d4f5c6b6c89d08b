"""The Textual application: who is grading, in which language, against which database.

The app is deliberately thin: it holds the session context (database, user, catalogue,
key map), opens the first screen the user's role has, and offers the command palette's
app-wide commands. Screens do the work, services do the storage.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.filter import LineFilter
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from scorecard.db.engine import Database
from scorecard.domain.enums import LEADING_ROLES, Role
from scorecard.i18n import Catalogue
from scorecard.tui.inert import DropControlCharacters
from scorecard.tui.keys import bind, with_russian_layout

if TYPE_CHECKING:
    from scorecard.config import Settings
    from scorecard.services.access import Actor
    from scorecard.services.drafts import DraftSaver
    from scorecard.services.queue import QueueEntry
    from scorecard.tui.screens.grading_load import Prepared

STYLES = Path(__file__).parent / "styles"


_DROP_CONTROLS = DropControlCharacters()


class ScorecardApp(App[None]):
    CSS_PATH = [STYLES / "app.tcss", STYLES / "queue.tcss", STYLES / "grading.tcss",
                STYLES / "quality.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("app.quit", "ctrl+q", "quit", "app.quit", priority=True),
    ]

    def __init__(
        self, database: Database, settings: Settings, actor: Actor, language: str, *,
        queue: list[QueueEntry] | None = None, today: date | None = None,
        clock: Callable[[], float] = time.monotonic, retry_seconds: float = 5.0,
        screenshot_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.database = database
        self.settings = settings
        """The config file's settings: claim time, dispute window, slices, keys, audio."""
        self.actor = actor
        """Who is using the app: every service call is made on their behalf."""
        self.login = actor.login
        self.role = actor.role
        self.t = Catalogue(language)
        self.today = today or date.today()
        """The day screens count periods from (fixed in tests)."""
        self.clock = clock
        self.retry_seconds = retry_seconds
        """How soon a draft the database refused is offered to it again."""
        self.savers: set[DraftSaver] = set()
        """Draft savers of open grading screens; quitting waits for them to finish."""
        self.last_opened: str | None = None
        """The assignment of the call last opened, for the queue to move on from."""
        self.preloaded_queue = queue
        """The queue read before the app started (the listener's first screen shows it)."""
        self._screenshot_dir = screenshot_dir
        self.title = self.t("app.title")
        self.sub_title = actor.login

    def get_line_filters(self) -> Sequence[LineFilter]:
        # Every line drawn, whatever the widget: no control sequence from the data.
        return [*super().get_line_filters(), _DROP_CONTROLS]

    def on_mount(self) -> None:
        from scorecard.startup import resume_collector

        self.call_after_refresh(resume_collector)  # start-up ends with the first frame
        if self.role != Role.QA:
            # Everyone but a listener opens graded calls from their first screen: the view's
            # modules load in the background after the first frame, not on the first Enter.
            self.call_after_refresh(self.run_worker, _load_evaluation_view, thread=True,
                                    group="warm-up", exit_on_error=False)
        if self.settings.keys:
            self.set_keymap({binding_id: with_russian_layout(keys)
                             for binding_id, keys in self.settings.keys.items()})
        if self.role == Role.OPERATOR:
            from scorecard.tui.screens.own_evaluations import OwnEvaluationsScreen

            self.push_screen(OwnEvaluationsScreen())
        elif self.role in LEADING_ROLES:
            from scorecard.tui.screens.weak_stages import WeakStageScreen

            self.push_screen(WeakStageScreen(today=self.today))
        else:
            from scorecard.tui.screens.queue import QueueScreen

            self.push_screen(QueueScreen())

    async def action_quit(self) -> None:
        from scorecard.tui.screens.listening import ListeningScreen

        for screen in self.screen_stack:  # a recording playing anywhere stops with the app
            if isinstance(screen, ListeningScreen) and screen.is_mounted:
                await screen.stop_listening()
        if self.is_screen_installed("grading"):
            from scorecard.tui.screens.grading import GradingScreen

            grading = self.get_screen("grading")
            if isinstance(grading, GradingScreen):
                if grading.is_mounted and grading not in self.screen_stack:
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
        """A worker that failed in a way its screen did not foresee: said (and logged when
        it is a fault of ours); the app keeps running."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            from scorecard.tui.problems import tell

            tell(self, event.worker.error, f"worker {event.worker.name}")

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


def _load_evaluation_view() -> None:
    import scorecard.services.evaluations  # noqa: F401
    import scorecard.tui.screens.evaluation  # noqa: F401

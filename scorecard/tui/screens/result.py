"""The modal shown after a submit: the score, per stage, and where to go next."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Literal

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from scorecard.domain.cards import QualityCard
from scorecard.services.grading import SubmitResult
from scorecard.tui.keys import bind

if TYPE_CHECKING:
    from scorecard.tui.app import ScorecardApp

Next = Literal["next", "queue"]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


class ResultDialog(ModalScreen[Next]):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("result.next", "enter", "choose('next')", "queue.next"),
        bind("result.queue", "escape", "choose('queue')", "grading.back"),
    ]

    app: ScorecardApp

    def __init__(self, card: QualityCard, result: SubmitResult) -> None:
        super().__init__()
        self._card, self._result = card, result

    def compose(self) -> ComposeResult:
        t = self.app.t
        critical = t("grading.submitted_critical") if self._result.critical_fail else ""
        with Vertical(id="dialog"):
            yield Label(t("dialog.result_title"), id="dialog-title")
            yield Static(t("grading.submitted", total=percent(self._result.total),
                           critical=critical),
                         classes="-critical" if self._result.critical_fail else "")
            lines = [f"{stage.title:<28} {percent(self._result.result.stage(stage.id).score):>5}"
                     for stage in self._card.stages]
            yield Static("\n".join(lines), id="result-stages")
            yield Static(t("dialog.result_next"), id="dialog-problem")

    def action_choose(self, choice: Next) -> None:
        self.dismiss(choice)

"""What the grading screen and the evaluation view share: the call's transcript with the
detector's evidence on it, one item's evidence in words, and the recording's keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static

from scorecard.domain.transcripts import RolesSource
from scorecard.tui.keys import bind
from scorecard.tui.widgets.checklist import CardChecklist
from scorecard.tui.widgets.keybar import KeyBar
from scorecard.tui.widgets.player import PlayerBar
from scorecard.tui.widgets.transcript import Highlight, TranscriptView

if TYPE_CHECKING:
    from scorecard.domain.scoring import ItemKey
    from scorecard.i18n import Catalogue
    from scorecard.services.grading import EvaluationView
    from scorecard.tui.app import ScorecardApp

PLAYER_BINDINGS: list[BindingType] = [
    bind("grading.play", "r", "play", "grading.play"),
    bind("grading.pause", "k", "pause", "grading.pause", show=False),
    bind("grading.rewind", "j,left", "seek(-5)", "grading.rewind", show=False),
    bind("grading.forward", "l,right", "seek(5)", "grading.forward", show=False),
    bind("grading.speed", "s", "speed", "grading.speed", show=False),
]
"""The recording's keys (one binding id each, so a user's key map applies on both screens)."""


class ListeningScreen(Screen[None]):
    """A screen showing one call: its recording plays under the same keys everywhere."""

    PLAYER_ACTIONS: ClassVar[frozenset[str]] = frozenset({"pause", "seek", "speed"})
    """Keys that steer a playing recording; the player bar lists them while it plays."""

    app: ScorecardApp
    view: EvaluationView | None

    def _current(self) -> ItemKey | None:
        """The item under the cursor (the recording starts at its evidence)."""
        if self.view is None:
            return None
        return self.query_one(CardChecklist).current_key

    def _show_item(self, key: ItemKey | None) -> None:
        """Say the item under the cursor in words, under the card."""
        raise NotImplementedError

    @on(OptionList.OptionHighlighted, "#checklist")
    def _item_highlighted(self) -> None:
        key = self._current()
        self._show_item(key)
        self.query_one(TranscriptView).set_current(key)

    async def stop_listening(self) -> None:
        """Stop the recording (mpv with it) of the call being left."""
        await self.query_one(PlayerBar).stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Playback is not offered in the browser (the audio would play on the server);
        the keys that steer it show only while a recording plays under control."""
        if action == "play":
            return not self.app.is_web
        if action in self.PLAYER_ACTIONS:
            return self.query_one(PlayerBar).active
        return True

    def action_play(self) -> None:
        if self.view is None:
            return
        transcript = self.query_one(TranscriptView)
        suggestion = self.view.suggestions.get(self._current() or ("", ""))
        turn = suggestion.turn if suggestion and suggestion.found else transcript.turn_at_top()
        start = transcript.turn_start(turn) if turn is not None else None
        self.query_one(PlayerBar).play(self.view.recording_path, start or 0.0)

    def action_pause(self) -> None:
        self.query_one(PlayerBar).toggle_pause()

    def action_seek(self, seconds: float) -> None:
        self.query_one(PlayerBar).seek(seconds)

    def action_speed(self) -> None:
        self.query_one(PlayerBar).next_speed()

    @on(PlayerBar.Moved)
    def _played_to(self, message: PlayerBar.Moved) -> None:
        transcript = self.query_one(TranscriptView)
        transcript.set_playing(transcript.turn_at_time(message.position))

    @on(PlayerBar.Changed)
    def _player_changed(self, message: PlayerBar.Changed) -> None:
        if not message.active:
            self.query_one(TranscriptView).set_playing(None)
        self.refresh_bindings()
        self.query_one(KeyBar).refresh_keys()


def call_panes(t: Catalogue, no_transcript: str) -> ComposeResult:
    """The call's line, then the transcript beside the card with the item's words under it
    (ids the grading styles lay out)."""
    yield Static(t("grading.loading"), id="call-info", markup=False)
    with Horizontal(id="panes"):
        with Vertical(id="transcript-pane"):
            yield Static(no_transcript, id="no-transcript")
            yield TranscriptView(id="transcript")
        with Vertical(id="card-pane"):
            yield CardChecklist(id="checklist")
            yield Static("", id="item-detail", markup=False)


def show_transcript(transcript: TranscriptView, view: EvaluationView, t: Catalogue) -> None:
    """The call's turns with the detector's evidence marked, and how the roles were set
    on the pane's border (a guessed operator may be the client)."""
    roles = view.roles or RolesSource.NONE
    title = t(f"grading.roles.{roles}", label=view.operator_label or "?")
    if roles is RolesSource.INFERRED and view.roles_margin is not None:
        title += " · " + t("grading.roles.margin", margin=view.roles_margin)
    transcript.display = view.has_transcript
    transcript.border_title = title
    transcript.tooltip = view.roles_evidence
    transcript.set_class(roles is not RolesSource.LABEL, "-roles-doubtful")
    if not view.has_transcript:
        transcript.show((), (), {})
        return
    stage_index = {stage.id: n for n, stage in enumerate(view.card.stages)}
    highlights = [
        Highlight(s.turn, s.start, s.end, stage_index[key[0]], key)
        for key, s in view.suggestions.items()
        if s.found and s.turn is not None and s.start is not None and s.end is not None
    ]
    transcript.show(view.turns, highlights, {
        "operator": t("grading.operator"), "client": t("grading.client"),
        "unknown": t("grading.unknown")})


def evidence_lines(view: EvaluationView, key: ItemKey, t: Catalogue) -> list[str]:
    """One item in words: its wording, what the detector suggested and the words it
    heard (each part of an item with parts), and the card's hint."""
    item = view.card.item(*key)
    lines = [item.text + (f"  [{t('grading.critical_mark')}]" if item.critical else "")]
    suggestion = view.suggestions.get(key)
    if suggestion is None:
        lines.append(t("grading.no_suggestion"))
    else:
        parts = suggestion.parts or (0, 0)
        lines.append(t("grading.suggested_partial", found=parts[0], total=parts[1])
                     if suggestion.partial else
                     t("grading.suggested_withheld" if suggestion.withheld
                       else "grading.suggested_found" if suggestion.found
                       else "grading.suggested_missing", score=suggestion.score))
        titles = {group.id: group.title or group.id for group in item.groups}
        for part in suggestion.groups:  # an item with parts: each part heard or not
            said = (view.turns[part.turn].text[part.start:part.end]
                    if part.found and part.turn is not None and part.start is not None
                    else None)
            lines.append(t("grading.part_heard" if said else "grading.part_missing",
                           part=titles.get(part.group, part.group), text=said or "",
                           turn=(part.turn or 0) + 1))
        if (not suggestion.groups and suggestion.found and suggestion.turn is not None
                and suggestion.start is not None):
            said = view.turns[suggestion.turn].text[suggestion.start:suggestion.end]
            lines.append(t("grading.evidence", text=said, trigger=suggestion.trigger,
                           turn=suggestion.turn + 1))
    if item.hint:
        lines.append(t("grading.hint", hint=item.hint))
    return lines

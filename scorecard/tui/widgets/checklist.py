"""The card pane: stages with their scores, items with the listener's answer and the
detector's suggestion, one row each.

It only shows state; the grading screen owns the answers and tells the checklist what
changed. Stage rows are disabled options, so the cursor moves over items only.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from scorecard.domain.cards import QualityCard
from scorecard.domain.scoring import Answer, ItemKey
from scorecard.i18n import Catalogue
from scorecard.services.grading import Suggestion
from scorecard.tui.widgets.palette import STAGE_CLASSES, STAGE_CSS

_MARKS = {Answer.PASS: "✔", Answer.FAIL: "✘", Answer.NA: "–", None: "·"}


def item_option_id(key: ItemKey) -> str:
    return f"item:{key[0]}:{key[1]}"


def stage_option_id(stage_id: str) -> str:
    return f"stage:{stage_id}"


def key_of(option_id: str | None) -> ItemKey | None:
    if not option_id or not option_id.startswith("item:"):
        return None
    _, stage, item = option_id.split(":", 2)
    return (stage, item)


class CardChecklist(OptionList):
    """Stages and items of a quality card, with answers and suggestions."""

    COMPONENT_CLASSES = OptionList.COMPONENT_CLASSES | {
        "checklist--pass", "checklist--fail", "checklist--na", "checklist--none",
        "checklist--suggestion", "checklist--critical", "checklist--changed",
        "checklist--stage", *STAGE_CLASSES,
    }

    DEFAULT_CSS = (
        """
    CardChecklist {
        & > .checklist--pass { color: $success; text-style: bold; }
        & > .checklist--fail { color: $error; text-style: bold; }
        & > .checklist--na { color: $text-muted; text-style: bold; }
        & > .checklist--none { color: $text-muted; }
        & > .checklist--suggestion { color: $text-muted; text-style: italic; }
        & > .checklist--critical { color: $error; }
        & > .checklist--changed { color: $warning; text-style: bold; }
        & > .checklist--stage { text-style: bold; }
    """
        + STAGE_CSS
        + "}"
    )

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._card: QualityCard | None = None
        self._t = Catalogue("en")
        self._suggestions: Mapping[ItemKey, Suggestion] = {}

    def load(
        self, card: QualityCard, answers: Mapping[ItemKey, Answer],
        suggestions: Mapping[ItemKey, Suggestion], catalogue: Catalogue,
        stage_scores: Mapping[str, float | None],
    ) -> None:
        self._card, self._t, self._suggestions = card, catalogue, suggestions
        options: list[Option] = []
        for index, stage in enumerate(card.stages):
            options.append(Option(self._stage_prompt(index, stage_scores.get(stage.id)),
                                  id=stage_option_id(stage.id), disabled=True))
            for item in stage.items:
                key = (stage.id, item.id)
                options.append(Option(self._item_prompt(key, answers.get(key)),
                                      id=item_option_id(key)))
        self.set_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        self.highlighted = first

    @property
    def current_key(self) -> ItemKey | None:
        if self.highlighted is None:
            return None
        return key_of(self.get_option_at_index(self.highlighted).id)

    def move_to(self, key: ItemKey) -> None:
        self.highlighted = self.get_option_index(item_option_id(key))

    def show_answer(self, key: ItemKey, answer: Answer | None, *, changed: bool = False) -> None:
        self.replace_option_prompt(item_option_id(key), self._item_prompt(key, answer, changed))

    def show_stage_scores(self, scores: Mapping[str, float | None]) -> None:
        assert self._card is not None
        for index, stage in enumerate(self._card.stages):
            self.replace_option_prompt(stage_option_id(stage.id),
                                       self._stage_prompt(index, scores.get(stage.id)))

    def _stage_prompt(self, index: int, stage_score: float | None) -> Text:
        assert self._card is not None
        stage = self._card.stages[index]
        colour = self.get_component_rich_style(STAGE_CLASSES[index % len(STAGE_CLASSES)],
                                               partial=True)
        text = Text()
        text.append("  ", colour)
        text.append(f" {stage.title}", self.get_component_rich_style("checklist--stage",
                                                                     partial=True))
        text.append(f"  {'—' if stage_score is None else f'{stage_score:.0f}%'}")
        return text

    def _item_prompt(self, key: ItemKey, answer: Answer | None, changed: bool = False) -> Text:
        assert self._card is not None
        item = self._card.item(*key)
        style_name = "checklist--" + (answer.value if answer else "none")
        text = Text()
        text.append(f" {_MARKS[answer]} ", self.get_component_rich_style(style_name,
                                                                         partial=True))
        if changed:
            text.append("* ", self.get_component_rich_style("checklist--changed", partial=True))
        text.append(item.text)
        if item.critical:
            text.append(" !", self.get_component_rich_style("checklist--critical",
                                                            partial=True))
        suggestion = self._suggestions.get(key)
        if suggestion is not None:
            mark = "≈?" if suggestion.withheld else "≈✔" if suggestion.found else "≈✘"
            shown = f"{mark}{suggestion.score:.0f}"
            if suggestion.partial and suggestion.parts is not None:
                shown = f"≈{suggestion.parts[0]}/{suggestion.parts[1]}"
            text.append(f"  {shown}",
                        self.get_component_rich_style("checklist--suggestion", partial=True))
        return text

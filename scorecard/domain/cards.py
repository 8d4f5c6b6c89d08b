"""Quality cards: the validated model of a card file and how to load one.

A quality card is the checklist a QA listener grades a call against. It is a TOML file
(see README "Card format"); this module owns its schema, its validation rules and the
messages a card author sees when a file is wrong. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scorecard.domain.languages import ISO_639_1
from scorecard.errors import CardError
from scorecard.tomlfiles import read_toml

#: The stages every sales script walks through, in call order. Cards may add more.
STANDARD_STAGES = ("contact", "diagnosis", "presentation", "objections", "price", "close")

_ID = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
_WEIGHT_TOLERANCE = 1e-6

Identifier = Annotated[str, Field(pattern=_ID, min_length=1, max_length=64)]
Threshold = Annotated[int, Field(ge=50, le=100)]




class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Trigger(_Strict):
    """A phrase the operator is expected to say for an item.

    In TOML a trigger is either a plain string or an inline table
    ``{ text = "...", exact = true, threshold = 95 }``. An exact trigger may hold ``*`` for
    any one word («this is * from»: a name, then the company), never as its first word.
    """

    text: Annotated[str, Field(min_length=2, max_length=200)]
    exact: bool = False
    threshold: Threshold | None = None

    @model_validator(mode="after")
    def _wildcards_in_exact_triggers(self) -> Trigger:
        words = self.text.split()
        if "*" in self.text and not self.exact:
            raise ValueError(f"trigger {self.text!r}: * (any one word) needs exact = true")
        if self.exact and (words[0] == "*" or any("*" in w and w != "*" for w in words)
                           or all(w == "*" for w in words)):
            raise ValueError(f"trigger {self.text!r}: * stands alone for one word, "
                             "and not first")
        return self


def _coerce_triggers(value: Any) -> Any:
    if isinstance(value, list):
        return [{"text": v} if isinstance(v, str) else v for v in value]
    return value


def _unique_texts(triggers: list[Trigger]) -> list[Trigger]:
    seen: set[str] = set()
    for trigger in triggers:
        key = trigger.text.casefold()
        if key in seen:
            raise ValueError(f"trigger {trigger.text!r} is listed twice")
        seen.add(key)
    return triggers


class _WithTriggers(_Strict):
    """Triggers written as strings or tables, none listed twice."""

    triggers: list[Trigger] = []

    @field_validator("triggers", mode="before")
    @classmethod
    def _triggers_from_strings(cls, value: Any) -> Any:
        return _coerce_triggers(value)

    @field_validator("triggers")
    @classmethod
    def _unique_triggers(cls, triggers: list[Trigger]) -> list[Trigger]:
        return _unique_texts(triggers)


class TriggerGroup(_WithTriggers):
    """One part of an item's evidence («представился»): any of its triggers shows it.

    ``speaker = "client"`` searches the client's turns instead («клиент назвал имя»).
    ``after = "objection"`` counts the part only in turns after the one where that other part
    was heard: an answer comes after the objection it answers.
    """

    id: Identifier
    title: str | None = None
    triggers: Annotated[list[Trigger], Field(min_length=1)]
    speaker: Literal["operator", "client"] = "operator"
    after: Identifier | None = None


#: The group an item's plain ``triggers`` list makes.
PLAIN_GROUP = "triggers"


class Item(_WithTriggers):
    id: Identifier
    text: Annotated[str, Field(min_length=1)]
    weight: Annotated[float, Field(gt=0, le=100)]
    critical: bool = False
    na_allowed: bool = False
    triggers: list[Trigger] = []
    match: Literal["any", "all"] = "any"
    """With groups: ``all`` needs evidence of every group, ``any`` of one."""
    groups: Annotated[list[TriggerGroup], Field(alias="group")] = []
    hint: str | None = None
    threshold: Threshold | None = None

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _groups_consistent(self) -> Item:
        if self.groups and self.triggers:
            raise ValueError("give either triggers or [[stage.item.group]] tables, not both")
        if self.match == "all" and not self.groups:
            raise ValueError('match = "all" needs [[stage.item.group]] tables: the parts '
                             "of the evidence")
        _check_unique([g.id for g in self.groups], "group id")
        for group in self.groups:
            if group.after is not None:
                _check_after(group, self)
        if self.match == "any":
            # Alternatives: a phrase twice is a slip. Parts («named self», «named the
            # company») may share one: «this is * from» shows both.
            _unique_texts([t for g in self.groups for t in g.triggers])
        return self

    def group(self, group_id: str) -> TriggerGroup | None:
        return next((group for group in self.groups if group.id == group_id), None)

    @property
    def trigger_groups(self) -> list[TriggerGroup]:
        """The groups the detector searches: the item's groups, or its plain ``triggers``
        as one group of the operator's."""
        if self.groups:
            return self.groups
        if self.triggers:
            return [TriggerGroup(id=PLAIN_GROUP, triggers=self.triggers)]
        return []

    @property
    def all_triggers(self) -> list[Trigger]:
        return [t for group in self.trigger_groups for t in group.triggers]

    def spoken_triggers(self) -> list[Trigger]:
        """What an operator says to do the item: any of its operator triggers, or, for an
        item that needs all of its groups, one phrase of the first trigger of each
        («добрый день» + «меня зовут» + «компания офисснаб»)."""
        groups = [group for group in self.trigger_groups if group.speaker == "operator"]
        if self.match == "all":
            firsts = [next((t for t in group.triggers if not t.exact), group.triggers[0])
                      for group in groups]
            return [Trigger(text=" ".join(t.text for t in firsts))] if firsts else []
        return [trigger for group in groups for trigger in group.triggers]


def greeting_phrases(card: QualityCard) -> list[str]:
    """How the operator opens a call on this card (its first stage, as spoken): the
    evidence that tells the operator's voice from the client's."""
    return [t.text for item in card.stages[0].items for t in item.spoken_triggers()]


class Stage(_Strict):
    id: Identifier
    title: Annotated[str, Field(min_length=1)]
    weight: Annotated[float, Field(gt=0, le=100)]
    items: Annotated[list[Item], Field(alias="item", min_length=1)]
    description: str | None = None
    threshold: Threshold | None = None

    model_config = ConfigDict(populate_by_name=True)

    @model_validator(mode="after")
    def _items_consistent(self) -> Stage:
        _check_unique([i.id for i in self.items], "item id")
        _check_sum([i.weight for i in self.items], "item weights in this stage")
        return self


class Detection(_Strict):
    """Card-wide detector settings (optional table ``[detection]``)."""

    threshold: Threshold = 85


class QualityCard(_Strict):
    id: Identifier
    title: Annotated[str, Field(min_length=1)]
    language: str
    version: Annotated[int, Field(ge=1)]
    description: str | None = None
    detection: Detection = Detection()
    stages: Annotated[list[Stage], Field(alias="stage", min_length=1)]

    model_config = ConfigDict(populate_by_name=True)

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ISO_639_1:
            raise ValueError(f"{value!r} is not an ISO 639-1 language code such as 'ru' or 'en'")
        return value

    @model_validator(mode="after")
    def _stages_consistent(self) -> QualityCard:
        _check_unique([s.id for s in self.stages], "stage id")
        _check_sum([s.weight for s in self.stages], "stage weights of the card")
        return self

    # -- lookups -------------------------------------------------------------------------

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise KeyError(stage_id)

    def item(self, stage_id: str, item_id: str) -> Item:
        for item in self.stage(stage_id).items:
            if item.id == item_id:
                return item
        raise KeyError((stage_id, item_id))

    def item_keys(self) -> list[tuple[str, str]]:
        """Every (stage id, item id) pair in card order."""
        return [(s.id, i.id) for s in self.stages for i in s.items]

    # -- identity ------------------------------------------------------------------------

    def canonical_json(self) -> str:
        """The card's content as stable JSON, the form stored with each card version."""
        return json.dumps(
            self._dump(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def content_hash(self) -> str:
        """Hash of everything but the declared version number.

        Two files that differ only in ``version`` grade calls identically, so they are one
        version as far as stored evaluations are concerned.
        """
        data = self._dump()
        del data["version"]
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(blob.encode()).hexdigest()

    def _dump(self) -> dict[str, Any]:
        """The card as JSON data; an item's trigger groups and match only when it uses them,
        so a card written before groups existed keeps its stored form and its hash."""
        data = self.model_dump(mode="json", by_alias=True)
        for stage in data["stage"]:
            for item in stage["item"]:
                if not item["group"]:
                    del item["group"], item["match"]
        return data

    @classmethod
    def from_json(cls, text: str) -> QualityCard:
        return cls.model_validate_json(text)


def _check_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


def _check_after(group: TriggerGroup, item: Item) -> None:
    """``after`` names another part of an item that needs all its parts, itself in no
    order (so no chain can loop)."""
    other = item.group(group.after or "")
    if other is None or other is group:
        raise ValueError(f"group {group.id!r}: after = {group.after!r} names no other group "
                         "of the item")
    if item.match != "all":
        raise ValueError(f'group {group.id!r}: after = … orders the parts of match = "all"; '
                         "alternatives have no order")
    if other.after is not None:
        raise ValueError(f"group {group.id!r}: after = {group.after!r}, which is itself "
                         "after another group: order by the first one")


def _check_sum(weights: list[float], what: str) -> None:
    total = sum(weights)
    if abs(total - 100) > _WEIGHT_TOLERANCE:
        raise ValueError(f"{what} sum to {total:g}, not 100")


# -- loading -------------------------------------------------------------------------------


def parse_card(data: dict[str, Any], *, source: str) -> QualityCard:
    """Validate a parsed TOML document; ``source`` names the file in error messages."""
    if not data:
        raise CardError(f"{source}: the card is empty: it needs id, title, language, version "
                        "and at least one [[stage]]")
    try:
        return QualityCard.model_validate(data)
    except ValidationError as exc:
        raise CardError(_describe(exc, data, source)) from None


def load_card(path: Path) -> QualityCard:
    """Read and validate one card file."""
    return parse_card(read_toml(path, error=CardError, what="card"), source=str(path))


def _describe(exc: ValidationError, data: dict[str, Any], source: str) -> str:
    """Turn pydantic's error list into sentences that name the stage and the item."""
    lines = []
    for error in exc.errors():
        where = _locate(error["loc"], data)
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown key (check the spelling; see the card format in README)"
        elif error["type"] == "missing":
            message = "required key is missing"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
        lines.append(f"{source}: {where}: {message}" if where else f"{source}: {message}")
    return "\n".join(lines)


def _locate(loc: tuple[int | str, ...], data: dict[str, Any]) -> str:
    """Render a pydantic location like ('stage', 0, 'item', 2, 'weight') with real ids."""
    parts: list[str] = []
    node: Any = data
    index = 0
    while index < len(loc):
        key = loc[index]
        following = loc[index + 1] if index + 1 < len(loc) else None
        if key in ("stage", "item", "group") and isinstance(following, int):
            position = following
            entry = _safe_get(node, key, position)
            label = entry.get("id") if isinstance(entry, dict) else None
            parts.append(f"{key} {label!r}" if label else f"{key} #{position + 1}")
            node = entry
            index += 2
            continue
        if key == "triggers" and isinstance(following, int):
            parts.append(f"trigger #{following + 1}")
            index += 2
            continue
        if isinstance(key, str) and key not in ("function-after",) and not key.startswith("["):
            parts.append(str(key))
        node = node.get(key) if isinstance(node, dict) and isinstance(key, str) else None
        index += 1
    return " › ".join(parts)


def _safe_get(node: Any, key: str, position: int) -> Any:
    if isinstance(node, dict):
        seq = node.get(key)
        if isinstance(seq, list) and 0 <= position < len(seq):
            return seq[position]
    return None

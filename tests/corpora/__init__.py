"""Hand-labelled corpora for the trigger detector, all in one format.

A corpus is a folder here:

- ``calls/NN.txt``: one call, one turn a line, ``Label: what was said``. ``Оператор:`` and
  ``Менеджер:`` are the operator, ``Клиент:`` the client, ``?:`` a speaker the recording did
  not name (the detector then searches that turn too).
- ``labels.toml``: ``card = "slug"`` names a shipped card (or the folder has its own
  ``card.toml``), and ``[calls."NN"] found = ["stage/item", …]`` lists every item with
  triggers that the operator really did; any other item was not done.

``cleaning`` (B2B office cleaning, its own card; rules in its README), ``security`` and
``telemarketing`` (the shipped cards) are Russian.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from scorecard.domain.cards import QualityCard, load_card
from scorecard.domain.library import find_card
from scorecard.domain.transcripts import CLIENT, OPERATOR, UNKNOWN, Turn

HERE = Path(__file__).resolve().parent
NAMES = ("cleaning", "security", "telemarketing")
"""The Russian corpora, on which the detector was tuned."""
ENGLISH = "english"
"""English sales calls; ``heldout`` in its labels names calls never looked at while tuning."""
SPEAKERS = {"оператор": OPERATOR, "менеджер": OPERATOR, "клиент": CLIENT, "?": UNKNOWN,
            "agent": OPERATOR, "prospect": CLIENT}

Key = tuple[str, str]


@dataclass(frozen=True)
class Corpus:
    name: str
    card: QualityCard
    calls: dict[str, list[Turn]]
    truth: dict[str, set[Key]]
    """call → the items the operator really did."""
    heldout: frozenset[str] = frozenset()
    """Calls kept out of tuning: measured, never looked at to change the detector."""

    @property
    def checkable(self) -> list[Key]:
        return [(s.id, i.id) for s in self.card.stages for i in s.items if i.trigger_groups]


def parse_call(text: str, source: str = "call") -> list[Turn]:
    """One turn per non-empty line, ``Label: what was said``; the label becomes the speaker."""
    turns = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        label, colon, said = line.partition(":")
        speaker = SPEAKERS.get(label.strip().lower())
        if not colon or speaker is None:
            raise ValueError(f"{source}:{number}: no known speaker label in {line!r}")
        turns.append(Turn(speaker, said.strip(), label=label.strip()))
    return turns


@cache
def load_corpus(name: str) -> Corpus:
    folder = HERE / name
    labels = tomllib.loads((folder / "labels.toml").read_text(encoding="utf-8"))
    card = find_card(labels["card"])[0] if "card" in labels else load_card(folder / "card.toml")
    calls = {path.stem: parse_call(path.read_text(encoding="utf-8"), path.name)
             for path in sorted((folder / "calls").glob("*.txt"))}
    truth = {name: {_key(item) for item in entry["found"]}
             for name, entry in labels["calls"].items()}
    return Corpus(name, card, calls, truth, frozenset(labels.get("heldout", ())))


def _key(item: str) -> Key:
    stage, _, item_id = item.partition("/")
    return stage, item_id

"""Who is the operator: labels to roles, and the guess for diarised files.

Role labels (``Оператор``, ``Client``) say it outright. Diarised labels (``SPEAKER_00``, a
voice name) do not: the operator is the label the user gave, else the one who says one of
the card's greeting phrases early in the call, else the one who speaks first — skipping a
bare «Алло» on an outbound call, which is the client picking up. A guess is always flagged
on the document and explained in a warning, because a wrong guess grades the client.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from scorecard.domain.transcripts import CLIENT, OPERATOR, UNKNOWN, TranscriptDoc, Turn
from scorecard.errors import TranscriptError
from scorecard.ingest.transcripts.base import SpeakerLabels, Utterance, label_key

GREETING_WINDOW = 6
"""The greeting is looked for in this many first turns of diarised speakers."""
GREETING_SCORE = 85
_GREETING_CHARS = 240
"""Only a turn's opening is compared: a greeting starts a turn, and long turns are slow."""
_PICKUP_WORDS = frozenset(
    "алло ало алле але да слушаю вас hello hallo hi yes speaking".split())
_NOT_WORD = re.compile(r"[\W_]+")


def build_document(
    utterances: list[Utterance],
    *,
    fmt: str,
    source: str,
    labels: SpeakerLabels,
    operator: str | None,
    greeting_phrases: Sequence[str],
    direction: str | None,
    warnings: Sequence[str] = (),
) -> TranscriptDoc:
    """The document, with every utterance's label turned into a role."""
    notes = list(warnings)
    named = _diarised_labels(utterances, labels)
    operator_label, inferred = None, False
    if named:
        operator_label, inferred = _choose_operator(
            utterances, named, source, labels, operator, greeting_phrases, direction, notes)
    elif operator is not None:
        labelled = any(u.label is not None for u in utterances)
        why = "speakers are named by role" if labelled else "the file names no speakers"
        notes.append(f"operator {operator!r} not used: {why}")
    turns = tuple(Turn(_role(u.label, labels, operator_label), u.text, u.start, u.end, u.label)
                  for u in utterances)
    return TranscriptDoc(turns, fmt, source, operator_label, inferred, tuple(notes))


def _diarised_labels(utterances: list[Utterance], labels: SpeakerLabels) -> list[str]:
    """Labels that are not roles, in order of first appearance, one spelling per speaker."""
    found: dict[str, str] = {}
    for utterance in utterances:
        if utterance.label is not None and labels.role(utterance.label) is None:
            found.setdefault(label_key(utterance.label), utterance.label)
    return list(found.values())


def _role(label: str | None, labels: SpeakerLabels, operator_label: str | None) -> str:
    if label is None:
        return UNKNOWN
    role = labels.role(label)
    if role is not None:
        return role
    if operator_label is None:
        return CLIENT  # the operator is labelled by role elsewhere in the file
    return OPERATOR if label_key(label) == label_key(operator_label) else CLIENT


def _choose_operator(
    utterances: list[Utterance],
    named: list[str],
    source: str,
    labels: SpeakerLabels,
    operator: str | None,
    greetings: Sequence[str],
    direction: str | None,
    notes: list[str],
) -> tuple[str | None, bool]:
    """(operator label, inferred) among the diarised ``named`` labels; notes say why."""
    if operator is not None:
        chosen = next((label for label in named if label_key(label) == label_key(operator)),
                      None)
        if chosen is None:
            raise TranscriptError(f"{source}: no speaker {operator!r} in the file; its "
                                  f"speakers are {', '.join(named)}")
        _note_single_speaker(utterances, named, labels, notes)
        return chosen, False
    if any(labels.role(u.label) == OPERATOR for u in utterances):
        notes.append(f"{', '.join(named)} taken as the client: the operator is labelled "
                     "by role")
        return None, False
    chosen, why = infer_operator(utterances, named, greetings, direction)
    notes.append(f"operator inferred as {chosen} ({why})")
    _note_single_speaker(utterances, named, labels, notes)
    return chosen, True


def _note_single_speaker(
    utterances: list[Utterance], named: list[str], labels: SpeakerLabels, notes: list[str]
) -> None:
    """One voice in a whole call is usually a diarisation failure worth a look."""
    if len(named) == 1 and not any(labels.role(u.label) for u in utterances):
        notes.append(f"only one speaker ({named[0]}) in the file: every turn is the operator's")


def infer_operator(
    utterances: Sequence[Utterance],
    named: Sequence[str],
    greetings: Sequence[str],
    direction: str | None,
) -> tuple[str, str]:
    """(label, why) of the likeliest operator among ``named``."""
    by_key = {label_key(label): label for label in named}
    # (speaker as spelled in ``named``, text) of each diarised utterance, in order
    speaking = [(by_key[key], u.text) for u in utterances
                if u.label is not None and (key := label_key(u.label)) in by_key]
    greeter = _greeter(speaking[:GREETING_WINDOW], greetings)
    if greeter is not None:
        return greeter, "said the greeting"
    first, first_text = speaking[0]
    if direction != "inbound" and _is_pickup(first_text):
        # On an outbound call the client answers first («Алло»); the operator speaks next.
        other = next((label for label, _ in speaking if label != first), None)
        if other is not None:
            return other, f"spoke first after {first} picked up"
    return first, "spoke first"


def _greeter(speaking: Sequence[tuple[str, str]], greetings: Sequence[str]) -> str | None:
    """The label whose turn best contains a greeting phrase, if any is close enough."""
    phrases = [p for p in (_fold(g) for g in greetings) if p]
    if not phrases:
        return None
    best, best_score = None, 0.0
    for label, text in speaking:
        folded = _fold(text[:_GREETING_CHARS])
        score = max(_containment(phrase, folded) for phrase in phrases)
        if score > best_score:  # strictly better: on a tie the earlier speaker keeps it
            best, best_score = label, score
    return best if best_score >= GREETING_SCORE else None


def _containment(phrase: str, text: str) -> float:
    """How well ``text`` contains ``phrase``. partial_ratio aligns the shorter string inside
    the longer, so a client's «да» would fully «contain» a phrase ending in «да»: a turn
    shorter than the phrase is compared whole instead."""
    if len(text) < len(phrase):
        return fuzz.ratio(phrase, text)
    return fuzz.partial_ratio(phrase, text)


def _fold(text: str) -> str:
    """Lower case, ё→е, punctuation to spaces: how greetings are compared."""
    return " ".join(_NOT_WORD.sub(" ", text.lower().replace("ё", "е")).split())


def _is_pickup(text: str) -> bool:
    words = _fold(text).split()
    return 0 < len(words) <= 3 and all(word in _PICKUP_WORDS for word in words)

"""Who is the operator: labels to roles, and the guess for diarised files.

Role labels (``Оператор``, ``Абонент``, ``Agent``) say it outright. Diarised labels
(``SPEAKER_00``, a voice name, a label nobody told us about) do not: the operator is the
label the user gave, else the one who says one of the card's greeting phrases early in the
call, else the one who speaks first — skipping a bare «Алло» on an outbound call, which is
the client picking up. A guess is always flagged on the document with its evidence and a
margin (how far the evidence sets the chosen speaker apart), because a wrong guess grades
the client: below a stated margin nothing is suggested, pass or fail
(:func:`scorecard.domain.transcripts.roles_trusted`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat
from typing import NamedTuple

from rapidfuzz import fuzz

from scorecard.domain.transcripts import CLIENT, OPERATOR, UNKNOWN, TranscriptDoc, Turn
from scorecard.errors import TranscriptError
from scorecard.ingest.transcripts.base import (
    SpeakerLabels,
    Spoken,
    Utterance,
    channel_key,
    columns,
    label_key,
)

GREETING_WINDOW = 6
"""The greeting is looked for in this many first turns of diarised speakers."""
GREETING_SCORE = 85
# Margins of the guesses that have no score to compare: a client's «Алло» then the other
# voice is good evidence on an outbound call; «spoke first» alone is weak; one voice in a
# whole call is no evidence at all (usually diarisation failed).
PICKUP_MARGIN = 0.3
FIRST_SPEAKER_MARGIN = 0.1
_GREETING_CHARS = 240
"""Only a turn's opening is compared: a greeting starts a turn, and long turns are slow."""
_PICKUP_WORDS = frozenset(
    "алло ало алле але да слушаю вас hello hallo hi yes speaking".split())
_NOT_WORD = re.compile(r"[\W_]+")


def build_document(
    utterances: list[Utterance] | Spoken,
    *,
    fmt: str,
    source: str,
    labels: SpeakerLabels,
    operator: str | None,
    greeting_phrases: Sequence[str],
    direction: str | None,
    warnings: Sequence[str] = (),
    operator_channel: str | None = None,
) -> TranscriptDoc:
    """The document, with every utterance's label turned into a role."""
    notes = list(warnings)
    labels_said: Sequence[str | None]
    texts: Sequence[str]
    starts: Sequence[float | None]
    ends: Sequence[float | None]
    if isinstance(utterances, Spoken):  # labelled speech without times or channels
        labels_said, texts = utterances
        starts = ends = (None,) * len(texts)
    else:
        if operator_channel is not None:
            by_channel = _by_channel(utterances, operator_channel, notes)
            if by_channel is not None:
                return TranscriptDoc(by_channel, fmt, source, None, False, tuple(notes),
                                     f"channel {operator_channel} is the operator's "
                                     "(operator_channel)", None)
        labels_said, texts, starts, ends = columns(utterances)
    spellings = list(dict.fromkeys(labels_said))  # each label once
    named = _diarised_labels(spellings, labels)
    operator_label, inferred = None, False
    evidence, margin = _labels_evidence(spellings, labels), None
    if named:
        rows = utterances.rows() if isinstance(utterances, Spoken) else utterances
        operator_label, inferred, evidence, margin = _choose_operator(
            rows, named, source, labels, operator, greeting_phrases, direction, notes)
        evidence = evidence or _labels_evidence(spellings, labels)
    elif operator is not None:
        labelled = any(label is not None for label in labels_said)
        why = "speakers are named by role" if labelled else "the file names no speakers"
        notes.append(f"operator {operator!r} not used: {why}")
    roles = {label: _role(label, labels, operator_label) for label in spellings}
    # A long call has hundreds of turns: made in C, without a Python call each.
    turns = tuple(map(tuple.__new__, repeat(Turn), zip(
        map(roles.__getitem__, labels_said), texts, starts, ends, labels_said, strict=True)))
    if not {OPERATOR, CLIENT} & set(roles.values()):
        evidence, margin = "no speaker named in the file", None
    return TranscriptDoc(turns, fmt, source, operator_label, inferred, tuple(notes),
                         evidence, margin)


def _by_channel(utterances: list[Utterance], operator_channel: str,
                notes: list[str]) -> tuple[Turn, ...] | None:
    """Roles from the audio channel (stereo recordings put each party on its own), or
    None when the file has no channels or not the operator's one."""
    channels = {channel_key(u.channel) for u in utterances if u.channel is not None}
    if not channels:
        return None
    wanted = channel_key(operator_channel)
    if wanted not in channels:
        notes.append(f"operator_channel {operator_channel!r} is none of the file's channels "
                     f"({', '.join(sorted(channels))}); the operator is inferred instead")
        return None
    return tuple(Turn(UNKNOWN if u.channel is None else (
        OPERATOR if channel_key(u.channel) == wanted else CLIENT), u.text, u.start, u.end,
        u.label) for u in utterances)


def _labels_evidence(spellings: Sequence[str | None], labels: SpeakerLabels) -> str | None:
    """«labels: Оператор → operator, Абонент → client»: the role labels the file uses."""
    seen: dict[str, str] = {}
    for label in spellings:
        role = labels.role(label)
        if role is not None and label is not None:
            seen.setdefault(label_key(label), f"{label} → {role}")
    return "labels: " + ", ".join(seen.values()) if seen else None


def _diarised_labels(spellings: Sequence[str | None], labels: SpeakerLabels) -> list[str]:
    """Labels that are not roles, in order of first appearance, one spelling per speaker."""
    found: dict[str, str] = {}
    for label in spellings:
        if label is not None and labels.role(label) is None:
            found.setdefault(label_key(label), label)
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
) -> tuple[str | None, bool, str | None, float | None]:
    """(operator label, inferred, evidence, margin) among the diarised ``named`` labels;
    notes say why."""
    if operator is not None:
        chosen = next((label for label in named if label_key(label) == label_key(operator)),
                      None)
        if chosen is None:
            raise TranscriptError(f"{source}: no speaker {operator!r} in the file; its "
                                  f"speakers are {', '.join(named)}")
        _note_single_speaker(utterances, named, labels, notes)
        return chosen, False, f"operator given: {chosen}", None
    if any(labels.role(u.label) == OPERATOR for u in utterances):
        notes.append(f"{', '.join(named)} taken as the client: the operator is labelled "
                     "by role")
        return None, False, None, None
    guess = infer_operator(utterances, named, greetings, direction)
    margin = 0.0 if _single_speaker(utterances, named, labels) else guess.margin
    notes.append(f"operator inferred as {guess.label} ({guess.why})")
    _note_single_speaker(utterances, named, labels, notes)
    return guess.label, True, f"{guess.label}: {guess.why}", round(margin, 2)


def _single_speaker(utterances: list[Utterance], named: list[str],
                    labels: SpeakerLabels) -> bool:
    return len(named) == 1 and not any(labels.role(u.label) in (OPERATOR, CLIENT)
                                       for u in utterances)


def _note_single_speaker(
    utterances: list[Utterance], named: list[str], labels: SpeakerLabels, notes: list[str]
) -> None:
    """One voice in a whole call is usually a diarisation failure worth a look."""
    if _single_speaker(utterances, named, labels):
        notes.append(f"only one speaker ({named[0]}) in the file: every turn is the operator's")


class Guess(NamedTuple):
    label: str
    why: str
    margin: float
    """0–1: how far the evidence sets ``label`` apart from the other speakers."""


def infer_operator(
    utterances: Sequence[Utterance],
    named: Sequence[str],
    greetings: Sequence[str],
    direction: str | None,
) -> Guess:
    """The likeliest operator among ``named``, why, and how sure."""
    by_key = {label_key(label): label for label in named}
    # (speaker as spelled in ``named``, text) of each diarised utterance, in order
    speaking = [(by_key[key], u.text) for u in utterances
                if u.label is not None and (key := label_key(u.label)) in by_key]
    scores = _greeting_scores(speaking[:GREETING_WINDOW], greetings)
    if scores:
        ranked = sorted(scores.items(), key=lambda pair: -pair[1])
        greeter, best = ranked[0]
        if best >= GREETING_SCORE:
            second = ranked[1][1] if len(ranked) > 1 else 0.0
            return Guess(greeter, "said the greeting", (best - second) / 100)
    first, first_text = speaking[0]
    if direction != "inbound" and _is_pickup(first_text):
        # On an outbound call the client answers first («Алло»); the operator speaks next.
        other = next((label for label, _ in speaking if label != first), None)
        if other is not None:
            return Guess(other, f"spoke first after {first} picked up", PICKUP_MARGIN)
    return Guess(first, "spoke first", FIRST_SPEAKER_MARGIN)


def _greeting_scores(speaking: Sequence[tuple[str, str]],
                     greetings: Sequence[str]) -> dict[str, float]:
    """Each speaker's best containment of a greeting phrase in their first turns, in the
    order they first spoke (a tie keeps the earlier speaker first)."""
    phrases = [p for p in (_fold(g) for g in greetings) if p]
    scores: dict[str, float] = {}
    if not phrases:
        return scores
    for label, text in speaking:
        folded = _fold(text[:_GREETING_CHARS])
        score = max(_containment(phrase, folded) for phrase in phrases)
        scores[label] = max(score, scores.get(label, 0.0))
    return scores


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

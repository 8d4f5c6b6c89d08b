"""What every transcript reader shares: the error, a raw utterance, speaker labels, times.

A reader's job ends at a list of :class:`Utterance` — who the file says spoke (its label,
or None) and what they said; :mod:`.speakers` turns labels into roles afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from scorecard.domain.transcripts import CLIENT, OPERATOR

OPERATOR_LABELS = ("Оператор", "Менеджер", "Operator", "Agent")
CLIENT_LABELS = ("Клиент", "Client", "Customer", "Prospect")

# SPEAKER_00 as pyannote/WhisperX write it; "Speaker 1" as several SaaS exports do.
_DIARISED = re.compile(r"speaker[_ ]?(\d{1,3})", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]")
# A speaker prefix: ``[anything short]:`` or up to 30 letters, digits, dots, hyphens and
# spaces before a colon, starting with a letter; ``https://`` is not one. Whether it names a
# speaker or is speech («цена такая: …») is each reader's call.
LABEL_PREFIX = re.compile(r"\s*(?:\[([^\]\n]{1,30})\]|([^\W\d_][\w.\- ]{0,29}?))\s*:(?!//)\s*")
# A time as transcripts write it: [h]h:mm:ss or m:ss, with an optional fraction.
TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"




@dataclass(slots=True)
class Utterance:
    """Speech as the file has it: the speaker's label (None when the file names nobody)."""

    label: str | None
    text: str
    start: float | None = None
    end: float | None = None


class SpeakerLabels:
    """Which labels name a role: the defaults plus the user's, compared case-insensitively."""

    def __init__(
        self, operator_labels: Iterable[str] = (), client_labels: Iterable[str] = ()
    ) -> None:
        self._roles: dict[str, str] = {}
        self._seen: dict[str, str | None] = {}
        for label in (*OPERATOR_LABELS, *operator_labels):
            self._roles[label_key(label)] = OPERATOR
        for label in (*CLIENT_LABELS, *client_labels):
            # A label the user gave for both roles is their mistake; the client side wins
            # consistently rather than depending on set order.
            self._roles[label_key(label)] = CLIENT

    def role(self, label: str | None) -> str | None:
        """operator, client, or None when ``label`` is not a role (a name, SPEAKER_00).

        A role followed by a name («Оператор Анна», «Клиент Сергей») is that role: exports
        from CRMs often put the agent's name after the role.
        """
        if label is None:
            return None
        if label in self._seen:  # a file repeats its few labels on every turn
            return self._seen[label]
        key = label_key(label)
        role = self._roles.get(key)
        if role is None and " " in key:
            role = self._roles.get(key.split(" ", 1)[0])
        self._seen[label] = role
        return role

    def is_speaker(self, label: str) -> bool:
        """True for a role label and for a diarised one (SPEAKER_00)."""
        return self.role(label) is not None or is_diarised(label)


def is_diarised(label: str) -> bool:
    return _DIARISED.fullmatch(label) is not None


@lru_cache(maxsize=4096)
def label_key(label: str) -> str:
    """What makes two labels the same speaker: case, spacing and SPEAKER_1 == SPEAKER_01."""
    diarised = _DIARISED.fullmatch(label.strip())
    if diarised:
        return f"speaker_{int(diarised.group(1))}"
    return " ".join(label.casefold().split())


def seconds(stamp: str) -> float | None:
    """Seconds in ``[h:]m:s[.fff]`` (``,`` also separates the fraction); None if out of range."""
    parts = stamp.replace(",", ".").split(":")
    try:
        whole = float(parts[-1])
        minutes = int(parts[-2])
        hours = int(parts[-3]) if len(parts) == 3 else 0
    except (ValueError, IndexError):
        return None
    if whole >= 60 or (len(parts) == 3 and minutes >= 60):
        return None
    return hours * 3600 + minutes * 60 + whole


def clean(text: str) -> str:
    """One space between words: files pad, wrap and indent speech in every way."""
    return " ".join(text.split())


def has_words(text: str) -> bool:
    return _WORD.search(text) is not None

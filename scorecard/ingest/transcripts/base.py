"""What every transcript reader shares: the error, a raw utterance, speaker labels, times.

A reader's job ends at a list of :class:`Utterance` — who the file says spoke (its label,
or None) and what they said; :mod:`.speakers` turns labels into roles afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import compress, repeat
from operator import itemgetter
from typing import NamedTuple

from scorecard.domain.transcripts import CLIENT, OPERATOR, UNKNOWN

# Words that name a role, as transcripts write them; a label is that role when it is one of
# these, starts with one («Оператор Анна»), or names one in brackets («Анна (оператор)»).
OPERATOR_LABELS = (
    "оператор", "менеджер", "специалист", "сотрудник", "агент", "продавец", "консультант",
    "agent", "rep", "sales rep", "representative", "operator", "advisor", "adviser", "sales",
    "salesperson", "seller", "customer service", "customer support", "support")
CLIENT_LABELS = (
    "клиент", "абонент", "покупатель", "собеседник", "звонящий", "заказчик",
    "customer", "client", "caller", "prospect", "lead")
UNKNOWN_LABELS = ("unknown", "unknown speaker", "unk", "неизвестно", "неизвестный",
                  "не определен", "неопознанный")
"""What diarisation writes for a stretch it could not attribute: kept as unknown turns."""
ANNOTATION_LABELS = ("speaker", "спикер", "говорит", "говорящий", "role", "роль")
"""«Speaker: agent» on a line of its own says who speaks in the lines below it."""

# SPEAKER_00 as pyannote/WhisperX write it; "Speaker 1" and «Спикер 1» as SaaS exports do;
# "S1" as transcription services' short form.
_DIARISED = re.compile(r"(?:speaker|спикер|говорящий|spk)[_ \-]?(\d{1,3})|s(\d{1,2})",
                       re.IGNORECASE)
_WORD = re.compile(r"[^\W_]")
#: A colon with no word after it on its line: where a «label: speech» line may say nothing.
_SPEECHLESS = re.compile(r":[\W_]*$", re.MULTILINE)
_BRACKETED_WORD = re.compile(r"[(\[]\s*([^\W\d_][\w ]*?)\s*[)\]]")
# A time as transcripts write it: [h]h:mm:ss or m:ss, with an optional fraction.
TIME = r"(?:\d{1,3}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
# A speaker prefix: ``[anything short]:`` or up to 40 letters, digits, dots, hyphens,
# apostrophes, brackets and spaces before a colon, starting with a letter, perhaps with a
# time in brackets before the colon («Анна (0:05):»); ``https://`` is not one. Whether it
# names a speaker or is speech («цена такая: …») is each reader's call.
LABEL_PREFIX = re.compile(
    rf"\s*(?:\[([^\]\n]{{1,30}})\]|([^\W\d_][\w.\-'’() ]{{0,39}}?))"
    rf"(?:\s*[(\[]({TIME})[)\]])?\s*:(?!//)\s*")
MAX_NAME_WORDS = 4


class Utterance(NamedTuple):
    """Speech as the file has it: the speaker's label (None when the file names nobody).
    (A named tuple: a long call has hundreds, and :func:`utterances` makes them in C.)"""

    label: str | None
    text: str
    start: float | None = None
    end: float | None = None
    channel: str | None = None
    """The audio channel the speech came from, in a stereo transcript (``0``, ``left``…)."""


class SpeakerLabels:
    """Which labels name a role: the vocabulary plus the user's, compared case-insensitively.

    ``role()`` gives operator, client, unknown (diarisation's ``Unknown``) or None for a
    label that names a person or a diarised voice (SPEAKER_00, «Анна»): whose voice that
    is gets inferred. A label the user gave is taken as written, whatever its characters.
    """

    def __init__(
        self, operator_labels: Iterable[str] = (), client_labels: Iterable[str] = (),
        unknown_labels: Iterable[str] = (),
    ) -> None:
        self._roles: dict[str, str] = {}
        self._seen: dict[str, str | None] = {}
        given = [*operator_labels, *client_labels, *unknown_labels]
        for label in UNKNOWN_LABELS:
            self._roles[label_key(label)] = UNKNOWN
        for label in (*OPERATOR_LABELS, *operator_labels):
            self._roles[label_key(label)] = OPERATOR
        for label in (*CLIENT_LABELS, *client_labels):
            # A label the user gave for both roles is their mistake; the client side wins
            # consistently rather than depending on set order.
            self._roles[label_key(label)] = CLIENT
        for label in unknown_labels:
            self._roles[label_key(label)] = UNKNOWN
        # Longest first: «Agent 2» before «Agent».
        self.given = tuple(sorted({g.strip() for g in given if g.strip()}, key=len,
                                  reverse=True))
        self.line_heads: dict[str, bool] = {}
        """What comes before the colon of a line -> whether it is a speaker the one-pass
        reading of «Role: speech» files takes (see plain.py); worked out once a head."""

    def role(self, label: str | None) -> str | None:
        """operator, client, unknown, or None when ``label`` is not a role (a name,
        SPEAKER_00).

        A role followed by a name («Оператор Анна», «Клиент Сергей») is that role: exports
        from CRMs often put the agent's name after the role; so is a name followed by a
        role in brackets («Анна (оператор)»).
        """
        if label is None:
            return None
        if label in self._seen:  # files repeat their few labels on every turn
            return self._seen[label]
        if len(self._seen) > _MAX_SEEN:  # the labels of many files: names, voices
            self._seen.clear()
        key = label_key(label)
        role = self._roles.get(key)
        if role is None and " " in key:
            role = self._roles.get(key.split(" ", 1)[0])
        if role is None and ("(" in key or "[" in key):
            role = next((found for word in _BRACKETED_WORD.findall(key)
                         if (found := self._roles.get(word)) is not None), None)
        self._seen[label] = role
        return role

    def is_speaker(self, label: str) -> bool:
        """True for a role label, a label the user gave and a diarised one (SPEAKER_00)."""
        return self.role(label) is not None or is_diarised(label)

    def given_prefix(self, text: str) -> tuple[str, int] | None:
        """(label, where the speech starts) when ``text`` starts with a label the user gave
        followed by a colon: those are taken whatever characters they hold."""
        for label in self.given:
            if text[:len(label)].casefold() != label.casefold():
                continue
            rest = text[len(label):]
            colon = len(label) + len(rest) - len(rest.lstrip())
            if text[colon:colon + 1] == ":":
                speech = text[colon + 1:]
                return text[:len(label)], len(text) - len(speech.lstrip())
        return None


#: Labels a SpeakerLabels remembers the role of, at most.
_MAX_SEEN = 4096


@lru_cache(maxsize=16)
def speaker_labels(operator_labels: tuple[str, ...] = (), client_labels: tuple[str, ...] = (),
                   unknown_labels: tuple[str, ...] = ()) -> SpeakerLabels:
    """The labels of a command's settings, made once for all the files it reads."""
    return SpeakerLabels(operator_labels, client_labels, unknown_labels)


def channel_key(channel: str) -> str:
    """«Left», «L», «0», «ch_0» name channels in different exports; one spelling each."""
    key = channel.strip().casefold().removeprefix("ch_").removeprefix("channel").strip(" _-")
    return {"l": "left", "r": "right"}.get(key, key)


def is_diarised(label: str) -> bool:
    return _DIARISED.fullmatch(label.strip()) is not None


def is_annotation(label: str) -> bool:
    """«Speaker», «Спикер»: the word before a colon that announces who speaks next."""
    return label_key(label) in ANNOTATION_LABELS


def looks_like_a_name(label: str) -> bool:
    """«Иван Петров», «Ashlee Kupor (SL)»: a speaker nobody told us about; «цена такая» is
    speech (a name's words start with capitals; digits are no name's)."""
    words = _BRACKETED_WORD.sub("", label).split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or any(ch.isdigit() for ch in label):
        return False
    return all(word[0].isupper() for word in words)


@lru_cache(maxsize=4096)
def label_key(label: str) -> str:
    """What makes two labels the same speaker: case, spacing and SPEAKER_1 == SPEAKER_01
    == Speaker 1 == S1."""
    diarised = _DIARISED.fullmatch(label.strip())
    if diarised:
        return f"speaker_{int(diarised.group(1) or diarised.group(2))}"
    return " ".join(label.casefold().replace("ё", "е").split())


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


def continued(last: Utterance, text: str, end: float | None) -> Utterance:
    """``last`` with ``text`` said after it by the same speaker, up to ``end``."""
    return last._replace(text=f"{last.text} {text}", end=last.end if end is None else end)


def has_words(text: str) -> bool:
    return _WORD.search(text) is not None


_TEXT = itemgetter(1)


def with_words(utterances: list[Utterance]) -> list[Utterance]:
    """The utterances that say something (a word, not just punctuation or a time)."""
    return list(compress(utterances, map(_WORD.search, map(_TEXT, utterances))))


def utterances_of(labels: Iterable[str | None], texts: Iterable[str]) -> list[Utterance]:
    """Utterances without times from parallel columns, made without a Python call per
    utterance: a file read in one pass of a regular expression has hundreds."""
    return list(map(tuple.__new__, repeat(Utterance),
                    zip(labels, texts, repeat(None), repeat(None), repeat(None))))


class Spoken(NamedTuple):
    """Labelled speech without times as two columns, the utterances that say something:
    what the one-pass reading of a «Role: speech» file makes, without an object per
    utterance (a long call has hundreds; see plain.py)."""

    labels: list[str]
    texts: list[str]

    def rows(self) -> list[Utterance]:
        return utterances_of(self.labels, self.texts)


def said_something(labels: Iterable[str], texts: list[str], text: str) -> Spoken:
    """The columns of the utterances that say something (see :func:`with_words`), of
    ``text`` whose every line is «label: speech»."""
    if _SPEECHLESS.search(text) is None:  # one pass over the file instead of one a line
        return Spoken(list(labels), texts)
    spoke = list(map(_WORD.search, texts))
    return Spoken(list(compress(labels, spoke)), list(compress(texts, spoke)))


def columns(rows: Sequence[Utterance]) -> tuple[tuple[str | None, ...], tuple[str, ...],
                                                 tuple[float | None, ...],
                                                 tuple[float | None, ...]]:
    """Labels, texts, starts and ends of ``rows``, one tuple each."""
    if not rows:
        return (), (), (), ()
    labels, texts, starts, ends, _ = zip(*rows, strict=True)
    return labels, texts, starts, ends

"""Words as the detector sees them: normalised text, filler words dropped, and the way back
from word positions to character offsets in the original text (for highlighting).

Normalising maps one character to one character, so a word found in the normalised text is
at the same place in the original one.
"""

from __future__ import annotations

import re

from scorecard.domain.lexicon import FILLER_PAIRS, FILLERS

#: The punctuation real transcripts carry, replaced by spaces one mark at a time: for Cyrillic
#: text that is about five times faster than ``str.translate`` with a table, which looks
#: every character up in a dict. Anything rarer stays and only costs that word its match.
PUNCTUATION = tuple(".,!?;:\"«»„“”()[]{}—–-…/\\*+=<>|~`@#$%^&_\t\n\r\u00a0")


def normalise(text: str) -> str:
    """Lower case, ё→е, punctuation to spaces; same length as ``text``.

    Every character is mapped on its own (and whitespace stays whitespace), so normalising
    a text and normalising each of its whitespace-separated tokens give the same words.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # «İ» is the one letter that lower-cases to two characters
        lowered = text.replace("İ", "I").lower()
    lowered = lowered.replace("ё", "е").replace("’", "'")
    for mark in PUNCTUATION:
        lowered = lowered.replace(mark, " ")
    return lowered


class Fillers:
    """The filler words and two-word fillers to drop: all of them, or all but those a
    card's phrases say (a card whose phrase says «like» keeps it)."""

    def __init__(self, said: frozenset[str] | set[str] = frozenset(),
                 said_pairs: frozenset[tuple[str, str]] | set[tuple[str, str]] = frozenset()
                 ) -> None:
        self.words = FILLERS - said
        self.pairs = FILLER_PAIRS - said_pairs
        self.first = frozenset(first for first, _ in self.pairs)
        self.second = frozenset(second for _, second in self.pairs)


ALL_FILLERS = Fillers()


def content_tokens(text: str, fillers: Fillers = ALL_FILLERS) -> list[str]:
    """Normalised words without fillers, as the detector compares them."""
    return without_fillers(normalise(text).split(), fillers)[0]


def without_fillers(words: list[str], fillers: Fillers = ALL_FILLERS
                    ) -> tuple[list[str], list[int] | None]:
    """The words that carry meaning, and the index of each in ``words`` (None: all kept)."""
    # «как» is common, «как бы» is not: look for pairs only where both halves occur
    pairs = not fillers.second.isdisjoint(words) and not fillers.first.isdisjoint(words)
    if not pairs and fillers.words.isdisjoint(words):
        return words, None
    dropped: set[int] = set()
    if pairs:  # «как бы», «you know»: both words go, scanning from the left
        for number in [n for n, word in enumerate(words) if word in fillers.first]:
            if (number not in dropped and number + 1 < len(words)
                    and (words[number], words[number + 1]) in fillers.pairs):
                dropped.update((number, number + 1))
    index = [n for n, word in enumerate(words)
             if word not in fillers.words and n not in dropped]
    if len(index) == len(words):
        return words, None
    return [words[n] for n in index], index


def prefix_similarity(a: str, b: str) -> int:
    """Same word, other ending: «выставим»/«выставлю», «счёт»/«счета»."""
    shorter = min(len(a), len(b))
    if shorter < 4 or abs(len(a) - len(b)) > 4:
        return 0
    return 90 if _common_prefix(a, b) >= max(4, shorter - 3) else 0


def _common_prefix(a: str, b: str) -> int:
    """How many letters two words share from their start."""
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common


#: Endings an English word may lose that leave its stem: «handle» is «handl» + «e».
_SILENT_ENDINGS = ("", "e")


def english_prefix_similarity(a: str, b: str) -> int:
    """Same English word, another inflection: the bare word and an ending («book»,
    «booked», «booking»; «handle», «handling»), never two different endings: «plans» (a
    noun) is not «planning» (a verb)."""
    if min(len(a), len(b)) < 4:
        return 0
    common = _common_prefix(a, b)
    rest_a, rest_b = a[common:], b[common:]
    if common < 4 or len(rest_a) + len(rest_b) > 4 or (
            rest_a not in _SILENT_ENDINGS and rest_b not in _SILENT_ENDINGS):
        return 0
    return 90


#: What str.split() splits on, spelled out: a character class of literals only is a
#: table lookup for re, one with \s in it a sequential test.
_WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())
_WORD_CHAR = "[^" + re.escape(_WHITESPACE + "".join(PUNCTUATION)) + "]"
_GAP_CHAR = "[" + re.escape(_WHITESPACE + "".join(PUNCTUATION)) + "]"
#: A word as ``normalise(text).split()`` finds it, matched in the original text.
_WORD = re.compile(_WORD_CHAR + "+")
#: n -> a pattern matching a text up to the start of its word n (re counts the words in C).
_SKIP: dict[int, re.Pattern[str]] = {}
#: n -> a pattern matching n + 1 words from the start of one.
_TAKE: dict[int, re.Pattern[str]] = {}


#: Words skipped by one pattern at most: long turns skip in steps, so a process compiles a
#: few dozen patterns (each takes a millisecond: the classes are big), not one a position.
_SKIP_STEP = 16


def _skip(words: int) -> re.Pattern[str]:
    skip = _SKIP.get(words)
    if skip is None:
        skip = _SKIP[words] = re.compile(f"{_GAP_CHAR}*(?:{_WORD_CHAR}+{_GAP_CHAR}+){{{words}}}")
    return skip


def char_span(text: str, first: int, last: int) -> tuple[int, int]:
    """Character offsets of words ``first``…``last`` of a turn's original text."""
    take = _TAKE.get(last - first)
    if take is None:
        take = _TAKE[last - first] = re.compile(
            f"(?:{_WORD_CHAR}+{_GAP_CHAR}+){{{last - first}}}{_WORD_CHAR}+")
    at, left = 0, first
    while True:
        skipped = _skip(min(left, _SKIP_STEP)).match(text, at)
        if skipped is None or left <= _SKIP_STEP:
            break
        at, left = skipped.end(), left - _SKIP_STEP
    taken = take.match(text, skipped.end()) if skipped is not None else None
    if skipped is not None and taken is not None:
        return skipped.end(), taken.end()
    start = end = 0  # not reached while the words come from this text
    for index, match in enumerate(_WORD.finditer(text)):
        if index == first:
            start = match.start()
        if index == last:
            end = match.end()
            break
    return start, end

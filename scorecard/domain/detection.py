"""Finding a card's trigger phrases in a transcript, fast enough to check every call.

How it works, and why:

1. **Normalise** each turn with one ``str.translate`` (lower case, ё→е, punctuation to
   spaces; one character in, one character out, so token positions map back to the
   original text for highlighting) and drop filler words («ну», «вот», «э-э», «как бы»).
2. **Find candidates through the vocabulary.** Every distinct transcript word is compared
   once, with rapidfuzz's vectorised ``cdist`` plus a prefix rule for Russian endings,
   against the distinct words of all triggers; the result is cached on the detector, so a
   word seen in an earlier call costs a dictionary lookup. Each trigger has an *anchor*
   (its longest content word); only turns containing a word similar to an anchor are
   looked at further.
3. **Verify a window** around each anchor hit, inside one turn (a phrase spread over two
   turns does not count): every content word of the trigger must be matched by a distinct
   nearby word (order free, so a swapped pair still matches), short words may be missing,
   and the matched words must lie close together. The score is the mean word similarity.
4. **Reject negations**: «не», «нет», «ни» just before the phrase or inside it (when the
   trigger itself has none), or «не будем / не надо …» right after it.

Only operator turns are searched when the transcript knows who spoke; all turns when not.
Stems are never used for scoring: surface similarity keeps near-misses apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from scorecard.domain.cards import QualityCard, Trigger
from scorecard.domain.transcripts import OPERATOR, UNKNOWN, Turn

DETECTOR_VERSION = "fuzzy-1"

#: Below this a word pair is "not similar" and never stored.
_WORD_FLOOR = 75
#: A content word of a trigger must be matched at least this well.
_CONTENT_WORD_MIN = 78
#: A short word («вас», «на») must be matched this well: «нас» is not «вас».
_SHORT_WORD_MIN = 75
#: Extra strictness for two-word triggers, which cause most false positives.
_TWO_WORD_PENALTY = 4
#: Each missing short word costs this much.
_SHORT_WORD_MISSING = 3.0
#: Each word that stands inside a matched phrase but is not part of it costs this much.
_EXTRA_WORD = 4.0
#: How many extra words may stand inside a matched phrase.
_SPAN_SLACK = 2

FILLERS = frozenset({"ну", "вот", "э", "ээ", "эээ", "эм", "ммм", "мм", "м", "типа", "короче",
                     "uh", "um", "uhm", "er", "like"})
_FILLER_PAIRS = {("как", "бы"), ("you", "know")}
_FILLER_FIRST = frozenset(first for first, _ in _FILLER_PAIRS)
NEGATIONS = frozenset({"не", "нет", "ни", "not", "no", "don't", "dont", "won't"})
_NEGATED_AFTER = frozenset({"будем", "буду", "будет", "надо", "нужно", "стоит", "получится",
                            "можем", "могу", "хочу", "хотим", "станем", "стану"})
#: Spoken forms speech-to-text writes down as heard, compared as their written forms.
COLLOQUIAL = {"щас": "сейчас", "счас": "сейчас", "чё": "что", "че": "что", "скока": "сколько",
              "ток": "только", "тыщ": "тысяч", "тыщи": "тысячи", "тыща": "тысяча",
              "здрасте": "здравствуйте"}
COMMON_WORDS = frozenset({
    "понимаю", "скажите", "скажете", "давайте", "хорошо", "смотрите", "удобно", "отлично",
    "конечно", "сейчас", "можно", "нужно", "очень", "просто", "спасибо", "пожалуйста",
    "компания", "компании", "вопрос", "говорите", "подскажите", "слушаю", "слушайте",
    "understand", "please", "thanks", "great", "right", "company",
})
SHORT_WORDS = frozenset({
    "а", "в", "во", "и", "к", "ко", "на", "о", "об", "от", "по", "с", "со", "у", "за", "из", "до",
    "вам", "вас", "вы", "мы", "нам", "нас", "я", "мне", "меня", "ваш", "ваша", "ваше", "ваши",
    "наш", "наша", "наше", "наши", "это", "ли", "же", "бы", "то", "что", "как", "так", "для",
    "свой", "своя", "свое", "свои", "своей", "своим", "свою", "своих", "своими", "своего",
    "the", "a", "an", "to", "of", "you", "your", "we", "our", "i", "me", "my", "is", "are",
    "for", "in", "on", "at", "it", "with",
})


def _translation_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for code in range(0x20, 0x3000):
        ch = chr(code)
        if not (ch.isalnum() or ch in "'’"):
            table[code] = ord(" ")
        elif ch.lower() != ch and len(ch.lower()) == 1:
            table[code] = ord(ch.lower())
    for ch in "ёЁ":
        table[ord(ch)] = ord("е")
    table[ord("’")] = ord("'")
    for ch in "\t\n\r\x0b\x0c":
        table[ord(ch)] = ord(" ")
    return table


_TABLE = _translation_table()


#: The punctuation real transcripts carry; replaced one by one, which is far faster than a
#: full-table translate. Anything rarer stays and only costs that word its exact match.
_PUNCTUATION = tuple(".,!?;:\"«»„“”()[]{}—–-…/\\*+=<>|~`@#$%^&_\t\n\r\u00a0")


def normalise(text: str) -> str:
    """Lower case, ё→е, punctuation to spaces; same length as ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower-case to two characters
        return text.translate(_TABLE)
    lowered = lowered.replace("ё", "е").replace("’", "'")
    for mark in _PUNCTUATION:
        lowered = lowered.replace(mark, " ")
    return lowered


def content_tokens(text: str) -> list[str]:
    """Normalised words without fillers, as the detector compares them."""
    return [word for word, _ in _filtered(normalise(text).split())]


def _filtered(words: Sequence[str]) -> list[tuple[str, int]]:
    """(word, index in ``words``) for the words that carry meaning."""
    if FILLERS.isdisjoint(words) and _FILLER_FIRST.isdisjoint(words):
        return list(zip(words, range(len(words)), strict=True))
    kept: list[tuple[str, int]] = []
    skip_next = False
    for index, word in enumerate(words):
        if skip_next:
            skip_next = False
            continue
        if word in FILLERS:
            continue
        if index + 1 < len(words) and (word, words[index + 1]) in _FILLER_PAIRS:
            skip_next = True
            continue
        kept.append((word, index))
    return kept


def _prefix_similarity(a: str, b: str) -> int:
    """Same word, other ending: «выставим»/«выставлю», «счёт»/«счета»."""
    shorter = min(len(a), len(b))
    if shorter < 4 or abs(len(a) - len(b)) > 4:
        return 0
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return 90 if common >= max(4, shorter - 3) else 0


# -- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemDetection:
    stage_id: str
    item_id: str
    found: bool
    score: float
    """0–100: how well the best candidate matched, found or not."""
    trigger: str | None
    turn: int | None
    """Index of the turn holding the evidence."""
    start: int | None
    """Character offsets of the evidence in that turn's original text."""
    end: int | None
    text: str | None
    """The evidence as said."""
    negated: bool = False

    def as_json(self) -> dict[str, object]:
        return {"stage": self.stage_id, "item": self.item_id, "found": self.found,
                "score": round(self.score, 1), "trigger": self.trigger, "turn": self.turn,
                "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class _Candidate:
    score: float
    turn: int
    first: int
    last: int
    """First and last word index (in the turn's unfiltered word list) of the evidence."""
    negated: bool


# -- the compiled card ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CompiledTrigger:
    text: str
    stage_id: str
    item_id: str
    words: tuple[int, ...]
    """Indices into the detector's trigger vocabulary."""
    short: tuple[bool, ...]
    anchor: int
    """Position in ``words`` of the anchor word."""
    threshold: float
    exact: bool
    exact_pattern: re.Pattern[str] | None
    has_negation: bool
    key: tuple[str, str]
    """(stage id, item id)"""
    content: frozenset[int]
    """Vocabulary indices of the content words: all must occur in a turn to be worth a look."""
    order: tuple[int, ...]
    """Positions of the non-anchor words, content words first and longest first, so a
    short word cannot take the place a content word needs."""


class Detector:
    """Finds one card's triggers in transcripts; reuse it across many transcripts.

    The word-similarity cache grows with the vocabulary it has seen, which is what makes
    the second thousand calls much cheaper than the first.
    """

    def __init__(self, card: QualityCard) -> None:
        self.card = card
        self._vocab: list[str] = []
        index: dict[str, int] = {}
        self._triggers: list[_CompiledTrigger] = []
        for stage in card.stages:
            for item in stage.items:
                base = item.threshold or stage.threshold or card.detection.threshold
                for trigger in item.triggers:
                    compiled = self._compile(trigger, stage.id, item.id, base, index)
                    if compiled is not None:
                        self._triggers.append(compiled)
        self._index = index
        self._checkable = [
            (stage.id, item.id) for stage in card.stages for item in stage.items if item.triggers
        ]
        self._exact = [n for n, t in enumerate(self._triggers) if t.exact]
        self._fuzzy = [n for n, t in enumerate(self._triggers) if not t.exact]
        self._exact_first_words = {self._vocab[self._triggers[n].words[0]] for n in self._exact}
        self._anchor_of: dict[int, list[int]] = {}
        for number, trigger in enumerate(self._triggers):
            if not trigger.exact:
                self._anchor_of.setdefault(trigger.words[trigger.anchor], []).append(number)
        # word -> {vocab index: similarity}; empty dict for words like no trigger word
        self._similar: dict[str, dict[int, int]] = {}
        # word -> trigger words it is close to, as a set for C-speed unions per turn
        self._content_cols: dict[str, frozenset[int]] = {}
        # words similar to some anchor, for a C-speed set intersection per turn
        self._anchor_words: set[str] = set()

    def _compile(
        self, trigger: Trigger, stage_id: str, item_id: str, base: float,
        index: dict[str, int],
    ) -> _CompiledTrigger | None:
        words = content_tokens(trigger.text)
        if not words:
            return None
        ids = []
        for word in words:
            if word not in index:
                index[word] = len(self._vocab)
                self._vocab.append(word)
            ids.append(index[word])
        # A negation in a trigger («не отвлекаю вас») carries meaning, so it is content.
        short = tuple(w in SHORT_WORDS and w not in NEGATIONS for w in words)
        if all(short):
            short = tuple(False for _ in words)
        content = [i for i, s in enumerate(short) if not s]
        # The anchor is the word least likely to occur by chance: not a word of everyday
        # talk, and the longest of the rest.
        anchor = max(content, key=lambda i: (words[i] not in COMMON_WORDS, len(words[i]), -i))
        threshold = float(trigger.threshold or base)
        if len(content) <= 2 and len(words) <= 2 and not trigger.threshold:
            threshold = min(100.0, threshold + _TWO_WORD_PENALTY)
        pattern = None
        if trigger.exact:
            pattern = re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)")
        # With one content word, no word may be missing (see _verify), so all are required.
        required = [ids[i] for i in (content if len(content) >= 2 else range(len(words)))]
        order = tuple(sorted((i for i in range(len(words)) if i != anchor),
                             key=lambda i: (short[i], -len(words[i]))))
        return _CompiledTrigger(
            text=trigger.text, stage_id=stage_id, item_id=item_id, words=tuple(ids),
            short=short, anchor=anchor, threshold=threshold, exact=trigger.exact,
            exact_pattern=pattern, has_negation=any(w in NEGATIONS for w in words),
            key=(stage_id, item_id), content=frozenset(required), order=order,
        )

    # -- vocabulary cache --------------------------------------------------------------

    def _learn(self, new_words: Iterable[str]) -> None:
        """Compare words never seen before with every trigger word, in one vectorised call."""
        words = list(new_words)
        if not words or not self._vocab:
            for word in words:
                self._similar[word] = {}
                self._content_cols[word] = frozenset()
            return
        written = [COLLOQUIAL.get(word, word) for word in words]
        matrix = process.cdist(written, self._vocab, scorer=fuzz.ratio, score_cutoff=_WORD_FLOOR,
                               dtype=np.uint8, workers=1)
        rows, cols = np.nonzero(matrix)
        found: dict[int, dict[int, int]] = {}
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            found.setdefault(row, {})[col] = int(matrix[row, col])
        by_prefix = self._vocab_by_prefix()
        anchors = self._anchor_of
        for row, word in enumerate(words):
            sims = found.get(row, {})
            for col in by_prefix.get(written[row][:4], ()):
                prefix = _prefix_similarity(written[row], self._vocab[col])
                if prefix > sims.get(col, 0):
                    sims[col] = prefix
            self._similar[word] = sims
            close = frozenset(col for col, sim in sims.items() if sim >= _CONTENT_WORD_MIN)
            self._content_cols[word] = close
            if not close.isdisjoint(anchors):
                self._anchor_words.add(word)

    def _vocab_by_prefix(self) -> dict[str, list[int]]:
        cached = getattr(self, "_prefix_index", None)
        if cached is None:
            cached = {}
            for col, word in enumerate(self._vocab):
                if len(word) >= 4:
                    cached.setdefault(word[:4], []).append(col)
            self._prefix_index = cached
        return cached

    # -- detection -------------------------------------------------------------------

    def detect(self, turns: Sequence[Turn]) -> list[ItemDetection]:
        """One result per item that has triggers, in card order.

        Items without triggers are graded by ear: the detector says nothing about them.
        """
        speakers_known = any(turn.speaker != UNKNOWN for turn in turns)
        numbers = [n for n, turn in enumerate(turns)
                   if not speakers_known or turn.speaker == OPERATOR]
        # One translate over all searched turns; NUL is left alone by the table and keeps
        # the turns apart, so no window can cross from one turn into the next.
        joined = normalise("\x00".join(turns[n].text for n in numbers))
        parts = joined.split("\x00")
        turn_words = [part.split() for part in parts]
        distinct: set[str] = set().union(*turn_words) if turn_words else set()
        unseen = distinct.difference(self._similar)
        if unseen:
            self._learn(unseen)
        best: dict[int, _Candidate] = {}
        if self._exact and not distinct.isdisjoint(self._exact_first_words):
            for number, words in zip(numbers, turn_words, strict=True):
                if not self._exact_first_words.isdisjoint(words):
                    self._exact_hits(number, words, best)
        anchor_words = self._anchor_words
        if not distinct.isdisjoint(anchor_words):
            found: set[tuple[str, str]] = set()
            content_cols = self._content_cols
            # A trigger some content word of which the whole call never comes close to
            # cannot match in any turn: leave its anchor out of the per-turn search.
            present = set().union(*map(content_cols.__getitem__, distinct))
            viable = [n for n in self._fuzzy if self._triggers[n].content <= present]
            anchored: dict[int, list[int]] = {}
            for n in viable:
                anchored.setdefault(self._triggers[n].words[self._triggers[n].anchor], []).append(n)
            # word of this call -> the viable triggers it may anchor
            triggers_at = {}
            for word in distinct.intersection(anchor_words):
                numbers_ = [n for col in content_cols[word].intersection(anchored)
                            for n in anchored[col]]
                if numbers_:
                    triggers_at[word] = numbers_
            triggers = self._triggers
            starts = set(triggers_at)
            for number, words in zip(numbers, turn_words, strict=True):
                if starts.isdisjoint(words):
                    continue
                hit = starts.intersection(words)
                candidates = [n for word in hit for n in triggers_at[word]
                              if triggers[n].key not in found]
                if not candidates:
                    continue
                # Only triggers whose every required word occurs in this turn are verified.
                cols = set().union(*map(content_cols.__getitem__, words))
                candidates = [n for n in candidates if triggers[n].content <= cols]
                if candidates:
                    self._fuzzy_hits(number, words, best, found, candidates)
        return self._results(turns, best, dict(zip(numbers, parts, strict=True)))

    def _exact_hits(self, number: int, words: list[str], best: dict[int, _Candidate]) -> None:
        joined = " ".join(words)
        for trigger_number in self._exact:
            trigger = self._triggers[trigger_number]
            assert trigger.exact_pattern is not None
            match = trigger.exact_pattern.search(joined)
            if match is None:
                continue
            first = joined.count(" ", 0, match.start())
            last = first + match.group(0).count(" ")
            negated = _negated(words, first, last, trigger.has_negation)
            _keep(best, trigger_number, _Candidate(100.0, number, first, last, negated))

    def _fuzzy_hits(
        self,
        number: int,
        words: list[str],
        best: dict[int, _Candidate],
        found: set[tuple[str, str]],
        candidates: list[int],
    ) -> None:
        """Verify windows around anchor hits; an item found once is not searched again."""
        kept = _filtered(words)
        similar = self._similar
        # trigger word -> [(position in kept, similarity)]: the turn seen through the card
        hits: dict[int, list[tuple[int, int]]] = {}
        for position, (word, _) in enumerate(kept):
            for col, sim in similar[word].items():
                hits.setdefault(col, []).append((position, sim))
        for trigger_number in candidates:
            trigger = self._triggers[trigger_number]
            if trigger.key in found:
                continue
            for position, sim in hits.get(trigger.words[trigger.anchor], ()):
                if sim < _CONTENT_WORD_MIN:
                    continue
                candidate = self._verify(trigger, hits, kept, position, sim, words, number)
                if candidate is None:
                    continue
                _keep(best, trigger_number, candidate)
                if candidate.score >= trigger.threshold and not candidate.negated:
                    found.add(trigger.key)
                    break

    def _verify(
        self,
        trigger: _CompiledTrigger,
        hits: dict[int, list[tuple[int, int]]],
        kept: list[tuple[str, int]],
        position: int,
        anchor_sim: int,
        words: list[str],
        number: int,
    ) -> _Candidate | None:
        size = len(trigger.words)
        reach = size + _SPAN_SLACK
        low, high = position - reach, position + reach
        used = {position}
        matched = {trigger.anchor: (position, anchor_sim)}
        for i in trigger.order:
            best_pos, best_sim = -1, 0
            for pos, sim in hits.get(trigger.words[i], ()):
                if pos < low or pos > high or pos in used:
                    continue
                if sim > best_sim or (sim == best_sim and abs(pos - position) <
                                      abs(best_pos - position)):
                    best_pos, best_sim = pos, sim
            floor = _SHORT_WORD_MIN if trigger.short[i] else _CONTENT_WORD_MIN
            if best_sim >= floor:
                matched[i] = (best_pos, best_sim)
                used.add(best_pos)
            elif not trigger.short[i]:
                return None
        positions = [pos for pos, _ in matched.values()]
        span = max(positions) - min(positions) + 1
        if span > size + _SPAN_SLACK:
            return None
        content = [sim for i, (_, sim) in matched.items() if not trigger.short[i]]
        score = sum(content) / len(content)
        shorts = [matched[i][1] if i in matched else None for i in range(size) if trigger.short[i]]
        missing = sum(1 for s in shorts if s is None)
        # A dropped short word is forgiven only where other content words carry the phrase:
        # «что скажете» without «что» is just «скажете».
        if missing > 1 or (missing and len(content) < 2):
            return None
        score -= missing * _SHORT_WORD_MISSING
        score -= (span - len(positions)) * _EXTRA_WORD
        score -= sum((100 - s) * 0.05 for s in shorts if s is not None)
        first, last = kept[min(positions)][1], kept[max(positions)][1]
        negated = _negated(words, first, last, trigger.has_negation)
        return _Candidate(max(0.0, min(100.0, score)), number, first, last, negated)

    def _results(
        self, turns: Sequence[Turn], best: dict[int, _Candidate], normalised: dict[int, str]
    ) -> list[ItemDetection]:
        per_item: dict[tuple[str, str], tuple[_CompiledTrigger, _Candidate]] = {}
        for trigger_number, candidate in best.items():
            trigger = self._triggers[trigger_number]
            key = (trigger.stage_id, trigger.item_id)
            current = per_item.get(key)
            if current is None or _rank(trigger, candidate) > _rank(*current):
                per_item[key] = (trigger, candidate)
        results = []
        for stage_id, item_id in self._checkable:
            entry = per_item.get((stage_id, item_id))
            if entry is None:
                results.append(ItemDetection(stage_id, item_id, False, 0.0, None, None, None,
                                             None, None))
                continue
            trigger, candidate = entry
            start, end = _char_span(normalised[candidate.turn], candidate.first, candidate.last)
            found = candidate.score >= trigger.threshold and not candidate.negated
            results.append(ItemDetection(
                stage_id, item_id, found, candidate.score, trigger.text, candidate.turn,
                start, end, turns[candidate.turn].text[start:end], candidate.negated))
        return results


def _keep(best: dict[int, _Candidate], trigger_number: int, candidate: _Candidate) -> None:
    current = best.get(trigger_number)
    if current is None or (not candidate.negated, candidate.score) > (
        not current.negated, current.score
    ):
        best[trigger_number] = candidate


def _rank(trigger: _CompiledTrigger, candidate: _Candidate) -> tuple[bool, float]:
    passes = candidate.score >= trigger.threshold and not candidate.negated
    return passes, candidate.score - trigger.threshold


def _negated(words: list[str], first: int, last: int, trigger_has_negation: bool) -> bool:
    """An explicit negation of the phrase, not one that belongs to a neighbouring clause.

    Negated: «не» right before the phrase («не выставим счёт»), «не буду/будем …» shortly
    before it, a «не» inside it that the trigger does not have, «… не будем» or a
    predicative «нет» shortly after it («скидок у нас нет»). Not negated: «если что не так
    переделаем», «скидок нет, но цена за метр небольшая».
    """
    if first and words[first - 1] in NEGATIONS and words[first - 1] != "нет":
        return True
    before = words[max(0, first - 4):first]
    if any(word in NEGATIONS and following in _NEGATED_AFTER
           for word, following in zip(before, before[1:], strict=False)):
        return True
    if not trigger_has_negation and not NEGATIONS.isdisjoint(words[first:last + 1]):
        return True
    after = words[last + 1:last + 5]
    if NEGATIONS.isdisjoint(after):
        return False
    if "нет" in after[:3]:
        return True
    return any(
        word in NEGATIONS and following in _NEGATED_AFTER
        for word, following in zip(after, after[1:], strict=False)
    )


_WORD = re.compile(r"\S+")


def _char_span(normalised: str, first: int, last: int) -> tuple[int, int]:
    """Character offsets of words ``first``…``last`` of a normalised turn.

    Normalising keeps every character in place, so these are offsets in the original too.
    """
    start = end = 0
    for index, match in enumerate(_WORD.finditer(normalised)):
        if index == first:
            start = match.start()
        if index == last:
            end = match.end()
            break
    return start, end


def detect(card: QualityCard, turns: Sequence[Turn]) -> list[ItemDetection]:
    """Detect with a fresh detector; reuse a :class:`Detector` for many transcripts."""
    return Detector(card).detect(turns)

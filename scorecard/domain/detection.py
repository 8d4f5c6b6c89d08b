"""Finding a card's trigger phrases in a transcript, fast enough to check every call.

How it works, and why:

1. **Normalise** text with ``str.lower`` and a few ``str.replace`` (ё→е, punctuation to
   spaces; one character in, one character out, so word positions map back to the original
   text for highlighting) and drop filler words («ну», «вот», «э-э», «как бы»).
2. **Find candidates through the vocabulary.** A call's searched turns are split once into
   raw tokens, and each token is looked up in caches kept on the detector: a token never
   seen before is normalised, its words are compared once, with rapidfuzz's ``extract``
   (in C over the whole list) plus a prefix rule for word endings, against the distinct
   words of all triggers, and the token is marked *promising* when one of its words is
   close to a trigger's *anchor* (its longest content word that is not an everyday one)
   or starts an exact trigger. Real speech repeats its words, so after the first few
   hundred calls nearly every token is a dictionary hit. Only turns holding a promising
   token, and every other required word of one of its triggers, are looked at word by word.
3. **Verify a window** around each anchor hit, inside one turn (a phrase spread over two
   turns does not count): every content word of the trigger must be matched by a distinct
   nearby word (order free, so a swapped pair still matches), short words may be missing,
   and the matched words must lie close together. The score is the mean word similarity.
   Two-word triggers need a higher score. An item found once is not searched for again.
4. **Reject negations**: «не», «нет», «ни» just before the phrase or inside it (when the
   trigger itself has none), or «не будем / не надо …» right after it; an English «not» or
   «can't» anywhere in the phrase's clause before it («i can't send you a calendar invite»).
5. **English word order**: function words keep the trigger's order («does that sound
   useful» asks, «that does sound useful» says) and a yes/no question keeps its leading
   auxiliary; Russian, whose word order is free, is matched in any order. An English phrase
   lies inside one sentence where the transcript has full stops, and a pronoun of another
   person may not take the place of the trigger's («walk you through» offers, «walk me
   through» asks). A function word never stands for a content word («are» for «care»).
6. **Parts in order**: a group ``after`` another counts only in turns after that one's.

Only operator turns are searched when the transcript knows who spoke; all turns when not.
Stems are never used for scoring, only to find candidates: surface similarity keeps
near-misses apart. Triggers are tried in card order, so the evidence reported does not
depend on the order of a set.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import NamedTuple

from rapidfuzz import fuzz, process

from scorecard.domain.cards import QualityCard, Trigger
from scorecard.domain.lexicon import (
    CLAUSE_BREAKS_EN,
    COLLOQUIAL,
    COMMON_WORDS,
    MODALS_EN,
    NEGATED_AFTER,
    NEGATIONS,
    NEGATIONS_EN_VERBAL,
    PERSONS_EN,
    QUESTION_AUXILIARIES_EN,
    SHORT_WORDS,
    SHORT_WORDS_EN,
    SHORT_WORDS_RU,
)
from scorecard.domain.text import (
    Fillers,
    char_span,
    content_tokens,
    english_prefix_similarity,
    normalise,
    prefix_similarity,
    without_fillers,
)
from scorecard.domain.transcripts import CLIENT, OPERATOR, UNKNOWN, Turn

DETECTOR_VERSION = "fuzzy-4"
"""Stored with each finding; fuzzy-2 added trigger groups and per-group evidence, fuzzy-3
English negation reach, word order and question auxiliaries, and ``*`` in exact triggers,
fuzzy-4 parts in order (``after``), phrases inside one sentence and English pronouns that
another may not replace."""

#: Stands between turns in the joined text of a call; normalise and split leave it alone.
_TURN_BREAK = "\x00"
#: What a raw token is, one byte per token of a call (see Detector.detect).
_PLAIN, _PROMISING, _BREAK, _UNSEEN = 0, 1, 2, 3
_NO_COLS: frozenset[int] = frozenset()
#: Raw tokens remembered at most; past this the token caches start again (a few hundred
#: bytes a token: real vocabularies stay far below it, odd input cannot grow it forever).
_MAX_TOKENS = 500_000

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
#: How far back an English «not»/«can't» reaches over the words before a phrase.
_NEGATION_REACH = 8

# -- results -------------------------------------------------------------------------------


class ItemDetection(NamedTuple):
    """What the detector found for one item (or one trigger group of it).

    A named tuple: ``detect`` makes one per item of every call it reads, and a tuple is
    made in C where a frozen dataclass sets each field through a Python call."""

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
    group: str | None = None
    """Which trigger group of the item this is (per-group results only)."""
    groups: tuple[ItemDetection, ...] = ()
    """For an item with trigger groups: each group's evidence, in card order."""
    needs_all: bool = False
    """The item needs every group (``match = "all"``): its groups are parts, not
    alternatives."""

    @property
    def parts(self) -> tuple[int, int] | None:
        """(groups found, groups) of an item that needs all of its groups; None otherwise."""
        if not self.needs_all:
            return None
        return sum(group.found for group in self.groups), len(self.groups)

    @property
    def partial(self) -> bool:
        """Some but not all parts heard: shown as partial, never suggested as a pass."""
        parts = self.parts
        return parts is not None and 0 < parts[0] < parts[1]

    def groups_json(self) -> str | None:
        """Each group's evidence as stored with the finding (None: no groups)."""
        if not self.groups:
            return None
        return json.dumps([{"group": g.group, "found": g.found, "score": round(g.score, 1),
                            "trigger": g.trigger, "turn": g.turn, "start": g.start,
                            "end": g.end} for g in self.groups], ensure_ascii=False)

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "stage": self.stage_id, "item": self.item_id, "found": self.found,
            "score": round(self.score, 1), "trigger": self.trigger, "turn": self.turn,
            "start": self.start, "end": self.end, "text": self.text}
        if self.parts is not None:
            data["parts"] = "{}/{}".format(*self.parts)
        if self.groups:
            data["groups"] = [{"group": g.group, "found": g.found, "score": round(g.score, 1),
                               "trigger": g.trigger, "turn": g.turn, "text": g.text}
                              for g in self.groups]
        return data


class _Candidate(NamedTuple):
    score: float
    turn: int
    """Index among the turns searched (operator turns when speakers are known)."""
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
    group_id: str
    words: tuple[int, ...]
    """Indices into the detector's trigger vocabulary."""
    short: tuple[bool, ...]
    anchor: int
    """Position in ``words`` of the anchor word."""
    threshold: float
    exact: bool
    exact_pattern: re.Pattern[str] | None
    has_negation: bool
    key: tuple[str, str, str]
    """(stage id, item id, group id)"""
    cols: frozenset[int]
    """Vocabulary indices of all its words."""
    others: tuple[int, ...]
    """Vocabulary indices of the words but the anchor that must all occur in a turn for it
    to be worth verifying, content words first and longest first."""
    rest: tuple[tuple[int, int, bool], ...]
    """(position, vocabulary index, short) of the non-anchor words, content words first and
    longest first, so a short word cannot take the place a content word needs."""
    ordered: bool = False
    """English: the short words keep their order («does that sound» asks, «that does sound»
    says) and a question's auxiliary may not be dropped («how you handle it» asks nothing)."""
    auxiliary: int = -1
    """Position in ``words`` of the auxiliary that makes the trigger a question, or -1."""
    persons: dict[int, int] = field(default_factory=dict, compare=False)
    """English: position in ``words`` -> grammatical person of each personal pronoun, which
    one of another person may not replace: «walk me through» asks, «walk you through»
    offers."""


class Detector:
    """Finds one card's triggers in transcripts; reuse it across many transcripts.

    Each item's evidence is one or more trigger groups (see
    :class:`scorecard.domain.cards.TriggerGroup`): an item matched on ``any`` group is found
    when one is, on ``all`` only when every group is (some but not all is *partial*). The
    operator's groups are searched in the operator's turns, the client's in the client's.
    """

    def __init__(self, card: QualityCard) -> None:
        self.card = card
        speakers = {group.speaker for stage in card.stages for item in stage.items
                    for group in item.trigger_groups}
        self._matchers = [_Matcher(card, speaker) for speaker in (OPERATOR, CLIENT)
                          if speaker in speakers]
        self._by_speaker = {matcher.speaker: matcher for matcher in self._matchers}
        # (stage id, item, its groups' keys, the operator's group ids, the parts in order:
        # (part, the part it follows, its speaker)), worked out once: an item's
        # trigger_groups is made anew on every call of the property
        self._items = [
            (stage.id, item, tuple((stage.id, item.id, group.id) for group in groups),
             frozenset(group.id for group in groups if group.speaker == OPERATOR),
             tuple((number, [g.id for g in groups].index(group.after), group.speaker)
                   for number, group in enumerate(groups) if group.after is not None))
            for stage in card.stages for item in stage.items
            if (groups := item.trigger_groups)]

    def detect(self, turns: Sequence[Turn]) -> list[ItemDetection]:
        """One result per item that has triggers, in card order.

        Items without triggers are graded by ear: the detector says nothing about them.
        """
        if len(self._matchers) == 1 and self._matchers[0].plain:
            return self._matchers[0].match(turns)  # no groups: one result per item as is
        by_group = {(r.stage_id, r.item_id, r.group): r
                    for matcher in self._matchers for r in matcher.match(turns)}
        results = []
        for _, item, group_keys, mine, orders in self._items:
            groups = tuple(map(by_group.__getitem__, group_keys))
            if orders:
                groups = self._in_order(turns, groups, group_keys, orders)
            if not item.groups:
                results.append(groups[0]._replace(group=None))
            elif item.match == "any":
                best = max(groups, key=lambda g: (g.found and not g.negated, g.score))
                results.append(best._replace(group=None, groups=groups))
            else:
                found = all(g.found for g in groups)
                # The evidence shown is the operator's words where they were heard: the
                # client's part («меня зовут Ольга») only completes the item.
                heard = [g for g in groups if g.found] or list(groups)
                best = max(heard, key=lambda g: (g.group in mine, g.score))
                results.append(best._replace(found=found, group=None, groups=groups,
                                       needs_all=True, score=min(g.score for g in groups)))
        return results

    def _in_order(self, turns: Sequence[Turn], groups: tuple[ItemDetection, ...],
                  keys: tuple[tuple[str, str, str], ...],
                  orders: tuple[tuple[int, int, str], ...]) -> tuple[ItemDetection, ...]:
        """A part heard before the part it must follow («that's fair» before the client's
        objection) is looked for again in the turns after that part."""
        ordered = list(groups)
        for later, first, speaker in orders:
            before, part = groups[first], groups[later]
            if not (before.found and part.found) or before.turn is None or (
                    part.turn is not None and part.turn > before.turn):
                continue
            skip = before.turn + 1
            again = next(result for result in self._by_speaker[speaker].match(turns[skip:])
                         if (result.stage_id, result.item_id, result.group) == keys[later])
            ordered[later] = again if again.turn is None else again._replace(
                turn=again.turn + skip)
        return tuple(ordered)


class _Matcher:
    """Finds one speaker's trigger groups of a card in transcripts.

    Its caches grow with the vocabulary it has seen (raw tokens and their normalised words),
    which is what makes the second thousand calls much cheaper than the first.
    """

    def __init__(self, card: QualityCard, speaker: str) -> None:
        self.speaker = speaker
        # A filler elsewhere («like», «вот») is a word of the phrase where a trigger says it:
        # «would you like to enroll» is not «would enroll you».
        phrases = [normalise(trigger.text).split() for stage in card.stages
                   for item in stage.items for trigger in item.all_triggers]
        self._fillers = Fillers({word for words in phrases for word in words},
                                {pair for words in phrases
                                 for pair in zip(words, words[1:], strict=False)})
        self._short = SHORT_WORDS.get(card.language, SHORT_WORDS_RU | SHORT_WORDS_EN)
        # Russian words change their endings; English ones add an ending to a bare word.
        self._english = card.language == "en"
        self._same_word = english_prefix_similarity if self._english else prefix_similarity
        self._vocab: list[str] = []
        index: dict[str, int] = {}
        self._triggers: list[_CompiledTrigger] = []
        self._checkable: list[tuple[str, str, str]] = []
        self.plain = True
        """Every item of the card is one plain group of this speaker's."""
        for stage in card.stages:
            for item in stage.items:
                base = item.threshold or stage.threshold or card.detection.threshold
                self.plain = self.plain and not item.groups
                for group in item.trigger_groups:
                    if group.speaker != speaker:
                        continue
                    self._checkable.append((stage.id, item.id, group.id))
                    for trigger in group.triggers:
                        compiled = self._compile(trigger, stage.id, item.id, group.id, base,
                                                 index)
                        if compiled is not None:
                            self._triggers.append(compiled)
        self._index = index
        # Results of groups with no candidate are the same for every call: made once, shared.
        self._nothing = {key: ItemDetection(key[0], key[1], False, 0.0, None, None, None,
                                            None, None, group=None if self.plain else key[2])
                         for key in self._checkable}
        self._exact = [n for n, t in enumerate(self._triggers) if t.exact]
        # trigger number -> its item and required words, as plain lists for the hot loop
        self._keys = [trigger.key for trigger in self._triggers]
        self._others = [trigger.others for trigger in self._triggers]
        # first word -> the exact triggers starting with it, in card order
        self._exact_from: dict[str, tuple[int, ...]] = {}
        for number in self._exact:
            first = self._vocab[self._triggers[number].words[0]]
            self._exact_from[first] = (*self._exact_from.get(first, ()), number)
        self._anchor_of: dict[int, list[int]] = {}
        for number, compiled_trigger in enumerate(self._triggers):
            if not compiled_trigger.exact:
                anchor = compiled_trigger.words[compiled_trigger.anchor]
                self._anchor_of.setdefault(anchor, []).append(number)
        # Word level (normalised words), filled by _learn:
        # word -> ((vocab index, similarity), …); empty for words like no trigger word
        self._pairs: dict[str, tuple[tuple[int, int], ...]] = {}
        # word -> trigger words it is close enough to for a content word
        self._content_cols: dict[str, frozenset[int]] = {}
        # word -> fuzzy triggers it may anchor, in card order (only words that anchor some)
        self._triggers_at: dict[str, tuple[int, ...]] = {}
        self._forget_tokens()

    def _forget_tokens(self) -> None:
        """Empty the token-level caches (they only ever save time).

        A token is what ``str.split`` cuts from a raw transcript, one or a few words
        («Щит-Мониторинг,» → щит, мониторинг); these caches are filled by _learn_tokens.
        """
        # token -> _PLAIN, or _PROMISING when it holds an anchor or an exact trigger's start
        self._token_kind: dict[str, int] = {_TURN_BREAK: _BREAK}
        # token -> its normalised words
        self._token_words: dict[str, tuple[str, ...]] = {}
        # trigger word -> the tokens holding a word close enough to it for a content word
        self._tokens_near: list[set[str]] = [set() for _ in self._vocab]
        # promising token -> the fuzzy triggers it may anchor, in card order
        self._token_triggers: dict[str, tuple[int, ...]] = {}
        # promising token -> the exact triggers one of its words starts, in card order
        self._token_exact: dict[str, tuple[int, ...]] = {}
        # promising token -> the groups of the triggers it may anchor or start
        self._token_items: dict[str, frozenset[tuple[str, str, str]]] = {}
        # tokens that end a sentence («no.», «time?»): no phrase runs over one
        self._stop_tokens: set[str] = set()

    def _compile(
        self, trigger: Trigger, stage_id: str, item_id: str, group_id: str, base: float,
        index: dict[str, int],
    ) -> _CompiledTrigger | None:
        words = content_tokens(trigger.text, self._fillers)
        if not words:
            return None
        ids = []
        for word in words:
            if word not in index:
                index[word] = len(self._vocab)
                self._vocab.append(word)
            ids.append(index[word])
        # A negation in a trigger («не отвлекаю вас») carries meaning, so it is content.
        short = tuple(w in self._short and w not in NEGATIONS for w in words)
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
            parts = [r"\S+" if part == "*" else r"\s+".join(map(re.escape, normalise(part).split()))
                     for part in trigger.text.split()]
            pattern = re.compile(r"(?<!\S)" + r"\s+".join(p for p in parts if p) + r"(?!\S)")
        # With one content word, no word may be missing (see _verify), so all are required.
        required = [ids[i] for i in (content if len(content) >= 2 else range(len(words)))]
        order = tuple(sorted((i for i in range(len(words)) if i != anchor),
                             key=lambda i: (short[i], -len(words[i]))))
        english = self._english
        # Only a yes/no question's leading auxiliary: after «what» it hides in «what's».
        auxiliary = 0 if english and words[0] in QUESTION_AUXILIARIES_EN else -1
        return _CompiledTrigger(
            ordered=english, auxiliary=auxiliary,
            persons={i: PERSONS_EN[word] for i, word in enumerate(words)
                     if english and word in PERSONS_EN},
            text=trigger.text, stage_id=stage_id, item_id=item_id, group_id=group_id,
            words=tuple(ids),
            short=short, anchor=anchor, threshold=threshold, exact=trigger.exact,
            exact_pattern=pattern, has_negation=any(w in NEGATIONS for w in words),
            key=(stage_id, item_id, group_id), cols=frozenset(ids),
            others=tuple(dict.fromkeys(ids[i] for i in order if ids[i] in required
                                       and ids[i] != ids[anchor])),
            rest=tuple((i, ids[i], short[i]) for i in order),
        )

    # -- vocabulary cache --------------------------------------------------------------

    def _learn(self, new_words: Iterable[str]) -> None:
        """Compare words never seen before with every trigger word, in one vectorised call."""
        words = list(new_words)
        if not words or not self._vocab:
            for word in words:
                self._pairs[word] = ()
                self._content_cols[word] = _NO_COLS
            return
        written = [COLLOQUIAL.get(word, word) for word in words]
        # One extract per new word rather than one cdist for all: cdist returns a NumPy
        # array, and importing NumPy would cost every command 40 ms of start-up.
        vocab, extract, ratio = self._vocab, process.extract, fuzz.ratio
        found: dict[int, dict[int, int]] = {}
        short = self._short
        for row, word in enumerate(written):
            near = extract(word, vocab, scorer=ratio, score_cutoff=_WORD_FLOOR, limit=None)
            if near:  # rounded half up, as whole percentages
                # A function word never stands for a content word: «are» is not «care».
                found[row] = {col: int(sim + 0.5) for choice, sim, col in near
                              if word not in short or choice == word or choice in short}
        by_prefix = self._vocab_by_prefix()
        anchors = self._anchor_of
        for row, word in enumerate(words):
            sims = found.get(row, {})
            for col in by_prefix.get(written[row][:4], ()):
                prefix = self._same_word(written[row], self._vocab[col])
                if prefix > sims.get(col, 0):
                    sims[col] = prefix
            self._pairs[word] = tuple(sims.items())
            close = frozenset(col for col, sim in sims.items() if sim >= _CONTENT_WORD_MIN)
            self._content_cols[word] = close or _NO_COLS
            if not close.isdisjoint(anchors):
                self._triggers_at[word] = tuple(sorted(
                    n for col in close.intersection(anchors) for n in anchors[col]))

    def _vocab_by_prefix(self) -> dict[str, list[int]]:
        cached = getattr(self, "_prefix_index", None)
        if cached is None:
            cached = {}
            for col, word in enumerate(self._vocab):
                if len(word) >= 4:
                    cached.setdefault(word[:4], []).append(col)
            self._prefix_index = cached
        return cached

    def _learn_tokens(self, tokens: set[str]) -> None:
        """Normalise raw tokens never seen before and note what each may start."""
        listed = list(tokens)
        # One normalise for all: NUL is left alone by it and keeps the tokens apart.
        split = [tuple(part.split())
                 for part in normalise(_TURN_BREAK.join(listed)).split(_TURN_BREAK)]
        unseen = set().union(*split).difference(self._pairs)
        if unseen:
            self._learn(unseen)
        triggers_at, content_cols = self._triggers_at, self._content_cols
        for token, words in zip(listed, split, strict=True):
            self._token_words[token] = words
            if token.endswith(_SENTENCE_END):
                self._stop_tokens.add(token)
            for col in frozenset().union(*map(content_cols.__getitem__, words)):
                self._tokens_near[col].add(token)
            anchored = tuple(sorted({n for word in words for n in triggers_at.get(word, ())}))
            exact = tuple(sorted({n for word in words for n in self._exact_from.get(word, ())}))
            if anchored or exact:
                self._token_kind[token] = _PROMISING
                self._token_triggers[token] = anchored
                self._token_items[token] = frozenset(self._triggers[n].key
                                                     for n in (*anchored, *exact))
                if exact:
                    self._token_exact[token] = exact
            else:
                self._token_kind[token] = _PLAIN

    # -- detection -------------------------------------------------------------------

    def match(self, turns: Sequence[Turn]) -> list[ItemDetection]:
        """One result per group of this speaker's, in card order (per item when the card
        has no groups)."""
        numbers = [n for n, turn in enumerate(turns) if turn.speaker == self.speaker]
        if not numbers and all(turn.speaker == UNKNOWN for turn in turns):
            numbers = list(range(len(turns)))  # nobody knows who spoke: every turn counts
        texts = [turns[n].text for n in numbers]
        # One split of the raw text of the call, turns kept apart by a NUL token. Raw tokens
        # are looked up as they are: normalising and splitting every word of every call
        # would cost more than all the rest together, and normalising works character by
        # character, so a raw token stands for the same words wherever it occurs.
        joined = " \x00 ".join(texts)
        if joined.count(_TURN_BREAK) != len(texts) - 1:  # a NUL in a transcript
            texts = [text.replace(_TURN_BREAK, " ") for text in texts]
            joined = " \x00 ".join(texts)
        tokens = joined.split()
        # One byte per token says what it is; bytes.find then skips the plain ones in C.
        kinds: bytes | bytearray = bytes(map(self._token_kind.get, tokens, repeat(_UNSEEN)))
        if _UNSEEN in kinds:  # new words: a few per call once the detector has seen some
            if len(self._token_kind) > _MAX_TOKENS:
                self._forget_tokens()
                kinds = bytes(map(self._token_kind.get, tokens, repeat(_UNSEEN)))
            unseen = []
            position = kinds.find(_UNSEEN)
            while position >= 0:
                unseen.append(position)
                position = kinds.find(_UNSEEN, position + 1)
            self._learn_tokens({tokens[position] for position in unseen})
            kinds = bytearray(kinds)
            for position in unseen:
                kinds[position] = self._token_kind[tokens[position]]
        best: dict[int, _Candidate] = {}
        found: set[tuple[str, str, str]] = set()
        near = self._tokens_near
        token_triggers, exact_tokens = self._token_triggers, self._token_exact
        token_items, words_of = self._token_items, self._token_words.__getitem__
        keys, others = self._keys, self._others
        turn = counted = end = 0
        position = kinds.find(_PROMISING)
        while position >= 0:
            # A token that only anchors items found already is passed over: most are, as
            # the words of a phrase said once recur for the rest of the call.
            if token_items[tokens[position]] <= found:
                position = kinds.find(_PROMISING, position + 1)
                continue
            # Only turns holding a promising token are looked at, and the turn's tokens
            # decide which triggers are worth verifying there.
            start = kinds.rfind(_BREAK, end, position) + 1 or end
            end = kinds.find(_BREAK, position)
            if end < 0:
                end = len(kinds)
            token = tokens[position]
            anchored: Iterable[int] = token_triggers[token]
            exact: Iterable[int] = exact_tokens.get(token, ())
            position = kinds.find(_PROMISING, position + 1, end)
            if position >= 0:
                merged, exact_merged = set(anchored), set(exact)
                while position >= 0:
                    token = tokens[position]
                    merged.update(token_triggers[token])
                    exact_merged.update(exact_tokens.get(token, ()))
                    position = kinds.find(_PROMISING, position + 1, end)
                anchored, exact = sorted(merged), sorted(exact_merged)
            if exact:
                exact = [number for number in exact if keys[number] not in found]
            here = tokens[start:end]
            candidates = []
            for number in anchored:
                if keys[number] in found:
                    continue
                # Only triggers whose every required word occurs in this turn are verified.
                for col in others[number]:
                    if near[col].isdisjoint(here):
                        break
                else:
                    candidates.append(number)
            if candidates or exact:
                turn += kinds.count(_BREAK, counted, start)
                counted = start
                words = list(chain.from_iterable(map(words_of, here)))
                if exact:
                    self._exact_hits(turn, words, best, exact, here)
                if candidates:
                    self._fuzzy_hits(turn, words, best, found, candidates, here)
            position = kinds.find(_PROMISING, end)
        return self._results(turns, best, texts, numbers)

    def _exact_hits(self, number: int, words: list[str], best: dict[int, _Candidate],
                    exact: Iterable[int], tokens: list[str]) -> None:
        """Look for the exact triggers a word of the turn starts (``exact``, card order, of
        groups not found yet).

        A hit does not end the search for its group: a fuzzy trigger in the same turn may
        show more of the phrase («вас беспокоит компания» rather than the bare name)."""
        joined = " ".join(words)
        for trigger_number in exact:
            trigger = self._triggers[trigger_number]
            assert trigger.exact_pattern is not None
            match = trigger.exact_pattern.search(joined)
            if match is None:
                continue
            first = joined.count(" ", 0, match.start())
            last = first + match.group(0).count(" ")
            if self._english and self._over_a_stop(tokens, first, last):
                continue
            negated = _negated(words, first, last, trigger.has_negation, tokens,
                               self._token_words)
            _keep(best, trigger_number, _Candidate(100.0, number, first, last, negated))

    def _fuzzy_hits(
        self,
        number: int,
        words: list[str],
        best: dict[int, _Candidate],
        found: set[tuple[str, str, str]],
        candidates: list[int],
        tokens: list[str],
    ) -> None:
        """Verify windows around anchor hits; an item found once is not searched again."""
        kept, index = without_fillers(words, self._fillers)
        # trigger word -> [(position in kept, similarity)]: the turn seen through the card
        hits: dict[int, list[tuple[int, int]]] = {}
        triggers = self._triggers
        needed = (triggers[candidates[0]].cols if len(candidates) == 1
                  else frozenset().union(*(triggers[n].cols for n in candidates)))
        for position, pairs in enumerate(map(self._pairs.__getitem__, kept)):
            if pairs:
                for col, sim in pairs:
                    if col in needed:
                        if col in hits:
                            hits[col].append((position, sim))
                        else:
                            hits[col] = [(position, sim)]
        # An English phrase lies inside one sentence where the transcript has full stops:
        # «no. he's in budget» is not «no budget». Russian cards write whole script lines
        # as one trigger («добрый день меня зовут»), which speech-to-text may cut in two.
        ends = (None if not self._english or self._stop_tokens.isdisjoint(tokens)
                else self._sentence_ends(tokens, index))
        floor, ceiling = -_FAR, _FAR
        for trigger_number in candidates:
            trigger = triggers[trigger_number]
            if trigger.key in found:
                continue
            for position, sim in hits.get(trigger.words[trigger.anchor], ()):
                if sim < _CONTENT_WORD_MIN:
                    continue
                if ends is not None:
                    after = bisect_left(ends, position)
                    floor = ends[after - 1] + 1 if after else -_FAR
                    ceiling = ends[after] if after < len(ends) else _FAR
                verified = _verify(trigger, hits, position, sim, floor, ceiling, kept)
                if verified is None:
                    continue
                first, last, score = verified
                if index is not None:
                    first, last = index[first], index[last]
                around = words[max(0, first - _NEGATION_REACH):last + 1 + _NEGATION_REACH]
                negated = ((not NEGATIONS.isdisjoint(around) or "but" in around)
                           and _negated(words, first, last, trigger.has_negation, tokens,
                                        self._token_words))
                current = best.get(trigger_number)
                if current is None or (not negated, score) > (not current.negated,
                                                              current.score):
                    best[trigger_number] = _Candidate(score, number, first, last, negated)
                if score >= trigger.threshold and not negated:
                    found.add(trigger.key)
                    break

    def _over_a_stop(self, tokens: list[str], first: int, last: int) -> bool:
        """Words ``first``…``last`` of a turn run over the end of a sentence."""
        if self._stop_tokens.isdisjoint(tokens):
            return False
        ends = self._sentence_ends(tokens, None)
        at = bisect_left(ends, first)  # the first end at or after the phrase's first word
        return at < len(ends) and ends[at] < last

    def _sentence_ends(self, tokens: list[str], index: list[int] | None) -> list[int]:
        """Positions, among the turn's words (``index``: those kept of them), of the last
        word of each sentence, in order."""
        ends = _ends(tokens, self._token_words, _SENTENCE_END)
        if index is None:
            return ends
        # the last kept word at or before each end (-1: none kept yet)
        return sorted({bisect_right(index, end) - 1 for end in ends})

    def _results(
        self, turns: Sequence[Turn], best: dict[int, _Candidate], texts: list[str],
        numbers: list[int],
    ) -> list[ItemDetection]:
        """``numbers``: index among all turns of each turn searched."""
        if not best:
            return list(self._nothing.values())
        triggers, keys = self._triggers, self._keys
        per_item: dict[tuple[str, str, str], int] = {}  # group -> its best trigger
        for trigger_number in best:
            current = per_item.setdefault(keys[trigger_number], trigger_number)
            if current != trigger_number and (
                _rank(triggers[trigger_number], best[trigger_number])
                > _rank(triggers[current], best[current])
            ):
                per_item[keys[trigger_number]] = trigger_number
        results = []
        for key, nothing in self._nothing.items():
            trigger_number = per_item.get(key, -1)
            if trigger_number < 0:
                results.append(nothing)
                continue
            candidate = best[trigger_number]
            found = candidate.score >= triggers[trigger_number].threshold and not candidate.negated
            # texts has NULs blanked, which keeps offsets: the evidence comes from the turn
            start, end = char_span(texts[candidate.turn], candidate.first, candidate.last)
            turn = numbers[candidate.turn]
            results.append(ItemDetection(
                key[0], key[1], found, candidate.score, triggers[trigger_number].text,
                turn, start, end, turns[turn].text[start:end], candidate.negated,
                nothing.group))
        return results


def _verify(
    trigger: _CompiledTrigger, hits: dict[int, list[tuple[int, int]]], position: int,
    anchor_sim: int, floor: int, ceiling: int, kept: list[str],
) -> tuple[int, int, float] | None:
    """Score the window around an anchor hit in the ``kept`` words of a turn, no wider than
    ``floor``…``ceiling`` (its sentence): (first, last kept position, score) or None."""
    reach = len(trigger.words) + _SPAN_SLACK
    low, high = max(position - reach, floor), min(position + reach, ceiling)
    used = [position]
    content_sum, content_count = anchor_sim, 1
    missing = 0
    person_missing = 0  # the grammatical person of a pronoun of the trigger not heard
    shorts: list[tuple[int, int, int]] = []
    for i, col, short in trigger.rest:
        best_pos, best_sim = -1, 0
        for pos, sim in hits.get(col, ()):
            if pos < low or pos > high or pos in used:
                continue
            if sim > best_sim or (sim == best_sim and abs(pos - position) <
                                  abs(best_pos - position)):
                best_pos, best_sim = pos, sim
        if short:
            if best_sim >= _SHORT_WORD_MIN:
                shorts.append((i, best_sim, best_pos))
                used.append(best_pos)
            elif i == trigger.auxiliary:
                return None
            else:
                missing += 1
                person_missing = trigger.persons.get(i, person_missing)
        elif best_sim >= _CONTENT_WORD_MIN:
            content_sum += best_sim
            content_count += 1
            used.append(best_pos)
        else:
            return None
    first, last = min(used), max(used)
    span = last - first + 1
    if span > reach:
        return None
    # A dropped short word is forgiven only where other content words carry the phrase:
    # «что скажете» without «что» is just «скажете».
    if missing > 1 or (missing and content_count < 2):
        return None
    if person_missing and any(PERSONS_EN.get(kept[p], person_missing) != person_missing
                              for p in range(first, last + 1) if p not in used):
        return None  # another person in its place: «walk you through» for «walk me through»
    score = content_sum / content_count
    score -= missing * _SHORT_WORD_MISSING
    score -= (span - len(used)) * _EXTRA_WORD
    if len(shorts) == 1:
        score -= (100 - shorts[0][1]) * 0.05
    elif shorts:
        ordered = sorted(shorts)  # the trigger's word order
        if trigger.ordered and any(a[2] > b[2] for a, b in zip(ordered, ordered[1:],
                                                                strict=False)):
            return None
        # summed in the trigger's word order, so the score is the same to the bit
        score -= sum((100 - sim) * 0.05 for _, sim, _ in ordered)
    return first, last, max(0.0, min(100.0, score))


def _keep(best: dict[int, _Candidate], trigger_number: int, candidate: _Candidate) -> None:
    current = best.get(trigger_number)
    if current is None or (not candidate.negated, candidate.score) > (
        not current.negated, current.score
    ):
        best[trigger_number] = candidate


def _rank(trigger: _CompiledTrigger, candidate: _Candidate) -> tuple[bool, float]:
    passes = candidate.score >= trigger.threshold and not candidate.negated
    return passes, candidate.score - trigger.threshold



def _negated(words: list[str], first: int, last: int, trigger_has_negation: bool,
             tokens: list[str], words_of: Mapping[str, Sequence[str]]) -> bool:
    """An explicit negation of the phrase, not one that belongs to a neighbouring clause.

    Negated: «не» right before the phrase («не выставим счёт»), «не буду/будем …» shortly
    before it, an English «not»/«can't» a few words before it in the same clause («i can't
    send you a calendar invite»), an English modal there with a «but» after the phrase
    («i'd book you a demo but it's his call»), a «не» inside it that the trigger does not
    have, «… не будем» or a predicative «нет» shortly after it («скидок у нас нет»). Not
    negated: «если что не так переделаем», «скидок нет, но цена за метр небольшая».
    """
    if first and words[first - 1] in NEGATIONS and words[first - 1] != "нет":
        return True
    reach = max(0, first - _NEGATION_REACH)
    before = words[reach:first]
    hypothetical = "but" in words[last + 1:last + 1 + _NEGATION_REACH] and (
        not MODALS_EN.isdisjoint(before))
    if hypothetical or not NEGATIONS_EN_VERBAL.isdisjoint(before):
        ends = set(_ends(tokens, words_of, _CLAUSE_END))
        for position in range(first - 1, reach - 1, -1):
            if position in ends:  # the word closes the clause before: «can't. send you…»
                break
            word = words[position]
            if word in NEGATIONS_EN_VERBAL or (hypothetical and word in MODALS_EN):
                return True
            if word in CLAUSE_BREAKS_EN:
                break
    before = words[max(0, first - 4):first]
    if any(word in NEGATIONS and following in NEGATED_AFTER
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
        word in NEGATIONS and following in NEGATED_AFTER
        for word, following in zip(after, after[1:], strict=False)
    )


#: Marks that end a sentence: no phrase runs over one.
_SENTENCE_END = tuple(".?!…")
#: Farther than any word of a turn.
_FAR = 1 << 30
#: Marks that end a clause where the transcript has them («you can't defend. how does…»).
_CLAUSE_END = tuple(".?!;,…")


def _ends(tokens: list[str], words_of: Mapping[str, Sequence[str]],
         marks: tuple[str, ...]) -> list[int]:
    """Positions, among a turn's normalised words (``words_of`` each raw token), of the last
    word of each token that ends with one of ``marks``, in order."""
    ends, position = [], -1
    for token in tokens:
        position += len(words_of[token])
        if token.endswith(marks):
            ends.append(position)
    return ends


def detect(card: QualityCard, turns: Sequence[Turn]) -> list[ItemDetection]:
    """Detect with a fresh detector; reuse a :class:`Detector` for many transcripts."""
    return Detector(card).detect(turns)

"""Synthetic call transcripts: believable sales dialogue built from a quality card.

This module owns the demo's speech. The demo database and the detector benchmark need
transcripts whose truth is known: for every item, whether the operator really did it.
:func:`synthesize_call` walks the card's stages in order and writes alternating operator
and client turns. A done item's trigger is put into the operator's mouth the way people say
it (verbatim, other endings, a filler inside, a dropped short word, a swapped pair), inside
a longer sentence; an item not done is talked around, sometimes with a near miss or a
negation. Clients now and then echo a trigger themselves, which an operator-only detector
must ignore. Speech-to-text noise (lower case, lost punctuation, ё→е, lost letters, merged
and split words) goes over both speakers, but never more than one small edit per trigger.

Everything random comes from the caller's ``rng``, so the same arguments give the same
call. The per-card work (trigger variants, which ready-made sentence could be mistaken for
which trigger) is done once per card and company and cached, which is what makes several
hundred calls a second possible. A card in English gets English dialogue; every other
language gets Russian.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scorecard.demo.phrases import PUNCT, SLOT_VALUES, Key, Lang, Words
from scorecard.demo.variants import (
    NEGATIONS,
    VARIANT_WEIGHTS,
    Frame,
    Piece,
    Plan,
    PlannedTrigger,
    norm,
    plan_for,
)
from scorecard.domain.cards import QualityCard, Stage

WORDS_PER_SECOND = 2.2
"""Talk pace the synthesiser aims at: a 10-minute call has about 1,300 words."""
SHORT_CALL_SECONDS = 40
"""Calls shorter than this end in the first (contact) stage."""
CLIENT_ECHO_RATE = 0.15
"""Share of calls in which the client says something that sounds like a trigger."""



@dataclass(frozen=True, slots=True)
class SynthTurn:
    speaker: str
    """``operator`` or ``client``."""
    start: float
    """Seconds from the start of the talk."""
    end: float
    text: str



# Where small talk goes: these stages carry most of a real call.
_STAGE_SHARE = {"contact": 0.08, "diagnosis": 0.24, "presentation": 0.30, "objections": 0.16,
                "price": 0.10, "close": 0.12}
_OTHER_SHARE = 0.15
#: Words an item's exchange takes on average, reserved before small talk is spread.
_WORDS_PER_ITEM = 14



# -- one call -------------------------------------------------------------------------------


def synthesize_call(
    card: QualityCard,
    said: Mapping[tuple[str, str], bool],
    rng: random.Random,
    *,
    operator_name: str,
    company: str,
    client_name: str = "Виктор",
    talk_seconds: int,
    noise: float = 0.15,
) -> list[SynthTurn]:
    """One call in which the operator did exactly the items marked ``True`` in ``said``.

    Items without triggers only get general talk; keys missing from ``said`` count as not
    done. Calls shorter than :data:`SHORT_CALL_SECONDS` stop after the first stage with the
    client declining. ``noise`` (0–1) is how much speech-to-text damage to add.
    """
    plan = plan_for(card, company)
    short = talk_seconds < SHORT_CALL_SECONDS
    stages = card.stages[:1] if short else card.stages
    included = {s.id for s in stages}
    keys = [key for key in plan.triggers if key[0] in included]
    done = {key for key in keys if said.get(key, False)}
    slots = {name: rng.choice(values) for name, values in SLOT_VALUES.items()}
    slots.update(name=operator_name, company=company, client=client_name)
    budget = max(20, round(talk_seconds * WORDS_PER_SECOND))
    call = _Call(plan, rng, frozenset(plan.triggers) - done, slots, talkative=budget > 600)

    call.client(call.pick(plan.pickup))
    shares = [_STAGE_SHARE.get(s.id, _OTHER_SHARE) for s in stages]
    echo_at = rng.randrange(len(stages)) if rng.random() < CLIENT_ECHO_RATE else -1
    for index, stage in enumerate(stages):
        target = budget * sum(shares[: index + 1]) / sum(shares)
        call.stage(stage, target, first=index == 0, last=index == len(stages) - 1 and not short,
                   echo_keys=keys if index == echo_at else None)
    if short:
        call.unsay_client()  # a client who hangs up does not first say «да, удобно»
        call.client(call.pick(plan.hangup))
        if rng.random() < 0.5:
            call.operator(call.pick(plan.sorry))
    elif call.turns[-1][0] == "operator" and rng.random() < 0.7:
        call.client(call.pick(plan.bye))
    return call.render(max(0.0, min(1.0, noise)), talk_seconds)


class _Call:
    """The turns of one call as they are being written, then noise and timing."""

    def __init__(self, plan: Plan, rng: random.Random, undone: frozenset[Key],
                 slots: dict[str, str], *, talkative: bool) -> None:
        self.plan = plan
        self.rng = rng
        self.undone = undone
        self.forbidden = tuple(mask for key, mask in plan.masks if key in undone)
        """Stem masks of the triggers of items not done: none may be completed."""
        self.tail = 0
        """Stems of the operator's previous sentence in the current turn."""
        self.verdicts: dict[int, bool] = {}
        self.slots = slots
        self.talkative = talkative
        # (speaker, words, span ids); span 0 is free text, others index self.editable.
        self.turns: list[tuple[str, list[str], list[int]]] = []
        self.editable: list[bool] = [False]
        """Per trigger occurrence: may noise make its one small edit there."""
        self.words = 0
        self.target = 0.0
        """Where the word count should be by the end of the current stage."""
        self.used: set[int] = set()
        self.last: Piece | None = None

    # -- choosing ---------------------------------------------------------------------

    def allowed(self, piece: Piece | Frame | PlannedTrigger, extra: int = 0) -> bool:
        """Whether saying ``piece`` next could not be taken for an item not done."""
        stems = piece.stems | extra | self.tail
        if not stems:
            return True
        known = self.verdicts.get(stems)
        if known is None:
            known = self.verdicts[stems] = not any(stems & need == need
                                                   for need in self.forbidden)
        return known

    def pick(self, pool: Sequence[Piece]) -> Piece | None:
        """A piece that is safe for this call, preferring one not used yet."""
        rng = self.rng
        if not pool:
            return None
        start = rng.randrange(len(pool))
        fallback = None
        for offset in range(len(pool)):
            piece = pool[(start + offset) % len(pool)]
            if not self.allowed(piece):
                continue
            if id(piece) not in self.used:
                self.used.add(id(piece))
                return piece
            if fallback is None and piece is not self.last:
                fallback = piece
        return fallback

    def choose_frame(self, frames: Sequence[Frame], extra: int = 0) -> Frame | None:
        safe = [f for f in frames if self.allowed(f, extra)]
        return self.rng.choice(safe) if safe else None

    def fill(self, piece: Piece) -> list[str]:
        if not piece.slotted:
            return list(piece.words)
        return " ".join(piece.words).format_map(self.slots).split()

    def talk_pool(self, stage_key: str) -> tuple[Piece, ...]:
        return self.plan.talk.get(stage_key, self.plan.talk["other"])

    # -- writing ----------------------------------------------------------------------

    def say(self, speaker: str, words: list[str], spans: list[int] | None = None,
            stems: int = 0) -> int:
        if not words:
            return 0
        self.tail = stems if speaker == "operator" else 0
        ids = spans if spans is not None else [0] * len(words)
        if self.turns and self.turns[-1][0] == speaker:  # strict alternation: extend the turn
            self.turns[-1][1].extend(words)
            self.turns[-1][2].extend(ids)
        else:
            self.turns.append((speaker, list(words), list(ids)))
        self.words += len(words)
        return len(words)

    def unsay_client(self) -> None:
        if len(self.turns) > 2 and self.turns[-1][0] == "client":
            self.words -= len(self.turns.pop()[1])

    def operator(self, piece: Piece | None) -> int:
        """Say a ready-made sentence, sometimes with a discourse marker in front."""
        if piece is None:
            return 0
        self.last = piece
        self.backchannel()
        words, stems = self.fill(piece), piece.stems
        if self.rng.random() < 0.25:
            lead = self.rng.choice(self.plan.leads)
            if self.allowed(lead, piece.stems):
                words = [*lead.words, _lower_first(words[0]), *words[1:]]
                stems |= lead.stems
        return self.say("operator", words, stems=stems)

    def backchannel(self) -> None:
        """Nobody listens to a long monologue in silence: «угу», «да», «так»."""
        if self.turns and self.turns[-1][0] == "operator" and len(self.turns[-1][1]) > 40:
            self.client(self.rng.choice(self.plan.backchannel))

    def client(self, piece: Piece | None) -> int:
        return self.say("client", self.fill(piece)) if piece is not None else 0

    def reply(self, stage_key: str, question: bool) -> int:
        """The client's answer to a question or reaction to a statement (or silence)."""
        plan, rng = self.plan, self.rng
        replies = plan.replies.get(stage_key, plan.replies["other"])
        added = 0
        if question and stage_key in plan.answers and rng.random() < 0.8:
            added += self.client(self.pick(plan.answers[stage_key]))
        elif rng.random() < (0.95 if question else 0.7):
            added += self.client(self.pick(replies))
        if added and self.talkative and rng.random() < 0.25:
            added += self.client(self.pick(replies))
        return added

    # -- stages -----------------------------------------------------------------------

    def stage(self, stage: Stage, target: float, *, first: bool, last: bool,
              echo_keys: list[Key] | None) -> None:
        plan, rng = self.plan, self.rng
        self.target = target
        stage_key = stage.id if stage.id in _STAGE_SHARE else "other"
        items = [(stage.id, i.id) for i in stage.items if (stage.id, i.id) in plan.triggers]
        if stage_key == "objections" and rng.random() < 0.85:
            self.client(self.pick(plan.objections))
        elif stage_key == "presentation" and rng.random() < 0.1:
            self.client(self.pick(plan.objections))
        if first and not items:
            self.operator(self.pick(plan.openers))
        # Small talk may go in any gap between items, but a call opens with the greeting and
        # ends with the goodbye.
        gaps = list(range(len(items) + 1))
        if first and items:
            gaps.remove(0)
        if last and items:
            gaps.remove(len(items))
        # The client cannot echo anything before the operator has said a word.
        lowest = 1 if first and items else 0
        echo_gap = rng.randint(lowest, len(items)) if echo_keys is not None else -1
        for gap in range(len(items) + 1):
            if gap in gaps:
                self.small_talk(stage_key, self.gap_goal(target, gap, gaps, len(items)))
            if gap == echo_gap and echo_keys is not None:
                self.echo(echo_keys)
            if gap < len(items):
                key = items[gap]
                opener = first and gap == 0
                if key in self.undone:
                    self.avoid(key, stage_key, opener=opener, first_stage=first)
                else:
                    self.do(key, stage_key, opener=opener,
                            closer=last and gap == len(items) - 1)

    def gap_goal(self, target: float, gap: int, gaps: list[int], items: int) -> float:
        """How many words of small talk this gap gets: the stage's spare words, spread."""
        later = len([g for g in gaps if g >= gap])
        spare = target - self.words - _WORDS_PER_ITEM * (items - gap)
        spread = self.rng.uniform(0.4, 1.6) if later > 1 else 1.0
        return spare / later * spread

    def small_talk(self, stage_key: str, goal: float) -> None:
        pool = self.talk_pool(stage_key)
        spoken = 0
        while spoken < goal:
            question, added = False, 0
            for _ in range(1 if self.rng.random() < 0.5 else self.rng.randint(2, 3)):
                piece = self.pick(pool)
                added += self.operator(piece)
                question = piece is not None and piece.question
            added += self.reply(stage_key, question)
            if not added:
                return
            spoken += added

    def do(self, key: Key, stage_key: str, *, opener: bool, closer: bool) -> None:
        """The operator does the item: one of its triggers, varied, inside a sentence."""
        plan, rng = self.plan, self.rng
        trigger = rng.choice(plan.triggers[key])
        kind = _weighted_kind(rng.random())
        if kind not in trigger.variants:
            kind = "verbatim"
        phrase = list(rng.choice(trigger.variants[kind]))
        if plan.lang.code == "en":
            phrase = ["I" if w == "i" else w for w in phrase]
        if kind == "filler":
            phrase = _commas_around_filler(phrase, trigger.words)
        # Extra sentences around the trigger only while the stage has words to spare.
        roomy = self.words < self.target - _WORDS_PER_ITEM
        if not opener and roomy and rng.random() < 0.3:
            self.operator(self.pick(self.talk_pool(stage_key)))
        self.backchannel()
        if not self.allowed(trigger):  # with the sentence before, it would say an undone item
            self.client(rng.choice(plan.backchannel))
        if trigger.exact:
            frames = trigger.frames
        elif opener:
            frames = plan.opening_frames
        elif closer and not trigger.question:  # the goodbye is no place for «Я вам так скажу»
            frames = plan.closing_frames
        else:
            frames = trigger.frames
        frame = self.choose_frame(frames, trigger.stems)
        endings = [p for p in trigger.completions if self.allowed(p, trigger.stems)]
        ending = rng.choice(endings) if endings else None
        span = len(self.editable)
        # Noise gets its one edit only where the variant has not already changed a word.
        self.editable.append(kind in ("verbatim", "filler", "swap"))
        stems = trigger.stems | (frame.stems if frame else 0) | (ending.stems if ending else 0)
        words = _framed(frame, phrase, self.fill(ending) if ending else [], span)
        self.say("operator", *words, stems=stems)
        if key in plan.client_says:  # «как вас зовут?» — «меня зовут Ольга»
            self.client(rng.choice(plan.client_says[key]))
            return
        question = trigger.question
        if not question and roomy and rng.random() < 0.35:
            extra = self.pick(self.talk_pool(stage_key))
            self.operator(extra)
            question = extra is not None and extra.question
        self.reply(stage_key, question)

    def avoid(self, key: Key, stage_key: str, *, opener: bool, first_stage: bool) -> None:
        """The operator skips the item: talks around it, near-misses it, or negates it."""
        plan, rng = self.plan, self.rng
        if opener:
            self.operator(self.pick(plan.openers))
            self.reply(stage_key, False)
            return
        trigger = rng.choice(plan.triggers[key])
        roll = rng.random()
        negations = [f for f in trigger.negations if self.allowed(f)]
        if roll < 0.25 and not first_stage and negations and trigger.negatable:
            phrase = list(rng.choice(trigger.negatable))
            frame = rng.choice(negations)
            # «Пока не приедет в течение 10 минут» needs its ending; «… — не будем» must follow
            # the phrase at once, or it no longer denies it.
            denied_before = any(norm(w) in NEGATIONS for w in frame.before)
            endings = [p for p in trigger.completions if denied_before and self.allowed(p)]
            ending = self.fill(rng.choice(endings)) if endings else []
            # Noise must not touch the sentence: «не будим» no longer denies anything.
            span = len(self.editable)
            self.editable.append(False)
            words, spans = _framed(frame, phrase, ending, span)
            self.say("operator", words, [span] * len(spans))
            self.tail = 0  # the phrase is there on purpose, denied; what follows stands alone
        elif roll < 0.5 and trigger.near:
            near = [p for p in trigger.near if self.allowed(p)]
            self.operator(rng.choice(near) if near else self.pick(self.talk_pool(stage_key)))
        elif roll < 0.8:
            self.operator(self.pick(self.talk_pool(stage_key)))
        else:
            return  # the operator simply never gets to it
        self.reply(stage_key, False)

    def echo(self, keys: list[Key]) -> None:
        """The client says something that sounds like a trigger: the detector's trap."""
        plan, rng = self.plan, self.rng
        if keys and rng.random() < 0.5:
            trigger = rng.choice(plan.triggers[rng.choice(keys)])
            if not trigger.exact:
                frame = rng.choice(plan.echo_frames)
                self.say("client", *_framed(frame, list(trigger.words), [], 0))
                return
        self.client(rng.choice(plan.client_traps))

    # -- output -----------------------------------------------------------------------

    def render(self, noise: float, talk_seconds: int) -> list[SynthTurn]:
        rng, lang = self.rng, self.plan.lang
        if noise > 0:
            texts = [(speaker, _noisy(words, spans, self.editable, rng, noise, lang))
                     for speaker, words, spans in self.turns]
        else:
            texts = [(speaker, " ".join(words)) for speaker, words, _ in self.turns]
        return _timed(texts, rng, talk_seconds)


def _weighted_kind(roll: float) -> str:
    for kind, weight in VARIANT_WEIGHTS:
        if roll < weight:
            return kind
        roll -= weight
    return "verbatim"


def _commas_around_filler(phrase: list[str], original: Words) -> list[str]:
    """«выставим, ну, вам счёт»: how a transcriber writes a filler inside a phrase."""
    out = list(phrase)
    inserted = next((i for i, w in enumerate(original) if out[i] != w), len(original))
    if 0 < inserted < len(out) - 1:
        out[inserted - 1] += ","
        out[inserted] += ","
    return out


def _lower_first(word: str) -> str:
    """«Мы» after «Смотрите,» becomes «мы»; «ЧОП», «НДС» and English «I» stay as they are."""
    if len(word) > 1 and not word[1].islower():
        return word
    if word == "I":
        return word
    return word[:1].lower() + word[1:]


def _framed(frame: Frame | None, phrase: list[str], tail: list[str],
            span: int) -> tuple[list[str], list[int]]:
    """The sentence's words, and which of them are the phrase (marked ``span``)."""
    body = phrase + tail
    mark = frame.mark if frame else "."
    if frame is None or frame.capital:
        body[0] = body[0][:1].upper() + body[0][1:]
    if mark:
        body[-1] = body[-1].rstrip(",") + mark
    elif body[-1].endswith(","):
        body[-1] = body[-1][:-1]
    before = list(frame.before) if frame else []
    after = list(frame.after) if frame else []
    words = before + body + after
    spans = [0] * len(before) + [span] * len(phrase) + [0] * (len(tail) + len(after))
    return words, spans


# -- speech-to-text noise -------------------------------------------------------------------


_STRIP_MARKS = str.maketrans("", "", PUNCT)


def _noisy(words: list[str], spans: list[int], editable: list[bool], rng: random.Random,
           noise: float, lang: Lang) -> str:
    """What a speech recogniser makes of the turn; trigger spans get one small edit at most."""
    # Most recognisers drop punctuation for a whole turn or keep it; ё is a per-system habit.
    if rng.random() < min(1.0, 0.75 + noise):
        pairs = [(w.lower().translate(_STRIP_MARKS), s) for w, s in zip(words, spans, strict=True)]
    else:
        pairs = [(w.lower(), s) for w, s in zip(words, spans, strict=True)
                 if w not in ("—", "–")]
    tokens = [w for w, _ in pairs if w]
    ids = [s for w, s in pairs if w]
    if rng.random() < min(1.0, 0.3 + 2 * noise):
        tokens = [w.replace("ё", "е") for w in tokens]
    # Damage is rare, so jump from one damaged word to the next (geometric gaps) instead of
    # rolling for every word: far fewer random numbers, same distribution.
    p_edit, p_split, p_merge = noise * 0.10, noise * 0.03, noise * 0.06
    total = p_edit + p_split + p_merge
    if total <= 0 or not tokens:
        return " ".join(tokens)
    log_miss = math.log(1.0 - min(total, 0.99))
    edited: set[int] = set()
    merged: list[int] = []
    index = int(math.log(1.0 - rng.random()) / log_miss)
    while index < len(tokens):
        text, span = tokens[index], ids[index]
        kind = rng.random() * total
        if kind < p_edit:
            if not span:
                tokens[index] = _slip(text, rng, lang, small=False)
            elif editable[span] and span not in edited:
                tokens[index] = _slip(text, rng, lang, small=True)
                edited.add(span)
        elif span:
            pass  # trigger words are never split or merged
        elif kind < p_edit + p_split:
            if len(text) >= 9 and text.isalpha():
                cut = rng.randint(3, len(text) - 4)
                tokens[index] = text[:cut] + " " + text[cut:]
        elif (len(text) <= 2 and text.isalpha() and text not in NEGATIONS
              and index + 1 < len(tokens) and not ids[index + 1]):
            merged.append(index)  # «незнаю», «напочту»
        index += 1 + int(math.log(1.0 - rng.random()) / log_miss)
    for index in reversed(merged):
        tokens[index:index + 2] = [tokens[index] + tokens[index + 1]]
    return " ".join(tokens)


def _slip(word: str, rng: random.Random, lang: Lang, *, small: bool) -> str:
    """One misheard word: a wrong unstressed ending or a lost last letter."""
    if not small and word in lang.word_slips:
        return lang.word_slips[word]
    stripped = word.rstrip(PUNCT)
    if len(stripped) < 4:
        return word
    mark = word[len(stripped):]
    for suffix, wrong in lang.ending_slips:
        if stripped.endswith(suffix) and rng.random() < 0.6:
            return stripped[: -len(suffix)] + wrong + mark
    if len(stripped) >= 5:
        return stripped[:-1] + mark  # «добрый ден»
    return word


# -- timing ---------------------------------------------------------------------------------


def _timed(texts: list[tuple[str, str]], rng: random.Random, talk: int) -> list[SynthTurn]:
    """Timestamps: turn length in proportion to its words, short gaps, all within ``talk``."""
    counts = [max(1, len(text.split())) for _, text in texts]
    gaps = [rng.uniform(0.15, 0.9) for _ in texts]
    gaps[0] = rng.uniform(0.0, 0.5)
    # Gaps never take more than a fifth of the call: in a short call people talk over.
    pause = sum(gaps)
    if pause > talk * 0.2:
        gaps = [g * talk * 0.2 / pause for g in gaps]
        pause = talk * 0.2
    speech = max(0.0, talk - pause) * rng.uniform(0.94, 1.0)
    per_word = speech / sum(counts)
    clock, turns = 0.0, []
    previous_end = 0.0
    for (speaker, text), count, gap in zip(texts, counts, gaps, strict=True):
        clock += gap
        start = max(previous_end, round(clock, 2))
        clock += count * per_word
        end = min(float(talk), max(start, round(clock, 2)))
        turns.append(SynthTurn(speaker, start, end, text))
        previous_end = end
    return turns

"""Planning how a card's triggers are said in the demo's calls: the ways each trigger is
varied (other endings, a filler inside, a dropped short word, a swapped pair), and which
ready-made sentences could be mistaken for which trigger. Done once per card and company.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from scorecard.demo.phrases import (
    ASKING_VERBS,
    EN,
    EN_QUESTION_START,
    FILLER_WORDS,
    PUNCT,
    RU,
    RU_QUESTION_START,
    SHORT,
    Key,
    Lang,
    Words,
)
from scorecard.domain.cards import Item, QualityCard

# How a done item's trigger is varied, with the share of calls that get each change.
VARIANT_WEIGHTS = (("verbatim", 0.30), ("inflect", 0.20), ("filler", 0.20), ("drop", 0.12),
                   ("swap", 0.18))
#: A variant must stay at least this close to the trigger (see _likeness, 0–100).
_MIN_LIKENESS = 80.0
#: Words that turn a phrase into its opposite: never dropped, never merged by noise.
NEGATIONS = frozenset({"не", "нет", "ни", "not", "no"})

# -- the per-card plan ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Piece:
    """A ready-made sentence and which trigger word stems it contains (see _Resemblance)."""

    words: Words
    stems: int
    slotted: bool
    question: bool


@dataclass(frozen=True, slots=True)
class Frame:
    """A sentence with a hole for a phrase: ``Скажите, {p}?``."""

    before: Words
    after: Words
    mark: str
    """Punctuation glued to the phrase's last word (``?``, ``,`` or nothing)."""
    capital: bool
    stems: int


@dataclass(frozen=True, slots=True)
class PlannedTrigger:
    words: Words
    stems: int
    exact: bool
    question: bool
    variants: dict[str, tuple[Words, ...]]
    negatable: tuple[Words, ...]
    """Spoken forms that are not the trigger verbatim, for «не …» near misses."""
    negations: tuple[Frame, ...]
    """Sentences that say the phrase and deny it; none for questions."""
    completions: tuple[Piece, ...]
    frames: tuple[Frame, ...]
    near: tuple[Piece, ...]
    """Ready-made sentences sharing a word with the trigger but not its key word."""


@dataclass(frozen=True, slots=True)
class Plan:
    lang: Lang
    talk: dict[str, tuple[Piece, ...]]
    replies: dict[str, tuple[Piece, ...]]
    answers: dict[str, tuple[Piece, ...]]
    objections: tuple[Piece, ...]
    openers: tuple[Piece, ...]
    opening_frames: tuple[Frame, ...]
    closing_frames: tuple[Frame, ...]
    echo_frames: tuple[Frame, ...]
    leads: tuple[Piece, ...]
    backchannel: tuple[Piece, ...]
    client_traps: tuple[Piece, ...]
    pickup: tuple[Piece, ...]
    hangup: tuple[Piece, ...]
    sorry: tuple[Piece, ...]
    bye: tuple[Piece, ...]
    triggers: dict[Key, tuple[PlannedTrigger, ...]]
    client_says: dict[Key, tuple[Piece, ...]]
    """What the client says when the operator does an item with a client group."""
    masks: tuple[tuple[Key, int], ...]
    """Per trigger of the card: its item and the stems that must all be present."""


_PLANS: dict[tuple[int, str], tuple[QualityCard, Plan]] = {}
_PLAN_CACHE_SIZE = 32


def plan_for(card: QualityCard, company: str) -> Plan:
    # Keyed by identity and kept alive with the card, so an id is never reused while cached.
    key = (id(card), company)
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is card:
        return cached[1]
    if len(_PLANS) >= _PLAN_CACHE_SIZE:
        _PLANS.clear()
    plan = _build_plan(card, company)
    _PLANS[key] = (card, plan)
    return plan


def norm(word: str) -> str:
    return word.strip(PUNCT).lower().replace("ё", "е")


def _content(words: Sequence[str]) -> list[str]:
    kept = [w for w in words if w not in SHORT and w not in FILLER_WORDS]
    return kept or list(words)


class _Resemblance:
    """Which trigger word stems a sentence contains, as a bit mask.

    Deliberately looser than the detector: a trigger counts as said when every content word
    of it has a sentence word containing its stem, so «экономят» flags «вы экономите». Masks
    of neighbouring sentences are OR-ed before the check, because a detector reads
    «…оформляем сами. Заказ можно…» as «оформляю заказ».
    """

    def __init__(self, card: QualityCard) -> None:
        bits: dict[str, int] = {}
        masks: list[tuple[Key, int]] = []
        for stage in card.stages:
            for item in stage.items:
                for trigger in item.spoken_triggers():
                    words = [w for w in (norm(w) for w in trigger.text.split()) if w]
                    mask = 0
                    for stem in {_stem(w) for w in _content(words)}:
                        mask |= 1 << bits.setdefault(stem, len(bits))
                    masks.append(((stage.id, item.id), mask))
        self.stems = tuple(bits)
        self.masks = tuple(masks)

    def mask(self, words: Sequence[str]) -> int:
        text = " ".join(norm(w) for w in words)
        found = 0
        for bit, stem in enumerate(self.stems):
            if stem in text:
                found |= 1 << bit
        return found

    def items(self, mask: int) -> set[Key]:
        """The items whose triggers a text with these stems could be taken for."""
        return {key for key, need in self.masks if mask & need == need}


def client_triggers(item: Item) -> list[str]:
    """What the client says for the item's client groups («меня зовут …»)."""
    return [t.text for group in item.trigger_groups if group.speaker == "client"
            for t in group.triggers]


def _stem(word: str) -> str:
    """The part of a word its other forms share: 4 letters, up to 6 for long words.

    «перезвоню» must not be mistaken for «перестали», but «заказываете» is «заказывали».
    """
    return word[:max(4, min(6, len(word) - 3))]


def _build_plan(card: QualityCard, company: str) -> Plan:
    lang = EN if card.language == "en" else RU
    domain = _domain(card)
    resemble = _Resemblance(card)

    def piece(text: str) -> Piece:
        words = tuple(text.split())
        slotted = "{" in text
        checked = text.replace("{company}", company) if slotted else text
        return Piece(words, resemble.mask(checked.split()), slotted, text.rstrip().endswith("?"))

    def client(text: str) -> Piece:
        return Piece(tuple(text.split()), 0, "{" in text, text.endswith("?"))

    def frame(text: str) -> Frame:
        return _frame(text, resemble)

    talk: dict[str, tuple[Piece, ...]] = {}
    for stage_key, texts in lang.talk.items():
        extra = lang.domain_talk.get(domain, {}).get(stage_key, ())
        talk[stage_key] = tuple(piece(t) for t in texts + extra)
    every_talk = [p for pieces in talk.values() for p in pieces]
    talk["other"] = talk["presentation"]
    replies = {k: tuple(client(t) for t in v) for k, v in lang.replies.items()}
    replies["other"] = replies["presentation"]
    answers = {k: tuple(client(t) for t in v) for k, v in lang.answers.items()}
    answers["diagnosis"] += tuple(client(t) for t in lang.domain_answers.get(domain, ()))
    objections = lang.objections + lang.domain_objections.get(domain, ())

    triggers: dict[Key, tuple[PlannedTrigger, ...]] = {}
    client_says: dict[Key, tuple[Piece, ...]] = {}
    for stage in card.stages:
        for item in stage.items:
            spoken = item.spoken_triggers()
            if not spoken:
                continue
            key = (stage.id, item.id)
            asking = item.text.lower().startswith(ASKING_VERBS)
            triggers[key] = tuple(
                _plan_trigger(t.text, t.exact, key, asking, lang, resemble, every_talk, company)
                for t in spoken)
            if said := client_triggers(item):
                client_says[key] = tuple(client(f"{text} {{client}}.") for text in said)

    return Plan(
        lang=lang, talk=talk, replies=replies, answers=answers,
        objections=tuple(client(t) for t in objections),
        openers=tuple(piece(t) for t in lang.plain_opener),
        opening_frames=tuple(frame(t) for t in lang.opening_frames),
        closing_frames=tuple(frame(t) for t in lang.closing_frames),
        echo_frames=tuple(_frame(t, None) for t in lang.echo_frames),
        leads=tuple(piece(t) for t in lang.leads),
        backchannel=tuple(client(t) for t in lang.backchannel),
        client_traps=tuple(client(t) for t in lang.client_traps),
        pickup=tuple(client(t) for t in lang.pickup),
        hangup=tuple(client(t) for t in lang.hangup),
        sorry=tuple(piece(t) for t in lang.sorry),
        bye=tuple(client(t) for t in lang.bye),
        triggers=triggers,
        client_says=client_says,
        masks=resemble.masks,
    )


def _domain(card: QualityCard) -> str:
    text = " ".join([card.title, card.description or ""]
                    + [i.text for s in card.stages for i in s.items]).lower()
    if "охран" in text:
        return "security"
    if any(word in text for word in ("канц", "расходн", "заказ", "поставщик")):
        return "supplies"
    return "generic"


def _frame(text: str, resemble: _Resemblance | None) -> Frame:
    """Parse «Скажите, {p}?»; ``{P}`` marks a phrase that starts the sentence."""
    capital = "{P}" in text
    head, _, tail = text.replace("{P}", "{p}").partition("{p}")
    mark = "" if tail.strip() else "."
    if tail and tail[0] in ",.?!":
        mark, tail = tail[0], tail[1:]
    before, after = tuple(head.split()), tuple(tail.split())
    stems = resemble.mask(before + after) if resemble else 0
    return Frame(before, after, mark, capital, stems)


def _plan_trigger(
    text: str,
    exact: bool,
    key: Key,
    asking: bool,
    lang: Lang,
    resemble: _Resemblance,
    every_talk: Sequence[Piece],
    company: str,
) -> PlannedTrigger:
    """Everything a call needs to say (or deny, or nearly say) one trigger."""
    def piece(text: str) -> Piece:
        return Piece(tuple(text.split()), resemble.mask(text.split()), "{" in text, False)

    def frame(text: str) -> Frame:
        return _frame(text, resemble)

    written = tuple(text.split())
    words = tuple(norm(w) or w for w in written)
    question = _is_question(words, asking, lang)
    # An exact trigger is said exactly as written; the operator's own company name gets
    # sentences of its own («Компания Щит-Мониторинг.»).
    variants = {"verbatim": (written,)} if exact else _variants(words, lang.code)
    if exact and text.casefold() == company.casefold():
        frames = tuple(frame(f) for f in lang.exact_frames)
    else:
        pool = lang.question_frames if question else lang.statement_frames
        stems = {w[:4] for w in words}
        # «Скажите, что скажете?» and «А а что…» are what a frame must not produce.
        frames = tuple(f for f in (frame(t) for t in pool)
                       if not stems & {norm(w)[:4] for w in f.before + f.after if norm(w)})
    verbatim = " ".join(words)
    negatable = tuple(v for kind in ("filler", "inflect", "drop") for v in variants.get(kind, ())
                      if verbatim not in " ".join(v))
    negations: tuple[Frame, ...] = ()
    if question or exact or len(words) < 3:
        pass  # «не кто у вас отвечает…» is not something anyone says
    elif lang.code == "en":
        first = words[0]
        if not (first in SHORT or first in _FROZEN or first.endswith("s")):
            negations = tuple(frame(t) for t in lang.negation_before)
    elif _ru_verb_first(words):
        negations = tuple(frame(t) for t in lang.negation_before)
    elif _ru_noun_first(words):
        negations = tuple(frame(t) for t in lang.negation_after)
    completions: tuple[Piece, ...] = ()
    for tail in (words[-2:], words[-1:]):
        if tail in lang.completions:
            completions = tuple(piece(t) for t in lang.completions[tail])
            break
    content = _content(words)
    anchor = max(content, key=len)
    others = {w[:4] for w in content if w != anchor and len(w) > 3}
    near = tuple(p for p in every_talk if key not in resemble.items(p.stems) and others
                 and others & {norm(w)[:4] for w in p.words}
                 and not any(anchor[:4] in norm(w) for w in p.words))
    return PlannedTrigger(words, resemble.mask(words), exact, question, variants, negatable,
                          negations, completions, frames, near)


def _is_question(words: Words, asking: bool, lang: Lang) -> bool:
    if words[0] in lang.question_start or lang.question_anywhere.intersection(words):
        return True
    return asking and len(words) > 1


@functools.cache
def _variants(words: Words, code: str) -> dict[str, tuple[Words, ...]]:
    """Every way a person might say the phrase that a listener still hears as the phrase.

    Cached for the process: the same trigger on another card or company costs nothing.
    """
    lang = EN if code == "en" else RU
    phrase = " ".join(words)
    out: dict[str, list[Words]] = {"verbatim": [words]}

    def keep(kind: str, variant: Sequence[str]) -> None:
        spoken = tuple(variant)
        if spoken in out.get(kind, ()) or spoken == words:
            return
        if _likeness(phrase, " ".join(spoken)) >= _MIN_LIKENESS:
            out.setdefault(kind, []).append(spoken)

    inflect = _ru_inflections if lang.code == "ru" else _en_inflections
    for variant in inflect(words):
        keep("inflect", variant)
    for i in range(1, len(words)):
        if words[i] in _CLITICS or words[i - 1] in NEGATIONS:  # never «были ну ли», «не ну»
            continue
        for filler in lang.fillers:
            keep("filler", [*words[:i], filler, *words[i:]])
    if len(words) >= 3:
        for i, w in enumerate(words):
            # Never orphan a preposition («кто у отвечает»); English only loses articles.
            droppable = w in _ARTICLES if lang.code == "en" else w in SHORT
            # The last word stays: «удобно завтра (в)» is where the sentence goes on.
            if (droppable and 0 < i < len(words) - 1 and words[i - 1] not in _GLUE
                    and w not in NEGATIONS):
                keep("drop", [*words[:i], *words[i + 1:]])
    for i in range(len(words) - 1):
        if _may_swap(words, i, lang):
            keep("swap", [*words[:i], words[i + 1], words[i], *words[i + 2:]])
    return {kind: tuple(v) for kind, v in out.items()}


_ARTICLES = frozenset({"a", "an", "the"})
_CLITICS = frozenset({"ли", "же", "бы"})
def _likeness(phrase: str, spoken: str) -> float:
    """A lower bound of fuzzy ``partial_ratio(phrase, text)`` for any text containing ``spoken``.

    A longer variant is compared window by window, as partial matching does; a shorter one
    is charged for every character of the phrase it lacks.
    """
    size = len(phrase)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(phrase)  # difflib indexes the second sequence: index the phrase once
    if len(spoken) <= size:
        matcher.set_seq1(spoken)
        return 100.0 * sum(block.size for block in matcher.get_matching_blocks()) / size
    best = 0.0
    for start in range(len(spoken) - size + 1):
        matcher.set_seq1(spoken[start:start + size])
        if matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return 100.0 * best


#: Words bound to the next one (prepositions, particles, possessives, articles): a swap
#: must neither move them nor take their head word away («у вас», never «вас у»).
_GLUE = frozenset({"в", "во", "на", "с", "со", "к", "ко", "у", "о", "об", "от", "по", "за", "из",
                   "до", "для", "при", "про", "без", "над", "под", "ли", "не", "же", "бы", "а",
                   "и", "ваш", "ваша", "ваше", "ваши", "наш", "наша", "наше", "наши", "мой",
                   "моя", "моего", "the", "a", "an", "to", "of", "for", "in", "on", "at", "from",
                   "with", "by", "my", "your", "our"})
#: Words whose form is fixed in the phrases cards use («добрый день», «пожалуйста»).
_FROZEN = frozenset({"пожалуйста", "спасибо", "зовут", "день", "добрый", "всего", "доброго",
                     "свидания", "итак", "давайте", "теперь", "давно", "сейчас", "специально",
                     "понимаю", "очень", "какой", "какая", "какое", "какие", "время", "good",
                     "morning", "thanks", "yours", "fair", "per", "please", "does", "goes"})
# Russian morphology, just enough for card phrases: verbs between «мы» and «я» forms
# («выставим» ↔ «выставлю»), and noun groups in the genitive («бесплатного осмотра»).
_RU_VERB_FORMS = (
    ("шлю", "шлем"), ("шлем", "шлю"), ("влю", "вим"), ("блю", "бим"), ("плю", "пим"),
    ("млю", "мим"), ("вим", "влю"), ("бим", "блю"), ("пим", "плю"),
    ("мим", "млю"), ("дим", "жу"), ("жим", "жу"), ("чим", "чу"), ("ним", "ню"), ("ляю", "ляем"),
    ("аю", "аем"), ("яю", "яем"), ("ню", "ним"), ("лю", "лим"), ("ываете", "ывали"),
    ("аете", "али"),
)
_RU_ADJECTIVE_GENITIVE = (
    ("кий", "кого"), ("гий", "гого"), ("хий", "хого"), ("ый", "ого"), ("ий", "его"),
    ("ой", "ого"), ("ая", "ой"), ("яя", "ей"), ("ое", "ого"), ("ее", "его"), ("ые", "ых"),
)
_RU_NOUN_GENITIVE = (
    ("ость", "ости"), ("сть", "сти"), ("дь", "ди"), ("ль", "ли"), ("ие", "ия"), ("ия", "ии"),
    ("ка", "ки"), ("га", "ги"), ("ха", "хи"), ("жа", "жи"), ("ша", "ши"), ("ча", "чи"),
    ("ща", "щи"), ("а", "ы"), ("я", "и"), ("й", "я"),
)
_RU_CONSONANTS = frozenset("бвгджзклмнпрстфхцчшщ")
_RU_IRREGULAR = {"счет": "счета", "счёт": "счета"}
_RU_GOVERNOR = "насчёт"
_RU_THIRD_PERSON = ("ит", "ет", "ут", "ют", "ат", "ят")


def _may_swap(words: Words, i: int, lang: Lang) -> bool:
    # English word order is rigid: «do how you» is not something people say.
    if lang.code == "en":
        return False
    return _GLUE.isdisjoint(words[max(0, i - 1):i + 2]) and _FROZEN.isdisjoint(words[i:i + 2])


def _swap_suffix(word: str, table: Sequence[tuple[str, str]]) -> str | None:
    for suffix, replacement in table:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)] + replacement
    return None


def _ru_verb(word: str, previous: str) -> str | None:
    # «мы охраняем» and «давайте назначим» fix the person: changing it breaks the phrase.
    if word in _FROZEN or previous in ("мы", "я", "давайте"):
        return None
    return _swap_suffix(word, _RU_VERB_FORMS)


def _ru_noun_genitive(word: str) -> str | None:
    if word in _FROZEN or word in SHORT or len(word) < 4:
        return None
    form = _swap_suffix(word, _RU_NOUN_GENITIVE)
    if form is None and word[-1] in _RU_CONSONANTS:
        form = word + "а"  # «осмотр» → «осмотра»
    return form


def _ru_noun_first(words: Words) -> bool:
    first = words[0]
    return (_ru_noun_genitive(first) is not None
            or _swap_suffix(first, _RU_ADJECTIVE_GENITIVE) is not None)


def _ru_verb_first(words: Words) -> bool:
    first = words[0]
    if first.endswith(("йте", "ите")) or first in RU_QUESTION_START or first in _FROZEN:
        return False
    return _ru_verb(first, "") is not None or first.endswith(("ем", "им", "ете", *_RU_THIRD_PERSON))


def _ru_inflections(words: Words) -> list[list[str]]:
    """Other grammatical forms of a Russian phrase, one grammatical change each."""
    out: list[list[str]] = []
    verbs = {i: _ru_verb(w, words[i - 1] if i else "") for i, w in enumerate(words)}
    for i, form in verbs.items():
        if form:
            out.append([*words[:i], form, *words[i + 1:]])
    for i, word in enumerate(words):
        if i and word in _RU_IRREGULAR:  # «выставим вам счёт» → «выставим вам счета», «выставлю…»
            changed = [*words[:i], _RU_IRREGULAR[word], *words[i + 1:]]
            out.append(changed)
            out.extend([*changed[:j], form, *changed[j + 1:]] for j, form in verbs.items() if form)
    first = words[0]
    # Only a phrase-initial noun group changes case: inside a phrase the case is governed by
    # the words before it («за уделённое время»), and a verb after it needs the nominative.
    # The genitive needs a word to govern it, and «насчёт» fits any sentence.
    has_verb = any(w.endswith(_RU_THIRD_PERSON) for w in words)
    if len(words) > 1 and first not in _FROZEN and not verbs[0]:  # «насчёт бесплатного осмотра»
        adjective = _swap_suffix(first, _RU_ADJECTIVE_GENITIVE)
        noun = _ru_noun_genitive(words[1])
        if adjective and noun:
            out.append([_RU_GOVERNOR, adjective, noun, *words[2:]])
    if (not verbs[0] and not has_verb and first not in RU_QUESTION_START
            and _swap_suffix(first, _RU_ADJECTIVE_GENITIVE) is None):
        noun = _ru_noun_genitive(first)  # «насчёт доставки на следующий день»
        if noun:
            out.append([_RU_GOVERNOR, noun, *words[1:]])
    return out


def _en_inflections(words: Words) -> list[list[str]]:
    """Other forms of an English phrase: singular for plural, «booking» for «book»."""
    out: list[list[str]] = []
    for i, word in enumerate(words):
        if word in _FROZEN or word in SHORT or len(word) < 4 or not word.isalpha():
            continue
        if word.endswith("ies"):
            out.append([*words[:i], word[:-3] + "y", *words[i + 1:]])
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
            out.append([*words[:i], word[:-1], *words[i + 1:]])
        elif i == 0 and not word.endswith("ing") and word not in EN_QUESTION_START:
            stem = word[:-1] if word.endswith("e") else word
            out.append([stem + "ing", *words[1:]])
    return out



"""Synthetic call transcripts: believable dialogue built from a quality card.

The demo database and the detector benchmark need transcripts whose truth is known:
for every item, whether the operator really did it. :func:`synthesize_call` walks the
card's stages and writes the operator's and the client's turns, putting each done item's
trigger into the operator's mouth the way people say it (other endings, a filler inside,
a dropped short word, a swapped pair) and keeping undone items out — sometimes with a
near miss or a negation, which is what a detector must not be fooled by. Speech-to-text
noise (lower case, lost punctuation, ё→е, dropped letters) goes over everything.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from scorecard.domain.cards import QualityCard, Stage

WORDS_PER_SECOND = 2.2
_GAP = 0.4


@dataclass(frozen=True, slots=True)
class SynthTurn:
    speaker: str
    start: float
    end: float
    text: str


_RU = {
    "lead_in": ("так", "смотрите", "подскажите", "скажите", "да", "хорошо", "отлично",
                "понимаю", "слушайте", "значит"),
    "filler": ("ну", "вот", "как бы", "э-э", "э", "в общем"),
    "tail": ("если вам удобно", "это важно", "по нашему опыту", "сейчас расскажу",
             "буквально пару минут", "это недолго", "как раз для вас", "на самом деле"),
    "small_talk": (
        "по нашему опыту у многих компаний похожая ситуация",
        "мы работаем с разными объектами и знаем специфику",
        "я коротко расскажу и если будет неинтересно скажете",
        "у нас много клиентов в вашем районе",
        "условия можно подстроить под ваш график",
        "все документы мы готовим сами вам ничего делать не нужно",
        "договор можно посмотреть заранее",
    ),
    "client_reply": (
        "да слушаю", "ну допустим", "а сколько это по времени", "так и что дальше",
        "у нас вроде все есть", "интересно", "а поподробнее можно", "понятно",
        "а какие гарантии", "хорошо давайте", "не знаю надо подумать", "мне нужно посоветоваться",
        "да удобно", "ну говорите", "а вы кто вообще", "угу",
    ),
    "objection": ("это дорого", "у нас уже есть поставщик", "пришлите на почту",
                  "нам сейчас не до этого", "у нас уже есть охрана"),
    "client_trap": ("меня зовут {client} если что", "добрый день меня зовут {client}",
                    "выставьте нам счет мы посмотрим", "стоимость составит сколько"),
    "hangup": ("нам не интересно до свидания", "некогда мне извините", "не звоните сюда больше"),
    "off_topic": ("{word} это отдельный вопрос", "про {word} поговорим позже",
                  "{word} у всех по-разному"),
    "negated": ("{phrase} пока не будем", "не будем {phrase} сейчас", "не {phrase}"),
    "greeting": ("алло", "да", "слушаю", "алло слушаю"),
}
_EN = {
    "lead_in": ("so", "right", "okay", "great", "well", "look", "i see", "sure"),
    "filler": ("um", "uh", "you know", "like"),
    "tail": ("if that works for you", "just briefly", "which matters", "in our experience"),
    "small_talk": (
        "a lot of teams we talk to are in a similar spot",
        "we work with companies of every size",
        "i will keep it short and you tell me if it is not relevant",
        "setup usually takes less than a week",
    ),
    "client_reply": ("okay go on", "sure", "what is this about", "we already have something",
                     "interesting", "tell me more", "how long does it take", "hmm", "right"),
    "objection": ("that sounds expensive", "we already have a vendor", "just email me"),
    "client_trap": ("my name is {client} by the way", "good morning my name is {client}"),
    "hangup": ("not interested thanks bye", "i am busy sorry"),
    "off_topic": ("{word} is a separate question", "we can talk about {word} later"),
    "negated": ("not {phrase}", "we will not {phrase}"),
    "greeting": ("hello", "yes", "speaking"),
}
_SHORT = frozenset({"вам", "вас", "вы", "мы", "нам", "на", "в", "с", "к", "у", "о", "по", "за",
                    "и", "a", "the", "to", "you", "your", "we", "our", "of", "for"})


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
    """Turns of one call in which the operator did exactly the items marked in ``said``."""
    pools = _EN if card.language == "en" else _RU
    lines: list[tuple[str, str]] = [("client", rng.choice(pools["greeting"]))]
    budget = max(12, int(talk_seconds * WORDS_PER_SECOND))
    short_call = talk_seconds < 40
    stages = card.stages[:1] if short_call else card.stages
    per_stage = budget / max(1, len(stages))
    trap_at = rng.randrange(len(stages)) if rng.random() < 0.15 else -1
    for index, stage in enumerate(stages):
        lines.extend(_stage_lines(stage, said, rng, pools, per_stage, operator_name, company,
                                  client_name, trap=index == trap_at))
    if short_call:
        lines.append(("client", rng.choice(pools["hangup"])))
    return _timed(_with_noise(lines, rng, noise), rng, talk_seconds)


def _stage_lines(
    stage: Stage,
    said: Mapping[tuple[str, str], bool],
    rng: random.Random,
    pools: dict[str, tuple[str, ...]],
    words: float,
    operator_name: str,
    company: str,
    client_name: str,
    *,
    trap: bool,
) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    spent = 0
    for item in stage.items:
        if not item.triggers:
            continue
        if said.get((stage.id, item.id), False):
            phrase = _paraphrase(rng.choice(item.triggers).text, rng, pools)
            sentence = _embed(phrase, rng, pools)
        else:
            sentence = _avoid(item.triggers[0].text, rng, pools)
        if stage.id == "contact" and rng.random() < 0.5:
            sentence = f"{sentence} {operator_name} {company}"
        # Operators often say two things before the client answers.
        if lines and lines[-1][0] == "operator" and rng.random() < 0.5:
            lines[-1] = ("operator", f"{lines[-1][1]}. {sentence}")
        else:
            lines.append(("operator", sentence))
        if rng.random() < 0.6:
            lines.append(("client", rng.choice(pools["client_reply"])))
        spent += len(sentence.split()) + 2
    if stage.id == "objections" and rng.random() < 0.7:
        lines.insert(0, ("client", rng.choice(pools["objection"])))
    if trap:
        lines.append(("client", rng.choice(pools["client_trap"]).format(client=client_name)))
    # Fill the stage's share of the call with ordinary talk that matches no trigger.
    while spent < words:
        said = [rng.choice(pools["small_talk"]) for _ in range(rng.randint(1, 3))]
        lines.append(("operator", f"{rng.choice(pools['lead_in'])} " + ". ".join(said)))
        reply = rng.choice(pools["client_reply"])
        if rng.random() < 0.3:
            reply = f"{reply}. {rng.choice(pools['client_reply'])}"
        lines.append(("client", reply))
        spent += sum(len(x.split()) for x in said) + len(reply.split()) + 1
    return lines


def _paraphrase(trigger: str, rng: random.Random, pools: dict[str, tuple[str, ...]]) -> str:
    """The trigger as a person says it: at most one change, so it stays recognisable."""
    words = trigger.lower().split()
    change = rng.random()
    if change < 0.35 or len(words) < 2:
        return " ".join(words)
    if change < 0.55:
        position = rng.randrange(1, len(words))
        words.insert(position, rng.choice(pools["filler"]))
    elif change < 0.7:
        longest = max(range(len(words)), key=lambda i: len(words[i]))
        word = words[longest]
        if len(word) > 5:
            words[longest] = word[:-1] + rng.choice("аиуюе") if word[-1] in "аяыиеоуюм" else word
    elif change < 0.82:
        shorts = [i for i, w in enumerate(words) if w in _SHORT]
        if shorts and len(words) > 2:
            del words[rng.choice(shorts)]
    elif len(words) >= 2:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def _embed(phrase: str, rng: random.Random, pools: dict[str, tuple[str, ...]]) -> str:
    head = rng.choice(pools["lead_in"]) if rng.random() < 0.7 else ""
    tail = rng.choice(pools["tail"]) if rng.random() < 0.6 else ""
    return " ".join(part for part in (head, phrase, tail) if part)


def _avoid(trigger: str, rng: random.Random, pools: dict[str, tuple[str, ...]]) -> str:
    """Talk around an item without doing it: plain talk, a near miss, or a negation."""
    words = trigger.lower().split()
    roll = rng.random()
    if roll < 0.2 and len(words) >= 2:
        content = [w for w in words if w not in _SHORT] or words
        return rng.choice(pools["off_topic"]).format(word=rng.choice(content))
    if roll < 0.3:
        return rng.choice(pools["negated"]).format(phrase=" ".join(words))
    return f"{rng.choice(pools['lead_in'])} {rng.choice(pools['small_talk'])}"


def _with_noise(
    lines: list[tuple[str, str]], rng: random.Random, noise: float
) -> list[tuple[str, str]]:
    out = []
    for speaker, text in lines:
        words = text.lower().replace("ё", "е" if rng.random() < 0.7 else "ё").split()
        if noise > 0:
            for i, word in enumerate(words):
                roll = rng.random()
                if roll < noise * 0.15 and len(word) > 4:
                    words[i] = word[:-1]  # a lost last letter: «добрый ден»
                elif roll < noise * 0.2 and len(word) > 6:
                    words[i] = word[1:]  # a lost first letter: «чет» for «счет»
        out.append((speaker, " ".join(words)))
    return out


def _timed(lines: list[tuple[str, str]], rng: random.Random, talk: int) -> list[SynthTurn]:
    words = [max(1, len(text.split())) for _, text in lines]
    total = sum(words)
    speech = max(1.0, talk - _GAP * len(lines))
    clock, turns = 0.0, []
    for (speaker, text), count in zip(lines, words, strict=True):
        duration = speech * count / total
        end = min(float(talk), clock + duration)
        turns.append(SynthTurn(speaker, round(clock, 2), round(end, 2), text))
        clock = end + _GAP * rng.uniform(0.5, 1.5) * (talk - end > 1)
    return turns

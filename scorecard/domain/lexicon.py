"""The word lists the detector knows: fillers, negations, spoken forms, everyday words and
short function words, Russian and English.

Lists, not logic: :mod:`.text` drops the fillers, :mod:`.detection` uses the rest to choose
anchors, forgive missing short words and reject negated phrases.
"""

from __future__ import annotations

FILLERS = frozenset({"ну", "вот", "э", "ээ", "эээ", "эм", "ммм", "мм", "м", "типа", "короче",
                     "uh", "um", "uhm", "er", "like"})
FILLER_PAIRS = {("как", "бы"), ("you", "know")}
FILLER_FIRST = frozenset(first for first, _ in FILLER_PAIRS)
FILLER_SECOND = frozenset(second for _, second in FILLER_PAIRS)
NEGATIONS = frozenset({"не", "нет", "ни", "not", "no", "don't", "dont", "won't"})
NEGATED_AFTER = frozenset({"будем", "буду", "будет", "надо", "нужно", "стоит", "получится",
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

"""The word lists the detector knows: fillers, negations, spoken forms, everyday words and
short function words, Russian and English.

Lists, not logic: :mod:`.text` drops the fillers, :mod:`.detection` uses the rest to choose
anchors, forgive missing short words and reject negated phrases.
"""

from __future__ import annotations

FILLERS = frozenset({"ну", "вот", "э", "ээ", "эээ", "эм", "ммм", "мм", "м", "типа", "короче",
                     "uh", "um", "uhm", "er", "like"})
#: Two-word fillers. «по факту» is Russian speech's «actually» («цена по факту одной
#: упаковки»); where a card's phrase says it («оплата по факту»), it is that phrase's words.
FILLER_PAIRS = frozenset({("как", "бы"), ("you", "know"), ("по", "факту"), ("i", "mean"),
                          ("sort", "of"), ("kind", "of")})
#: English contractions count as «не»: «it doesn't make sense» denies «does that make sense».
_ENGLISH_NOT = ("don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't",
                "wouldn't", "can't", "couldn't", "shouldn't", "haven't", "hasn't", "hadn't",
                "ain't", "mustn't", "needn't")
NEGATIONS = frozenset({"не", "нет", "ни", "not", "no", "never", "cannot", "nobody", "nothing",
                       *_ENGLISH_NOT, *(word.replace("'", "") for word in _ENGLISH_NOT)})
#: English words that deny the verb phrase after them, a few words on: «i can't send you a
#: calendar invite», «i didn't want to just send you a calendar invite». «no» is left out:
#: spoken English says it as an answer («no problem, i'll send you a calendar invite»).
NEGATIONS_EN_VERBAL = frozenset({"not", "never", "cannot", *_ENGLISH_NOT,
                                 *(word.replace("'", "") for word in _ENGLISH_NOT)})
#: Where an English negation's reach ends: a conjunction or a new subject starts another
#: clause («if you don't mind, i'll send you an invite»).
CLAUSE_BREAKS_EN = frozenset({
    "but", "and", "so", "if", "because", "cause", "when", "then", "or", "though", "although",
    "since", "until", "till", "unless", "while", "whether", "once", "otherwise", "instead",
    "i", "i'll", "i'm", "i'd", "im", "ill", "we", "we'll", "we're", "we'd", "he", "she", "they",
    "they'll", "you'll", "it's", "that's", "there's", "okay", "ok", "yeah", "yes", "well",
    "sure", "great", "perfect", "anyway"})
#: The auxiliary that makes an English trigger a question («how do you handle», «is now a
#: good time»): without it the words are a statement.
QUESTION_AUXILIARIES_EN = frozenset({
    "do", "does", "did", "is", "are", "was", "were", "am", "can", "could", "would", "will",
    "shall", "should", "have", "has", "may", "might"})
#: Who does what, by grammatical person: a pronoun of another person in place of the
#: trigger's turns the phrase around («walk you through» offers, «walk me through» asks);
#: one of the same person does not («walk us through»).
PERSONS_EN = {
    **dict.fromkeys(("i", "me", "my", "mine", "we", "us", "our", "ours"), 1),
    **dict.fromkeys(("you", "your", "yours"), 2),
    **dict.fromkeys(("he", "him", "his", "she", "her", "hers", "they", "them", "their",
                     "theirs"), 3)}
#: What makes an English action hypothetical when a «but» follows: «i'd book you a demo but
#: it's his call» books nothing.
MODALS_EN = frozenset({"would", "could", "might", "i'd", "we'd", "id", "wed"})
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
SHORT_WORDS_RU = frozenset({
    "а", "в", "во", "и", "к", "ко", "на", "о", "об", "от", "по", "с", "со", "у", "за", "из", "до",
    "вам", "вас", "вы", "мы", "нам", "нас", "я", "мне", "меня", "ваш", "ваша", "ваше", "ваши",
    "наш", "наша", "наше", "наши", "это", "ли", "же", "бы", "то", "что", "как", "так", "для",
    "свой", "своя", "свое", "свои", "своей", "своим", "свою", "своих", "своими", "своего",
    "the", "a", "an", "to", "of", "you", "your", "we", "our", "i", "me", "my", "is", "are",
    "for", "in", "on", "at", "it", "with",
})
"""Words a phrase may lose or gain without changing its meaning (Russian cards; the few
English ones are for English words in Russian speech)."""
SHORT_WORDS_EN = frozenset({
    "a", "an", "the", "and", "or", "but", "so", "if", "then", "than", "as", "of", "to", "in",
    "on", "at", "by", "for", "from", "with", "about", "into", "over", "up", "out", "off",
    "i", "me", "my", "we", "us", "our", "you", "your", "he", "him", "his", "she", "her", "it",
    "its", "they", "them", "their", "this", "that", "these", "those", "there", "here",
    "is", "am", "are", "was", "were", "be", "been", "being", "do", "does", "did", "have",
    "has", "had", "will", "would", "shall", "should", "can", "could", "may", "might", "must",
    "just", "also", "very", "really", "all", "some", "any", "what", "which", "who", "whom",
    "how", "when", "where", "why", "okay", "ok", "oh", "well", "yeah", "yes", "now",
    "i'm", "you're", "we're", "it's", "that's", "i'll", "we'll", "you'll", "i've", "we've",
})
"""English function words: what a phrase may lose or gain. Content words carry it."""
SHORT_WORDS = {"ru": SHORT_WORDS_RU, "en": SHORT_WORDS_EN}
"""Function words per card language; other languages use both lists."""

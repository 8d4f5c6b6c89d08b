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

import functools
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from scorecard.domain.cards import QualityCard, Stage

WORDS_PER_SECOND = 2.2
"""Talk pace the synthesiser aims at: a 10-minute call has about 1,300 words."""
SHORT_CALL_SECONDS = 40
"""Calls shorter than this end in the first (contact) stage."""
CLIENT_ECHO_RATE = 0.15
"""Share of calls in which the client says something that sounds like a trigger."""

Key = tuple[str, str]
Words = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SynthTurn:
    speaker: str
    """``operator`` or ``client``."""
    start: float
    """Seconds from the start of the talk."""
    end: float
    text: str


# -- phrase pools ---------------------------------------------------------------------------
# Sentences are written as a careful human transcriber would (capitals, punctuation, ё);
# noise turns them into what speech-to-text produces. Operator sentences avoid gendered
# past tense, because the operator may be Анна or Алексей.

_RU_PICKUP = ("Алло.", "Да, слушаю.", "Алло, говорите.", "Да.", "Слушаю вас.", "Алло, да.")
_RU_PLAIN_OPENER = (
    "Алло, здравствуйте.", "Здравствуйте, это {name}.", "Алло, добрый. Это по поводу вашего офиса.",
    "Алло, здравствуйте, удобно сейчас?", "Здравствуйте. Я по поводу вашей организации.",
)
_RU_OPENING_FRAMES = ("{P}", "Алло. {P}", "Да, здравствуйте. {P}")
_RU_CLOSING_FRAMES = ("{P}.", "Хорошо, {p}.", "Отлично, {p}!", "Ну всё, {p}.")
_RU_STATEMENT_FRAMES = (
    "Смотрите, {p}.", "Значит, так: {p}.", "Я вам так скажу: {p}.", "Ну и главное — {p}.",
    "Да, и ещё момент: {p}.", "Хорошо, тогда {p}.", "{P}, если коротко.", "Понимаю. {P}.",
    "Отлично. {P}.", "{P}.", "Тогда так, {p}, хорошо?",
)
_RU_QUESTION_FRAMES = (
    "{P}?", "Скажите, {p}?", "А {p}?", "Хорошо, а {p}?", "Подскажите, пожалуйста, {p}?",
    "И ещё вопрос: {p}?", "Чтобы понимать, {p}?",
)
_RU_EXACT_FRAMES = ("Компания {p}.", "Это {p}, добрый день.", "Мы — {p}.")
# Negations the way operators say them: «не» before a verb phrase, «не будем» after a noun.
_RU_NEGATION_BEFORE = (
    "Пока не {p}, это позже.", "Нет, не {p}, сначала посмотрите условия.",
    "Сегодня, наверное, не {p}.",
)
_RU_NEGATION_AFTER = (
    "{P} — не будем пока об этом.", "{P} — не надо пока, потом обсудим.",
    "Ну, {p} не будем, рано ещё.",
)
_RU_FILLERS = ("ну", "вот", "как бы", "э-э", "э", "типа")
_RU_LEADS = ("Смотрите,", "Кстати,", "Понимаете,", "Ну вот,", "Знаете,", "Честно скажу,", "Вот,",
             "И ещё,", "Да,", "Так,")
_RU_BACKCHANNEL = ("Угу.", "Да.", "Так.", "Ага.", "Понятно.", "Да-да.")

_RU_TALK: dict[str, tuple[str, ...]] = {
    "contact": (
        "Я вас надолго не отвлеку, буквально пара минут.",
        "Мы сейчас как раз работаем с компаниями в вашем районе.",
        "Ваш номер есть в справочнике организаций, поэтому решили набрать.",
        "Мы с вами ещё не работали, хочу коротко познакомиться.",
        "Я коротко, а вы скажете, интересно вам это или не очень, ладно?",
        "Это не реклама, просто пара вопросов.",
        "Подскажите, это офис на Садовой, я правильно понимаю?",
        "Слышите меня хорошо?",
        "Звоню буквально на одну минуту.",
        "Мы давно хотели с вами связаться.",
        "Вы меня хорошо слышите? Связь что-то прерывается.",
    ),
    "diagnosis": (
        "Чтобы не рассказывать лишнего, хочу сначала понять вашу ситуацию.",
        "Расскажите в двух словах, как у вас это сейчас устроено?",
        "А сколько у вас сотрудников примерно?",
        "А решения такие вы принимаете или директор?",
        "Понятно. А что было бы идеально для вас?",
        "А давно вы в этом помещении?",
        "Угу, понятно, записываю.",
        "То есть в целом всё работает, но есть нюансы, правильно понимаю?",
        "А бюджет на это у вас заложен?",
        "А сейчас что для вас самое неудобное?",
        "Понятно, а кроме этого что-то ещё беспокоит?",
        "Это вы сами решаете или через головной офис?",
        "А в целом планы на этот год какие: расширяться, переезжать?",
        "Хорошо, это важно, я отмечу.",
    ),
    "presentation": (
        "Мы работаем по договору, все документы оформляем сами.",
        "Все условия фиксируем в договоре, без сюрпризов.",
        "Всё берём на себя, от вас нужен только звонок.",
        "По опыту, такие компании, как ваша, экономят прежде всего время.",
        "Если что-то пойдёт не так, вы звоните одному человеку, и он всё решает.",
        "Договор можно посмотреть заранее, я пришлю образец.",
        "На рынке мы уже больше десяти лет.",
        "Это, кстати, как раз то, о чём вы сейчас говорили.",
        "Мы многое делаем за клиента, чтобы ему не приходилось отвлекаться.",
        "Всё прозрачно: что сделали, когда и сколько это стоило.",
        "Могу привести пример похожей компании.",
        "Если интересно, расскажу, как это устроено на практике.",
    ),
    "objections": (
        "Это нормальный вопрос, давайте разберёмся.",
        "Я вас не тороплю, решение в любом случае за вами.",
        "Давайте я просто расскажу, чем мы отличаемся, а решите вы сами.",
        "Смотрите, я не прошу решать прямо сейчас.",
        "Хороший вопрос, его почти все задают.",
        "Если не подойдёт, вы ничего не теряете, это честно.",
        "Многие сначала так и говорят, это нормально.",
        "А что именно смущает больше всего?",
        "Понимаю, деньги считать надо.",
        "Смотрите, мы же не просим менять всё сразу.",
    ),
    "price": (
        "Цена зависит от объёма, но порядок такой.",
        "Никаких скрытых платежей нет, всё прописано в договоре.",
        "Первый месяц можем сделать со скидкой.",
        "Оплата раз в месяц, по безналу.",
        "Для вашего объёма это очень разумные деньги.",
        "Могу расписать по позициям, чтобы было понятно, за что платите.",
        "Если брать на год, выходит заметно дешевле.",
        "Цена фиксируется в договоре на год.",
        "НДС уже включён.",
    ),
    "close": (
        "Тогда я всё отправлю сегодня же.",
        "Я всё записываю, так что всё будет учтено.",
        "Если появятся вопросы, звоните напрямую мне.",
        "Мой номер у вас определился, это прямой.",
        "Хорошо, тогда жду от вас подтверждения.",
        "Документы подготовлю сегодня.",
        "Отлично, тогда двигаемся дальше.",
        "Я ещё раз всё повторю, чтобы мы друг друга правильно поняли.",
        "Если что-то поменяется, просто наберите меня.",
    ),
}
# Domain extras: a security company and an office-supplies company, the two kinds of
# Russian telemarketing the shipped cards describe.
_RU_DOMAIN_TALK: dict[str, dict[str, tuple[str, ...]]] = {
    "security": {
        "diagnosis": (
            "А объект у вас один или несколько?",
            "Сигнализация у вас стоит какая-нибудь или только сторож?",
            "Ночью там кто-нибудь остаётся?",
            "А режим работы у вас какой, до скольки открыты?",
            "Окна на первом этаже есть? Решётки стоят?",
            "А камеры у вас стоят?",
            "Ключи от помещения у кого хранятся?",
        ),
        "presentation": (
            "Датчики ставим на все окна и двери, плюс тревожная кнопка.",
            "Если датчик сработал, дежурный сразу видит это у себя.",
            "Экипаж выезжает сразу, без лишних звонков.",
            "Оборудование ставим своё, покупать его вам не придётся, это входит в договор.",
            "Каждый месяц присылаем отчёт, когда ставили на охрану и когда снимали.",
            "Ложные срабатывания сначала проверяем звонком вам.",
            "Монтаж делаем за один день, всё оборудование сертифицировано.",
        ),
    },
    "supplies": {
        "diagnosis": (
            "Бумагу и картриджи вы где сейчас берёте?",
            "Сколько у вас человек в офисе примерно?",
            "Заказываете сами или через бухгалтерию?",
            "А воду и хозтовары тоже берёте или только канцелярию?",
            "Закрывающие документы вам вовремя приходят?",
            "Доставку в какие дни вам лучше привозить?",
        ),
        "presentation": (
            "На складе у нас больше пяти тысяч позиций, от бумаги до бытовой химии.",
            "Заказ можно сделать по почте, по телефону или в личном кабинете.",
            "Закрывающие документы приходят вместе с товаром.",
            "Если что-то не подошло, забираем обратно без вопросов.",
            "Картриджи есть и оригинальные, и совместимые, подешевле.",
            "Мебель и технику тоже можем привезти, не только канцелярию.",
        ),
    },
}
_RU_REPLIES: dict[str, tuple[str, ...]] = {
    "contact": (
        "Да, слушаю.", "По какому вопросу?", "Ну, говорите, только быстро.",
        "А вы кто вообще?", "Откуда у вас этот номер?", "Ну допустим.", "Слышу, говорите.",
        "Сейчас, секунду.", "Директора нет, я за него.",
    ),
    "diagnosis": ("Угу.", "Ну да.", "Да, примерно так.", "Так и есть.", "Ну, в целом да."),
    "presentation": (
        "Интересно.", "Ну, это все так говорят.", "А чем вы лучше других?", "Угу.",
        "Так, и что дальше?", "А гарантии какие?", "Понятно, продолжайте.",
        "Хм, звучит неплохо.",
    ),
    "objections": (
        "Ну, может быть.", "Хм, ладно, допустим.", "Всё равно дорого.", "Ну не знаю.",
        "Ладно, рассказывайте дальше.", "А если не понравится?", "Посмотрим.",
    ),
    "price": (
        "А сколько это будет стоить?", "А если дешевле?", "Ну, в принципе, нормально.",
        "А скидки есть?", "Это с НДС?", "Дороговато.", "А оплата как?",
    ),
    "close": (
        "Хорошо, договорились.", "Да, присылайте.", "Ладно, давайте так.", "Хорошо, спасибо.",
        "Запишите лучше мобильный.", "Да, всё верно.",
    ),
}
_RU_ANSWERS: dict[str, tuple[str, ...]] = {
    "contact": (
        "Да, удобно.", "Ну, пару минут есть.", "Это я, говорите.", "Да, я.",
        "Этим директор занимается, но можете мне сказать.", "Неудобно, но давайте быстро.",
    ),
    "diagnosis": (
        "Ну, по-разному бывает.", "Человек двадцать у нас.",
        "Решает директор, но готовлю всё я.", "Да вроде всё работает, но хотелось бы дешевле.",
        "Сложно сказать, надо посмотреть.", "Года три уже тут сидим.",
    ),
    "close": ("Да, удобно.", "Давайте в четверг.", "Лучше после обеда.", "Да, адрес тот же."),
}
_RU_DOMAIN_ANSWERS: dict[str, tuple[str, ...]] = {
    "security": (
        "Ну, у нас склад, метров триста.", "Сторож ночью сидит, и всё.",
        "Сигнализация есть, но старая, никто на неё не реагирует.",
        "Офис на первом этаже, окна без решёток.",
        "Нас охраняет другой ЧОП, но едут они долго.",
        "В прошлом году к соседям залезли, вот думаем.",
        "Камеры есть, но запись никто не смотрит.", "Работаем до восьми, потом никого нет.",
    ),
    "supplies": (
        "Ну, бумаги пачек двадцать в месяц, картриджи по мере надобности.",
        "Берём у одной фирмы, уже года три.", "Заказывает офис-менеджер, раз в две недели.",
        "Нас в офисе человек тридцать.", "Доставка бывает с опозданием, это раздражает.",
        "Цены у них нормальные, в целом всё устраивает.",
        "Документы вечно теряются, бухгалтерия ругается.",
    ),
}
_RU_OBJECTIONS = (
    "Это дорого.", "Дорого, честно говоря.", "Пришлите на почту, я посмотрю.",
    "Нам сейчас не до этого.", "Мне надо посоветоваться с директором.",
    "Давайте я подумаю и сам перезвоню.", "Да нас всё устраивает, спасибо.",
)
_RU_DOMAIN_OBJECTIONS: dict[str, tuple[str, ...]] = {
    "security": ("У нас уже есть охрана.", "У нас уже есть охрана, нас всё устраивает.",
                 "Сторож у нас есть, зачем нам ещё."),
    "supplies": ("У нас уже есть поставщик.", "Мы давно работаем с другой фирмой.",
                 "У других дешевле."),
}
_RU_HANGUP = (
    "Нам это не интересно, до свидания.", "Извините, мне некогда.",
    "Не звоните сюда больше.", "Мы ничего по телефону не покупаем.",
    "Директора нет, перезвоните потом.", "Нет, спасибо, не надо.",
)
_RU_SORRY = ("Хорошо, извините за беспокойство.", "Хорошо, хорошего дня.")
_RU_BYE = ("До свидания.", "Всего доброго.", "Спасибо, до свидания.")
_RU_ECHO_FRAMES = (
    "{P} — это как?", "Подождите, {p}, вы сказали?", "А {p} — это точно?",
    "Ну, {p}, это все обещают.",
)
_RU_CLIENT_TRAPS = (
    "Меня зовут {client}, я тут директор.", "Ну выставьте нам счёт, посмотрим.",
    "А стоимость составит сколько в итоге?", "Добрый день, меня зовут {client}, слушаю.",
)
# Trigger endings that leave a sentence hanging («меня зовут …», «абонентская плата от …»):
# what a real operator says next. Keyed by the last two words, then by the last word.
_RU_COMPLETIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("меня", "зовут"): ("{name},", "{name}, компания «{company}»,"),
    ("компания",): ("«{company}»",),
    ("от",): ("{price} рублей",),
    ("составит",): ("{price} рублей в месяц", "примерно {price} рублей"),
    ("в",): ("{hour}",),
    ("течение",): ("{minutes} минут",),
    ("более",): ("{count} объектов", "{count} компаний"),
    ("до",): ("пятницы", "конца недели"),
    ("у", "нас"): ("многое изменилось",),
    ("нас", "есть"): ("своя доставка", "личный кабинет"),
}

_EN_PICKUP = ("Hello?", "Yes, speaking.", "Hi, who's this?", "Hello, this is {client}.")
_EN_PLAIN_OPENER = ("Hi there.", "Hello, it's {name}.", "Hi, quick question for you.")
_EN_OPENING_FRAMES = ("{P}", "Hi, {p}", "Hello! {P}")
_EN_CLOSING_FRAMES = ("{P}.", "Great, {p}.", "Okay, {p}!", "Alright then, {p}.")
_EN_STATEMENT_FRAMES = (
    "So, {p}.", "Look, {p}.", "Honestly, {p}.", "{P}, in short.", "Right, {p}.", "Great. {P}.",
    "{P}.",
)
_EN_QUESTION_FRAMES = ("{P}?", "So {p}?", "And {p}?", "Quick question: {p}?", "Okay, {p}?")
_EN_EXACT_FRAMES = ("This is {p}.", "We are {p}.")
_EN_NEGATION_BEFORE = ("Not {p}, that is for later.", "No, not {p} yet.")
_EN_FILLERS = ("um", "uh", "like")
_EN_LEADS = ("So,", "Actually,", "You know,", "Honestly,", "Also,", "And")
_EN_BACKCHANNEL = ("Mm-hm.", "Yeah.", "Okay.", "Right.")
_EN_TALK: dict[str, tuple[str, ...]] = {
    "contact": (
        "I'll keep it short, I promise.", "We work with a lot of teams in your area.",
        "This isn't a sales pitch, I just have two quick questions.",
        "We haven't spoken before, so just a quick intro.",
        "Did I catch you at a bad moment? I can be quick.",
        "We've been helping teams in your industry for a few years now.",
    ),
    "diagnosis": (
        "Just so I don't waste your time, can I ask a couple of questions?",
        "How big is the team right now?", "Who else is involved when you pick a tool like this?",
        "And is that done by hand or in a spreadsheet?", "Got it, I'm writing that down.",
        "What does a normal week look like for your team?",
        "Is this something you've tried to fix before?", "And who would use it day to day?",
    ),
    "presentation": (
        "It plugs into the tools you already use.", "Setup usually takes less than a week.",
        "You get a named person for support, not a ticket queue.",
        "Most teams see the difference in the first month.",
        "There is no long contract, you can cancel any time.",
        "Everything is set up for you, nobody has to learn a new system.",
        "We can start with one team and grow from there.",
        "Reports land in your inbox every Monday.",
    ),
    "objections": (
        "That is a fair point, let me explain.", "No pressure at all, it is your call.",
        "Most people say the same before they see it.",
        "Totally get it, most people feel that way at first.",
        "What would make it worth it for you?",
    ),
    "price": (
        "Pricing depends on the team size.", "There are no setup fees.",
        "We can do a discount for an annual plan.",
        "Most teams your size end up on the middle plan.", "You only pay for active users.",
    ),
    "close": (
        "I'll send everything over today.", "If anything comes up, call me directly.",
        "I have your email, it's the one on the website, right?",
        "Great, I'll put it in the calendar.", "I'll follow up with a short summary.",
    ),
}
_EN_REPLIES: dict[str, tuple[str, ...]] = {
    "contact": ("Okay, go ahead.", "What is this about?", "Sure, make it quick.",
                "Who gave you this number?", "Yeah, that's me."),
    "diagnosis": ("Right.", "Yeah, pretty much.", "Mm-hm.", "That's about it."),
    "presentation": ("Interesting.", "Everyone says that.", "Okay, and how is that different?",
                     "Hm, go on.", "Sounds good on paper."),
    "objections": ("Maybe.", "Okay, I'm listening.", "Still sounds pricey.", "I don't know."),
    "price": ("How much are we talking?", "That's more than we pay now.",
              "Okay, that's reasonable.", "Is there a discount?"),
    "close": ("Sounds good.", "Okay, let's do that.", "Sure, send it over.", "Alright, thanks."),
}
_EN_ANSWERS: dict[str, tuple[str, ...]] = {
    "contact": ("Yeah, I've got a couple of minutes.", "Sure, go ahead.",
                "Not really, but go on."),
    "diagnosis": ("We have about forty people.", "Mostly spreadsheets, honestly.",
                  "It takes my team a few hours every week.",
                  "We use an old system, it works, mostly.",
                  "My manager signs off on anything like that."),
    "close": ("Tuesday works.", "Afternoon is better.", "Yes, that's the right email."),
}
_EN_OBJECTIONS = ("That sounds expensive.", "We already have a vendor.",
                  "Just email me something.", "Now is not a good time.",
                  "I need to talk to my boss first.")
_EN_HANGUP = ("Not interested, thanks, bye.", "Sorry, I'm busy.", "Please take us off your list.")
_EN_SORRY = ("Okay, sorry to bother you.", "No problem, have a good day.")
_EN_BYE = ("Bye.", "Thanks, bye.", "Take care.")
_EN_ECHO_FRAMES = ("{P}, you said?", "Wait, {p}? What does that mean?", "So {p}, is that right?")
_EN_CLIENT_TRAPS = ("My name is {client}, I run the office.",
                    "Just send me a calendar invite then.")
_EN_COMPLETIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("is",): ("{name},", "{name} from {company},"),
    ("from",): ("{company}",),
    ("start", "at"): ("${usd} a month",),
    ("at",): ("{hour_en}",),
    ("tuesday", "at"): ("{hour_en}, does that work",),
    ("handle",): ("that today", "scheduling today"),
    ("team",): ("hours every week",),
    ("customers",): ("felt the same at first",),
}

# Values for the slots above; one value per call, so a call quotes one price throughout.
_SLOT_VALUES: dict[str, tuple[str, ...]] = {
    "price": ("1 500", "1 900", "2 400", "3 200", "4 800", "15 000"),
    "count": ("300", "500", "1 200"),
    "minutes": ("7", "10", "12", "15"),
    "hour": ("10", "11", "12", "3 часа", "10 утра"),
    "usd": ("29", "49", "99"),
    "hour_en": ("10 am", "11", "2 pm", "3 pm"),
}

# Speech-to-text habits: endings misheard in unstressed syllables, whole-word slips.
_RU_ENDING_SLIPS = (("ет", "ит"), ("ем", "им"), ("ый", "ой"), ("ая", "ое"), ("ие", "ии"),
                    ("ся", "сь"), ("ого", "ова"), ("ать", "ат"))
_RU_WORD_SLIPS = {"здравствуйте": "здрасьте", "сейчас": "щас", "тысяч": "тыщ",
                  "пожалуйста": "пожалуста", "счёт": "чёт", "счет": "чет"}
_EN_ENDING_SLIPS = (("ing", "in"), ("ed", "t"), ("s", ""))
_EN_WORD_SLIPS = {"going": "gonna", "want": "wanna", "because": "cause", "okay": "ok"}

#: Short words a detector treats as optional: never a trigger's key word, may be dropped.
_SHORT = frozenset({
    "а", "в", "во", "и", "к", "ко", "на", "о", "об", "от", "по", "с", "со", "у", "за", "из",
    "до", "вам", "вас", "вы", "мы", "нам", "нас", "я", "мне", "меня", "ваш", "ваша", "ваше",
    "ваши", "наш", "наша", "наше", "наши", "это", "ли", "же", "бы", "то", "что", "как", "так",
    "для", "при", "не", "the", "a", "an", "to", "of", "you", "your", "we", "our", "i", "me",
    "my", "is", "are", "for", "in", "on", "at", "it", "with", "from",
})
#: Words a detector skips as hesitation («как бы», «like»), so they are no trigger's key word.
_FILLER_WORDS = frozenset({"ну", "вот", "как", "бы", "э-э", "э", "типа", "um", "uh", "like",
                           "know"})
_RU_QUESTION_START = frozenset({"как", "кто", "что", "какой", "какая", "какое", "какие", "где",
                                "когда", "сколько", "почему", "зачем", "куда", "чем", "есть",
                                "были", "был", "была", "было", "удобно", "а", "подскажите",
                                "скажите"})
_RU_QUESTION_ANYWHERE = frozenset({"какой", "какая", "какое", "какие", "ли", "сколько"})
_EN_QUESTION_START = frozenset({"how", "what", "who", "when", "where", "which", "why", "do",
                                "does", "did", "is", "are", "can", "could", "would", "will",
                                "have", "has"})
_ASKING_VERBS = ("уточнил", "спросил", "выяснил", "узнал", "asked", "checked")
_PUNCT = ".,!?;:«»\"()—–…"

# How a done item's trigger is varied, with the share of calls that get each change.
_VARIANT_WEIGHTS = (("verbatim", 0.30), ("inflect", 0.20), ("filler", 0.20), ("drop", 0.12),
                    ("swap", 0.18))
#: A variant must stay at least this close to the trigger (see _likeness, 0–100).
_MIN_LIKENESS = 80.0
#: Words that turn a phrase into its opposite: never dropped, never merged by noise.
_NEGATIONS = frozenset({"не", "нет", "ни", "not", "no"})

# Where small talk goes: these stages carry most of a real call.
_STAGE_SHARE = {"contact": 0.08, "diagnosis": 0.24, "presentation": 0.30, "objections": 0.16,
                "price": 0.10, "close": 0.12}
_OTHER_SHARE = 0.15
#: Words an item's exchange takes on average, reserved before small talk is spread.
_WORDS_PER_ITEM = 14


@dataclass(frozen=True, slots=True)
class _Lang:
    """Everything language-specific, so the dialogue code is the same for every language."""

    code: str
    pickup: tuple[str, ...]
    plain_opener: tuple[str, ...]
    opening_frames: tuple[str, ...]
    closing_frames: tuple[str, ...]
    statement_frames: tuple[str, ...]
    question_frames: tuple[str, ...]
    exact_frames: tuple[str, ...]
    negation_before: tuple[str, ...]
    negation_after: tuple[str, ...]
    fillers: tuple[str, ...]
    leads: tuple[str, ...]
    backchannel: tuple[str, ...]
    talk: dict[str, tuple[str, ...]]
    domain_talk: dict[str, dict[str, tuple[str, ...]]]
    replies: dict[str, tuple[str, ...]]
    answers: dict[str, tuple[str, ...]]
    domain_answers: dict[str, tuple[str, ...]]
    objections: tuple[str, ...]
    domain_objections: dict[str, tuple[str, ...]]
    hangup: tuple[str, ...]
    sorry: tuple[str, ...]
    bye: tuple[str, ...]
    echo_frames: tuple[str, ...]
    client_traps: tuple[str, ...]
    completions: dict[tuple[str, ...], tuple[str, ...]]
    ending_slips: tuple[tuple[str, str], ...]
    word_slips: dict[str, str]
    question_start: frozenset[str]
    question_anywhere: frozenset[str]


_RU = _Lang(
    code="ru", pickup=_RU_PICKUP, plain_opener=_RU_PLAIN_OPENER,
    opening_frames=_RU_OPENING_FRAMES, closing_frames=_RU_CLOSING_FRAMES,
    statement_frames=_RU_STATEMENT_FRAMES,
    question_frames=_RU_QUESTION_FRAMES, exact_frames=_RU_EXACT_FRAMES,
    negation_before=_RU_NEGATION_BEFORE, negation_after=_RU_NEGATION_AFTER,
    fillers=_RU_FILLERS, leads=_RU_LEADS, backchannel=_RU_BACKCHANNEL, talk=_RU_TALK,
    domain_talk=_RU_DOMAIN_TALK, replies=_RU_REPLIES,
    answers=_RU_ANSWERS, domain_answers=_RU_DOMAIN_ANSWERS, objections=_RU_OBJECTIONS,
    domain_objections=_RU_DOMAIN_OBJECTIONS, hangup=_RU_HANGUP, sorry=_RU_SORRY, bye=_RU_BYE,
    echo_frames=_RU_ECHO_FRAMES, client_traps=_RU_CLIENT_TRAPS, completions=_RU_COMPLETIONS,
    ending_slips=_RU_ENDING_SLIPS, word_slips=_RU_WORD_SLIPS,
    question_start=_RU_QUESTION_START, question_anywhere=_RU_QUESTION_ANYWHERE,
)
_EN = _Lang(
    code="en", pickup=_EN_PICKUP, plain_opener=_EN_PLAIN_OPENER,
    opening_frames=_EN_OPENING_FRAMES, closing_frames=_EN_CLOSING_FRAMES,
    statement_frames=_EN_STATEMENT_FRAMES,
    question_frames=_EN_QUESTION_FRAMES, exact_frames=_EN_EXACT_FRAMES,
    negation_before=_EN_NEGATION_BEFORE, negation_after=(), fillers=_EN_FILLERS,
    leads=_EN_LEADS, backchannel=_EN_BACKCHANNEL,
    talk=_EN_TALK, domain_talk={}, replies=_EN_REPLIES, answers=_EN_ANSWERS, domain_answers={},
    objections=_EN_OBJECTIONS, domain_objections={}, hangup=_EN_HANGUP, sorry=_EN_SORRY,
    bye=_EN_BYE, echo_frames=_EN_ECHO_FRAMES, client_traps=_EN_CLIENT_TRAPS,
    completions=_EN_COMPLETIONS, ending_slips=_EN_ENDING_SLIPS, word_slips=_EN_WORD_SLIPS,
    question_start=_EN_QUESTION_START, question_anywhere=frozenset(),
)


# -- the per-card plan ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Piece:
    """A ready-made sentence and which trigger word stems it contains (see _Resemblance)."""

    words: Words
    stems: int
    slotted: bool
    question: bool


@dataclass(frozen=True, slots=True)
class _Frame:
    """A sentence with a hole for a phrase: ``Скажите, {p}?``."""

    before: Words
    after: Words
    mark: str
    """Punctuation glued to the phrase's last word (``?``, ``,`` or nothing)."""
    capital: bool
    stems: int


@dataclass(frozen=True, slots=True)
class _Trigger:
    words: Words
    stems: int
    exact: bool
    question: bool
    variants: dict[str, tuple[Words, ...]]
    negatable: tuple[Words, ...]
    """Spoken forms that are not the trigger verbatim, for «не …» near misses."""
    negations: tuple[_Frame, ...]
    """Sentences that say the phrase and deny it; none for questions."""
    completions: tuple[_Piece, ...]
    frames: tuple[_Frame, ...]
    near: tuple[_Piece, ...]
    """Ready-made sentences sharing a word with the trigger but not its key word."""


@dataclass(frozen=True, slots=True)
class _Plan:
    lang: _Lang
    talk: dict[str, tuple[_Piece, ...]]
    replies: dict[str, tuple[_Piece, ...]]
    answers: dict[str, tuple[_Piece, ...]]
    objections: tuple[_Piece, ...]
    openers: tuple[_Piece, ...]
    opening_frames: tuple[_Frame, ...]
    closing_frames: tuple[_Frame, ...]
    echo_frames: tuple[_Frame, ...]
    leads: tuple[_Piece, ...]
    backchannel: tuple[_Piece, ...]
    client_traps: tuple[_Piece, ...]
    pickup: tuple[_Piece, ...]
    hangup: tuple[_Piece, ...]
    sorry: tuple[_Piece, ...]
    bye: tuple[_Piece, ...]
    triggers: dict[Key, tuple[_Trigger, ...]]
    masks: tuple[tuple[Key, int], ...]
    """Per trigger of the card: its item and the stems that must all be present."""


_PLANS: dict[tuple[int, str], tuple[QualityCard, _Plan]] = {}
_PLAN_CACHE_SIZE = 32


def _plan_for(card: QualityCard, company: str) -> _Plan:
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


def _norm(word: str) -> str:
    return word.strip(_PUNCT).lower().replace("ё", "е")


def _content(words: Sequence[str]) -> list[str]:
    kept = [w for w in words if w not in _SHORT and w not in _FILLER_WORDS]
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
                for trigger in item.triggers:
                    words = [w for w in (_norm(w) for w in trigger.text.split()) if w]
                    mask = 0
                    for stem in {_stem(w) for w in _content(words)}:
                        mask |= 1 << bits.setdefault(stem, len(bits))
                    masks.append(((stage.id, item.id), mask))
        self.stems = tuple(bits)
        self.masks = tuple(masks)

    def mask(self, words: Sequence[str]) -> int:
        text = " ".join(_norm(w) for w in words)
        found = 0
        for bit, stem in enumerate(self.stems):
            if stem in text:
                found |= 1 << bit
        return found

    def items(self, mask: int) -> set[Key]:
        """The items whose triggers a text with these stems could be taken for."""
        return {key for key, need in self.masks if mask & need == need}


def _stem(word: str) -> str:
    """The part of a word its other forms share: 4 letters, up to 6 for long words.

    «перезвоню» must not be mistaken for «перестали», but «заказываете» is «заказывали».
    """
    return word[:max(4, min(6, len(word) - 3))]


def _build_plan(card: QualityCard, company: str) -> _Plan:
    lang = _EN if card.language == "en" else _RU
    domain = _domain(card)
    resemble = _Resemblance(card)

    def piece(text: str) -> _Piece:
        words = tuple(text.split())
        slotted = "{" in text
        checked = text.replace("{company}", company) if slotted else text
        return _Piece(words, resemble.mask(checked.split()), slotted, text.rstrip().endswith("?"))

    def client(text: str) -> _Piece:
        return _Piece(tuple(text.split()), 0, "{" in text, text.endswith("?"))

    def frame(text: str) -> _Frame:
        return _frame(text, resemble)

    talk: dict[str, tuple[_Piece, ...]] = {}
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

    triggers: dict[Key, tuple[_Trigger, ...]] = {}
    for stage in card.stages:
        for item in stage.items:
            if not item.triggers:
                continue
            key = (stage.id, item.id)
            asking = item.text.lower().startswith(_ASKING_VERBS)
            triggers[key] = tuple(
                _plan_trigger(t.text, t.exact, key, asking, lang, resemble, every_talk, company)
                for t in item.triggers)

    return _Plan(
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


def _frame(text: str, resemble: _Resemblance | None) -> _Frame:
    """Parse «Скажите, {p}?»; ``{P}`` marks a phrase that starts the sentence."""
    capital = "{P}" in text
    head, _, tail = text.replace("{P}", "{p}").partition("{p}")
    mark = "" if tail.strip() else "."
    if tail and tail[0] in ",.?!":
        mark, tail = tail[0], tail[1:]
    before, after = tuple(head.split()), tuple(tail.split())
    stems = resemble.mask(before + after) if resemble else 0
    return _Frame(before, after, mark, capital, stems)


def _plan_trigger(
    text: str,
    exact: bool,
    key: Key,
    asking: bool,
    lang: _Lang,
    resemble: _Resemblance,
    every_talk: Sequence[_Piece],
    company: str,
) -> _Trigger:
    """Everything a call needs to say (or deny, or nearly say) one trigger."""
    def piece(text: str) -> _Piece:
        return _Piece(tuple(text.split()), resemble.mask(text.split()), "{" in text, False)

    def frame(text: str) -> _Frame:
        return _frame(text, resemble)

    written = tuple(text.split())
    words = tuple(_norm(w) or w for w in written)
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
                       if not stems & {_norm(w)[:4] for w in f.before + f.after if _norm(w)})
    verbatim = " ".join(words)
    negatable = tuple(v for kind in ("filler", "inflect", "drop") for v in variants.get(kind, ())
                      if verbatim not in " ".join(v))
    negations: tuple[_Frame, ...] = ()
    if question or exact or len(words) < 3:
        pass  # «не кто у вас отвечает…» is not something anyone says
    elif lang.code == "en":
        first = words[0]
        if not (first in _SHORT or first in _FROZEN or first.endswith("s")):
            negations = tuple(frame(t) for t in lang.negation_before)
    elif _ru_verb_first(words):
        negations = tuple(frame(t) for t in lang.negation_before)
    elif _ru_noun_first(words):
        negations = tuple(frame(t) for t in lang.negation_after)
    completions: tuple[_Piece, ...] = ()
    for tail in (words[-2:], words[-1:]):
        if tail in lang.completions:
            completions = tuple(piece(t) for t in lang.completions[tail])
            break
    content = _content(words)
    anchor = max(content, key=len)
    others = {w[:4] for w in content if w != anchor and len(w) > 3}
    near = tuple(p for p in every_talk if key not in resemble.items(p.stems) and others
                 and others & {_norm(w)[:4] for w in p.words}
                 and not any(anchor[:4] in _norm(w) for w in p.words))
    return _Trigger(words, resemble.mask(words), exact, question, variants, negatable, negations,
                    completions, frames, near)


def _is_question(words: Words, asking: bool, lang: _Lang) -> bool:
    if words[0] in lang.question_start or lang.question_anywhere.intersection(words):
        return True
    return asking and len(words) > 1


@functools.cache
def _variants(words: Words, code: str) -> dict[str, tuple[Words, ...]]:
    """Every way a person might say the phrase that a listener still hears as the phrase.

    Cached for the process: the same trigger on another card or company costs nothing.
    """
    lang = _EN if code == "en" else _RU
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
        if words[i] in _CLITICS or words[i - 1] in _NEGATIONS:  # never «были ну ли», «не ну»
            continue
        for filler in lang.fillers:
            keep("filler", [*words[:i], filler, *words[i:]])
    if len(words) >= 3:
        for i, w in enumerate(words):
            # Never orphan a preposition («кто у отвечает»); English only loses articles.
            droppable = w in _ARTICLES if lang.code == "en" else w in _SHORT
            # The last word stays: «удобно завтра (в)» is where the sentence goes on.
            if (droppable and 0 < i < len(words) - 1 and words[i - 1] not in _GLUE
                    and w not in _NEGATIONS):
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


def _may_swap(words: Words, i: int, lang: _Lang) -> bool:
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
    if word in _FROZEN or word in _SHORT or len(word) < 4:
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
    if first.endswith(("йте", "ите")) or first in _RU_QUESTION_START or first in _FROZEN:
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
    if (not verbs[0] and not has_verb and first not in _RU_QUESTION_START
            and _swap_suffix(first, _RU_ADJECTIVE_GENITIVE) is None):
        noun = _ru_noun_genitive(first)  # «насчёт доставки на следующий день»
        if noun:
            out.append([_RU_GOVERNOR, noun, *words[1:]])
    return out


def _en_inflections(words: Words) -> list[list[str]]:
    """Other forms of an English phrase: singular for plural, «booking» for «book»."""
    out: list[list[str]] = []
    for i, word in enumerate(words):
        if word in _FROZEN or word in _SHORT or len(word) < 4 or not word.isalpha():
            continue
        if word.endswith("ies"):
            out.append([*words[:i], word[:-3] + "y", *words[i + 1:]])
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
            out.append([*words[:i], word[:-1], *words[i + 1:]])
        elif i == 0 and not word.endswith("ing") and word not in _EN_QUESTION_START:
            stem = word[:-1] if word.endswith("e") else word
            out.append([stem + "ing", *words[1:]])
    return out


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
    plan = _plan_for(card, company)
    short = talk_seconds < SHORT_CALL_SECONDS
    stages = card.stages[:1] if short else card.stages
    included = {s.id for s in stages}
    keys = [key for key in plan.triggers if key[0] in included]
    done = {key for key in keys if said.get(key, False)}
    slots = {name: rng.choice(values) for name, values in _SLOT_VALUES.items()}
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

    def __init__(self, plan: _Plan, rng: random.Random, undone: frozenset[Key],
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
        self.last: _Piece | None = None

    # -- choosing ---------------------------------------------------------------------

    def allowed(self, piece: _Piece | _Frame | _Trigger, extra: int = 0) -> bool:
        """Whether saying ``piece`` next could not be taken for an item not done."""
        stems = piece.stems | extra | self.tail
        if not stems:
            return True
        known = self.verdicts.get(stems)
        if known is None:
            known = self.verdicts[stems] = not any(stems & need == need
                                                   for need in self.forbidden)
        return known

    def pick(self, pool: Sequence[_Piece]) -> _Piece | None:
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

    def choose_frame(self, frames: Sequence[_Frame], extra: int = 0) -> _Frame | None:
        safe = [f for f in frames if self.allowed(f, extra)]
        return self.rng.choice(safe) if safe else None

    def fill(self, piece: _Piece) -> list[str]:
        if not piece.slotted:
            return list(piece.words)
        return " ".join(piece.words).format_map(self.slots).split()

    def talk_pool(self, stage_key: str) -> tuple[_Piece, ...]:
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

    def operator(self, piece: _Piece | None) -> int:
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

    def client(self, piece: _Piece | None) -> int:
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
            denied_before = any(_norm(w) in _NEGATIONS for w in frame.before)
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
    for kind, weight in _VARIANT_WEIGHTS:
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


def _framed(frame: _Frame | None, phrase: list[str], tail: list[str],
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


_STRIP_MARKS = str.maketrans("", "", _PUNCT)


def _noisy(words: list[str], spans: list[int], editable: list[bool], rng: random.Random,
           noise: float, lang: _Lang) -> str:
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
        elif (len(text) <= 2 and text.isalpha() and text not in _NEGATIONS
              and index + 1 < len(tokens) and not ids[index + 1]):
            merged.append(index)  # «незнаю», «напочту»
        index += 1 + int(math.log(1.0 - rng.random()) / log_miss)
    for index in reversed(merged):
        tokens[index:index + 2] = [tokens[index] + tokens[index + 1]]
    return " ".join(tokens)


def _slip(word: str, rng: random.Random, lang: _Lang, *, small: bool) -> str:
    """One misheard word: a wrong unstressed ending or a lost last letter."""
    if not small and word in lang.word_slips:
        return lang.word_slips[word]
    stripped = word.rstrip(_PUNCT)
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

"""The demo's phrase pools: what operators and clients say, in Russian and in English.

Sentences are data; :mod:`.variants` plans how a card's triggers are said with them and
:mod:`.transcripts` writes whole calls. Everything language-specific sits in one
:class:`Lang`, so the dialogue code is the same for every language.
"""

from __future__ import annotations

from dataclasses import dataclass

Key = tuple[str, str]
Words = tuple[str, ...]


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
SLOT_VALUES: dict[str, tuple[str, ...]] = {
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
SHORT = frozenset({
    "а", "в", "во", "и", "к", "ко", "на", "о", "об", "от", "по", "с", "со", "у", "за", "из",
    "до", "вам", "вас", "вы", "мы", "нам", "нас", "я", "мне", "меня", "ваш", "ваша", "ваше",
    "ваши", "наш", "наша", "наше", "наши", "это", "ли", "же", "бы", "то", "что", "как", "так",
    "для", "при", "не", "the", "a", "an", "to", "of", "you", "your", "we", "our", "i", "me",
    "my", "is", "are", "for", "in", "on", "at", "it", "with", "from",
})
#: Words a detector skips as hesitation («как бы», «like»), so they are no trigger's key word.
FILLER_WORDS = frozenset({"ну", "вот", "как", "бы", "э-э", "э", "типа", "um", "uh", "like",
                           "know"})
RU_QUESTION_START = frozenset({"как", "кто", "что", "какой", "какая", "какое", "какие", "где",
                                "когда", "сколько", "почему", "зачем", "куда", "чем", "есть",
                                "были", "был", "была", "было", "удобно", "а", "подскажите",
                                "скажите"})
_RU_QUESTION_ANYWHERE = frozenset({"какой", "какая", "какое", "какие", "ли", "сколько"})
EN_QUESTION_START = frozenset({"how", "what", "who", "when", "where", "which", "why", "do",
                                "does", "did", "is", "are", "can", "could", "would", "will",
                                "have", "has"})
ASKING_VERBS = ("уточнил", "спросил", "выяснил", "узнал", "asked", "checked")
PUNCT = ".,!?;:«»\"()—–…"

@dataclass(frozen=True, slots=True)
class Lang:
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


RU = Lang(
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
    question_start=RU_QUESTION_START, question_anywhere=_RU_QUESTION_ANYWHERE,
)
EN = Lang(
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
    question_start=EN_QUESTION_START, question_anywhere=frozenset(),
)



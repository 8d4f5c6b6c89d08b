"""The demo call centre's people: teams, operators with their habits, and staff logins."""

from __future__ import annotations

import random
from dataclasses import dataclass

from scorecard.domain.cards import STANDARD_STAGES

SURNAMES_F = (
    "Иванова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Петрова", "Соколова",
    "Михайлова", "Новикова", "Фёдорова", "Морозова", "Волкова", "Алексеева", "Лебедева",
    "Семёнова", "Егорова", "Павлова", "Козлова",
)
SURNAMES_M = (
    "Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
    "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
)
NAMES_F = ("Анна", "Мария", "Елена", "Ольга", "Наталья", "Ирина", "Светлана", "Юлия",
           "Татьяна", "Екатерина", "Алина", "Дарья")
NAMES_M = ("Алексей", "Дмитрий", "Сергей", "Андрей", "Максим", "Иван", "Артём", "Николай",
           "Павел", "Роман")
CLIENT_NAMES = ("Виктор", "Игорь", "Олег", "Галина", "Людмила", "Владимир", "Евгений",
                "Марина", "Константин", "Лариса", "Юрий", "Вера")

_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
     "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"],
    strict=True,
))


def translit(text: str) -> str:
    """Latin login-safe spelling of a Russian name (Фёдорова → fedorova)."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())


@dataclass(frozen=True)
class TeamPlan:
    name: str
    card_id: str
    company: str
    inbound_share: float
    """Share of the team's calls that are inbound requests."""


TEAMS = (
    TeamPlan("Холодные продажи", "security-cold-call", "Щит-Мониторинг", 0.0),
    TeamPlan("Телемаркетинг", "telemarketing-invoice", "ОфисСнаб", 0.0),
    TeamPlan("Входящие и реактивация", "inbound-reactivation", "ОфисСнаб", 0.45),
)
OPERATORS_PER_TEAM = 8


@dataclass(frozen=True)
class OperatorPlan:
    """One demo operator: who they are and how they work."""

    name: str
    first_name: str
    login: str
    extension: str
    team: TeamPlan
    stage_skill: dict[str, float]
    """Probability that the operator does an item of each stage."""
    dials_per_day: int
    answer_rate: float
    long_call_bias: float
    """Above 1: more long conversations than the team; below 1: fewer."""
    dial_and_drop: bool
    """The "100 dials, 10 reached" pattern: dials and hangs up before anyone answers."""

    @property
    def weak_stages(self) -> list[str]:
        return [stage for stage, p in self.stage_skill.items() if p < 0.6]


def plan_operators(rng: random.Random) -> list[OperatorPlan]:
    """24 operators in 3 teams, each with strong and weak stages; two who dial and drop."""
    plans: list[OperatorPlan] = []
    used_logins: set[str] = set()
    droppers = {3, 14}
    for team_index, team in enumerate(TEAMS):
        for index in range(OPERATORS_PER_TEAM):
            number = team_index * OPERATORS_PER_TEAM + index
            female = rng.random() < 0.7
            surname = rng.choice(SURNAMES_F if female else SURNAMES_M)
            first = rng.choice(NAMES_F if female else NAMES_M)
            login = translit(f"{surname}.{first[0]}")
            while login in used_logins:
                login += "1"
            used_logins.add(login)
            base = rng.uniform(0.72, 0.95)
            skill = {stage: min(0.98, base + rng.uniform(-0.05, 0.05)) for stage in STANDARD_STAGES}
            for weak in rng.sample(STANDARD_STAGES[1:], k=rng.choice((1, 1, 2))):
                skill[weak] = rng.uniform(0.25, 0.55)
            dropper = number in droppers
            plans.append(
                OperatorPlan(
                    name=f"{surname} {first}",
                    first_name=first,
                    login=login,
                    extension=str(201 + number),
                    team=team,
                    stage_skill=skill,
                    dials_per_day=rng.randint(175, 210) if dropper else rng.randint(110, 160),
                    answer_rate=rng.uniform(0.08, 0.12) if dropper else rng.uniform(0.3, 0.45),
                    long_call_bias=0.3 if dropper else rng.uniform(0.6, 1.6),
                    dial_and_drop=dropper,
                )
            )
    return plans


STAFF = (
    ("qa", "Оксана Белова", "qa"),
    ("qa2", "Кирилл Орлов", "qa"),
    ("lead", "Марина Громова", "lead"),
    ("trainer", "Геннадий Зайцев", "trainer"),
    ("admin", "Администратор", "admin"),
)

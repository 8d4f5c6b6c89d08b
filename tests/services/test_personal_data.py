"""Personal data as the law expects: phone and card numbers said in a call are masked for
roles that may not see client numbers, and who opened which call is on record."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from scorecard.db.models import AuditEntry, User
from scorecard.ingest.transcripts import read_transcript
from scorecard.services.access import mask_spoken_numbers
from scorecard.services.grading import open_for_grading
from scorecard.services.transcripts import attach

SAID = ("Оператор: Добрый день, компания «Офис-Снаб», Анна. Цена 1 500 000 рублей.\n"
        "Клиент: Запишите мой номер 8 916 123-45-67 и карту 4276 1234 5678 9012.\n")


def test_numbers_said_are_masked_but_amounts_and_times_are_not() -> None:
    assert mask_spoken_numbers(SAID.splitlines()[1]) == (
        "Клиент: Запишите мой номер 8 *** ***-**-67 и карту 4*** **** **** **12.")
    for kept in ("Цена 1 500 000 рублей", "в 10:30", "заказ 12345", "165 € за упаковку"):
        assert mask_spoken_numbers(kept) == kept


def test_a_listener_reads_the_call_masked_and_the_opening_is_audited(graded_db, tmp_path: Path
                                                                     ) -> None:
    database, ids = graded_db
    path = tmp_path / "call.txt"
    path.write_text(SAID, encoding="utf-8")
    with database.session() as session:
        attach(session, ids["call1"], read_transcript(path))
    with database.session() as session:
        view = open_for_grading(session, assignment_id=ids["assignment1"], login="qa")
    client = " ".join(turn.text for turn in view.turns if turn.speaker == "client")
    assert "8 *** ***-**-67" in client and "916" not in client and "5678" not in client
    assert "1 500 000" in " ".join(turn.text for turn in view.turns)
    with database.session() as session:
        opened = session.exec(select(AuditEntry, User.login)
                              .join(User, User.id == AuditEntry.actor_id)
                              .where(AuditEntry.action == "call.open")).all()
    assert [(entry.entity_id, login) for entry, login in opened] == [(ids["call1"], "qa")]

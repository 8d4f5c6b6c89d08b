"""Draft answers that survive anything: a local journal and a background saver.

Each answer a listener gives goes first to a small journal file in the user data folder (one
per evaluation), then to the database on a background thread, in the order
given. When the database write succeeds the journal is emptied; when it fails (the
connection dropped, the server restarted) the journal keeps the answers and the saver tries
again later. Opening the evaluation again replays whatever the journal still holds, so
quitting, a crash or a lost connection never costs a keystroke.

A journal is named by the database's own random id (:class:`Installation`), the login and
the evaluation (its number, call and start): answers kept for one database never replay into
another one's evaluation of the same number, nor into a rebuilt database at the same URL,
nor into another listener's or another call's evaluation after a restore.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlmodel import Session, select

from scorecard.db.models import Installation
from scorecard.domain.scoring import Answer
from scorecard.services.grading import KEEP, AnswerChange


def drafts_folder() -> Path:
    from scorecard.config import data_dir

    return data_dir() / "drafts"


def database_id(session: Session) -> str:
    """The database's own random id, made when its schema was."""
    return session.exec(select(Installation.id)).one()


@dataclass(frozen=True)
class DraftKey:
    """Which evaluation of which database, graded by whom, a journal belongs to."""

    database: str
    login: str
    evaluation_id: int
    call_id: int
    started_at: datetime

    def file(self) -> Path:
        # quote(): a login may hold "/" or be ".."; the folder must stay one level deep.
        return (Path(self.database) / f"user-{quote(self.login, safe='')}"
                / f"evaluation-{self.evaluation_id}-call-{self.call_id}-"
                  f"{self.started_at:%Y%m%dT%H%M%S%f}.jsonl")


class DraftJournal:
    """Answers of one evaluation that the database may not have yet, as JSON lines."""

    def __init__(self, key: DraftKey, folder: Path | None = None) -> None:
        self.path = (folder or drafts_folder()) / key.file()

    def append(self, changes: list[AnswerChange]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as journal:
            for change in changes:
                journal.write(json.dumps(_as_json(change), ensure_ascii=False) + "\n")
            journal.flush()
            os.fsync(journal.fileno())

    def pending(self) -> list[AnswerChange]:
        """What the journal holds, oldest first; a torn last line (a crash mid-write) is
        skipped."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        changes = []
        for line in lines:
            try:
                changes.append(_from_json(json.loads(line)))
            except (ValueError, KeyError, TypeError):
                continue
        return changes

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _as_json(change: AnswerChange) -> dict[str, object]:
    answer = change.answer.value if isinstance(change.answer, Answer) else change.answer
    return {"stage": change.stage_id, "item": change.item_id, "answer": answer,
            "comment": change.comment}


def _from_json(data: dict[str, object]) -> AnswerChange:
    raw = data["answer"]
    answer = KEEP if raw == KEEP else (None if raw is None else Answer(str(raw)))
    comment = data.get("comment")
    return AnswerChange(str(data["stage"]), str(data["item"]), answer,
                        None if comment is None else str(comment))


@dataclass(frozen=True)
class SaveOutcome:
    """What the saver reports after each attempt."""

    saved: bool
    pending: int
    """Changes still only in the journal."""
    error: Exception | None = None


SaveFunction = Callable[[list[AnswerChange], int | None], None]
"""Writes changes (and the seconds spent) to the database in one unit of work."""


class DraftSaver:
    """Saves changes in order on one background thread; never blocks the caller."""

    def __init__(
        self, journal: DraftJournal, save: SaveFunction,
        report: Callable[[SaveOutcome], None] | None = None,
    ) -> None:
        self.journal = journal
        self._save = save
        self._report = report or (lambda outcome: None)
        self._queue: queue.Queue[tuple[list[AnswerChange], int | None] | None] = queue.Queue()
        self._unsaved: list[AnswerChange] = journal.pending()
        self._seconds: int | None = None
        self._thread = threading.Thread(target=self._run, name="draft-saver", daemon=True)
        self._thread.start()

    def report_to(self, report: Callable[[SaveOutcome], None]) -> None:
        """Send outcomes to ``report`` from now on (the screen that shows the draft)."""
        self._report = report

    @property
    def pending(self) -> int:
        return len(self._unsaved)

    def put(self, changes: list[AnswerChange], seconds_spent: int | None = None) -> None:
        self._queue.put((changes, seconds_spent))

    def retry(self) -> None:
        """Try the database again with what the journal holds."""
        self._queue.put(([], None))

    def flush(self) -> SaveOutcome:
        """Wait until everything put so far was tried; report the last outcome."""
        self._queue.join()
        return SaveOutcome(not self._unsaved, len(self._unsaved))

    def close(self, timeout: float = 10.0) -> None:
        """Stop after the work put so far; wait up to ``timeout`` seconds for it."""
        self._queue.put(None)
        if timeout > 0:
            self._thread.join(timeout=timeout)

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                changes, seconds = job
                if changes:
                    self.journal.append(changes)
                    self._unsaved.extend(changes)
                if seconds is not None:
                    self._seconds = seconds
                if not self._unsaved and seconds is None:
                    continue
                try:
                    self._save(list(self._unsaved), self._seconds)
                except Exception as exc:  # any failure: the journal keeps the answers
                    self._report(SaveOutcome(False, len(self._unsaved), exc))
                    continue
                self._unsaved.clear()
                self.journal.clear()
                self._report(SaveOutcome(True, 0))
            finally:
                self._queue.task_done()

"""Benchmark: the grading app as a listener feels it, in a real pseudo-terminal.

Run:  .venv/bin/python tests/benchmarks/bench_tui.py [--baseline REV] [--runs N]

Goals (the listener's app):
* from launching ``scorecard --user qa`` to the queue painted with its calls: ≤ 1.0 s;
* from Enter on a call with a 3,000-word transcript to its grading screen painted: ≤ 200 ms;
* from Ctrl+Q on the grading screen to the process gone: ≤ 0.5 s;
* (a lead's app) from Enter on an audit entry to the graded 3,000-word call painted
  read-only: ≤ 200 ms.

Every figure is measured from outside, as a person waits: the command runs in a
pseudo-terminal of 120×40, the benchmark types into it and watches what it draws. The same
figures are measured for the baseline commit (default: the previous one) in the same run,
alternating runs of the two, so a noisy machine shifts both alike. Each tree builds its own
demo database with its own code.
"""

from __future__ import annotations

import argparse
import codecs
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
COLUMNS, LINES = 120, 40

#: Builds the demo plus one long call at the head of qa's queue, with the tree's own code.
BUILD = r"""
import random, sys
from datetime import date, datetime
from sqlmodel import select
from scorecard.db.engine import open_database
from scorecard.db.models import Assignment, Call, CardVersion, QualityCardRecord, User
from scorecard.demo.builder import build_demo
from scorecard.demo.transcripts import synthesize_call
from scorecard.domain.cards import QualityCard
from scorecard.domain.transcripts import TranscriptDoc, Turn
from scorecard.services.transcripts import attach

database = open_database(sys.argv[1])
build_demo(database, seed=1, last_day=date(2026, 11, 20))
rng = random.Random(7)
with database.session() as session:
    version = session.exec(
        select(CardVersion).join(QualityCardRecord, QualityCardRecord.id == CardVersion.card_id)
        .where(QualityCardRecord.slug == "security-cold-call")).first()
    card = QualityCard.from_json(version.body)
    said = {key: rng.random() < 0.8 for key in card.item_keys()}
    turns = []
    while sum(len(t.text.split()) for t in turns) < 3000:
        offset = turns[-1].end if turns else 0.0
        for turn in synthesize_call(card, said, rng, operator_name="Анна", company="Щит",
                                    client_name="Виктор", talk_seconds=600):
            turns.append(Turn(turn.speaker, turn.text, turn.start + offset, turn.end + offset))
    call = Call(external_id="bench-long-call", started_at=datetime(2026, 1, 5, 9),
                talk_seconds=int(turns[-1].end or 0), disposition="answered")
    session.add(call)
    session.flush()
    attach(session, call.id, TranscriptDoc(tuple(turns), "demo"))
    qa = session.exec(select(User).where(User.login == "qa")).one()
    session.add(Assignment(call_id=call.id, card_version_id=version.id, assignee_id=qa.id,
                           status="claimed"))
    # The same call graded once more, by the lead, for the read-only view (its submission
    # is the newest entry of the audit log, first on the lead's log screen).
    lead = session.exec(select(User).where(User.login == "lead")).one()
    graded = Assignment(call_id=call.id, card_version_id=version.id, assignee_id=lead.id,
                        status="claimed")
    session.add(graded)
    session.flush()
try:
    from scorecard.services.grading import AnswerChange, open_for_grading, save_answers, submit
    from scorecard.domain.scoring import Answer
    import scorecard.services.evaluations  # noqa: F401 - trees with the read-only view
except ImportError:
    pass
else:
    with database.session() as session:
        view = open_for_grading(session, assignment_id=graded.id, login="lead")
        save_answers(session, evaluation_id=view.evaluation_id, login="lead", changes=[
            AnswerChange(s, i, Answer.PASS) for s, i in card.item_keys()])
        submit(session, evaluation_id=view.evaluation_id, login="lead")
"""

QUEUE_MARK = "в общей очереди"
"""The queue's status line (Russian interface): only the queue screen draws it."""
GRADING_MARK = "bench-long-call ·"
"""The grading screen's header names the call; the queue lists it without the dot (the
read-only evaluation view's header too)."""
MAP_MARK = "Слабые этапы"
"""The lead's first screen, the weak-stage map."""
AUDIT_MARK = "оценка сдана"
"""An audit log entry in words: the log screen has read its entries."""


@dataclass
class Tree:
    name: str
    path: Path
    database: str = ""
    figures: dict[str, list[float]] = field(default_factory=dict)

    def add(self, figure: str, seconds: float) -> None:
        self.figures.setdefault(figure, []).append(seconds)


class Terminal:
    """One run of the app in a pseudo-terminal: type keys, wait for text to be drawn."""

    def __init__(self, tree: Tree, environment: dict[str, str], *, login: str = "qa") -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        # -P: the working folder must not come first on sys.path, or the tree under test
        # would be whatever scorecard sits there.
        command = [sys.executable, "-P", "-c", "from scorecard.cli import run; run()",
                   "--db", tree.database, "--user", login, "--lang", "ru"]  # as `scorecard` does
        env = {**environment, "PYTHONPATH": str(tree.path)}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave,
                                        env=env, start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self.seen = ""

    def type(self, keys: bytes) -> float:
        self.seen = ""
        moment = time.perf_counter()
        os.write(self.master, keys)
        return moment

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        """When ``text`` was drawn (perf_counter), reading everything the app writes."""
        deadline = time.perf_counter() + timeout
        while text not in self.seen:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{text!r} never appeared; last drawn: {self.seen[-600:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    raise RuntimeError(f"the app ended early: {self.seen[-2000:]}") from None
                self.seen = (self.seen + self.decoder.decode(chunk))[-200_000:]
        return time.perf_counter()

    def wait_exit(self, timeout: float = 30.0) -> float:
        deadline = time.perf_counter() + timeout
        while self.process.poll() is None:
            if time.perf_counter() > deadline:
                raise TimeoutError("the app did not exit")
            ready, _, _ = select.select([self.master], [], [], 0.002)
            if ready:
                try:
                    os.read(self.master, 65536)  # keep the terminal drained
                except OSError:
                    pass
        return time.perf_counter()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def session(tree: Tree, environment: dict[str, str], opens: int) -> None:
    """Start, open the long call ``opens`` times (back to the queue between), quit."""
    terminal = Terminal(tree, environment)
    try:
        _run(tree, terminal, opens)
    except (TimeoutError, RuntimeError) as exc:
        raise SystemExit(f"{tree.name}: {exc}") from None
    finally:
        terminal.close()


def _run(tree: Tree, terminal: Terminal, opens: int) -> None:
    tree.add("start", terminal.wait_for(QUEUE_MARK) - terminal.started)
    time.sleep(0.3)  # let the first frame settle, as a person would read it
    for n in range(opens):
        pressed = terminal.type(b"\r")
        tree.add("open", terminal.wait_for(GRADING_MARK) - pressed)
        time.sleep(0.3)
        if n + 1 < opens:
            terminal.type(b"\x1b")
            terminal.wait_for(QUEUE_MARK)
            time.sleep(0.3)
            terminal.type(b"\x1b[H")  # Home: back to the long call, first in the list
            time.sleep(0.1)
    pressed = terminal.type(b"\x11")  # Ctrl+Q
    tree.add("quit", terminal.wait_exit() - pressed)


def lead_session(tree: Tree, environment: dict[str, str], opens: int) -> None:
    """As the lead: the audit log's submissions, then Enter on the newest (the long call's
    grade) ``opens`` times, back to the log between."""
    terminal = Terminal(tree, environment, login="lead")
    try:
        terminal.wait_for(MAP_MARK)
        time.sleep(0.3)
        terminal.type(b"l")
        terminal.wait_for(AUDIT_MARK)
        time.sleep(0.3)
        # Only submissions: the listener's sessions opened the call since (newer entries).
        terminal.type(b"/")
        time.sleep(0.3)
        terminal.type(b"submit\r")
        terminal.wait_for(AUDIT_MARK)
        time.sleep(0.3)
        for _ in range(opens):
            pressed = terminal.type(b"\r")
            tree.add("view", terminal.wait_for(GRADING_MARK) - pressed)
            time.sleep(0.3)
            terminal.type(b"\x1b")
            terminal.wait_for(AUDIT_MARK)
            time.sleep(0.3)
            terminal.type(b"\x1b[H")  # Home: the newest entry again (opening added one)
            time.sleep(0.1)
        terminal.type(b"\x11")
        terminal.wait_exit()
    except (TimeoutError, RuntimeError) as exc:
        raise SystemExit(f"{tree.name}: {exc}") from None
    finally:
        terminal.close()


def export(revision: str, folder: Path) -> Path:
    """The source tree of ``revision`` (cards and data included), as git has it."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", revision], check=True,
                             capture_output=True).stdout
    folder.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="HEAD~1",
                        help="the commit to compare with (default: the previous one)")
    parser.add_argument("--runs", type=int, default=5, help="app sessions per tree")
    arguments = parser.parse_args()
    revision = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short",
                               arguments.baseline], check=True, capture_output=True,
                              text=True).stdout.strip()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        environment = {
            "PATH": os.environ.get("PATH", ""), "HOME": str(folder), "TERM": "xterm-256color",
            "LANG": "C.UTF-8", "COLUMNS": str(COLUMNS), "LINES": str(LINES),
            "SCORECARD_CONFIG": str(folder / "config.toml"),
            "SCORECARD_DATA_DIR": str(folder / "data"),
        }
        trees = [Tree(f"baseline {revision}", export(revision, folder / "baseline")),
                 Tree("this tree", REPO)]
        for tree in trees:
            tree.database = f"sqlite:///{folder / (tree.path.name + '.db')}"
            subprocess.run([sys.executable, "-P", "-c", BUILD, tree.database], check=True,
                           env={**environment, "PYTHONPATH": str(tree.path)})
        for _ in range(arguments.runs):
            for tree in trees:
                session(tree, environment, opens=3)
                if (tree.path / "scorecard" / "services" / "evaluations.py").exists():
                    lead_session(tree, environment, opens=3)
        print(f"{COLUMNS}×{LINES} pseudo-terminal, {arguments.runs} sessions per tree, "
              "3 openings each; medians (min–max)")
        goals = {"start": ("launch → queue painted", 1.0),
                 "open": ("Enter → 3,000-word call painted", 0.2),
                 "quit": ("Ctrl+Q on grading → process gone", 0.5),
                 "view": ("Enter on a grade → call painted", 0.2)}
        for figure, (label, goal) in goals.items():
            cells = []
            for tree in trees:
                values = tree.figures.get(figure)
                if not values:
                    cells.append(f"{tree.name}: {'—':>9}")
                    continue
                cells.append(f"{tree.name}: {statistics.median(values) * 1000:6.0f} ms "
                             f"({min(values) * 1000:.0f}–{max(values) * 1000:.0f})")
            print(f"{label:<36} " + "   ".join(cells) + f"   goal ≤ {goal * 1000:.0f} ms")
        shutil.rmtree(folder / "baseline", ignore_errors=True)


if __name__ == "__main__":
    main()

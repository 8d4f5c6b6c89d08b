"""Benchmark: `scorecard import cdr` on a realistic 1M-row Asterisk Master.csv, this tree
against a baseline commit, in one run.

Run:  .venv/bin/python tests/benchmarks/bench_cdr_import.py [--rows 1000000] [--runs 2]
                                                            [--baseline 0aaeef6] [--keep]
Goals: the working tree imports 1,000,000 rows in at most 15 s, start-up to exit, and takes
at most 1.3x the baseline's time on the same file.

The file is generated (deterministic by --seed) in a temporary folder in cdr_csv's column
order, with a header row on line 1 (so the reader takes its row-by-row path) and the mix a
call centre's PBX writes: outbound calls from extensions 200-399 through the trunk, some
with trunk failover; inbound calls to ring groups (parallel legs, voicemail, ``h``
hang-up rows); IVR then queue answered through ``Local/2xx@from-queue`` channels; blind
transfers; feature codes; and about 0.5% broken rows (a bad disposition, a start that is no
date, too few columns). See :func:`write_asterisk_mix`.

Both trees run the command as a user types it, ``python -m scorecard import cdr FILE --db
sqlite:///…``, with this same Python (the venv's) and ``PYTHONPATH`` naming the tree: the
working tree as it is (uncommitted changes included), the baseline checked out with ``git
worktree add`` into the temporary folder (removed at the end). Each run imports into a fresh
copy of a database prepared by that tree's own code with 200 operators; runs alternate
(baseline, current, baseline, current…) and the median counts.

After the comparison, the current tree's import is timed in this process, split into reading
the file and storing the calls, then a re-import of the same calls. The former comparison
with ORM objects stored row by row is dropped: it measured storing only, on a different
workload, and costs time without telling anything about the goal.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

OPERATORS = range(200, 400)
GOAL_SECONDS = 15.0
GOAL_ROWS = 1_000_000
MAX_RATIO = 1.3
#: Exit codes of a finished import: every row stored, or some stored and some rejected.
IMPORT_DONE = (0, 3)

# -- the realistic Master.csv ---------------------------------------------------------------

HEADER = ("accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel",
          "lastapp", "lastdata", "start", "answer", "end", "duration", "billsec",
          "disposition", "amaflags", "uniqueid", "userfield", "peeraccount", "linkedid",
          "sequence")
FIRST_DAY = date(2026, 3, 2)
#: Unix time of FIRST_DAY's midnight, as the PBX's uniqueids start with it.
FIRST_EPOCH = 1772409600
OPEN, CLOSE = 9 * 3600, 19 * 3600
DIDS = ("74951234567", "74951234568", "78005553535")
QUEUE = "700"
#: Call kinds and their weights (per call, not per row).
KINDS = {"outbound": 60, "failover": 4, "ring_group": 14, "ivr_queue": 10, "transfer": 4,
         "feature": 3}
REJECT_SHARE = 0.005

Leg = list[str]


class _Pbx:
    """What a PBX keeps while it writes CDRs: the clock, channel and uniqueid counters."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.clock = OPEN  # seconds since FIRST_DAY's midnight
        self.channels = 0
        self.sequence = 0
        self.days: dict[int, str] = {}

    def stamp(self, at: int) -> str:
        day, second = divmod(at, 86400)
        text = self.days.get(day)
        if text is None:
            text = self.days[day] = (FIRST_DAY + timedelta(days=day)).isoformat()
        return f"{text} {second // 3600:02d}:{second // 60 % 60:02d}:{second % 60:02d}"

    def channel(self, device: str) -> tuple[str, str]:
        """A new channel on ``device`` and its uniqueid."""
        self.channels += 1
        return (f"{device}-{self.channels:08x}",
                f"{FIRST_EPOCH + self.clock}.{self.channels}")

    def next_call(self) -> int:
        """The start of the next call: a few seconds on, or the next morning."""
        self.clock += self.rng.randint(0, 3)
        if self.clock % 86400 >= CLOSE:
            self.clock += 86400 - self.clock % 86400 + OPEN
        return self.clock

    def leg(self, *, src: str, dst: str, dcontext: str, clid: str, channel: str,
            dstchannel: str, lastapp: str, lastdata: str, start: int, ring: int, talk: int,
            disposition: str, uniqueid: str, linkedid: str) -> Leg:
        """One CDR row; answered rows have answer = start + ring and duration = ring + talk."""
        self.sequence += 1
        answered = disposition == "ANSWERED"
        duration = ring + talk if answered else ring
        billsec = talk if answered else 0
        if not answered and ring and self.rng.random() < 0.05:
            billsec = duration  # real files have NO ANSWER rows whose billsec is the duration
        return ["", src, dst, dcontext, clid, channel, dstchannel, lastapp, lastdata,
                self.stamp(start), self.stamp(start + ring) if answered else "",
                self.stamp(start + duration), str(duration), str(billsec), disposition,
                "DOCUMENTATION", uniqueid, "", "", linkedid, str(self.sequence)]

    # -- one call of each kind; each returns its rows ------------------------------------

    def talk(self) -> int:
        return min(3600, int(self.rng.expovariate(1 / 150)) + 3)

    def outside(self) -> str:
        return f"7{self.rng.randint(9000000000, 9999999999)}"

    def outbound(self, *, failover: bool = False) -> list[Leg]:
        rng = self.rng
        start = self.next_call()
        ext = str(rng.choice(OPERATORS))
        number = f"8{rng.randint(4950000000, 9999999999)}"
        channel, unique = self.channel(f"SIP/{ext}")
        common = {"src": ext, "dst": number, "dcontext": "from-internal",
                  "clid": f'"Оператор {ext}" <{ext}>', "channel": channel,
                  "lastapp": "Dial", "uniqueid": unique, "linkedid": unique}
        legs = []
        trunk = "mts"
        if failover:  # the first trunk refuses at once; the call goes out through the backup
            trunk_channel, _ = self.channel("SIP/mts")
            legs.append(self.leg(**common, dstchannel=trunk_channel,
                                 lastdata=f"SIP/mts/{number},60,tT", start=start,
                                 ring=rng.randint(0, 1), talk=0,
                                 disposition=rng.choice(("CONGESTION", "FAILED"))))
            start += 1
            trunk = "beeline"
        disposition = rng.choices(("ANSWERED", "NO ANSWER", "BUSY", "FAILED", "CONGESTION"),
                                  (45, 35, 12, 5, 3))[0]
        ring = {"ANSWERED": rng.randint(3, 30), "NO ANSWER": rng.randint(10, 60),
                "BUSY": rng.randint(1, 6)}.get(disposition, rng.randint(0, 2))
        trunk_channel, _ = self.channel(f"SIP/{trunk}")
        legs.append(self.leg(**common, dstchannel=trunk_channel,
                             lastdata=f"SIP/{trunk}/{number},60,tT", start=start, ring=ring,
                             talk=self.talk(), disposition=disposition))
        return legs

    def ring_group(self) -> list[Leg]:
        rng = self.rng
        start = self.next_call()
        caller, did = self.outside(), rng.choice(DIDS)
        channel, unique = self.channel("SIP/mts")
        members = rng.sample(range(300, 400), rng.randint(2, 3))
        common = {"src": caller, "dst": did, "dcontext": "from-trunk",
                  "clid": f'"{caller}" <{caller}>', "channel": channel, "lastapp": "Dial",
                  "lastdata": "&".join(f"SIP/{m}" for m in members) + ",20,tr",
                  "uniqueid": unique, "linkedid": unique}
        answerer = rng.choice(members) if rng.random() < 0.7 else None
        ring = rng.randint(3, 18) if answerer is not None else 20
        talk = self.talk()
        legs = []
        for member in members:
            member_channel, _ = self.channel(f"SIP/{member}")
            legs.append(self.leg(**common, dstchannel=member_channel, start=start, ring=ring,
                                 talk=talk, disposition="ANSWERED" if member == answerer
                                 else "NO ANSWER"))
        end = start + ring + (talk if answerer is not None else 0)
        if answerer is None and rng.random() < 0.5:  # the caller leaves a message
            box = members[0]
            message = rng.randint(0, 60)
            legs.append(self.leg(**{**common, "dst": f"vmu{box}", "dcontext": "ext-local",
                                    "lastapp": "VoiceMail", "lastdata": f"{box}@default,u"},
                                 dstchannel="", start=end, ring=0, talk=message,
                                 disposition="ANSWERED"))
            end += message
        if rng.random() < 0.4:  # the hang-up handler's row
            legs.append(self.leg(**{**common, "dst": "h", "lastapp": "Hangup",
                                    "lastdata": ""}, dstchannel="", start=end, ring=0,
                                 talk=0, disposition="ANSWERED"))
        return legs

    def ivr_queue(self) -> list[Leg]:
        rng = self.rng
        start = self.next_call()
        caller = self.outside()
        channel, unique = self.channel("SIP/mts")
        common = {"src": caller, "clid": f'"{caller}" <{caller}>', "channel": channel,
                  "uniqueid": unique, "linkedid": unique}
        menu = rng.randint(4, 20)
        legs = [self.leg(**common, dst=rng.choice(DIDS), dcontext="ivr-1", dstchannel="",
                         lastapp="BackGround", lastdata="custom/ivr-main", start=start,
                         ring=0, talk=menu, disposition="ANSWERED")]
        if rng.random() < 0.8:
            agent = rng.randint(200, 299)
            local, _ = self.channel(f"Local/{agent}@from-queue")
            dstchannel, disposition = f"{local};1", "ANSWERED"
        else:  # the caller gave up waiting
            dstchannel, disposition = "", "NO ANSWER"
        legs.append(self.leg(**common, dst=QUEUE, dcontext="ext-queues", dstchannel=dstchannel,
                             lastapp="Queue", lastdata=f"{QUEUE},t,,,300", start=start + menu,
                             ring=rng.randint(2, 90), talk=self.talk(),
                             disposition=disposition))
        return legs

    def transfer(self) -> list[Leg]:
        rng = self.rng
        start = self.next_call()
        caller, did = self.outside(), rng.choice(DIDS)
        channel, unique = self.channel("SIP/mts")
        first, second = rng.sample(OPERATORS, 2)
        common = {"src": caller, "dst": did, "dcontext": "from-trunk",
                  "clid": f'"{caller}" <{caller}>', "channel": channel, "lastapp": "Dial",
                  "disposition": "ANSWERED", "linkedid": unique}
        ring, talk = rng.randint(3, 15), rng.randint(10, 120)
        dstchannel, _ = self.channel(f"SIP/{first}")
        legs = [self.leg(**common, dstchannel=dstchannel, lastdata=f"SIP/{first},20,tr",
                         start=start, ring=ring, talk=talk, uniqueid=unique)]
        dstchannel, transferred = self.channel(f"SIP/{second}")
        legs.append(self.leg(**common, dstchannel=dstchannel, lastdata=f"SIP/{second},20,tr",
                             start=start + ring + talk, ring=rng.randint(3, 15),
                             talk=self.talk(), uniqueid=transferred))
        return legs

    def feature(self) -> list[Leg]:
        start = self.next_call()
        ext = str(self.rng.choice(OPERATORS))
        channel, unique = self.channel(f"SIP/{ext}")
        return [self.leg(src=ext, dst="*60", dcontext="from-internal",
                         clid=f'"Оператор {ext}" <{ext}>', channel=channel, dstchannel="",
                         lastapp="Playback", lastdata="at-tone-time-exactly", start=start,
                         ring=0, talk=self.rng.randint(3, 8), disposition="ANSWERED",
                         uniqueid=unique, linkedid=unique)]

    def broken(self, leg: Leg) -> tuple[str, Leg]:
        """The row as a damaged export has it: one of three ways a reader must reject."""
        how = self.rng.randrange(3)
        if how == 0:
            leg[14] = self.rng.choice(("ANSWER", "UNKNOWN", "NOANSWER"))
            return "bad disposition", leg
        if how == 1:
            leg[9] = self.rng.choice(("02.03.2026 09:15:07", "n/a"))
            return "start not a date", leg
        return "too few columns", leg[:self.rng.randint(5, 12)]


#: Numbers cdr_csv writes bare: duration, billsec, sequence; the rest is quoted text.
_BARE = (12, 13, 20)
_LINE = ",".join("%s" if n in _BARE else '"%s"' for n in range(len(HEADER))) + "\n"


def _csv_line(leg: Leg) -> str:
    """The row as cdr_csv writes it (only the caller id holds quotes, doubled)."""
    if len(leg) == len(HEADER):
        return _LINE % (*leg[:4], leg[4].replace('"', '""'), *leg[5:])
    return ",".join(value if n in _BARE else '"' + value.replace('"', '""') + '"'
                    for n, value in enumerate(leg)) + "\n"


def realistic_rows(seed: int) -> Iterator[tuple[str, Leg]]:
    """Endless CDR rows of the realistic mix, each with its call kind (or what broke it)."""
    pbx = _Pbx(seed)
    makers: dict[str, Callable[[], list[Leg]]] = {
        "outbound": pbx.outbound, "failover": lambda: pbx.outbound(failover=True),
        "ring_group": pbx.ring_group, "ivr_queue": pbx.ivr_queue, "transfer": pbx.transfer,
        "feature": pbx.feature}
    kinds, weights = list(KINDS), list(KINDS.values())
    rng = pbx.rng
    while True:
        kind = rng.choices(kinds, weights)[0]
        for leg in makers[kind]():
            yield pbx.broken(leg) if rng.random() < REJECT_SHARE else (kind, leg)


def write_asterisk_mix(path: Path, rows: int, seed: int = 1) -> Counter[str]:
    """A Master.csv of ``rows`` lines: a header of cdr_csv's column names, then CDR rows of
    the realistic mix. Returns the rows written per call kind and per way of breaking."""
    written: Counter[str] = Counter()
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(",".join(HEADER) + "\n")
        lines = realistic_rows(seed)
        for _ in range(rows - 1):
            kind, leg = next(lines)
            written[kind] += 1
            handle.write(_csv_line(leg))
    return written


# -- preparing a database -------------------------------------------------------------------


def prepare(url: str) -> None:
    """A database with one team and its 200 operators, by the scorecard on the path."""
    from scorecard.db.engine import open_database
    from scorecard.db.models import Operator, Team

    database = open_database(url)
    with database.session() as session:
        team = Team(name="Бенчмарк")
        session.add(team)
        session.flush()
        for extension in OPERATORS:
            session.add(Operator(name=f"Оператор {extension}", team_id=team.id,
                                 extension=str(extension)))
    database.dispose()


@dataclass
class Tree:
    """A scorecard source tree and how to run its code."""

    label: str
    root: Path
    commit: str
    env: dict[str, str] = field(default_factory=dict)
    runs: list[float] = field(default_factory=list)
    summary: str = ""
    read_line: str = ""
    failure: str | None = None

    def python(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=cwd, env=self.env,
                              capture_output=True, text=True, check=False)


def tree(label: str, root: Path, commit: str) -> Tree:
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("PYTHONHOME", None)
    return Tree(label, root, commit, env)


def check_import(found: Tree, cwd: Path) -> None:
    """That ``python -m scorecard`` with this tree's environment runs this tree's code."""
    if not (found.root / "scorecard" / "__main__.py").exists():
        raise SystemExit(f"{found.label}: {found.root} has no scorecard/__main__.py")
    done = found.python("-c", "import scorecard;print(scorecard.__file__)", cwd=cwd)
    if done.returncode != 0:
        raise SystemExit(f"{found.label}: cannot import scorecard:\n{done.stderr}")
    where = Path(done.stdout.strip()).resolve()
    if not where.is_relative_to(found.root.resolve()):
        raise SystemExit(f"{found.label}: scorecard is imported from {where}, "
                         f"not from {found.root}")
    print(f"{found.label:<9} scorecard imported from {where}")


def prepare_tree(found: Tree, folder: Path, url: str) -> None:
    """A database prepared by the tree's own code; by its CLI when its models differ."""
    done = found.python(str(Path(__file__).resolve()), "--prepare", url, cwd=folder)
    if done.returncode == 0:
        return
    print(f"{found.label}: prepare() failed, importing operators by the CLI instead:\n"
          f"{done.stderr.strip()}")
    operators = folder / "operators.csv"
    operators.write_text("name,team,extension\n" + "".join(
        f"Оператор {n},Бенчмарк,{n}\n" for n in OPERATORS), encoding="utf-8")
    Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    done = found.python("-m", "scorecard", "import", "operators", str(operators), "--db", url,
                        cwd=folder)
    if done.returncode != 0:
        raise SystemExit(f"{found.label}: cannot prepare the database:\n{done.stderr}")


def fresh_copy(template: Path, target: Path) -> str:
    """A copy of the prepared database (and its WAL, if any) for one run; its URL."""
    for suffix in ("", "-wal", "-shm"):
        source = template.with_name(template.name + suffix)
        if source.exists():
            shutil.copyfile(source, target.with_name(target.name + suffix))
    return f"sqlite:///{target}"


def import_once(found: Tree, master: Path, url: str, folder: Path) -> None:
    """`scorecard import cdr FILE --db URL` as typed, timed from start-up to exit."""
    os.sync()  # the machine at rest: no write-back from earlier work during the import
    started = time.perf_counter()
    done = found.python("-m", "scorecard", "import", "cdr", str(master), "--db", url,
                        cwd=folder)
    elapsed = time.perf_counter() - started
    if done.returncode not in IMPORT_DONE:
        found.failure = (f"exit code {done.returncode}\n{done.stderr.strip()}\n"
                         f"{done.stdout.strip()}").strip()
        return
    found.runs.append(elapsed)
    prefix = f"{master}: "
    for line in done.stdout.splitlines():
        if line.startswith(prefix):
            found.summary = line.removeprefix(prefix)
        elif " call(s) read in " in line:
            found.read_line = line


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


# -- the in-process split -------------------------------------------------------------------


def in_process(master: Path, folder: Path, rows: int) -> None:
    """The current tree's import in this process: reading the file, then storing calls."""
    from scorecard.db.engine import open_database
    from scorecard.ingest.cdr import read_cdr
    from scorecard.services.imports import import_calls, operator_extensions

    url = f"sqlite:///{folder}/in-process.db"
    prepare(url)
    os.sync()
    database = open_database(url)
    started = time.perf_counter()
    with database.session() as session:
        extensions = operator_extensions(session)
    calls, rejected = read_cdr(master, extensions)
    parsed = time.perf_counter() - started
    with database.session() as session:
        report = import_calls(session, calls, source="asterisk")
    elapsed = time.perf_counter() - started
    print(f"in-process (current): {elapsed:6.1f} s  (parse {parsed:.1f} s, store "
          f"{elapsed - parsed:.1f} s)  {rows / elapsed:,.0f} rows/s  {len(calls):,} calls, "
          f"{len(rejected):,} rejected  [{report.summary()}]")
    started = time.perf_counter()
    with database.session() as session:
        report = import_calls(session, calls, source="asterisk")
    print(f"re-import of the same calls: {time.perf_counter() - started:.1f} s "
          f"[{report.summary()}]")
    database.dispose()


# -- the run --------------------------------------------------------------------------------


def report(found: Tree, rows: int) -> None:
    name = f"{found.label} {found.commit}"
    if found.failure is not None:
        print(f"{name}: FAILED ({len(found.runs)} run(s) finished)\n{found.failure}")
        return
    median = statistics.median(found.runs)
    times = " ".join(f"{t:.1f}" for t in found.runs)
    read = f"  [{found.read_line}]" if found.read_line else ""  # not printed on rejects
    print(f"{name}: median {median:.1f} s (runs: {times}), {rows / median:,.0f} rows/s  "
          f"[{found.summary}]{read}")


def compare(folder: Path, master: Path, args: argparse.Namespace, repo: Path) -> list[Tree]:
    head = git(repo, "rev-parse", "--short", "HEAD")
    dirty = " + uncommitted changes" if git(repo, "status", "--porcelain") else ""
    base_commit = git(repo, "rev-parse", "--short", "--verify", f"{args.baseline}^{{commit}}")
    checkout = folder / "baseline"
    git(repo, "worktree", "add", "--detach", "--quiet", str(checkout), base_commit)
    baseline = tree("baseline", checkout, base_commit)
    current = tree("current", repo, head + dirty)
    trees = [baseline, current]
    for found in trees:
        check_import(found, folder)
        # Byte-compiled before the clock starts, as an installed package is.
        found.python("-m", "compileall", "-q", str(found.root / "scorecard"), cwd=folder)
        prepare_tree(found, folder, f"sqlite:///{folder}/{found.label}-template.db")
    for run in range(args.runs):
        for found in trees:
            if found.failure is not None:
                continue
            url = fresh_copy(folder / f"{found.label}-template.db",
                             folder / f"{found.label}-{run}.db")
            import_once(found, master, url, folder)
    return trees


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=GOAL_ROWS,
                        help="lines in the file, the header included")
    parser.add_argument("--runs", type=int, default=2, help="imports per tree, alternated")
    parser.add_argument("--baseline", default="0aaeef6", metavar="REV",
                        help="the commit to compare with")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (file and databases)")
    parser.add_argument("--prepare", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:  # run by compare(), with a tree's PYTHONPATH
        prepare(args.prepare)
        return
    repo = Path(__file__).resolve().parents[2]
    folder = Path(tempfile.mkdtemp(prefix="bench-cdr-"))
    failed = False
    try:
        master = folder / "Master.csv"
        started = time.perf_counter()
        written = write_asterisk_mix(master, args.rows, args.seed)
        os.sync()  # an export at rest, as users have it
        size = master.stat().st_size / 2**20
        mix = ", ".join(f"{kind} {count:,}" for kind, count in written.most_common())
        print(f"file: {args.rows:,} lines (header + {args.rows - 1:,} rows), {size:.0f} MB, "
              f"seed {args.seed}, written in {time.perf_counter() - started:.1f} s\n"
              f"rows: {mix}")
        trees = compare(folder, master, args, repo)
        # Other work on the machine shows in the times: here is how much there was.
        print("load average (1, 5, 15 min): "
              + " ".join(f"{load:.2f}" for load in os.getloadavg()))
        baseline, current = trees
        for found in trees:
            report(found, args.rows)
        failed = any(found.failure is not None for found in trees)
        if not failed:
            new, old = statistics.median(current.runs), statistics.median(baseline.runs)
            ratio = new / old
            print(f"ratio current/baseline: {ratio:.2f}  "
                  f"(≤ {MAX_RATIO}x baseline: {'yes' if ratio <= MAX_RATIO else 'NO'})")
            if args.rows == GOAL_ROWS:
                print(f"goal ≤ {GOAL_SECONDS:.0f} s for {GOAL_ROWS:,} rows: "
                      f"{'yes' if new <= GOAL_SECONDS else 'NO'} ({new:.1f} s)")
            else:  # start-up and fixed costs do not scale: a smaller file cannot tell
                print(f"goal ≤ {GOAL_SECONDS:.0f} s for {GOAL_ROWS:,} rows: not judged on "
                      f"{args.rows:,} rows")
        if current.failure is None:
            try:
                in_process(master, folder, args.rows)
            except Exception:  # the working tree moves under us: say so, and go on
                print(f"in-process (current): FAILED\n{traceback.format_exc()}")
                failed = True
    finally:
        checkout = folder / "baseline"
        if checkout.exists():
            subprocess.run(["git", "-C", str(repo), "worktree", "remove", "--force",
                            str(checkout)], check=False)
        if args.keep:
            print(f"kept: {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""Load test: N browser tabs on ``scorecard serve``, and what each costs in memory.

Run:  .venv/bin/python tests/benchmarks/bench_serve.py [--tabs 1,5,10,20] [--demo]

A server runs on a SQLite database (the seeded test centre, or the full demo with --demo);
the benchmark logs in over HTTP like a browser, opens N websockets at once (each starts one
app process for the logged-in lead), waits until every app has painted its first screen,
then reads the resident memory of the server and all its apps from /proc. It prints the
time until the last tab painted and the memory per tab: the numbers behind the README's
sizing guidance.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

PASSWORD = "benchmark password"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _group_rss_mb(group: int) -> tuple[float, int]:
    """Resident memory of every live process in the group (MB), and how many there are."""
    total, count = 0, 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != group or fields[0] == "Z":
                continue
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError):
            continue
        rss = next((line.split()[1] for line in status.splitlines()
                    if line.startswith("VmRSS:")), "0")
        total += int(rss)
        count += 1
    return total / 1024, count


def _database(folder: Path, demo: bool) -> str:
    url = f"sqlite:///{folder / 'served.db'}"
    if demo:
        subprocess.run([sys.executable, "-m", "scorecard", "demo", "--db", url, "--no-tui"],
                       check=True, capture_output=True)
        login = "lead"
    else:
        from scorecard.db.engine import open_database
        from tests.factories import grade_two_calls_failing_price, seed

        database = open_database(url)
        grade_two_calls_failing_price(database, seed(database))
        database.dispose()
        login = "lead"
    from scorecard.db.engine import open_database
    from scorecard.services.access import actor
    from scorecard.services.identity import set_password

    database = open_database(url)
    with database.session() as session:
        set_password(session, by=actor(session, login), login=login, password=PASSWORD)
    database.dispose()
    return url


async def _tabs(url: str, count: int, server: int) -> tuple[float, float, int]:
    """Open ``count`` tabs at once: seconds until the last one painted, then the memory of
    the server's process group (MB) and its process count, all tabs open."""
    from aiohttp import ClientSession, CookieJar

    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
        await client.post(f"{url}/login", data={"login": "lead", "password": PASSWORD},
                          headers={"Origin": url})
        started = time.perf_counter()

        async def one() -> object:
            tab = await client.ws_connect(
                f"{url.replace('http', 'ws')}/ws?width=120&height=40", headers={"Origin": url})
            received = 0
            while received < 20_000:  # the first screen is some tens of kB of escapes
                message = await tab.receive(timeout=60)
                received += len(message.data or b"")
            return tab

        tabs = await asyncio.gather(*(one() for _ in range(count)))
        painted = time.perf_counter() - started
        await asyncio.sleep(2)  # let the apps settle before memory is read
        total, processes = _group_rss_mb(server)
        for tab in tabs:
            await tab.close()  # type: ignore[attr-defined]
        return painted, total, processes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", default="1,5,10", help="tab counts to try, comma-separated")
    parser.add_argument("--demo", action="store_true", help="serve the full demo database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SCORECARD_CONFIG"] = str(Path(folder) / "config.toml")
        os.environ["SCORECARD_DATA_DIR"] = str(Path(folder) / "data")
        database = _database(Path(folder), args.demo)
        print(f"{'tabs':>5} {'painted (s)':>12} {'total RSS (MB)':>15} {'per tab (MB)':>13}")
        for count in (int(n) for n in args.tabs.split(",")):
            port = _free_port()
            server = subprocess.Popen(
                [sys.executable, "-m", "scorecard", "serve", "--db", database, "--port",
                 str(port), "--lang", "en"], stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                while True:
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                        break
                    except OSError:
                        time.sleep(0.1)
                idle, _ = _group_rss_mb(server.pid)

                painted, total, processes = asyncio.run(
                    _tabs(f"http://127.0.0.1:{port}", count, server.pid))
                print(f"{count:>5} {painted:>12.2f} {total:>15.0f} "
                      f"{(total - idle) / count:>13.0f}   ({processes} processes, server idle "
                      f"{idle:.0f} MB)")
            finally:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


if __name__ == "__main__":
    main()

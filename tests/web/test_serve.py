"""``scorecard serve`` in a real browser: Debian's Chromium, headless, driven by Playwright.

The served page draws the terminal with xterm.js on a canvas, so there is no text in the DOM
to read. An init script catches the page's xterm ``Terminal`` as textual-serve's page stores
it (``this.terminal = new Terminal(…)``) and the test reads the screen from its buffer: the
characters the terminal shows, row by row. Without Chromium the test is skipped locally
and fails in CI (``CI`` set), like the PostgreSQL half of the suite.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import select

from scorecard.db.engine import open_database
from scorecard.db.models import Call
from scorecard.services.access import actor
from scorecard.services.identity import set_password
from tests.factories import grade_two_calls_failing_price, seed

CHROMIUM = Path("/usr/bin/chromium")
OPERATOR = "Иванова Анна"
PASSWORD = "lead's own password"

#: Runs before the page's scripts: the first object that gets a ``terminal`` property
#: holding an xterm Terminal (the page's terminal widget) hands it to the test.
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal",
                          {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && typeof value.onData === "function") {
      window.__scorecardTerminal = value;
    }
  },
});
"""

#: The terminal's visible rows as text ("" until the terminal exists).
SCREEN_TEXT = """() => {
  const terminal = window.__scorecardTerminal;
  if (!terminal) return "";
  const buffer = terminal.buffer.active;
  return Array.from({length: terminal.rows},
                    (_, y) => buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? "")
    .join("\\n");
}"""


@pytest.fixture
def chromium() -> Path:
    """Debian's Chromium and the Playwright package, or a skip (a failure in CI)."""
    problem = None
    if not CHROMIUM.exists():
        problem = f"{CHROMIUM} is missing (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is missing (pip install -e '.[test]')"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"the browser test needs Chromium in CI: {problem}")
        pytest.skip(problem)
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _live_processes(group: int) -> list[str]:
    """Processes of the group that still run (zombies nobody reaped yet do not count)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # it ended while we looked
            continue
        name, rest = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:]
        state, _parent, process_group = rest.split()[:3]
        if int(process_group) == group and state != "Z":
            alive.append(f"{stat.parent.name} {name}")
    return alive


@pytest.fixture
def lead_database(tmp_path: Path) -> str:
    """Two calls graded today, so the map of the current month has an operator."""
    url = f"sqlite:///{tmp_path / 'served.db'}"
    database = open_database(url)
    try:
        ids = seed(database)
        with database.session() as session:
            for call in session.exec(select(Call)):
                call.started_at = datetime.combine(date.today(), call.started_at.time())
        grade_two_calls_failing_price(database, ids)  # also adds the user lead
        with database.session() as session:
            set_password(session, by=actor(session, "lead"), login="lead", password=PASSWORD)
    finally:
        database.dispose()
    return url


@pytest.fixture
def paid_database(lead_database: str) -> str:
    """The lead's database with terms that pay the team this month."""
    from scorecard.db.models import User
    from scorecard.services.kpi_terms import import_terms

    database = open_database(lead_database)
    try:
        with database.session() as session:
            session.add(User(login="admin", display_name="Admin", role="admin"))
        with database.session() as session:
            import_terms(session, {"teams": {"Охрана": {
                "scheme": "security-50-50", "plan": {"effective_calls": 4, "deals": 2},
                "fixed": 30000, "bonus_target": 10000}}},
                valid_from=date.today().replace(day=1), login="admin", source="terms.json")
    finally:
        database.dispose()
    return lead_database


Served = tuple[subprocess.Popen[bytes], str, Path]
"""The server process, its URL and its log file."""


@pytest.fixture
def server(chromium: Path, lead_database: str, tmp_path: Path) -> Iterator[Served]:
    """``scorecard serve`` on a free port, in its own process group."""
    yield from _serve(lead_database, tmp_path)


@pytest.fixture
def paid_server(chromium: Path, paid_database: str, tmp_path: Path) -> Iterator[Served]:
    yield from _serve(paid_database, tmp_path)


def _serve(lead_database: str, tmp_path: Path) -> Iterator[Served]:
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "scorecard", "serve", "--db", lead_database,
             "--lang", "en", "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            # Unbuffered: a failure shows the whole log, not what a buffer let through.
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        deadline = time.monotonic() + 10
        while True:
            assert process.poll() is None, f"serve exited early:\n{log.read_text()}"
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, f"serve never listened:\n{log.read_text()}"
                time.sleep(0.1)
        yield process, f"http://127.0.0.1:{port}", log
    finally:
        # Whatever the test did: nothing of the server or its apps outlives it.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def test_a_lead_sees_the_weak_stage_map_in_a_browser(chromium: Path, server: Served) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    process, url, log = server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 800})
            asked = []
            page.on("request", lambda request: asked.append(request.url))
            page.add_init_script(CATCH_TERMINAL)
            page.goto(url)
            assert page.url == f"{url}/login"
            page.fill("input[name=login]", "lead")
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{url}/")
            # The map, or the page's "Session ended" when the app stopped (e.g. crashed).
            try:
                page.wait_for_function(
                    f"() => ({SCREEN_TEXT})().includes({OPERATOR!r})"
                    " || document.body.classList.contains('-closed')", timeout=15_000)
            except PlaywrightTimeout:
                pass
            screen = page.evaluate(SCREEN_TEXT)
            assert OPERATOR in screen, (f"no map in the page; the terminal shows:\n{screen}\n"
                                        f"server log:\n{log.read_text()}")
            assert "Weak stages" in screen and "Price" in screen, screen
            assert f"on {url} " in log.read_text()  # serve says where it serves
            assert all(a.startswith(url) for a in asked), asked  # nothing from elsewhere

            # Ctrl+C (SIGINT to the server alone, the tab still open) ends the server and
            # the tab's app with it.
            os.kill(process.pid, signal.SIGINT)
            assert process.wait(timeout=10) == 0, log.read_text()
        finally:
            browser.close()
    deadline = time.monotonic() + 5
    while left := _live_processes(process.pid):
        assert time.monotonic() < deadline, f"left running: {left}"
        time.sleep(0.1)


#: A page of another site, open in the same browser as a logged-in lead: it tries to read
#: the app's page and to drive the app over its websocket (cookies go along with both).
FOREIGN_PAGE = """<!DOCTYPE html><html><body><script>
window.result = {page: "pending", socket: "pending"};
fetch("URL/", {credentials: "include"})
  .then(r => r.text()).then(t => { window.result.page = t.slice(0, 200); })
  .catch(e => { window.result.page = "blocked"; });
const socket = new WebSocket("WS/ws");
socket.onmessage = m => { window.result.socket = "message"; };
socket.onopen = () => { window.result.socket = "open"; };
socket.onerror = () => {
  if (window.result.socket === "pending") window.result.socket = "refused";
};
</script></body></html>"""


def test_a_page_of_another_origin_gets_nothing(chromium: Path, server: Served,
                                               tmp_path: Path) -> None:
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    _process, url, log = server
    foreign = FOREIGN_PAGE.replace("WS", url.replace("http", "ws")).replace("URL", url)

    class Foreign(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            body = foreign.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Foreign)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), headless=True)
            try:
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                page.fill("input[name=login]", "lead")
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{url}/")
                attacker = context.new_page()
                attacker.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
                attacker.wait_for_function(
                    "() => window.result.page !== 'pending' && "
                    "window.result.socket !== 'pending'", timeout=10_000)
                result = attacker.evaluate("window.result")
            finally:
                browser.close()
    finally:
        evil.shutdown()
    assert result == {"page": "blocked", "socket": "refused"}, result
    assert "refused GET /ws from origin 'http://127.0.0.1:" in log.read_text()


def _log_in(page, url: str) -> None:  # noqa: ANN001 - a Playwright page
    page.add_init_script(CATCH_TERMINAL)
    page.goto(url)
    page.fill("input[name=login]", "lead")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_the_kpi_export_arrives_as_a_download(chromium: Path, paid_server: Served,
                                              tmp_path: Path) -> None:
    """Served, `e` on the KPI screen sends the spreadsheet to the browser, never to the
    server's disk: the file a lead saves is the month's table with its headers."""
    from openpyxl import load_workbook
    from playwright.sync_api import sync_playwright

    _process, url, log = paid_server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), headless=True)
        try:
            page = browser.new_context(accept_downloads=True,
                                       viewport={"width": 1400, "height": 800}).new_page()
            _log_in(page, url)
            page.wait_for_function(f"() => ({SCREEN_TEXT})().includes({OPERATOR!r})",
                                   timeout=15_000)
            page.evaluate("() => window.__scorecardTerminal.focus()")  # keys go to the app
            page.keyboard.press("p")
            page.wait_for_function(f"() => ({SCREEN_TEXT})().includes('33,750.00')",
                                   timeout=15_000)
            with page.expect_download(timeout=15_000) as arrived:
                page.keyboard.press("e")
            download = arrived.value
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
        finally:
            browser.close()
    month = f"{date.today():%Y-%m}"
    assert download.suggested_filename == f"kpi-{month}-teams.xlsx", log.read_text()
    sheet = load_workbook(saved).active
    assert sheet.title == month and sheet.cell(1, 1).value == "Operator"
    assert sheet.cell(2, 1).value == OPERATOR and sheet.cell(2, 24).value == 33750.0

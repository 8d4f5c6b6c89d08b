"""The served app's web server: textual-serve's terminal relay behind a login.

Every request must name this server in its ``Host`` (a DNS-rebinding page names its own);
every login, logout and websocket must come from this server's own page (``Origin``); every
page but the login needs a session cookie, which only a right password gets. Each browser
tab then runs ``python -m scorecard --user LOGIN`` for the logged-in person alone. The pages
load nothing from elsewhere, and say so to the browser (Content-Security-Policy).
"""

from __future__ import annotations

import asyncio
import json
import logging
import shlex
from collections.abc import Awaitable, Callable
from html import escape
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from scorecard.config import SecuritySettings
from scorecard.i18n import Catalogue
from scorecard.web.sessions import BrowserSession, Sessions, Throttle

log = logging.getLogger("scorecard.serve")

COOKIE = "scorecard_session"
TEMPLATES = Path(__file__).with_name("templates")
LOOPBACK = ("127.0.0.1", "localhost", "::1")

#: The pages' own scripts, styles, fonts and websocket; no frames, no other site.
CONTENT_POLICY = ("default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; "
                  "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; "
                  "base-uri 'none'")

CheckPassword = Callable[[str, str, str], bool]
"""(login, password, address) → whether the password is right (the served app's database)."""


def allowed_hosts(host: str, port: int, public_url: str) -> frozenset[str]:
    """The ``Host`` values a browser sends to this server: the public address and, on a
    loopback address, the other names of this machine."""
    names = {_netloc(public_url)}
    if host in LOOPBACK:
        names |= {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}
    return frozenset(names)


def _netloc(url: str) -> str:
    parts = urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    return host if parts.port in (None, default) else f"{host}:{parts.port}"


class ServedApp(Server):
    """textual-serve's server with a login in front of it."""

    def __init__(self, app_command: list[str], *, host: str, port: int, public_url: str | None,
                 language: str, security: SecuritySettings,
                 check_password: CheckPassword) -> None:
        self.messages = Catalogue(language)
        super().__init__(shlex.join(app_command), host=host, port=port,
                         title=self.messages("app.title"), public_url=public_url)
        self.app_command = app_command
        self.language = language
        self.check_password = check_password
        self.sessions = Sessions(idle=security.session_minutes * 60,
                                 lifetime=security.session_hours * 3600)
        self.throttle = Throttle(security.login_attempts)
        self.hosts = allowed_hosts(host, port, self.public_url)
        scheme = urlsplit(self.public_url).scheme
        self.origins = frozenset(f"{scheme}://{name}" for name in self.hosts)
        self.secure_cookie = scheme == "https"
        self.tabs: set[asyncio.Task[object]] = set()

    # -- aiohttp wiring ------------------------------------------------------------------------

    def initialize_logging(self) -> None:
        # textual-serve's handler prints tracebacks with local variables: a password among them.
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/login", self.handle_login_page),
            web.post("/login", self.handle_login),
            web.post("/logout", self.handle_logout),
            web.get("/page.css", self.handle_css),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download_for_session),
            web.static("/static", self.statics_path, name="static"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _guard(self, request: web.Request,
                     handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                     ) -> web.StreamResponse:
        if request.host.lower() not in self.hosts:
            # Another name for this address: a DNS-rebinding page, or a wrong proxy setting.
            log.warning("refused a request for host %r from %s", request.host, request.remote)
            raise web.HTTPMisdirectedRequest(text="wrong host\n")
        if request.method != "GET" or request.path == "/ws":
            origin = request.headers.get("Origin")
            if origin not in self.origins:
                log.warning("refused %s %s from origin %r (%s)", request.method, request.path,
                            origin, request.remote)
                raise web.HTTPForbidden(text="wrong origin\n")
        response = await handler(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        # Not no-referrer: with it Chromium sends the login form with "Origin: null".
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    async def on_startup(self, app: web.Application) -> None:
        print(f"Serving the app on {self.public_url} (log in with a scorecard login and its "
              "password; Ctrl+C stops)", flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        # aiohttp waits up to a minute for open requests, and a tab's session never ends by
        # itself: end each one (its app is then told to quit).
        for task in self.tabs:
            task.cancel()

    # -- pages ---------------------------------------------------------------------------------

    def _session(self, request: web.Request) -> BrowserSession | None:
        return self.sessions.find(request.cookies.get(COOKIE))

    def _page(self, name: str, status: int = 200, **values: str) -> web.Response:
        text = Template((TEMPLATES / name).read_text(encoding="utf-8")).substitute(
            lang=self.language, title=escape(self.title),
            **{key: escape(value) for key, value in values.items()})
        return web.Response(text=text, status=status, content_type="text/html")

    async def handle_css(self, request: web.Request) -> web.Response:
        return web.Response(text=(TEMPLATES / "page.css").read_text(encoding="utf-8"),
                            content_type="text/css")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        browser = self._session(request)
        if browser is None:
            raise web.HTTPSeeOther("/login")
        websocket = self.public_url.replace("http", "ws", 1) + "/ws"
        font_size = request.query.get("fontsize", "16")
        return self._page(
            "app.html", static=f"{self.public_url}/static", login=browser.login,
            logout=self.messages("web.logout"), ended=self.messages("web.ended"),
            restart=self.messages("web.restart"), websocket=websocket,
            font_size=font_size if font_size.isdigit() and 6 <= int(font_size) <= 64 else "16")

    def _login_page(self, *, status: int = 200, problem: str = "", login: str = ""
                    ) -> web.Response:
        return self._page("login.html", status, problem=problem, login=login,
                          user_label=self.messages("web.login_user"),
                          password_label=self.messages("web.login_password"),
                          submit=self.messages("web.login"))

    async def handle_login_page(self, request: web.Request) -> web.StreamResponse:
        if self._session(request) is not None:
            raise web.HTTPSeeOther("/")
        return self._login_page()

    async def handle_login(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        login = str(form.get("login", "")).strip()[:80]
        password = str(form.get("password", ""))[:1024]
        address = request.remote or "?"
        keys = (f"login:{login.casefold()}", f"address:{address}")
        wait = self.throttle.wait(*keys)
        if wait > 0:
            minutes = str(int(wait // 60) + 1)
            return self._login_page(status=429, login=login,
                                    problem=self.messages("web.login_wait", minutes=minutes))
        loop = asyncio.get_running_loop()
        right = bool(login and password) and await loop.run_in_executor(
            None, self.check_password, login, password, address)
        if not right:
            self.throttle.failed(*keys)
            log.warning("failed login for %r from %s", login, address)
            return self._login_page(status=401, login=login,
                                    problem=self.messages("web.login_failed"))
        self.throttle.succeeded(keys[0])
        self.sessions.end(request.cookies.get(COOKIE))  # a new token at every login
        response = web.HTTPSeeOther("/")
        response.set_cookie(COOKIE, self.sessions.start(login), httponly=True,
                            samesite="Strict", secure=self.secure_cookie, path="/")
        raise response

    async def handle_logout(self, request: web.Request) -> web.StreamResponse:
        self.sessions.end(request.cookies.get(COOKIE))
        response = web.HTTPSeeOther("/login")
        response.del_cookie(COOKIE, path="/")
        raise response

    async def handle_download_for_session(self, request: web.Request) -> web.StreamResponse:
        if self._session(request) is None:
            raise web.HTTPForbidden(text="log in first\n")
        return await self.handle_download(request)

    # -- the app of one tab --------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        token = request.cookies.get(COOKIE)
        browser = self.sessions.find(token)
        if browser is None or token is None:
            raise web.HTTPForbidden(text="log in first\n")
        width = _size(request.query.get("width"), 80)
        height = _size(request.query.get("height"), 24)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=1024 * 1024)
        task = asyncio.current_task()
        assert task is not None
        # The session's lifetime ends its open tabs too.
        expiry = asyncio.get_running_loop().call_later(self.sessions.remaining(token),
                                                       task.cancel)
        self.tabs.add(task)
        browser.open_tabs += 1
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = AppService(
                shlex.join([*self.app_command, "--user", browser.login]),
                write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=lambda: _close(websocket), download_manager=self.download_manager)
            await service.start(width, height)
            await self._relay(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # one tab's trouble must not end the server
            log.warning("a tab of %s ended: %s", browser.login, error)
        finally:
            expiry.cancel()
            self.tabs.discard(task)
            browser.open_tabs -= 1
            browser.seen = self.sessions.clock()
            if service is not None:
                await service.stop()
        return websocket

    async def _relay(self, websocket: web.WebSocketResponse, service: AppService) -> None:
        """The page's keys, sizes and focus to the app; anything else is dropped."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, data = json.loads(message.data)
                if kind == "stdin" and isinstance(data, str):
                    await service.send_bytes(data.encode("utf-8"))
                elif kind == "resize" and isinstance(data, dict):
                    await service.set_terminal_size(_size(data.get("width"), 80),
                                                    _size(data.get("height"), 24))
                elif kind == "ping":
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await service.blur()
                elif kind == "focus":
                    await service.focus()
            except (ValueError, TypeError):  # not a [kind, data] pair: a broken or hostile page
                continue


async def _close(websocket: web.WebSocketResponse) -> None:
    await websocket.close()


def _size(value: object, default: int) -> int:
    """A terminal dimension from the page, within what a screen can be."""
    try:
        number = int(str(value))
    except ValueError:
        return default
    return min(max(number, 10), 1000)

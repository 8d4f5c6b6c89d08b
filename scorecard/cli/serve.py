"""``scorecard serve``: the same app in a browser, through textual-serve.

Every browser tab gets its own app process (``python -m scorecard``) running as the one
user given here; textual-serve relays its terminal over a websocket to xterm.js in the page.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from scorecard.cli.options import DbOption, open_db

if TYPE_CHECKING:
    from textual_serve.server import Server


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on: the default admits this "
                                      "machine only, 0.0.0.0 the whole network (no login!).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    user: Annotated[str | None, typer.Option(
        "--user", metavar="LOGIN", help="Who the served app runs as: every visitor has this "
        "user's permissions (default: the configured user).", show_default=False)] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar="ru|en", help="Language of the app (default: the config file, then "
        "the system locale).", show_default=False)] = None,
    db: DbOption = None,
    public_url: Annotated[str | None, typer.Option(
        "--public-url", metavar="URL", help="The address browsers use, when a reverse proxy "
        "sits in front (e.g. https://qa.example.com).", show_default=False)] = None,
) -> None:
    """Serve the app in a browser (one app per tab, all as the same user).

    Listens on 127.0.0.1 only by default; share it through a reverse proxy with a login.
    """
    import shlex

    from scorecard.config import load_settings, resolve_language
    from scorecard.errors import ScorecardError
    from scorecard.i18n import Catalogue
    from scorecard.services.access import Identity
    from scorecard.tui import make_app

    settings = load_settings()
    login = user or settings.user
    if not login:
        raise ScorecardError("say who the served app runs as: scorecard serve --user LOGIN, or "
                             "user = 'LOGIN' in the config file")
    language = resolve_language(lang, settings.language)
    database = open_db(db)
    try:
        # The same checks the terminal app makes (the user exists and has screens), made
        # now: in the browser they would only show as a tab that closes at once.
        make_app(database, settings, Identity(login), language)
        url = database.url.render_as_string(hide_password=False)
    finally:
        database.dispose()

    _check_address(host, port)
    # The database URL reaches the app processes through the environment they inherit,
    # not the command line: a password there would show in `ps` and in the page title.
    os.environ["SCORECARD_DATABASE_URL"] = url
    command = shlex.join([sys.executable, "-m", "scorecard", "--user", login,
                          "--lang", language])
    server = _server(command, host=host, port=port, public_url=public_url,
                     title=Catalogue(language)("app.title"), login=login)
    try:
        server.serve()
    except OSError as error:  # the port is taken, or the address is not this machine's
        raise ScorecardError(f"cannot listen on {host}:{port}: {error.strerror or error}") \
            from None


def _check_address(host: str, port: int) -> None:
    """Refuse an address this machine cannot listen on, before saying it is served there."""
    import socket

    from scorecard.errors import ScorecardError

    try:
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                       flags=socket.AI_PASSIVE)
        for family, kind, protocol, _, address in addresses:
            with socket.socket(family, kind, protocol) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as aiohttp does
                probe.bind(address)
    except OSError as error:  # gaierror too: a host name that does not resolve
        raise ScorecardError(f"cannot listen on {host}:{port}: {error.strerror or error}") \
            from None


def _server(command: str, *, host: str, port: int, public_url: str | None, title: str,
            login: str) -> Server:
    # textual-serve (aiohttp and friends) loads only here: `scorecard --help` stays fast.
    import asyncio

    from aiohttp import web
    from textual_serve.server import Server

    class ScorecardServer(Server):
        sessions: set[asyncio.Task[object]] = set()

        async def on_startup(self, app: web.Application) -> None:
            # Instead of textual-serve's banner, which prints the whole command.
            typer.echo(f"Serving the app as {login} on {self.public_url} (Ctrl+C stops)")

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            task = asyncio.current_task()
            assert task is not None
            self.sessions.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self.sessions.discard(task)

        async def on_shutdown(self, app: web.Application) -> None:
            # aiohttp waits up to a minute for open requests, and a browser tab's session
            # never ends by itself: end each one (textual-serve then tells its app to quit).
            for task in self.sessions:
                task.cancel()

    return ScorecardServer(command, host=host, port=port, title=title, public_url=public_url)

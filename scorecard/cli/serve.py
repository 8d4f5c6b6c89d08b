"""``scorecard serve``: the same app in a browser, behind a login.

Each visitor logs in with their own password; every browser tab then gets its own app
process (``python -m scorecard --user LOGIN``) and textual-serve relays its terminal over a
websocket to xterm.js in the page (:mod:`scorecard.web.server`).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scorecard.cli.options import DbOption, open_db

if TYPE_CHECKING:
    from scorecard.web.server import ServedApp


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on: the default admits this "
                                      "machine only; any other needs --public-url.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar="ru|en", help="Language of the app (default: the config file, then "
        "the system locale).", show_default=False)] = None,
    db: DbOption = None,
    public_url: Annotated[str | None, typer.Option(
        "--public-url", metavar="URL", help="The address browsers use, when a reverse proxy "
        "sits in front (e.g. https://qa.example.com).", show_default=False)] = None,
) -> None:
    """Serve the app in a browser: each visitor logs in with their login and password
    (scorecard users password) and gets an app of their own.

    Listens on 127.0.0.1 only by default; share it through a reverse proxy with HTTPS.
    """
    from scorecard.config import load_settings, resolve_language
    from scorecard.errors import ScorecardError
    from scorecard.services.identity import browser_login, check_serving

    settings = load_settings()
    language = resolve_language(lang, settings.language)
    if public_url is None and host not in ("127.0.0.1", "localhost", "::1"):
        raise ScorecardError(f"serving on {host} needs --public-url: the address browsers "
                             "use, which every request must name (a page of another site "
                             "must not reach the app)")
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise ScorecardError(f"--public-url {public_url!r}: give an http:// or https:// URL")
    database = open_db(db)
    try:
        with database.session() as session:
            check_serving(session, trusted=settings.security.trusted_accounts)
        url = database.url.render_as_string(hide_password=False)
        _check_address(host, port)
        # The database URL reaches the app processes through the environment they inherit,
        # not the command line: a password there would show in `ps`.
        os.environ["SCORECARD_DATABASE_URL"] = url

        def check_password(login: str, password: str, address: str) -> bool:
            with database.session() as session:
                return browser_login(session, login, password, address)

        server = _server([sys.executable, "-m", "scorecard", "--lang", language],
                         host=host, port=port, public_url=public_url, language=language,
                         security=settings.security, check_password=check_password)
        try:
            server.serve()
        except OSError as error:  # the port was taken meanwhile
            raise ScorecardError(f"cannot listen on {host}:{port}: "
                                 f"{error.strerror or error}") from None
    finally:
        database.dispose()


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


def _server(command: list[str], **options: Any) -> ServedApp:
    # The web server (aiohttp and friends) loads only here: `scorecard --help` stays fast.
    from scorecard.web.server import ServedApp

    return ServedApp(command, **options)

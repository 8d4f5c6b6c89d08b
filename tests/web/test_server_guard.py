"""The served app's front door, over real HTTP: only this server's own pages, only after a
right password, and not too many wrong ones (scorecard.web.server)."""

from __future__ import annotations

import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession, CookieJar, WSServerHandshakeError
from aiohttp.test_utils import TestServer

from scorecard.config import SecuritySettings
from scorecard.db.engine import open_database
from scorecard.services.access import actor
from scorecard.services.identity import browser_login, set_password
from scorecard.web.server import COOKIE, ServedApp, allowed_hosts
from tests.factories import seed

PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[str, ServedApp]]:
    database = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    seed(database)
    with database.session() as session:
        set_password(session, by=actor(session, "qa"), login="qa", password=PASSWORD)

    def check(login: str, password: str, address: str) -> bool:
        with database.session() as session:
            return browser_login(session, login, password, address)

    port = _free_port()
    app = ServedApp([sys.executable, "-m", "scorecard"], host="127.0.0.1", port=port,
                    public_url=None, language="en",
                    security=SecuritySettings(login_attempts=3), check_password=check)
    server = TestServer(await app._make_app(), host="127.0.0.1", port=port)
    await server.start_server()
    try:
        yield f"http://127.0.0.1:{port}", app
    finally:
        await server.close()
        database.dispose()


async def _login(client: ClientSession, url: str, password: str = PASSWORD,
                 origin: str | None = None) -> int:
    response = await client.post(f"{url}/login", data={"login": "qa", "password": password},
                                 headers={"Origin": origin or url}, allow_redirects=False)
    return response.status


def test_the_hosts_a_browser_may_name() -> None:
    assert allowed_hosts("127.0.0.1", 8000, "http://127.0.0.1:8000") == {
        "127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert allowed_hosts("0.0.0.0", 8000, "https://qa.example.com") == {"qa.example.com"}


async def test_nothing_without_a_login(served) -> None:
    url, _ = served
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
        response = await client.get(url, allow_redirects=False)
        assert response.status == 303 and response.headers["Location"] == "/login"
        page = await client.get(f"{url}/login")
        assert page.status == 200 and 'name="password"' in await page.text()
        assert "default-src 'self'" in page.headers["Content-Security-Policy"]
        assert "googleapis" not in await page.text()
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect(f"{url}/ws", headers={"Origin": url})
        assert refused.value.status == 403


async def test_a_right_password_opens_the_app_page(served) -> None:
    url, _ = served
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
        response = await client.post(f"{url}/login", headers={"Origin": url},
                                     data={"login": "qa", "password": PASSWORD},
                                     allow_redirects=False)
        cookie = response.cookies[COOKIE]
        assert response.status == 303 and cookie["httponly"] and cookie["samesite"] == "Strict"
        page = await client.get(url)
        text = await page.text()
        assert page.status == 200 and "textual.js" in text and "ws://127.0.0.1" in text
        assert "googleapis" not in text  # the page loads only this server's files
        await client.post(f"{url}/logout", headers={"Origin": url})
        assert (await client.get(url, allow_redirects=False)).status == 303


async def test_another_origin_or_host_gets_nothing(served) -> None:
    url, _ = served
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
        # A page of another site posting the login form (a right password or not).
        assert await _login(client, url, origin="http://evil.example") == 403
        assert await _login(client, url) == 303
        # Logged in, a foreign page's websocket is still refused (the browser sends the
        # cookie along; the Origin gives it away).
        with pytest.raises(WSServerHandshakeError) as refused:
            await client.ws_connect(f"{url}/ws", headers={"Origin": "http://evil.example"})
        assert refused.value.status == 403
        # DNS rebinding: the attacker's name resolves to this machine; the Host says so.
        response = await client.get(url, headers={"Host": "evil.example:8000"})
        assert response.status == 421


async def test_wrong_passwords_are_throttled(served) -> None:
    url, _ = served
    async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as client:
        assert [await _login(client, url, "wrong password") for _ in range(3)] == [401] * 3
        # Now even the right password waits: that is what stops guessing.
        response = await client.post(f"{url}/login", data={"login": "qa", "password": PASSWORD},
                                     headers={"Origin": url}, allow_redirects=False)
        assert response.status == 429 and "Try again in 15 min" in await response.text()

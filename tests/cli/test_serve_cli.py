"""``scorecard serve`` checks whom it can serve and where before it listens."""

from __future__ import annotations

import io
import os
import socket
from pathlib import Path

import pytest

from scorecard.db.engine import open_database
from tests.factories import seed


def _seeded(db_url: str) -> None:
    database = open_database(db_url)
    seed(database)
    database.dispose()


def _give_password(cli, monkeypatch: pytest.MonkeyPatch, db_url: str, login: str = "qa"
                   ) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    result = cli("users", "password", login, "--stdin", "--user", login, "--db", db_url)
    assert result.code == 0, result.err


def test_serving_needs_somebody_who_can_log_in(cli, db_url: str) -> None:
    _seeded(db_url)
    result = cli("serve", "--db", db_url, "--lang", "en")
    assert result.code == 2 and "scorecard users password LOGIN" in result.err
    assert "Serving" not in result.out


def test_serving_a_shared_database_needs_a_trusted_account(
        cli, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _seeded(db_url)
    _give_password(cli, monkeypatch, db_url)
    Path(os.environ["SCORECARD_CONFIG"]).write_text("", encoding="utf-8")  # nobody trusted
    with socket.socket() as taken:  # so that a server that would start cannot
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--db", db_url, "--lang", "en", "--port", port)
    if db_url.startswith("sqlite"):  # one person's file: nothing to prove
        assert result.code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.err
    else:
        assert result.code == 4 and "trusted_accounts" in result.err


def test_another_address_needs_the_public_url(cli, tmp_path: Path) -> None:
    result = cli("serve", "--db", tmp_path / "x.db", "--host", "0.0.0.0")
    assert result.code == 2 and "--public-url" in result.err
    result = cli("serve", "--db", tmp_path / "x.db", "--public-url", "qa.example.com")
    assert result.code == 2 and "http:// or https://" in result.err


def test_a_taken_port_is_refused_before_serving(
        cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    _seeded(url)
    _give_password(cli, monkeypatch, url)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--db", url, "--port", port)
    assert result.code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.err
    assert "Serving" not in result.out

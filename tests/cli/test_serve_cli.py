"""``scorecard serve`` checks who it serves as and where before it listens."""

from __future__ import annotations

import socket

from scorecard.db.engine import open_database
from tests.factories import seed


def test_serving_needs_a_user_who_exists(cli, db_url) -> None:
    database = open_database(db_url)
    seed(database)
    database.dispose()
    result = cli("serve", "--db", db_url, "--lang", "en")
    assert result.code == 2 and "--user LOGIN" in result.err
    result = cli("serve", "--db", db_url, "--user", "nobody", "--lang", "en")
    assert result.code == 2 and "No user 'nobody'" in result.err
    assert "Serving" not in result.out


def test_a_taken_port_is_refused_before_serving(cli, tmp_path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'x.db'}")
    seed(database)
    database.dispose()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = cli("serve", "--db", tmp_path / "x.db", "--user", "qa", "--port", port)
    assert result.code == 2 and f"cannot listen on 127.0.0.1:{port}" in result.err
    assert "Serving" not in result.out

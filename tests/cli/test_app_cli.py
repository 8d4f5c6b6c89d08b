"""``scorecard`` without a command opens the app; who may open it is checked first."""

from __future__ import annotations

from scorecard.db.engine import open_database
from scorecard.db.models import User
from tests.tui.conftest import seed


def test_the_app_needs_to_know_who_is_grading(cli, tmp_path) -> None:
    result = cli("--db", tmp_path / "x.db")
    assert result.code == 2 and "--user LOGIN" in result.err


def test_unknown_users_and_unlinked_operators_are_refused(cli, db_url) -> None:
    database = open_database(db_url)
    seed(database)
    with database.session() as session:
        session.add(User(login="ghost", display_name="Ghost", role="operator"))
    database.dispose()
    result = cli("--db", db_url, "--user", "nobody", "--lang", "en")
    assert result.code == 2 and "No user 'nobody'" in result.err
    result = cli("--db", db_url, "--user", "ghost", "--lang", "ru")
    assert result.code == 4 and "not linked to an operator" in result.err
    result = cli("--db", db_url, "--user", "qa", "--lang", "de")
    assert result.code == 2 and "ru or en" in result.err


def test_help_lists_the_app_options(cli) -> None:
    result = cli("--help")
    assert result.code == 0 and "--user" in result.out and "--lang" in result.out

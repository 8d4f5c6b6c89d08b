"""``scorecard`` without a command opens the app; who may open it is checked first."""

from __future__ import annotations

from scorecard.db.engine import open_database
from tests.tui.conftest import seed


def test_the_app_needs_to_know_who_is_grading(cli, tmp_path) -> None:
    result = cli("--db", tmp_path / "x.db")
    assert result.code == 2 and "--user LOGIN" in result.err


def test_unknown_users_and_roles_without_screens_are_refused(cli, db_url) -> None:
    database = open_database(db_url)
    seed(database)
    database.dispose()
    result = cli("--db", db_url, "--user", "nobody", "--lang", "en")
    assert result.code == 2 and "No user 'nobody'" in result.err
    result = cli("--db", db_url, "--user", "anna", "--lang", "ru")
    assert result.code == 2 and "«operator»" in result.err
    result = cli("--db", db_url, "--user", "qa", "--lang", "de")
    assert result.code == 2 and "ru or en" in result.err


def test_help_lists_the_app_options(cli) -> None:
    result = cli("--help")
    assert result.code == 0 and "--user" in result.out and "--lang" in result.out

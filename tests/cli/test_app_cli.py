"""``scorecard`` without a command opens the app; who may open it is checked first."""

from __future__ import annotations

from scorecard.db.engine import open_database
from scorecard.db.models import User
from tests.factories import seed


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


STARTUP_CHILD = """
import asyncio, gc, sys
from scorecard.startup import pause_collector
pause_collector()  # as the scorecard command does
from scorecard.db.engine import open_database
from scorecard.config import Settings
from scorecard.services.access import Identity
from scorecard.tui import make_app

async def main():
    app = make_app(open_database(sys.argv[1]), Settings(), Identity("qa"), "en")
    assert not gc.isenabled()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        print(gc.isenabled(), gc.get_freeze_count() > 0)
asyncio.run(main())
"""


def test_start_up_runs_without_the_collector_and_the_first_frame_resumes_it(tmp_path) -> None:
    """Start-up objects are frozen, not walked over and over as they are made; the app's
    first frame hands the collector back (a process that runs for hours needs it)."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'app.db'}"
    database = open_database(url)
    seed(database)
    database.dispose()
    child = subprocess.run([sys.executable, "-c", STARTUP_CHILD, url], capture_output=True,
                           text=True, timeout=60)
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["True", "True"]

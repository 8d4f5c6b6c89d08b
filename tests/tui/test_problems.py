"""What the user is told when something goes wrong, and what is logged."""

from __future__ import annotations

from scorecard.errors import DisputeError
from scorecard.i18n import Catalogue
from scorecard.logs import log_file
from tests.factories import make_test_app, wait_for


def test_a_refusal_reads_in_the_users_language_and_in_english_on_the_command_line() -> None:
    refusal = DisputeError("dispute.already_open", item="price/named")
    assert refusal.message(Catalogue("ru")) == "Пункт price/named уже оспорен."
    assert str(refusal) == "price/named is already disputed"
    assert str(DisputeError("operators.csv:3: column 'team' is empty")).startswith(
        "operators.csv:3")  # a sentence about a file reads as written


async def test_an_unexpected_failure_is_logged_and_the_log_named(graded_db) -> None:
    database, _ = graded_db
    app = make_test_app(database, language="ru")

    def broken() -> None:
        raise RuntimeError("the disk caught fire")

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.run_worker(broken, thread=True, exit_on_error=False, name="broken")
        await wait_for(lambda: any("журнал" in str(n.message) for n in app._notifications))
        shown = next(str(n.message) for n in app._notifications if "журнал" in str(n.message))
    path = log_file()
    assert str(path) in shown and "RuntimeError: the disk caught fire" in shown
    logged = path.read_text(encoding="utf-8")
    assert "Traceback" in logged and "the disk caught fire" in logged

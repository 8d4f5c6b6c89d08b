"""``scorecard demo``: build a realistic demo database to try every screen on."""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, open_db


def demo(
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="Same seed and end date, same database.")] = 1,
    end: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
                     help="Last working day with calls. Default: the working day before today.",
                     show_default=False),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Wipe the database first (all its data is lost).")
    ] = False,
    no_tui: Annotated[
        bool, typer.Option("--no-tui", help="Only build; do not open the app.")
    ] = False,
) -> None:
    """Build a demo call centre: 3 teams, 24 operators, 30 working days of calls.

    Creates the users qa, qa2, lead, trainer, admin and one login per operator, and gives
    qa a queue of sampled calls to grade.
    """
    from scorecard.db.migrate import reset
    from scorecard.demo.builder import build_demo, last_working_day_before
    from scorecard.services.stats import table_counts

    started = time.perf_counter()
    if replace:
        database = open_db(db, check_schema=False)
        reset(database)
    else:
        database = open_db(db)
    last_day = end.date() if end else last_working_day_before(date.today())
    summary = build_demo(database, seed=seed, last_day=last_day)
    elapsed = time.perf_counter() - started

    url = database.url.render_as_string(hide_password=True)
    typer.echo(f"Demo call centre built in {elapsed:.1f} s: {database.describe()}")
    typer.echo(f"  working days     {summary.first_day} … {summary.last_day}")
    with database.session() as session:
        counts = table_counts(session)
    for name, count in counts.items():
        typer.echo(f"  {name:<14} {count:>10,}".replace(",", " "))
    typer.echo(f"  {'queue for qa':<14} {summary.queue_for_qa:>10}")
    typer.echo("Users: qa, qa2 (listeners), lead, trainer, admin, and one login per operator.")
    typer.echo(f"Grade calls:  scorecard --db {url} --user qa")
    typer.echo(f"Look around:  scorecard db info --db {url}")
    typer.echo(f"              scorecard cards list --db {url}")
    if no_tui or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return
    from scorecard.cli.options import root_language, run_app
    from scorecard.config import load_settings, resolve_language
    from scorecard.services.access import Identity

    settings = load_settings()
    run_app(database, settings, Identity("qa"),
            resolve_language(root_language(), settings.language))

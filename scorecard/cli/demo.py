"""``scorecard demo``: build a realistic demo database to try every screen on."""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scorecard.cli.options import DbOption, UserOption, given_login, open_db

if TYPE_CHECKING:
    from scorecard.db.engine import Database


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
        bool, typer.Option("--replace", help="Wipe the database first (all its data is lost; "
                           "an admin's --user, then a typed confirmation or --yes).")
    ] = False,
    yes: Annotated[
        bool, typer.Option("--yes", help="With --replace: wipe without asking.")
    ] = False,
    now: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%dT%H:%M"], hidden=True,
                     help="The moment taken as now (default: the clock), for today's calls.")
    ] = None,
    user: UserOption = None,
    no_tui: Annotated[
        bool, typer.Option("--no-tui", help="Only build; do not open the app.")
    ] = False,
) -> None:
    """Build a demo call centre: 3 teams, 24 operators, 30 working days of calls, and
    today's so far.

    Creates the users qa, qa2, lead, trainer, admin and one login per operator, and gives
    qa a queue of sampled calls to grade.
    """
    from scorecard.db.migrate import reset
    from scorecard.demo.builder import build_demo, last_working_day_before
    from scorecard.demo.recordings import write_recordings
    from scorecard.services.stats import table_counts

    started = time.perf_counter()
    if replace:
        database = open_db(db, check_schema=False)
        wiped = _may_wipe(database, user, yes)
        reset(database)
        _record_wipe(database, wiped)
    else:
        database = open_db(db)
    last_day = end.date() if end else last_working_day_before(date.today())

    def progress(step: str) -> None:  # a minute of silence reads as a hang
        typer.echo(f"  {time.perf_counter() - started:5.1f} s  {step}…", err=True)

    typer.echo(f"Building the demo call centre in {database.describe()}", err=True)
    # Built without --end, the demo runs up to now: today's slices show today's calls.
    until = now or (None if end else datetime.now())
    summary = build_demo(database, seed=seed, last_day=last_day, until=until,
                         progress=progress)
    progress("recordings for the first calls of qa's queue")
    recordings = write_recordings(database, _recordings_folder(database))
    elapsed = time.perf_counter() - started

    url = database.url.render_as_string(hide_password=True)
    typer.echo(f"Demo call centre built in {elapsed:.1f} s: {database.describe()}")
    typer.echo(f"  working days     {summary.first_day} … {summary.last_day}"
               + (f", and today until {summary.today_until:%H:%M}"
                  if summary.today_until else ""))
    with database.session() as session:
        counts = table_counts(session)
    for name, count in counts.items():
        typer.echo(f"  {name:<14} {count:>10,}".replace(",", " "))
    typer.echo(f"  {'queue for qa':<14} {summary.queue_for_qa:>10}")
    typer.echo(f"  {'with a recording':<14} {recordings:>8}  ({_recordings_folder(database)})")
    typer.echo("Users: qa, qa2 (listeners), lead, trainer, admin, and one login per operator:")
    for team, login in sorted(summary.logins.items()):
        typer.echo(f"  {login:<16} an operator of {team}")
    operator = next(iter(sorted(summary.logins.values())), "qa")
    typer.echo(f"Grade calls:  scorecard --db {url} --user qa")
    typer.echo(f"Lead:         scorecard --db {url} --user lead")
    typer.echo(f"Operator:     scorecard --db {url} --user {operator}")
    typer.echo(f"Look around:  scorecard db info --db {url}")
    if no_tui or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return
    # The app takes the whole terminal: the summary is read first.
    typer.prompt("Press Enter to open the app as qa", default="", show_default=False,
                 prompt_suffix=" ")
    from scorecard.cli.options import acting_login, root_language, run_app
    from scorecard.config import load_settings, resolve_language
    from scorecard.services.access import Identity

    settings = load_settings()
    with database.session() as session:  # the listener qa, when this account may be qa
        login = acting_login("qa", session)
    run_app(database, settings, Identity(login),
            resolve_language(root_language(), settings.language))


def _recordings_folder(database: Database) -> Path:
    """Beside a SQLite file (``centre.db`` → ``centre-recordings``); for a server's
    database, in the data folder under the database's name."""
    from scorecard.config import data_dir

    url = database.url
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database).expanduser().resolve()
        return path.with_name(f"{path.stem}-recordings")
    return data_dir() / "demo-recordings" / (url.database or "database")


def _may_wipe(database: Database, user: str | None, yes: bool) -> dict[str, Any] | None:
    """Whether ``demo --replace`` may wipe the database: anything in it is an admin's to
    wipe (their --user), after they type the database's name or give --yes. What it held,
    for the new database's audit log (None: nothing was there)."""
    from scorecard.errors import ScorecardError
    from scorecard.services.access import Permission
    from scorecard.services.stats import table_counts
    from scorecard.services.users import setup_actor

    revision, _ = database.revision()
    if revision is None:
        return None  # a new database: nothing to lose
    try:
        with database.session() as session:
            counts = {name: n for name, n in table_counts(session).items() if n}
            by = setup_actor(session, given_login(user, session), Permission.REPLACE_DATABASE)
    except ScorecardError:
        raise
    except Exception:  # an old or broken schema: an admin cannot be found in it
        counts, by = {"unknown": 1}, None
    if not counts:
        return None
    name = database.describe()
    if not yes:
        if not sys.stdin.isatty():
            raise ScorecardError(f"--replace wipes {name} and everything in it; say --yes to "
                                 "do it without a terminal to ask in")
        held = ", ".join(f"{n} {table}" for table, n in counts.items())
        typer.echo(f"This wipes {name}: {held}.")
        answer = typer.prompt("Type 'wipe' to go on", default="", show_default=False)
        if answer.strip() != "wipe":
            raise ScorecardError("nothing was wiped")
    return {"database": name, "held": counts, "by": by.login if by else None}


def _record_wipe(database: Database, wiped: dict[str, Any] | None) -> None:
    """The new database's first audit entry: the wipe, by whom, of what."""
    if wiped is None:
        return
    from scorecard.services.audit import record

    with database.session() as session:
        record(session, action="database.replace", entity="database", entity_id=None,
               new=wiped)

"""The typer application: command groups and the top-level callback."""

from __future__ import annotations

from typing import Annotated

import typer

from scorecard import __version__
from scorecard.cli import (
    audit,
    calibration,
    calls,
    cards,
    coaching,
    db,
    demo,
    importing,
    kpi,
    pbx,
    queue,
    report,
    serve,
    slices,
    teams,
    users,
)
from scorecard.cli.detect import detect
from scorecard.cli.options import DbOption, acting_login, open_db, remember_root, run_app
from scorecard.cli.purge import purge
from scorecard.cli.sample import sample

app = typer.Typer(
    name="scorecard",
    help="Call-quality scorecard for telemarketing and sales call centres.",
    invoke_without_command=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: rich's help renderer (markdown and all) costs ~0.2 s of imports, and
    # `scorecard --help` is the command people run first.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(db.app, name="db")
app.add_typer(audit.app, name="audit")
app.add_typer(cards.app, name="cards")
app.add_typer(importing.app, name="import")
app.add_typer(calls.app, name="calls")
app.add_typer(pbx.app, name="pbx")
app.add_typer(report.app, name="report")
app.add_typer(queue.app, name="queue")
app.add_typer(kpi.app, name="kpi")
app.add_typer(slices.app, name="slice")
app.add_typer(coaching.app, name="coaching")
app.add_typer(users.app, name="users")
app.add_typer(teams.app, name="teams")
app.add_typer(calibration.app, name="calibration")
app.command("detect")(detect)
app.command("sample")(sample)
app.command("purge")(purge)
app.command("demo")(demo.demo)
app.command("serve")(serve.serve)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scorecard {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option(
        "--user", metavar="LOGIN", help="Who is grading (default: the configured user).",
        show_default=False)] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", metavar="ru|en", help="Language of the app (default: the config file, then "
        "the system locale).", show_default=False)] = None,
    db: DbOption = None,
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Call-quality scorecard for telemarketing and sales call centres.

    Without a command, opens the grading app for the user.
    """
    remember_root(user=user, db=db, lang=lang)
    if ctx.invoked_subcommand is not None:
        from scorecard.startup import resume_collector

        resume_collector()  # a command's own work may well make garbage
        return
    from scorecard.config import load_settings, resolve_language
    from scorecard.services.access import Identity

    settings = load_settings()
    language = resolve_language(lang, settings.language)
    database = open_db(db)
    try:
        with database.session() as session:
            login = acting_login(user, session)
    except BaseException:
        database.dispose()
        raise
    run_app(database, settings, Identity(login), language)

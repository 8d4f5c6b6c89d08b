"""The typer application: command groups and the top-level callback."""

from __future__ import annotations

import typer

from scorecard import __version__
from scorecard.cli import cards, db, demo, importing, queue, report
from scorecard.cli.detect import detect
from scorecard.cli.sample import sample

app = typer.Typer(
    name="scorecard",
    help="Call-quality scorecard for telemarketing and sales call centres.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(db.app, name="db")
app.add_typer(cards.app, name="cards")
app.add_typer(importing.app, name="import")
app.add_typer(report.app, name="report")
app.add_typer(queue.app, name="queue")
app.command("detect")(detect)
app.command("sample")(sample)
app.command("demo")(demo.demo)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"scorecard {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Call-quality scorecard for telemarketing and sales call centres."""

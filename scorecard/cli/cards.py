"""``scorecard cards``: check card files, import them as versions, list what is stored."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from scorecard.domain.cards import QualityCard

from scorecard.cli.options import DbOption, UserOption, given_login, open_db

app = typer.Typer(help="Quality cards: check, import, list.", no_args_is_help=True)

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Card files or folders of *.toml cards. Default: the configured folders and "
        "the shipped library.",
        show_default=False,
    ),
]


def _paths_or_library(paths: list[Path] | None) -> list[Path]:
    from scorecard.config import load_settings
    from scorecard.domain.library import card_files, shipped_library

    if paths:
        return card_files(paths)
    return card_files([*load_settings().library, shipped_library()])


def _load_all(files: list[Path]) -> list[tuple[Path, QualityCard]]:
    """Validate every file; report each broken one; fail if any is broken."""
    from scorecard.domain.cards import CardError, load_card
    from scorecard.errors import ScorecardError

    loaded, errors = [], []
    for path in files:
        try:
            loaded.append((path, load_card(path)))
        except CardError as error:
            errors.append(str(error))
    if not files:
        raise ScorecardError("no card files found (give a .toml file or a folder of them)")
    if errors:
        count = len(errors)
        raise ScorecardError(
            "\n".join(errors) + f"\n{count} of {len(files)} card file(s) are invalid"
        )
    return loaded


@app.command()
def check(paths: PathsArgument = None) -> None:
    """Validate card files without touching the database."""
    for path, card in _load_all(_paths_or_library(paths)):
        items = sum(len(stage.items) for stage in card.stages)
        triggers = sum(len(item.all_triggers) for stage in card.stages for item in stage.items)
        groups = sum(len(item.groups) for stage in card.stages for item in stage.items)
        typer.echo(
            f"ok  {path}  ({card.id} v{card.version}: {len(card.stages)} stages, "
            f"{items} items, {triggers} triggers" + (f" in {groups} groups" if groups else "")
            + ")"
        )


@app.command("import")
def import_(paths: PathsArgument = None, user: UserOption = None, db: DbOption = None) -> None:
    """Store cards; a changed card becomes a new version, an unchanged one is skipped.

    All files are validated first: if any is invalid, nothing is stored. Once the database
    has an admin, only an admin (--user) may import.
    """
    from scorecard.services.access import Permission
    from scorecard.services.cards import import_card
    from scorecard.services.users import setup_actor

    loaded = _load_all(_paths_or_library(paths))
    database = open_db(db)
    with database.session() as session:
        by = setup_actor(session, given_login(user, session), Permission.MANAGE_CARDS)
        results = [(path, import_card(session, card, source=path, by=by))
                   for path, card in loaded]
    for path, result in results:
        note = ""
        if result.status != "unchanged" and result.number != result.declared_version:
            note = f" (the file says version {result.declared_version})"
        typer.echo(f"{result.status:<12} {result.slug} v{result.number}{note}  {path}")


@app.command("list")
def list_(db: DbOption = None) -> None:
    """Cards stored in the database, and library cards not imported or changed since."""
    from scorecard.domain.cards import CardError, load_card
    from scorecard.services.cards import list_cards

    database = open_db(db)
    with database.session() as session:
        stored = {summary.slug: summary for summary in list_cards(session)}
    rows = [
        (s.slug, f"v{s.latest_number}", str(s.versions), str(s.evaluations), s.language, s.title)
        for s in stored.values()
    ]
    notes = []
    for path in _paths_or_library(None):
        try:
            card = load_card(path)
        except CardError as error:
            notes.append(f"invalid: {error}")
            continue
        summary = stored.get(card.id)
        if summary is None:
            notes.append(f"not imported: {card.id}  {path}")
        elif summary.content_hash != card.content_hash():
            notes.append(f"changed since import: {card.id}  {path}")
    _print_table(("card", "version", "versions", "evaluations", "lang", "title"), rows)
    if not rows:
        typer.echo("no cards stored yet: run `scorecard cards import`")
    for note in notes:
        typer.echo(note)


def _print_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=False)]
    for row in (header, *rows):
        typer.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)).rstrip())

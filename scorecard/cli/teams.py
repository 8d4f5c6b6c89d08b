"""``scorecard teams``: each team's quality card and shift hours."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, given_login, open_db

app = typer.Typer(help="Teams: the card their calls are graded with, their shift hours.",
                  no_args_is_help=True)


@app.command("list")
def list_(db: DbOption = None) -> None:
    """Every team with its card, shift and active operators."""
    from scorecard.services.teams import list_teams

    with open_db(db).session() as session:
        rows = list_teams(session)
    if not rows:
        typer.echo("no teams yet: they come with the operator list (scorecard import "
                   "operators FILE)")
        return
    typer.echo(f"{'team':<28} {'card':<28} {'shift':<11} {'operators':>9}")
    for r in rows:
        typer.echo(f"{r.name[:28]:<28} {(r.card or '— (none: not sampled)')[:28]:<28} "
                   f"{r.shift_start:%H:%M}–{r.shift_end:%H:%M} {r.operators:>9}")


@app.command("set")
def set_(
    name: Annotated[str, typer.Argument(help="The team, as the operator list names it.")],
    card: Annotated[str | None, typer.Option(
        "--card", metavar="SLUG", help="The card its calls are graded with (scorecard cards "
        "list); '' for none.", show_default=False)] = None,
    shift: Annotated[str | None, typer.Option(
        "--shift", metavar="HH:MM-HH:MM", help="Its working hours, e.g. 09:00-18:00 (the "
        "slices measure against them).", show_default=False)] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Set a team's card and/or shift. Once the database has an admin, only an admin
    (--user) may."""
    from scorecard.errors import ScorecardError
    from scorecard.services.access import Permission
    from scorecard.services.teams import set_team
    from scorecard.services.users import setup_actor

    if card is None and shift is None:
        raise ScorecardError("say what to set: --card SLUG and/or --shift HH:MM-HH:MM")
    hours = _shift(shift) if shift is not None else None
    with open_db(db).session() as session:
        by = setup_actor(session, given_login(user, session), Permission.MANAGE_CARDS)
        row = set_team(session, by=by, name=name, card=card, shift=hours)
    typer.echo(f"{row.name}: card {row.card or '—'}, shift "
               f"{row.shift_start:%H:%M}–{row.shift_end:%H:%M}")


def _shift(text: str) -> tuple[time, time]:
    from scorecard.errors import ScorecardError

    parts = text.replace("–", "-").split("-")
    try:
        if len(parts) != 2:
            raise ValueError
        start, end = (datetime.strptime(part.strip(), "%H:%M").time() for part in parts)
    except ValueError:
        raise ScorecardError(f"--shift {text!r}: write it as HH:MM-HH:MM, e.g. 09:00-18:00"
                             ) from None
    return start, end

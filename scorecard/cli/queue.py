"""``scorecard queue``: the calls waiting for a listener, and claiming the next one."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, acting_login, open_db

app = typer.Typer(help="The grading queue: list it, claim the next call.",
                  invoke_without_command=True)

UserOption = Annotated[
    str | None,
    typer.Option("--user", metavar="LOGIN", help="The listener (default: the configured user).",
                 show_default=False),
]


@app.callback()
def queue(ctx: typer.Context, user: UserOption = None, db: DbOption = None) -> None:
    """List the listener's calls and the shared queue, oldest first."""
    if ctx.invoked_subcommand is not None:
        return
    from scorecard.services.queue import list_queue

    database = open_db(db)
    with database.session() as session:
        login = acting_login(user, session)
        entries = list_queue(session, login)
    if not entries:
        typer.echo(f"the queue is empty for {login}")
        return
    typer.echo(f"{'call':<28} {'operator':<28} {'started':<17} {'talk':>6}  status")
    for e in entries:
        status = e.status if e.mine else "shared"
        typer.echo(f"{e.external_id[:28]:<28} {(e.operator or '—')[:28]:<28} "
                   f"{e.started_at:%Y-%m-%d %H:%M} {e.talk_seconds:>5}s  {status}")
    typer.echo(f"{len(entries)} call(s): {sum(e.mine for e in entries)} yours, "
               f"{sum(not e.mine for e in entries)} in the shared queue")


@app.command("next")
def next_(
    user: UserOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """Claim the next call (exit code 3 when nothing is left)."""
    from scorecard.config import load_settings
    from scorecard.services.queue import claim_next

    database = open_db(db)
    with database.session() as session:
        login = acting_login(user, session)
    entry = claim_next(database, login, claim_minutes=load_settings().claim_minutes)
    if entry is None:
        if not as_json:
            typer.echo(f"nothing left in the queue for {login}")
        raise typer.Exit(3)
    if as_json:
        typer.echo(json.dumps({"call_id": entry.call_id, "external_id": entry.external_id,
                               "operator": entry.operator, "assignment_id": entry.assignment_id},
                              ensure_ascii=False))
        return
    typer.echo(f"claimed call {entry.call_id} ({entry.external_id}), operator "
               f"{entry.operator or '—'}")

"""``scorecard audit``: check the audit log's hash chain."""

from __future__ import annotations

import typer

from scorecard.cli.options import DbOption, UserOption, acting_login, open_db

app = typer.Typer(help="The audit log: check that no entry was changed, deleted or inserted "
                  "by hand.", no_args_is_help=True)


@app.command("verify")
def verify(user: UserOption = None, db: DbOption = None) -> None:
    """Recompute the hash chain over every entry and print its head: keep the head outside
    the database (a ticket, a mail) and a later verify proves the log up to it unchanged."""
    from scorecard.errors import ScorecardError
    from scorecard.services.access import actor
    from scorecard.services.audit import verify_chain

    with open_db(db).session() as session:
        found = verify_chain(session, viewer=actor(session, acting_login(user, session)))
    if found.broken_at is not None:
        raise ScorecardError(
            f"the audit log was tampered with: entry {found.broken_at} does not follow from "
            f"the {found.entries} before it (changed, deleted or inserted by hand); the "
            f"last good head is {found.head} (entry {found.head_id})")
    typer.echo(f"{found.entries} entries, chain intact; head {found.head}"
               + (f" (entry {found.head_id})" if found.head_id is not None else ""))

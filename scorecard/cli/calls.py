"""``scorecard calls``: why a call counts as it does, and deciding calls again."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, acting_login, given_login, open_db

app = typer.Typer(help="Calls: the legs behind each one; deciding them again.",
                  no_args_is_help=True)


@app.command("show")
def show(
    call: Annotated[str, typer.Argument(metavar="CALL", help="The call's external id (the "
                                        "PBX's linkedid or uniqueid) or number.")],
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """The call as stored, every leg the PBX wrote for it, and what the legs make of it
    with today's rules. Client numbers are masked for everyone but admins."""
    from scorecard.services.access import actor
    from scorecard.services.calls import DECIDED, show_call

    with open_db(db).session() as session:
        view = show_call(session, actor(session, acting_login(user, session)), call)
    typer.echo(f"call {view.external_id}")
    for name in DECIDED:
        typer.echo(f"  {name:<19} {_text(view.stored[name])}")
    typer.echo(f"{len(view.legs)} leg(s) kept")
    for number, leg in enumerate(view.legs, start=1):
        verdict = ("rejected by today's reader" if leg.alone is None else
                   f"{leg.alone.disposition}, operator {leg.alone.operator_extension or '—'}, "
                   f"talk {leg.alone.talk_seconds} s")
        typer.echo(f"  leg {number} ({leg.source}): {verdict}")
        width = max([12, *(len(name) for name, _ in leg.fields)])
        for name, value in leg.fields:
            if value:
                typer.echo(f"    {name:<{width}} {value}")
    if view.now is None:
        typer.echo("no legs kept: the call is as its import stored it")
    elif view.differences:
        typer.echo("today's rules decide it differently: " + ", ".join(
            f"{name} {_text(view.stored[name])} → {_text(view.now[name])}"
            for name in view.differences))
        typer.echo("(scorecard calls rebuild decides calls again)")
    else:
        typer.echo("today's rules decide it the same way")


@app.command("rebuild")
def rebuild(
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="First day.",
                                                   show_default=False)] = None,
    until: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Last day.",
                                                   show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would change; "
                                          "write nothing.")] = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Decide the calls of a period again from their kept legs, with today's PBX rules and
    operator list (after `scorecard pbx set`, or an operator list imported late). Graded
    calls are listed, never changed; who held a seat is never decided again; calls of a
    closed pay period are named (their pay difference is carried as an adjustment)."""
    from scorecard.services.access import Permission
    from scorecard.services.calls import rebuild_calls
    from scorecard.services.users import setup_actor

    with open_db(db).session() as session:
        by = setup_actor(session, given_login(user, session), Permission.MANAGE_PBX)
        report = rebuild_calls(session, by, since=since and since.date(),
                               until=until and until.date(), dry_run=dry_run)
        if dry_run:
            session.rollback()
    for external_id, changes in report.changed[:50]:
        typer.echo(f"{external_id}: " + ", ".join(
            f"{name} {_text(old)} → {_text(new)}" for name, old, new in changes))
    if len(report.changed) > 50:
        typer.echo(f"… and {len(report.changed) - 50} more")
    for external_id, why in report.held:
        typer.echo(f"held: {external_id}: decided differently, left as it is ({why})")
    for external_id, month in report.in_closed:
        typer.echo(f"closed month: {external_id} is in {month:%Y-%m}, already paid: the month "
                   "stays as paid, the difference is an adjustment with the next open month "
                   "(kpi report)")
    verb = "would change" if dry_run else "changed"
    typer.echo(f"{report.checked} call(s) checked, {len(report.changed)} {verb}, "
               f"{len(report.held)} held")


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}"
    return str(value)

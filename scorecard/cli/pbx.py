"""``scorecard pbx``: the centre's PBX rules the call records are read with."""

from __future__ import annotations

from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, given_login, open_db

app = typer.Typer(help="The PBX rules: the centre's own numbers, trunks, time zone.",
                  no_args_is_help=True)


@app.command("show")
def show(db: DbOption = None) -> None:
    """Every version of the rules, newest first."""
    from scorecard.services.pbx import rules_history

    with open_db(db).session() as session:
        versions = rules_history(session)
        if not versions:
            typer.echo("no PBX rules set: calls are read with none (see scorecard pbx set)")
            return
        for row in versions:
            typer.echo(f"version {row.version} ({row.created_at:%Y-%m-%d %H:%M} UTC): "
                       f"own numbers {row.own_numbers or '—'}; trunks {row.trunks or '—'}; "
                       f"time zone {row.time_zone or '— (times kept as written)'}")


@app.command("set")
def set_(
    own_number: Annotated[list[str] | None, typer.Option(
        "--own-number", metavar="NUMBER", help="The centre's number (DID), as the PBX writes "
        "it; repeat or separate by commas. Replaces the list; '' empties it.",
        show_default=False)] = None,
    trunk: Annotated[list[str] | None, typer.Option(
        "--trunk", metavar="CHANNEL", help="A trunk's channel name, as in the CDR up to its "
        "'-' (SIP/mts); repeat or separate by commas. Replaces the list.",
        show_default=False)] = None,
    time_zone: Annotated[str | None, typer.Option(
        "--time-zone", metavar="ZONE", help="The centre's time zone (Europe/Moscow): times "
        "written with an offset are stored in it; '' clears it.", show_default=False)] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """A new version of the rules (admins only, audited). Calls already stored keep their
    decision until `scorecard calls rebuild`."""
    from scorecard.errors import ScorecardError
    from scorecard.services.access import Permission
    from scorecard.services.pbx import set_rules
    from scorecard.services.users import setup_actor

    if own_number is None and trunk is None and time_zone is None:
        raise ScorecardError("say what to set: --own-number, --trunk and/or --time-zone")
    with open_db(db).session() as session:
        by = setup_actor(session, given_login(user, session), Permission.MANAGE_PBX)
        row = set_rules(session, by, own_numbers=own_number, trunks=trunk,
                        time_zone=time_zone)
        typer.echo(f"PBX rules version {row.version}: own numbers {row.own_numbers or '—'}; "
                   f"trunks {row.trunks or '—'}; time zone {row.time_zone or '—'}")

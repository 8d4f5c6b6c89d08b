"""``scorecard users``: logins, their roles, teams and operators (admins only)."""

from __future__ import annotations

from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, acting_login, given_login, open_db

app = typer.Typer(help="Users: who logs in, with which role (admins manage them).",
                  no_args_is_help=True)


@app.command("list")
def list_(db: DbOption = None) -> None:
    """Every login with its role, team, operator and whether it is active."""
    from scorecard.services.users import list_users

    with open_db(db).session() as session:
        rows = list_users(session)
    for r in rows:
        proofs = ", ".join(p for p in (f"os:{r.os_account}" if r.os_account else "",
                                       "password" if r.has_password else "") if p)
        typer.echo(f"{r.login:<20} {r.role:<9} {(r.team or '—')[:20]:<20} "
                   f"{(r.operator or '—')[:28]:<28} {'active' if r.active else 'inactive':<8} "
                   f"{proofs or '—'}")
    if not rows:
        typer.echo("no users: create the first admin with scorecard users save LOGIN "
                   "--role admin")


@app.command("save")
def save(
    login: Annotated[str, typer.Argument(help="The login to create or change.")],
    role: Annotated[str | None, typer.Option(
        "--role", help="qa, lead, trainer, admin or operator (needed for a new login).")]
    = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    team: Annotated[str | None, typer.Option(
        "--team", help="A lead's team (what they see); '' for none.")] = None,
    operator: Annotated[str | None, typer.Option(
        "--operator", help="For role operator: the operator this login is.")] = None,
    active: Annotated[bool | None, typer.Option(
        "--active/--inactive", help="Let the login in, or not.", show_default=False)] = None,
    os_account: Annotated[str | None, typer.Option(
        "--os-account", metavar="ACCOUNT", help="The server's OS account that proves this "
        "user on a shared database; '' for none.", show_default=False)] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Create a login or change it. The first admin of a new database needs no --user;
    after that, only an admin (--user) may."""
    from scorecard.services.access import Permission
    from scorecard.services.users import save_user, setup_actor

    with open_db(db).session() as session:
        by = setup_actor(session, given_login(user, session), Permission.MANAGE_USERS)
        saved, created = save_user(session, by=by, login=login, role=role, display_name=name,
                                   team=team, operator=operator, active=active,
                                   os_account=os_account)
        summary = f"{saved.login} ({saved.role}{'' if saved.active else ', inactive'})"
    typer.echo(f"{'created' if created else 'changed'} {summary}")


@app.command("password")
def password(
    login: Annotated[str, typer.Argument(help="Whose browser password to set.")],
    from_stdin: Annotated[bool, typer.Option(
        "--stdin", help="Read the password from the first line of standard input.")] = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Set the password a user logs in to the served app with (scorecard serve): your own,
    or anyone's as an admin. Asked twice, not shown."""
    import sys

    from scorecard.errors import ScorecardError
    from scorecard.services.access import actor
    from scorecard.services.identity import set_password

    if from_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    else:
        secret = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with open_db(db).session() as session:
        by = actor(session, acting_login(user, session))
        if not secret:
            raise ScorecardError("no password given")
        set_password(session, by=by, login=login, password=secret)
    typer.echo(f"password set for {login}")

"""``scorecard db``: where the data lives, bringing its schema up to date, backups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, given_login, open_db

if TYPE_CHECKING:
    from scorecard.db.engine import Database
    from scorecard.services.access import Permission

app = typer.Typer(help="The database: location, schema version, upgrades.", no_args_is_help=True)


@app.command()
def upgrade(db: DbOption = None) -> None:
    """Create the schema or upgrade it to this version of scorecard."""
    from scorecard.db.migrate import upgrade as run_upgrade
    from scorecard.db.schema import SCHEMA_HEAD

    database = open_db(db, check_schema=False)
    before, _ = database.revision()
    if before == SCHEMA_HEAD:
        typer.echo(f"{database.describe()}: schema is current ({SCHEMA_HEAD})")
        return
    run_upgrade(database)
    typer.echo(f"{database.describe()}: schema upgraded from {before or 'empty'} to {SCHEMA_HEAD}")


@app.command()
def info(db: DbOption = None) -> None:
    """Print where the data lives, the schema version and how much it holds."""
    from scorecard.db.schema import SCHEMA_HEAD
    from scorecard.services.stats import table_counts

    database = open_db(db, check_schema=False)
    revision, _ = database.revision()
    state = "current" if revision == SCHEMA_HEAD else "run `scorecard db upgrade`"
    typer.echo(f"database:  {database.describe()}")
    typer.echo(f"url:       {database.url.render_as_string(hide_password=True)}")
    typer.echo(f"schema:    {revision or 'empty'} ({state})")
    if revision == SCHEMA_HEAD:
        with database.session() as session:
            for name, count in table_counts(session).items():
                typer.echo(f"  {name:<14} {count:>10,}".replace(",", " "))


@app.command()
def backup(
    target: Annotated[Path, typer.Argument(metavar="FILE", help="Where the backup goes (a new "
                                           "file).")],
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Back up the database while it is in use: SQLite's online backup, or pg_dump's custom
    format (restore with pg_restore; see the README's backup runbook). Admins only."""
    from scorecard.db.backup import backup as run_backup
    from scorecard.services.access import Permission

    database = _allowed(db, user, Permission.BACKUP,
                        lambda database: run_backup(database, target))
    typer.echo(f"backup of {database.describe()} written to {target}")


@app.command("grant-app")
def grant_app(
    role: Annotated[str, typer.Argument(metavar="ROLE", help="The PostgreSQL login role the "
                                        "app connects as (it must exist).")],
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """PostgreSQL: give the app's login role what the app needs and no more (run as the
    schema's owner, after each db upgrade): the audit log only through audit_append."""
    from scorecard.db.roles import grant_app_role
    from scorecard.services.access import Permission

    database = _allowed(db, user, Permission.MANAGE_USERS,
                        lambda database: grant_app_role(database, role))
    typer.echo(f"{role} may now use {database.describe()} as the app does; it cannot write "
               "the audit log but through audit_append")


def _allowed(db: str | None, user: str | None, permission: Permission,
             work: Callable[[Database], None]) -> Database:
    """Run ``work`` on the database once ``user`` is shown to hold ``permission`` (anyone
    while a new database has no admin); the database, closed again."""
    from scorecard.services.users import setup_actor

    database = open_db(db)
    try:
        with database.session() as session:
            setup_actor(session, given_login(user, session), permission)
        work(database)
    finally:
        database.dispose()
    return database

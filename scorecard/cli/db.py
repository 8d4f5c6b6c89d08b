"""``scorecard db``: where the data lives and bringing its schema up to date."""

from __future__ import annotations

import typer

from scorecard.cli.options import DbOption, open_db

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

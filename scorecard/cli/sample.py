"""``scorecard sample``: draw the day's calls for listening and hand them out."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, given_login, open_db


def sample(
    day: Annotated[
        datetime,
        typer.Option("--date", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
                     help="The working day to sample."),
    ],
    team: Annotated[str | None, typer.Option(help="Only this team.", show_default=False)] = None,
    per_operator: Annotated[
        int | None,
        typer.Option(min=1, max=100, help="Calls per operator (default: the rules', 4).",
                     show_default=False),
    ] = None,
    seed: Annotated[int, typer.Option(help="Same seed, same sample.")] = 1,
    rules: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Sampling rules (TOML): quota, talk-time buckets "
                     "and their weights.", show_default=False),
    ] = None,
    require: Annotated[
        str | None,
        typer.Option(help="Only calls with a transcript or a recording.", show_default=False),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(metavar="LOGIN,…", help="Listeners to hand calls to (default: every "
                     "active qa user), spread by open load.", show_default=False),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Draw and report only.")] = False,
    per_slice: Annotated[bool, typer.Option(
        "--per-slice", help="The quota per operator per slice of the day (the rules' slices, "
        "11:00, 14:00 and 17:00 by default), not per day.")] = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Draw N answered calls per active operator, stratified by talk time.

    Short, ordinary and long (10+ minute) calls all get a share; calls already sampled or
    graded are never drawn again; operators with too few calls are reported.
    """
    from scorecard.domain.sampling import load_rules
    from scorecard.services.access import Permission
    from scorecard.services.sampling import sample_day
    from scorecard.services.users import setup_actor

    sampling_rules = load_rules(rules)
    database = open_db(db)
    listeners = [login.strip() for login in to.split(",")] if to else None
    with database.session() as session:
        by = setup_actor(session, given_login(user, session), Permission.SAMPLE_CALLS)
        result = sample_day(session, day.date(), sampling_rules, seed=seed, team=team,
                            per_operator=per_operator, require=require, listeners=listeners,
                            dry_run=dry_run, per_slice=per_slice, by=by)
    what = "would be drawn (dry run)" if dry_run else "drawn"
    typer.echo(f"{result.picked} call(s) {what} for {result.operators} operator(s) "
               f"on {day.date()}" + (f", sample {result.sample_id}" if result.sample_id else ""))
    for login, count in sorted(result.per_listener.items()):
        typer.echo(f"  {login:<16} {count:>4}")
    if not result.per_listener and result.picked and not dry_run:
        typer.echo("  no active listener (role qa): the calls wait in the shared queue")
    for name, missing in sorted(result.shortfall.items()):
        typer.echo(f"short: {name}: {missing} call(s) fewer than the quota")
    for team_name in result.skipped_teams:
        typer.echo(f"skipped: team {team_name!r} has no quality card")

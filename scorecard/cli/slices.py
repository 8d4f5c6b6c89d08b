"""``scorecard slice``: the intraday control loop of a team lead."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, acting_login, given_login, open_db

app = typer.Typer(help="Intraday slices against norms; tasks for lagging operators.",
                  invoke_without_command=True)

DateOption = Annotated[str | None, typer.Option(
    "--date", metavar="YYYY-MM-DD", help="The day (default: today).", show_default=False)]
AtOption = Annotated[str | None, typer.Option(
    "--at", metavar="HH:MM", help="The slice time (default: now).", show_default=False)]


def _day(value: str | None) -> date:
    from scorecard.errors import ScorecardError

    try:
        return date.fromisoformat(value) if value else date.today()
    except ValueError:
        raise ScorecardError(f"--date {value!r}: use YYYY-MM-DD") from None


def _time(value: str | None) -> time:
    from scorecard.errors import ScorecardError

    if not value:
        now = datetime.now()
        return time(now.hour, now.minute)
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ScorecardError(f"--at {value!r}: use HH:MM") from None


@app.callback()
def slice_(
    ctx: typer.Context,
    day: DateOption = None,
    at: AtOption = None,
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per operator.")]
    = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Per operator, counts since shift start against the pro-rated norm; '!' lags.

    Also checks the tasks due by this slice and lists operators for the trainer (two
    missed tasks in a row) with their weakest stages.
    """
    if ctx.invoked_subcommand is not None:
        return
    from scorecard.config import load_settings
    from scorecard.domain.slices import SLICE_METRICS
    from scorecard.services.access import actor
    from scorecard.services.slices import check_tasks, slice_report, trainer_list

    chosen_day, chosen_at, rules = _day(day), _time(at), load_settings().slices
    with open_db(db).session() as session:
        viewer = actor(session, acting_login(user, session))
        rows = slice_report(session, chosen_day, chosen_at, rules, viewer=viewer, team=team)
        checks = check_tasks(session, chosen_day, chosen_at, viewer=viewer)
        trainer = trainer_list(session, chosen_day, viewer=viewer)
    if as_json:
        for row in rows:
            typer.echo(json.dumps({
                "operator": row.operator, "team": row.team, "lagging": row.lagging,
                "metrics": {c.metric: {"actual": c.actual, "expected": None if c.expected is
                                       None else round(c.expected, 1), "lagging": c.lagging}
                            for c in row.cells}}, ensure_ascii=False))
        return
    typer.echo(f"Slice {chosen_day} {chosen_at:%H:%M} (norms pro-rated to the shift so far; "
               f"! below {rules.lag_below:.0%})")
    header = "".join(f"{m[:13]:>14}" for m in SLICE_METRICS)
    typer.echo(f"{'operator':<24} {'team':<16}{header}")
    for row in rows:
        cells = "".join(f"{_cell(c):>14}" for c in row.cells)
        typer.echo(f"{row.operator[:24]:<24} {(row.team or '')[:16]:<16}{cells}")
    lagging = sum(row.lagging for row in rows)
    typer.echo(f"{lagging} of {len(rows)} operator(s) lagging")
    for check in checks:
        typer.echo(f"task {check.result}: {check.operator}, {check.metric} {check.actual} of "
                   f"{check.target:g} by {check.due_at:%H:%M}")
    for case in trainer:
        stages = ", ".join(f"{stage} {mean:.0f}%" for stage, mean in case.weakest) or \
            "no graded calls yet"
        typer.echo(f"to the trainer: {case.operator} (two missed tasks in a row); weakest "
                   f"stages: {stages}")


def _cell(cell) -> str:  # noqa: ANN001 - a SliceCell
    """``actual/expected`` and ``!`` when lagging, e.g. ``12/18 !``."""
    return f"{cell.shown()}{' !' if cell.lagging else '  '}"


@app.command("task")
def task(
    operator: Annotated[str, typer.Option("--operator", help="The operator's name.")],
    metric: Annotated[str, typer.Option("--metric", help="calls, long_calls, presentations, "
                                        "meetings_set, invoices or payments.")],
    user: UserOption = None,
    day: DateOption = None,
    at: AtOption = None,
    note: Annotated[str | None, typer.Option("--note")] = None,
    target: Annotated[float | None, typer.Option(
        "--target", min=0, help="Count to reach by the next slice (default: the norm "
        "pro-rated to it).")] = None,
    db: DbOption = None,
) -> None:
    """Give a lagging operator a task for the next slice."""
    from scorecard.config import load_settings
    from scorecard.services.slices import set_task

    with open_db(db).session() as session:
        made = set_task(session, operator=operator, day=_day(day), at=_time(at), metric=metric,
                        target=target, login=acting_login(user, session),
                        rules=load_settings().slices, note=note)
        due, goal = made.due_at, made.target
    typer.echo(f"task set: {operator}, {metric} {goal:g} by {due:%H:%M}")


@app.command("norms")
def norms(
    file: Annotated[Path, typer.Argument(metavar="NORMS.toml",
                                         help="Per-shift norms (example: data/norms.toml).")],
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Import per-shift norms from TOML: a [default] table and [team."Name"] tables (an
    admin; a lead for their own team's table only)."""
    from scorecard.services.access import Permission
    from scorecard.services.norms import import_norms
    from scorecard.services.users import setup_actor

    with open_db(db).session() as session:
        by = setup_actor(session, given_login(user, session), Permission.SET_NORMS)
        stored = import_norms(session, file, by=by)
    typer.echo(f"{stored} norm(s) stored from {file}")

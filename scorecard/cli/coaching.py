"""``scorecard coaching``: tasks for operators on weak stages, and whether they worked."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, acting_login, open_db

app = typer.Typer(help="Coaching tasks: set them, follow them up, close them.",
                  no_args_is_help=True)


@app.command("add")
def add(
    operator: Annotated[str, typer.Option("--operator", help="The operator's name.")],
    stage: Annotated[str, typer.Option("--stage", help="The stage to work on (card stage id).")],
    goal: Annotated[str, typer.Option("--goal", help="What the operator should do better.")],
    user: Annotated[str, typer.Option("--user", metavar="LOGIN", help="The trainer or lead.")],
    due: Annotated[str | None, typer.Option("--due", metavar="YYYY-MM-DD",
                                            help="Default: in 14 days.")] = None,
    notes: Annotated[str | None, typer.Option("--notes")] = None,
    start: Annotated[str | None, typer.Option("--start", metavar="YYYY-MM-DD",
                                              help="When coaching began (default: today).")]
    = None,
    db: DbOption = None,
) -> None:
    """Set a coaching task."""
    from scorecard.errors import ScorecardError
    from scorecard.services.coaching import create_task

    try:
        started = date.fromisoformat(start) if start else date.today()
        due_on = date.fromisoformat(due) if due else started + timedelta(days=14)
    except ValueError:
        raise ScorecardError("--start and --due take dates as YYYY-MM-DD") from None
    with open_db(db).session() as session:
        task = create_task(session, operator=operator, stage=stage, goal=goal, due_on=due_on,
                           login=user, notes=notes, started_on=started)
        number = task.id
    typer.echo(f"coaching task {number} set: {operator}, {stage}, due {due_on}")


@app.command("list")
def list_(
    closed: Annotated[bool, typer.Option("--closed", help="Closed tasks too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per task.")] = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Tasks with their effect: stage score before and since, and the verdict."""
    from scorecard.services.access import actor
    from scorecard.services.coaching import follow_ups

    with open_db(db).session() as session:
        found = follow_ups(session, viewer=actor(session, acting_login(user, session)),
                           include_closed=closed)
    for f in found:
        if as_json:
            typer.echo(json.dumps({
                "task": f.task_id, "operator": f.operator, "stage": f.stage, "goal": f.goal,
                "started_on": f.started_on.isoformat(), "due_on": f.due_on.isoformat(),
                "status": f.status, "before": {"evaluations": f.before[0], "score": f.before[1]},
                "after": {"evaluations": f.after[0], "score": f.after[1]},
                "verdict": f.verdict, "overdue": f.overdue, "escalated": f.escalated,
            }, ensure_ascii=False))
            continue
        mark = "!" if f.escalated else " "
        before = "—" if f.before[1] is None else f"{f.before[1]:.0f}"
        after = "—" if f.after[1] is None else f"{f.after[1]:.0f}"
        typer.echo(f"{mark} {f.task_id:>4} {f.operator[:24]:<24} {f.stage:<13} "
                   f"before {before:>3} ({f.before[0]:>2})  since {after:>3} ({f.after[0]:>2})  "
                   f"{f.verdict:<13} due {f.due_on}{' overdue' if f.overdue else ''}")
    if not found:
        typer.echo("no coaching tasks")


@app.command("close")
def close(
    task: Annotated[int, typer.Argument(help="The task number.")],
    user: Annotated[str, typer.Option("--user", metavar="LOGIN")],
    cancel: Annotated[bool, typer.Option("--cancel", help="Cancelled, not done.")] = False,
    db: DbOption = None,
) -> None:
    """Close a task as done (or cancelled)."""
    from scorecard.services.coaching import close_task

    with open_db(db).session() as session:
        close_task(session, task_id=task, login=user, status="cancelled" if cancel else "done")
    typer.echo(f"coaching task {task} {'cancelled' if cancel else 'done'}")

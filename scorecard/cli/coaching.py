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
    user: UserOption = None,
    due: Annotated[str | None, typer.Option("--due", metavar="YYYY-MM-DD",
                                            help="Default: in 14 days.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="A first note.")] = None,
    example: Annotated[list[int] | None, typer.Option(
        "--example", metavar="EVALUATION",
        help="A graded call to listen to together (an evaluation number; repeatable).")]
    = None,
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
                           login=acting_login(user, session), notes=notes, started_on=started,
                           examples=example or [])
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


@app.command("note")
def note(
    task: Annotated[int, typer.Argument(help="The task number.")],
    text: Annotated[str, typer.Argument(help="The note.")],
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Add a note to an open task."""
    from scorecard.services.coaching import add_note

    with open_db(db).session() as session:
        add_note(session, task_id=task, text=text, login=acting_login(user, session))
    typer.echo(f"note added to coaching task {task}")


@app.command("show")
def show(
    task: Annotated[int, typer.Argument(help="The task number.")],
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """One task: its goal, notes, examples and the grades its follow-up counts."""
    from scorecard.services.access import actor
    from scorecard.services.coaching import task_detail

    with open_db(db).session() as session:
        detail = task_detail(session, viewer=actor(session, acting_login(user, session)),
                             task_id=task)
    f = detail.follow_up
    typer.echo(f"task {f.task_id}: {f.operator}, {f.stage}, {f.status}, "
               f"{f.started_on} → {f.due_on}, set by {detail.created_by}")
    typer.echo(f"goal: {f.goal}")
    if detail.outcome:
        typer.echo(f"outcome: {detail.outcome}")
    for n in detail.notes:
        typer.echo(f"note {n.at:%Y-%m-%d %H:%M} {n.author}: {n.text}")
    for label, calls in (("example", detail.examples), ("before", detail.before),
                         ("since", detail.after)):
        for c in calls:
            stage = "—" if c.stage_score is None else f"{c.stage_score:.0f}"
            typer.echo(f"{label:<8} evaluation {c.evaluation_id:>6}  call {c.call:<24} "
                       f"{c.started_at:%Y-%m-%d}  stage {stage:>3}")
    typer.echo(f"verdict: {f.verdict}")


@app.command("close")
def close(
    task: Annotated[int, typer.Argument(help="The task number.")],
    outcome: Annotated[str, typer.Option("--outcome", help="What came of the coaching.")],
    user: UserOption = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="Cancelled, not done.")] = False,
    db: DbOption = None,
) -> None:
    """Close a task as done (or cancelled), with its outcome."""
    from scorecard.services.coaching import close_task

    with open_db(db).session() as session:
        close_task(session, task_id=task, login=acting_login(user, session), outcome=outcome,
                   status="cancelled" if cancel else "done")
    typer.echo(f"coaching task {task} {'cancelled' if cancel else 'done'}")

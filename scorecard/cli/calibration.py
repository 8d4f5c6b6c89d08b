"""``scorecard calibration``: sessions where several listeners grade the same calls blind.

A face over :mod:`scorecard.services.calibration`: create a session, follow its progress,
read where the listeners disagree, close it.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, acting_login, open_db

if TYPE_CHECKING:
    from scorecard.services.calibration import CalibrationReport, SessionSummary

app = typer.Typer(help="Calibration: listeners grade the same calls blind, then compare.",
                  no_args_is_help=True)

SessionArgument = Annotated[int, typer.Argument(metavar="SESSION",
                                                help="The session number (see `list`).")]


def _split(values: list[str] | None) -> list[str]:
    """Repeated options and comma-separated lists alike: ``-l qa -l qa2`` or ``-l qa,qa2``."""
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


@app.command("create")
def create(
    listener: Annotated[list[str], typer.Option(
        "--listener", "-l", metavar="LOGIN",
        help="A listener to grade the calls (repeatable or comma-separated; at least two).")],
    call: Annotated[list[str] | None, typer.Option(
        "--call", "-c", metavar="ID",
        help="A call by its external id (repeatable or comma-separated).")] = None,
    day: Annotated[str | None, typer.Option(
        "--day", metavar="YYYY-MM-DD", help="Draw random answered calls of this day.")] = None,
    random_count: Annotated[int | None, typer.Option(
        "--random", metavar="N", help="How many calls to draw from --day.")] = None,
    team: Annotated[str | None, typer.Option(
        "--team", help="Draw only from this team's calls.")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", help="Seed of the draw, to repeat it (default: a new one).")] = None,
    any_call: Annotated[bool, typer.Option(
        "--any-call", help="Draw among all answered calls, not only those with a transcript "
        "or a recording.")] = False,
    title: Annotated[str | None, typer.Option(
        "--title", help="Default: Calibration and today's date.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The new session as JSON.")] = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Create a session: pick calls by id, or N random calls of a day, and invite listeners."""
    from scorecard.errors import ScorecardError
    from scorecard.services.calibration import create_session

    calls = _split(call)
    if calls and day is not None:
        raise ScorecardError("pick calls with --call, or draw them with --day and --random, "
                             "not both")
    if not calls and day is None:
        raise ScorecardError("which calls? --call ID (repeatable), or --day YYYY-MM-DD "
                             "--random N")
    try:
        drawn_from = date.fromisoformat(day) if day is not None else None
    except ValueError:
        raise ScorecardError("--day takes a date as YYYY-MM-DD") from None
    if drawn_from is not None and random_count is None:
        raise ScorecardError("say how many calls to draw from the day: --random N")
    with open_db(db).session() as session:
        login = acting_login(user, session)
        created = create_session(
            session, login=login, title=title or f"Calibration {date.today():%Y-%m-%d}",
            listeners=_split(listener), calls=calls or None, day=drawn_from, team=team,
            count=random_count, seed=seed, any_call=any_call)
    if as_json:
        typer.echo(json.dumps({"session": created.session_id, "title": created.title,
                               "calls": list(created.calls),
                               "listeners": list(created.listeners),
                               "assignments": created.assignments, "seed": created.seed},
                              ensure_ascii=False))
        return
    seed_note = f"; seed {created.seed}" if created.seed is not None else ""
    typer.echo(f"calibration session {created.session_id} created: {len(created.calls)} "
               f"call(s) × {len(created.listeners)} listeners ({', '.join(created.listeners)}) "
               f"= {created.assignments} grades to give{seed_note}")


@app.command("list")
def list_(
    open_only: Annotated[bool, typer.Option("--open", help="Open sessions only.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per session.")]
    = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Sessions with their progress: grades given of grades expected."""
    from scorecard.services.access import actor
    from scorecard.services.calibration import list_sessions

    with open_db(db).session() as session:
        login = acting_login(user, session)
        found = list_sessions(session, viewer=actor(session, login), include_closed=not open_only)
    for summary in found:
        if as_json:
            typer.echo(json.dumps(summary.to_json(), ensure_ascii=False))
            continue
        typer.echo(_summary_line(summary))
    if not found and not as_json:
        typer.echo("no calibration sessions")


@app.command("report")
def report(
    session_id: SessionArgument,
    every_item: Annotated[bool, typer.Option(
        "--all", help="Every item of every call, not only the disagreements.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The whole report as JSON.")] = False,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Where the listeners disagree, each one's deviation from the group, and alpha."""
    from scorecard.services.access import actor
    from scorecard.services.calibration import report as build_report

    with open_db(db).session() as session:
        login = acting_login(user, session)
        found = build_report(session, viewer=actor(session, login), session_id=session_id)
    if as_json:
        typer.echo(json.dumps(found.to_json(), ensure_ascii=False, indent=2))
        return
    for line in _report_lines(found, every_item=every_item):
        typer.echo(line)


@app.command("close")
def close(
    session_id: SessionArgument,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Close a session: calls not graded by then are cancelled, the grades are frozen."""
    from scorecard.services.calibration import close_session

    with open_db(db).session() as session:
        login = acting_login(user, session)
        summary = close_session(session, login=login, session_id=session_id)
    typer.echo(f"calibration session {summary.session_id} closed: {summary.graded} of "
               f"{summary.expected} grades given")


# -- printing --------------------------------------------------------------------------------

READINGS = {
    "good": "good (at least 0.8)",
    "tentative": "tentative (0.667 to 0.8): conclusions only with care",
    "poor": "poor (below 0.667): the listeners read the card differently",
    "no_data": "not computable yet: no call has grades from two listeners",
    "no_variation": "undefined: every listener gave every item the same answer",
}


def _summary_line(summary: SessionSummary) -> str:
    state = "open" if summary.is_open else f"closed {summary.closed_at:%Y-%m-%d}"
    return (f"{summary.session_id:>4}  {summary.title[:40]:<40}  {state:<17} "
            f"{summary.graded:>3}/{summary.expected:<3} graded  {summary.calls} call(s)  "
            f"{', '.join(summary.listeners)}  by {summary.created_by} "
            f"{summary.created_at:%Y-%m-%d}")


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


def _signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.1f}"


def _report_lines(found: CalibrationReport, *, every_item: bool) -> list[str]:
    s, a = found.session, found.agreement
    state = "open" if s.is_open else f"closed {s.closed_at:%Y-%m-%d %H:%M}"
    alpha = "—" if a.alpha is None else f"{a.alpha:.3f}"
    lines = [
        f"calibration session {s.session_id} “{s.title}”: {state}, {s.graded}/{s.expected} "
        f"graded, {s.calls} call(s), by {s.created_by}",
        f"Krippendorff's alpha (nominal, n.a. a category of its own): {alpha}, "
        f"{READINGS[a.reading]}",
        f"  {a.units} item(s) graded by two or more listeners, "
        f"{_percent(a.observed)} with every listener agreeing",
        "",
        "listeners                 graded  differ from the others  total vs group: "
        "bias  distance",
    ]
    for d in found.listeners:
        differs = f"{d.differs}/{d.compared} ({_percent(d.differ_share)})"
        lines.append(f"  {d.login[:22]:<22} {d.graded:>3}/{d.expected:<3} {differs:<24}"
                     f"{_signed(d.total_bias):>18} {_fmt(d.total_distance):>9}")
    lines += ["", "calls (total per listener)"]
    for c in found.calls:
        totals = "  ".join(f"{user} {_fmt(total)}{'!' if c.critical.get(user) else ''}"
                           for user, total in c.totals.items()) or "not graded yet"
        lines.append(f"  {c.call:<16} {(c.operator or '—')[:24]:<24} {totals}"
                     f"   spread {_fmt(c.spread)}")
    shown = found.units if every_item else found.disagreements
    heading = "every item" if every_item else "disagreements"
    lines += ["", f"{heading} ({len(found.disagreements)} of "
              f"{sum(u.agreement is not None for u in found.units)} graded items disagree)"]
    for u in shown:
        answers = "  ".join(f"{user} {answer or '—'}" for user, answer in u.answers.items())
        mark = "≠" if u.disagree else " "
        lines.append(f"{mark} {u.call:<16} {u.stage + '/' + u.item:<32} {answers}"
                     f"   agree {_percent(u.agreement)}")
    worst = sorted((i for i in found.items if i.disagreements),
                   key=lambda i: (-i.disagreements, i.agreement or 0.0))
    if worst:
        lines += ["", "items disagreed on most"]
        for i in worst:
            lines.append(f"  {i.stage + '/' + i.item:<32} {i.disagreements}/{i.units} call(s)  "
                         f"agree {_percent(i.agreement)}  {i.text[:50]}")
    return lines


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"

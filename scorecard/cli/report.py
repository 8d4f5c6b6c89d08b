"""``scorecard report``: reports that read across many calls."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, acting_login, open_db

app = typer.Typer(help="Reports: dial-and-drop, queue occupancy, detector precision, "
                  "graded calls.",
                  no_args_is_help=True)


DayOption = Annotated[
    datetime,
    typer.Option("--date", formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
                 help="The working day to look at."),
]
TeamOption = Annotated[str | None, typer.Option("--team", help="Only this team.")]


@app.command()
def dialing(
    day: DayOption,
    team: TeamOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Per operator: dials, answered, answer rate, short calls, median talk, against the team.

    Flags the "many dials, very few real conversations" pattern: at least the team's median
    of dials with at most half its answer rate or half its conversations of 20 s and more.
    """
    from scorecard.services.access import actor
    from scorecard.services.dialing import dialing_report

    with open_db(db).session() as session:
        viewer = actor(session, acting_login(user, session))
        rows = dialing_report(session, day.date(), viewer=viewer,
                              team=team)
    if not rows:
        typer.echo(f"no outbound calls on {day.date()}")
        return
    typer.echo(f"{'':2}{'operator':<28} {'team':<24} {'dials':>6} {'answ.':>6} {'rate':>6} "
               f"{'<10s':>6} {'talk':>6} | {'team: dials':>11} {'rate':>6} {'talk':>6}")
    for r in rows:
        typer.echo(
            f"{'!' if r.flagged else ' ':2}{r.operator[:28]:<28} {r.team[:24]:<24} "
            f"{r.dials:>6} {r.answered:>6} {_pct(r.answer_rate):>6} {_pct(r.short_share):>6} "
            f"{_secs(r.median_talk):>6} | {r.team_median_dials:>11.0f} "
            f"{_pct(r.team_median_answer_rate):>6} {_secs(r.team_median_talk):>6}")
    flagged = sum(r.flagged for r in rows)
    typer.echo(f"{flagged} operator(s) flagged: many dials, very few real conversations")


@app.command()
def occupancy(
    day: DayOption,
    team: TeamOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Per operator, from the queue log (scorecard import queue-log): time logged in to the
    queues, paused, talking, and occupancy (talk over the time logged in and not paused)."""
    from scorecard.services.access import actor
    from scorecard.services.agents import occupancy as occupancy_rows

    with open_db(db).session() as session:
        viewer = actor(session, acting_login(user, session))
        rows = occupancy_rows(session, day.date(), viewer=viewer,
                              team=team, now=datetime.now())
    if not rows:
        typer.echo(f"no queue time on {day.date()} (import the queue log: scorecard import "
                   "queue-log FILE)")
        return
    typer.echo(f"{'operator':<28} {'logged in':>9} {'paused':>8} {'talk':>8} {'occupancy':>9}")
    for row in rows:
        share = "—" if row.occupancy is None else f"{row.occupancy:.0%}"
        typer.echo(f"{row.operator[:28]:<28} {_hours(row.logged_in_seconds):>9} "
                   f"{_hours(row.paused_seconds):>8} {_hours(row.talk_seconds):>8} "
                   f"{share:>9}")


def _hours(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}"


def _secs(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}s"


@app.command()
def detector(
    since: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
                     help="Only evaluations submitted from this day on.", show_default=False),
    ] = None,
    db: DbOption = None,
) -> None:
    """How often the detector agreed with listeners, per item (a listener's pass is truth)."""
    from scorecard.services.detection import detector_agreement

    database = open_db(db)
    with database.session() as session:
        rows = detector_agreement(session, since=since.date() if since else None)
    if not rows:
        typer.echo("no graded calls with detector findings yet: run `scorecard detect --all`")
        return
    header = f"{'card':<24} {'stage/item':<34} {'TP':>5} {'FP':>5} {'FN':>5} {'TN':>5} " \
             f"{'precision':>9} {'recall':>7} {'partial':>7}"
    typer.echo(header)
    totals = [0, 0, 0, 0]
    for row in rows:
        counts = (row.true_positive, row.false_positive, row.false_negative, row.true_negative)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        typer.echo(f"{row.card:<24} {row.stage_key + '/' + row.item_key:<34} "
                   + " ".join(f"{n:>5}" for n in counts)
                   + f" {_pct(row.precision):>9} {_pct(row.recall):>7} {row.partial or '':>7}")
    tp, fp, fn, _ = totals
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    typer.echo(f"{'all':<24} {'':<34} " + " ".join(f"{n:>5}" for n in totals)
               + f" {_pct(precision):>9} {_pct(recall):>7} "
               f"{sum(row.partial for row in rows) or '':>7}")
    typer.echo("partial: items that need all of their parts (trigger groups) with some parts "
               "heard; they count as not found (FN or TN) and are never suggested as a pass")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f}%"


@app.command()
def evaluations(
    period: Annotated[str, typer.Option("--period", metavar="YYYY-MM|YYYY-Www|YYYY-MM-DD[..]",
                                        help="A month, an ISO week, a day or a range.")],
    team: Annotated[str | None, typer.Option("--team", help="Only this team.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="csv, xlsx or json.")] = "csv",
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file (xlsx needs "
                                                           "it).")] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Every graded call of the period, one row each: call, operator, client number (masked
    for roles that do not need it), listener, total, status."""
    import json

    from scorecard.cli.kpi import parse_period
    from scorecard.cli.outfile import write_out
    from scorecard.domain.inert import csv_row, json_default
    from scorecard.errors import ScorecardError
    from scorecard.services.access import actor
    from scorecard.services.quality import evaluation_records

    if output_format not in ("csv", "xlsx", "json"):
        raise ScorecardError("--format must be one of csv, xlsx, json")
    if output_format == "xlsx" and out is None:
        raise ScorecardError("--format xlsx needs --out FILE.xlsx")
    first, last = parse_period(period)
    with open_db(db).session() as session:
        records = evaluation_records(session, viewer=actor(session, acting_login(user, session)),
                                     first=first, last=last, team=team)
    if output_format == "xlsx":
        from scorecard.services.exports import export_xlsx

        assert out is not None
        export_xlsx(records, out, period)
        typer.echo(f"{len(records)} evaluations written to {out}")
        return
    if output_format == "json":
        content = "".join(json.dumps(r, ensure_ascii=False, default=json_default) + "\n"
                          for r in records)
    else:
        import csv
        import io

        buffer = io.StringIO()
        if records:
            writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
            writer.writeheader()
            writer.writerows(csv_row(r) for r in records)
        content = buffer.getvalue()
    write_out(content, out, what=f"{len(records)} evaluations written")

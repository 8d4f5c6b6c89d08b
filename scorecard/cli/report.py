"""``scorecard report``: reports that read across many calls."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from scorecard.cli.options import DbOption, open_db

app = typer.Typer(help="Reports: detector precision.", no_args_is_help=True)


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
             f"{'precision':>9} {'recall':>7}"
    typer.echo(header)
    totals = [0, 0, 0, 0]
    for row in rows:
        counts = (row.true_positive, row.false_positive, row.false_negative, row.true_negative)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        typer.echo(f"{row.card:<24} {row.stage_key + '/' + row.item_key:<34} "
                   + " ".join(f"{n:>5}" for n in counts)
                   + f" {_pct(row.precision):>9} {_pct(row.recall):>7}")
    tp, fp, fn, _ = totals
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    typer.echo(f"{'all':<24} {'':<34} " + " ".join(f"{n:>5}" for n in totals)
               + f" {_pct(precision):>9} {_pct(recall):>7}")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"

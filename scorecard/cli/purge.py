"""``scorecard purge``: remove personal data past its retention period (admins only)."""

from __future__ import annotations

from typing import Annotated

import typer

from scorecard.cli.options import DbOption, UserOption, acting_login, open_db

DaysOption = Annotated[int | None, typer.Option(min=1, max=36500, show_default=False)]


def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count only; remove nothing.")]
    = False,
    delete_files: Annotated[bool, typer.Option(
        "--delete-files", help="Delete the recordings' audio files too, not only their paths.")]
    = False,
    client_numbers_days: DaysOption = None,
    transcripts_days: DaysOption = None,
    recordings_days: DaysOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Remove client numbers, transcripts and recordings of calls older than the config's
    [retention] periods (the options override them); one audit entry with the counts."""
    from datetime import date

    from scorecard.config import load_settings
    from scorecard.errors import ScorecardError
    from scorecard.services.access import actor
    from scorecard.services.retention import Retention
    from scorecard.services.retention import purge as run

    kept = load_settings().retention
    retention = Retention(client_numbers_days or kept.client_numbers_days,
                          transcripts_days or kept.transcripts_days,
                          recordings_days or kept.recordings_days)
    if retention == Retention():
        raise ScorecardError("no retention period is set: add a [retention] table to the "
                             "config file (client_numbers_days, transcripts_days, "
                             "recordings_days) or give --client-numbers-days etc.")
    with open_db(db).session() as session:
        report = run(session, by=actor(session, acting_login(user, session)),
                     retention=retention, today=date.today(), dry_run=dry_run,
                     delete_files=delete_files)
    verb = "would be removed (dry run)" if dry_run else "removed"
    for kind, count in (("client numbers", report.client_numbers),
                        ("transcripts", report.transcripts), ("recordings", report.recordings)):
        cutoff = report.cutoffs.get(kind.replace(" ", "_"))
        if cutoff is not None:
            typer.echo(f"{kind} of calls before {cutoff}: {count} {verb}")
    if report.files_deleted or report.files_missing:
        typer.echo(f"audio files deleted: {report.files_deleted} ({report.files_missing} "
                   "were gone already)")

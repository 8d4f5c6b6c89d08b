"""``scorecard import``: bring call-centre exports into the database."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from scorecard.cli.options import ClientLabelOption, DbOption, OperatorLabelOption, open_db

app = typer.Typer(help="Import exports: transcripts.", no_args_is_help=True)


@app.command()
def transcripts(
    paths: Annotated[list[Path], typer.Argument(help="Transcript files or folders of them.")],
    match: Annotated[
        str,
        typer.Option(help="How a file finds its call: external-id (file name = the call's "
                     "external id) or filename (file name = the recording's file name)."),
    ] = "external-id",
    operator: Annotated[
        str | None,
        typer.Option(help="Which diarised speaker is the operator in every file "
                     "(e.g. SPEAKER_01); inferred per file when not given.",
                     show_default=False),
    ] = None,
    operator_label: OperatorLabelOption = None,
    client_label: ClientLabelOption = None,
    db: DbOption = None,
) -> None:
    """Attach transcripts to calls; a call's earlier transcript is replaced.

    Files that cannot be read, and files that match no call, are reported on stderr and
    make the exit code 2; the others are stored.
    """
    from scorecard.cli.detect import transcript_files
    from scorecard.errors import ScorecardError
    from scorecard.ingest.transcripts import read_transcript
    from scorecard.services import transcripts as service
    from scorecard.services.cards import card_version_greetings

    if match not in service.MATCH_MODES:
        raise ScorecardError(f"--match must be one of {', '.join(service.MATCH_MODES)}")
    files = transcript_files(paths)
    if not files:
        raise ScorecardError("no transcript files found (.txt, .json, .vtt, .srt)")
    database = open_db(db)
    with database.session() as session:
        calls = service.find_calls(session, {service.call_key(p) for p in files}, match)
        greetings = card_version_greetings(session)
    problems = 0
    stored = 0
    with database.session() as session:
        for path in files:
            call = calls.get(service.call_key(path))
            if call is None:
                print(f"error: {path}: no call with {match} {service.call_key(path)!r}",
                      file=sys.stderr)
                problems += 1
                continue
            try:
                doc = read_transcript(path, operator=operator, direction=call.direction,
                                      greeting_phrases=greetings.get(call.team_card_id, ()),
                                      operator_labels=operator_label or (),
                                      client_labels=client_label or ())
            except ScorecardError as error:
                print(f"error: {error}", file=sys.stderr)
                problems += 1
                continue
            service.attach(session, call.id, doc)
            stored += 1
            for warning in doc.warnings:
                typer.echo(f"note: {path}: {warning}")
    typer.echo(f"{stored} transcript(s) stored, {problems} file(s) not stored")
    if problems:
        raise typer.Exit(2)

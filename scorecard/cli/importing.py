"""``scorecard import``: bring call-centre exports into the database."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from sqlmodel import Session

    from scorecard.db.engine import Database
    from scorecard.ingest.encoding import DecodeWarning
    from scorecard.ingest.tables import Rejected
    from scorecard.services.access import Actor
    from scorecard.services.imports import ImportReport

from scorecard.cli.options import (
    ClientLabelOption,
    DbOption,
    OperatorLabelOption,
    UserOption,
    given_login,
    open_db,
)

app = typer.Typer(help="Import exports: operators, call records, transcripts.",
                  no_args_is_help=True)

RejectsOption = Annotated[
    Path | None,
    typer.Option("--rejects", metavar="FILE", help="Write rejected rows (line and reason) here.",
                 show_default=False),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Validate and report; write nothing.")
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Any rejected row fails the whole file.")
]
EncodingOption = Annotated[
    str | None,
    typer.Option("--encoding", help="Force the file's encoding (default: found from the file; "
                 "stray bytes in it are replaced and named).", show_default=False),
]


@app.command()
def operators(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="CSV or XLSX with a header row.")],
    since: Annotated[
        datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="The day the list holds from: "
                     "changed extensions and teams are held from then (default: today), "
                     "so earlier calls stay whose they were.", show_default=False),
    ] = None,
    rejects: RejectsOption = None,
    dry_run: DryRunOption = False,
    strict: StrictOption = False,
    encoding: EncodingOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Operators and teams: at least name, team, extension; optional agent id, login, active.

    Re-importing updates operators (found by agent id, else by name), never duplicates them;
    a new extension or team is a seat held from --from on.
    """
    from scorecard.ingest.operators import parse_operators
    from scorecard.ingest.tables import read_rows_reporting
    from scorecard.services.imports import import_operators

    table, warnings = read_rows_reporting(path, encoding=encoding, header=True)
    _print_warnings(path, warnings)
    rows, rejected = parse_operators(table, str(path))
    _run_import("operators", path, rejected, rejects, dry_run, strict, db, user,
                lambda session: import_operators(session, rows,
                                                 since=since and since.date()))


@app.command()
def outcomes(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="CSV or XLSX from the CRM.")],
    rejects: RejectsOption = None,
    dry_run: DryRunOption = False,
    strict: StrictOption = False,
    encoding: EncodingOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Outcome events: presentation, meeting set/held, invoice, payment (amount), deal.

    Columns: kind, and a call (its external id) or an operator and a time; optional id,
    amount, client kind (new/existing), client. Re-importing updates events by id.
    """
    from scorecard.ingest.outcomes import parse_outcomes
    from scorecard.ingest.tables import read_rows_reporting
    from scorecard.services.imports import import_outcomes

    table, warnings = read_rows_reporting(path, encoding=encoding, header=True)
    _print_warnings(path, warnings)
    events, rejected = parse_outcomes(table, str(path))
    database = open_db(db)
    # Links to calls and operators can only be checked against the database: a first pass
    # that writes nothing finds those rows, so --strict and --rejects see every one.
    with database.session() as session:
        unlinked = import_outcomes(session, events).rejected
        session.rollback()
    lines = {row.line for row in unlinked}
    linked = [event for event in events if event.line not in lines]
    _run_import("outcomes", path, sorted(rejected + unlinked, key=lambda row: row.line),
                rejects, dry_run, strict, db, user,
                lambda session: import_outcomes(session, linked),
                database)


@app.command()
def cdr(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="The PBX's call detail records.")],
    format_: Annotated[
        str, typer.Option("--format", help="auto (default): asterisk or freeswitch, found "
                          "from the file; asterisk: Master.csv as cdr_csv writes it, "
                          "FreePBX's cdr table, or any column order a header row names; "
                          "freeswitch: mod_cdr_csv with its default template; mapped: any "
                          "other CSV/XLSX export, described by --mapping.")
    ] = "auto",
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", metavar="MAP.toml", help="With --format mapped: which "
                     "column is what (examples in data/mappings/).", show_default=False),
    ] = None,
    recordings: Annotated[
        Path | None,
        typer.Option("--recordings", metavar="DIR", help="The folder of the calls' "
                     "recordings (sub-folders too): each call gets the file whose name ends "
                     "with its uniqueid or uuid (MixMonitor's naming), or that the record "
                     "names.", show_default=False),
    ] = None,
    rejects: RejectsOption = None,
    dry_run: DryRunOption = False,
    strict: StrictOption = False,
    encoding: EncodingOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Call detail records: one call per PBX call, decided from its legs, the operator
    found by extension, with the centre's PBX rules (scorecard pbx)."""
    from scorecard.ingest.tables import paused_gc

    # A big file's calls are read and stored with the cyclic collector paused (they hold no
    # cycles). Resumed while they were still alive, it would walk every one of them once
    # more (about a second for a million rows): _import_cdr lets them go before it ends,
    # whether it returns or raises.
    with paused_gc():
        _import_cdr(path, format_, mapping, recordings, rejects, dry_run, strict, encoding,
                    user, db)


def _import_cdr(path: Path, format_: str, mapping: Path | None, recordings: Path | None,
                rejects: Path | None, dry_run: bool, strict: bool, encoding: str | None,
                user: str | None, db: str | None) -> None:
    """The work of :func:`cdr`."""
    import time

    from scorecard.errors import ScorecardError
    from scorecard.ingest.cdr import read_cdr_file, sniff_format
    from scorecard.ingest.cdr.freeswitch import COLUMNS as FREESWITCH_COLUMNS
    from scorecard.ingest.cdr.freeswitch import parse_freeswitch
    from scorecard.ingest.cdr.mapped import load_mapping, read_mapped
    from scorecard.ingest.tables import read_rows_reporting
    from scorecard.services.imports import import_calls, operator_extensions, operator_names
    from scorecard.services.pbx import current_rules

    formats = ("auto", "asterisk", "freeswitch", "mapped")
    if format_ not in formats:
        raise ScorecardError(f"--format {format_!r} is not supported; use "
                             f"{', '.join(formats)}")
    if mapping is not None and format_ == "auto":
        format_ = "mapped"
    if (format_ == "mapped") != (mapping is not None):
        raise ScorecardError("--mapping MAP.toml goes with --format mapped, and only with it")
    started = time.perf_counter()
    hint = None
    if format_ == "auto":
        format_ = sniff_format(path, encoding=encoding)
    database = open_db(db)
    if mapping is not None:
        layout = load_mapping(mapping)
        with database.session() as session:
            names = operator_names(session)
            centre = current_rules(session)
        rows, warnings = read_rows_reporting(path, encoding=encoding or layout.encoding,
                                             delimiter=layout.delimiter, header=layout.header)
        _print_warnings(path, warnings)
        mapped = read_mapped(rows, layout, names, str(path), centre_zone=centre.zone)
        calls, rejected = mapped.calls, mapped.rejected
        if mapped.filtered:
            typer.echo(f"note: {path}: {mapped.filtered} row(s) left out by the mapping's "
                       "filters")
        del mapped
    else:
        with database.session() as session:
            extensions = operator_extensions(session)
            rules = current_rules(session)
        if format_ == "asterisk":
            found = read_cdr_file(path, extensions, encoding=encoding, rules=rules)
            calls, rejected, hint = found.calls, found.rejected, found.hint
            _print_warnings(path, found.warnings)
            if found.layout.name != "asterisk":
                typer.echo(f"note: {path}: " + (
                    "columns found by the header row" if found.layout.header
                    else "FreePBX cdr table layout"))
            del found
        else:
            rows, warnings = read_rows_reporting(path, encoding=encoding,
                                                 columns=FREESWITCH_COLUMNS)
            _print_warnings(path, warnings)
            calls, rejected = parse_freeswitch(rows, extensions, rules)
    if hint:
        print(f"hint: {path}: {hint}", file=sys.stderr)
    if not calls and not rejected:
        from scorecard.errors import InputFileError

        raise InputFileError(f"{path}: no call records in the file")
    if recordings is not None:
        from scorecard.ingest.recordings import attach_recordings, index_recordings

        index = index_recordings(recordings)
        calls, matched = attach_recordings(calls, index, format_)
        typer.echo(f"note: {matched} of {len(calls)} call(s) found a recording in "
                   f"{recordings} ({len(index.by_name)} audio file(s) there)")
    count, source = len(calls), format_
    # Only the store holds the calls from here on (see cdr): none is left alive in this
    # frame when _run_import raises typer.Exit for a file with rejected rows.
    held = [calls]
    del calls

    def store(session: Session) -> ImportReport:
        return import_calls(session, held.pop(), source=source)

    _run_import("cdr", path, rejected, rejects, dry_run, strict, db, user, store,
                database=database)
    typer.echo(f"{count} call(s) read in {time.perf_counter() - started:.1f} s")


@app.command("queue-log")
def queue_log(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Asterisk's queue_log.")],
    rejects: RejectsOption = None,
    dry_run: DryRunOption = False,
    strict: StrictOption = False,
    encoding: EncodingOption = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Agents' queue time: logged in (ADDMEMBER/REMOVEMEMBER, AGENTLOGIN/AGENTLOGOFF) and
    paused (PAUSE/UNPAUSE) per operator, and the agent who took each queue call (CONNECT)
    for calls the call records gave no operator. Its Unix times need the centre's time zone
    (scorecard pbx set --time-zone)."""
    from scorecard.errors import ScorecardError
    from scorecard.ingest.queue_log import parse_queue_log
    from scorecard.ingest.tables import read_text
    from scorecard.services.agents import import_queue_log
    from scorecard.services.pbx import current_rules

    text, _ = read_text(path, encoding=encoding)
    database = open_db(db)
    with database.session() as session:
        zone = current_rules(session).zone
    if zone is None:
        raise ScorecardError("the queue log's times are Unix times: say the centre's time "
                             "zone first (scorecard pbx set --time-zone Europe/Moscow)")
    log = parse_queue_log(enumerate(text.splitlines(), start=1), zone)
    if log.ignored:
        typer.echo(f"note: {path}: {log.ignored} line(s) of other queue events")
    _run_import("queue_log", path, log.rejected, rejects, dry_run, strict, db, user,
                lambda session: import_queue_log(session, log), database=database)


def _print_warnings(path: Path, warnings: Sequence[DecodeWarning]) -> None:
    """Lines whose stray bytes were replaced: read, and said so."""
    for warning in warnings[:10]:
        typer.echo(f"note: {path}:{warning.line}: {warning.reason}")
    if len(warnings) > 10:
        typer.echo(f"note: … and {len(warnings) - 10} more line(s) with undecodable bytes")


PARTIAL_EXIT = 3
"""Exit code of an import that stored some rows and rejected others (0: every row stored;
2: nothing stored, or the file could not be read; 1 is left to crashes)."""


def _run_import(
    kind: str,
    path: Path,
    rejected: list[Rejected],
    rejects: Path | None,
    dry_run: bool,
    strict: bool,
    db: str | None,
    user: str | None,
    work: Callable[[Session], ImportReport],
    database: Database | None = None,
) -> None:
    """Shared ending of every import: one transaction, strictness, rejects file, report.

    Rows the reader rejected and rows the store rejects (values beyond their columns) are
    reported together; with --strict either kind writes nothing.
    """
    from scorecard.errors import ScorecardError
    from scorecard.services.audit import record

    if strict and rejected:
        _show_rejected(path, rejected, rejects)
        raise ScorecardError(f"{path}: {len(rejected)} row(s) rejected and --strict is on; "
                             "nothing was written")
    database = database or open_db(db)
    # The write lock up front: a second importer (or the app saving) waits its turn, up
    # to the busy timeout, instead of failing "locked" when its read turns into a write.
    with database.session(immediate=True) as session:
        by = importer(session, user)
        report = work(session)
        report.rejected = sorted([*rejected, *report.rejected], key=lambda row: row.line)
        failed = bool(report.rejected) and report.new + report.updated + report.unchanged == 0
        if dry_run or failed or (strict and report.rejected):
            # A failed import leaves the database as it was: no audit entry either.
            session.rollback()
        else:  # one entry per import, never one per row
            record(session, action=f"import.{kind}", entity="import", entity_id=None,
                   actor_id=by.user_id if by else None,
                   new={"file": str(path), "new": report.new, "updated": report.updated,
                        "unchanged": report.unchanged, "rejected": len(report.rejected)})
    rejected = report.rejected
    _show_rejected(path, rejected, rejects)
    if strict and rejected:
        raise ScorecardError(f"{path}: {len(rejected)} row(s) rejected and --strict is on; "
                             "nothing was written")
    prefix = "dry run, nothing written: " if dry_run else ""
    typer.echo(f"{path}: {prefix}{report.summary()}")
    for note in report.notes:
        typer.echo(f"note: {note}")
    if rejected:
        if failed:
            print(f"error: {path}: nothing stored: all {len(rejected)} row(s) were rejected",
                  file=sys.stderr)
            raise typer.Exit(2)
        raise typer.Exit(PARTIAL_EXIT)


def _show_rejected(path: Path, rejected: list[Rejected], rejects: Path | None) -> None:
    """The first ten rejected rows on stderr; all of them in the rejects file, if asked."""
    if rejects is not None:
        _write_rejects(rejects, rejected)
    for row in rejected[:10]:
        print(f"rejected: {path}:{row.line}: {row.reason}", file=sys.stderr)
    if len(rejected) > 10:
        print(f"rejected: … and {len(rejected) - 10} more"
              + (f" (all in {rejects})" if rejects else " (use --rejects FILE for all)"),
              file=sys.stderr)


def importer(session: Session, user: str | None) -> Actor | None:
    """Who imports: an admin (None while the database has none: the first setup)."""
    from scorecard.services.access import Permission
    from scorecard.services.users import setup_actor

    return setup_actor(session, given_login(user, session), Permission.IMPORT_DATA)


def _write_rejects(target: Path, rejected: list[Rejected]) -> None:
    import csv

    from scorecard.errors import ScorecardError

    try:
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["line", "reason"])
            writer.writerows((row.line, row.reason) for row in rejected)
    except OSError as exc:
        raise ScorecardError(f"{target}: cannot write the rejects file: {exc.strerror}") from None


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
    speakers: Annotated[
        Path | None,
        typer.Option("--speakers", metavar="SPEAKERS.csv",
                     help="Per-file operator speaker: a CSV with columns file,operator "
                     "(file name or call id, and the label such as SPEAKER_00); wins over "
                     "--operator.", show_default=False),
    ] = None,
    operator_label: OperatorLabelOption = None,
    client_label: ClientLabelOption = None,
    call_id: Annotated[
        str | None,
        typer.Option("--call", metavar="CALL_ID",
                     help="The call of a single file named otherwise (its external id).",
                     show_default=False),
    ] = None,
    user: UserOption = None,
    db: DbOption = None,
) -> None:
    """Attach transcripts to calls; a call's earlier transcript is replaced.

    Files that cannot be read, and files that match no call, are reported on stderr and
    make the exit code 2; the others are stored.
    """
    from scorecard.cli.detect import read_files, roles_line, roles_warnings, transcript_files
    from scorecard.config import load_settings
    from scorecard.errors import ScorecardError
    from scorecard.ingest.transcripts import group_channels
    from scorecard.services import transcripts as service
    from scorecard.services.cards import card_version_greetings

    if match not in service.MATCH_MODES:
        raise ScorecardError(f"--match must be one of {', '.join(service.MATCH_MODES)}")
    files = group_channels(transcript_files(paths))
    if not files:
        raise ScorecardError("no transcript files found (.txt, .json, .vtt, .srt, .docx)")
    if call_id is not None and len(files) != 1:
        raise ScorecardError(f"--call names the call of one file; {len(files)} were given")
    per_file = _speaker_map(speakers) if speakers else {}
    config = load_settings().transcripts
    labels = (tuple(operator_label or ()), tuple(client_label or ()))
    database = open_db(db)
    with database.session() as session:
        by = importer(session, user)
        calls = service.find_calls(
            session, {key for p, _ in files for key in service.call_keys(p)}, match) \
            if call_id is None else service.find_calls(session, {call_id}, "external-id")
        greetings = card_version_greetings(session)
    problems = 0
    roles: Counter[str] = Counter()
    with database.session() as session:
        for path, parts in files:
            call = service.call_of(path, calls) if call_id is None else calls.get(call_id)
            if call is None:
                names = " or ".join(repr(key) for key in (
                    service.call_keys(path) if call_id is None else [call_id]))
                how = match if call_id is None else "external-id"
                print(f"error: {path}: no call with {how} {names}", file=sys.stderr)
                problems += 1
                continue
            try:
                given = next((per_file[name] for name in (path.name, *service.call_keys(path))
                              if name in per_file), operator)
                doc = read_files(parts, config=config, operator=given, labels=labels,
                                 greetings=greetings.get(call.team_card_id, ()),
                                 direction=call.direction)
            except ScorecardError as error:
                print(f"error: {error}", file=sys.stderr)
                problems += 1
                continue
            service.attach(session, call.id, doc)
            roles[doc.roles] += 1
            typer.echo(f"{path}: {roles_line(doc)}")
            for warning in doc.warnings:
                typer.echo(f"note: {path}: {warning}")
            for warning in roles_warnings(doc, config.role_margin):
                print(f"warning: {path}: {warning}", file=sys.stderr)
        if roles:  # one entry per import, never one per file
            from scorecard.services.audit import record

            record(session, action="import.transcripts", entity="import", entity_id=None,
                   actor_id=by.user_id if by else None,
                   new={"files": [str(p) for p in paths][:20], "stored": sum(roles.values()),
                        "not_stored": problems})
    stored = sum(roles.values())
    typer.echo(f"{stored} transcript(s) stored (roles: {roles['label']} by label, "
               f"{roles['inferred']} inferred, {roles['none']} none), {problems} file(s) "
               "not stored")
    if problems:
        raise typer.Exit(2)


def _speaker_map(path: Path) -> dict[str, str]:
    """``file,operator`` rows: which diarised label is the operator in each file."""
    from scorecard.errors import ScorecardError
    from scorecard.ingest.tables import read_header, read_rows

    rows = read_rows(path)
    columns, _ = read_header(rows, {"file": "file", "файл": "file", "operator": "operator",
                                    "оператор": "operator"}, str(path))
    if set(columns) != {"file", "operator"}:
        raise ScorecardError(f"{path}: line 1: the header must name the columns file and "
                             "operator")
    mapping: dict[str, str] = {}
    for line, fields in rows:
        name, label = (fields[columns[c]].strip() if columns[c] < len(fields) else ""
                       for c in ("file", "operator"))
        if not name and not label:
            continue
        if not name or not label:
            raise ScorecardError(f"{path}: line {line}: columns file and operator must both "
                                 "be filled")
        mapping[name] = label
    return mapping

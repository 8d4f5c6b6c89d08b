"""``scorecard detect``: find a card's trigger phrases in transcript files or stored calls."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from scorecard.domain.detection import ItemDetection
    from scorecard.domain.transcripts import TranscriptDoc

from scorecard.cli.options import ClientLabelOption, DbOption, OperatorLabelOption, open_db

TRANSCRIPT_SUFFIXES = (".txt", ".json", ".vtt", ".srt", ".docx")


def detect(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Transcript files or folders of them.", show_default=False),
    ] = None,
    card: Annotated[
        str | None,
        typer.Option("--card", metavar="PATH_OR_ID",
                     help="The quality card: a .toml file or a card id."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    operator: Annotated[
        str | None,
        typer.Option(help="Which diarised speaker is the operator (e.g. SPEAKER_01).",
                     show_default=False),
    ] = None,
    operator_label: OperatorLabelOption = None,
    client_label: ClientLabelOption = None,
    all_stored: Annotated[
        bool, typer.Option("--all", help="Run over transcripts stored in the database.")
    ] = False,
    since: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], metavar="YYYY-MM-DD",
                     help="With --all: only calls from this day on.", show_default=False),
    ] = None,
    redo: Annotated[
        bool, typer.Option("--redetect", "--redo",
                           help="With --all: detect again where already done (findings of "
                           "an older detector version are done again without it).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Find trigger phrases: per item found or not, score, trigger, and the evidence.

    Bad files are reported with their path and the others still processed; the exit code
    is 2 when any file failed.
    """
    from scorecard.errors import ScorecardError

    if all_stored:
        if paths:
            raise ScorecardError("give either transcript files or --all, not both")
        _detect_stored(db, card, since, redo)
        return
    if not card:
        raise ScorecardError("--card is required with transcript files (a .toml file or a card id)")
    if not paths:
        raise ScorecardError("give transcript files or folders, or --all for stored transcripts")
    labels = (tuple(operator_label or ()), tuple(client_label or ()))
    failures = _detect_files(paths, card, operator, labels, as_json)
    if failures:
        raise typer.Exit(2)


def _detect_files(
    paths: list[Path],
    card_ref: str,
    operator: str | None,
    labels: tuple[tuple[str, ...], tuple[str, ...]],
    as_json: bool,
) -> int:
    from scorecard.config import load_settings
    from scorecard.domain.cards import greeting_phrases
    from scorecard.domain.detection import Detector
    from scorecard.domain.library import find_card
    from scorecard.domain.transcripts import roles_trusted
    from scorecard.errors import ScorecardError
    from scorecard.ingest.transcripts import group_channels

    settings = load_settings()
    card, _ = find_card(card_ref, settings.library)
    detector = Detector(card)
    greetings = greeting_phrases(card)
    failures = 0
    for path, parts in group_channels(transcript_files(paths)):
        try:
            doc = read_files(parts, operator=operator, labels=labels, greetings=greetings)
        except ScorecardError as error:
            print(f"error: {error}", file=sys.stderr)
            failures += 1
            continue
        results = detector.detect(doc.turns)
        trusted = roles_trusted(doc.roles, doc.roles_margin,
                                settings.transcripts.role_margin)
        if as_json:
            typer.echo(json.dumps({"transcript": str(path), "roles": _roles_json(doc),
                                   "items": [_item_json(r, trusted) for r in results]},
                                  ensure_ascii=False))
            continue
        _print_table(path, doc, results, trusted)
        for warning in roles_warnings(doc, settings.transcripts.role_margin):
            print(f"warning: {path}: {warning}", file=sys.stderr)
    if failures:
        print(f"{failures} file(s) could not be read", file=sys.stderr)
    return failures


def read_files(
    parts: tuple[Path, ...], *, operator: str | None,
    labels: tuple[tuple[str, ...], tuple[str, ...]], greetings: Sequence[str],
    direction: str | None = None,
) -> TranscriptDoc:
    """One transcript from its file (or a stereo call's two channel files), with the
    config's labels and operator channel added to the command's."""
    from scorecard.config import load_settings
    from scorecard.ingest.transcripts import read_channels, read_transcript

    config = load_settings().transcripts
    if len(parts) > 1:
        return read_channels(parts, operator_channel=config.operator_channel,
                             greeting_phrases=greetings, direction=direction)
    return read_transcript(parts[0], operator=operator, greeting_phrases=greetings,
                           direction=direction,
                           operator_labels=(*config.operator_labels, *labels[0]),
                           client_labels=(*config.client_labels, *labels[1]),
                           unknown_labels=config.unknown_labels,
                           operator_channel=config.operator_channel)


def roles_line(doc: TranscriptDoc) -> str:
    """How the roles were set, in a word and its evidence: what a listener checks first."""
    why = f" ({doc.roles_evidence})" if doc.roles_evidence else ""
    if doc.roles_margin is not None:
        return f"roles: {doc.roles}, margin {doc.roles_margin:.2f}{why}"
    return f"roles: {doc.roles}{why}"


def roles_warnings(doc: TranscriptDoc, margin: float) -> list[str]:
    """What deserves a look before the detector's findings are trusted."""
    from scorecard.domain.transcripts import RolesSource, roles_trusted

    if doc.roles is RolesSource.NONE:
        return ["no speaker roles: the file names no speakers, so every turn was searched "
                "as the operator's (label the speakers, or give --operator-label / "
                "--client-label)"]
    if not roles_trusted(doc.roles, doc.roles_margin, margin):
        return [f"the operator was guessed with margin {doc.roles_margin or 0:.2f} (below "
                f"{margin:.2f}): nothing is suggested as a pass; give --operator to say "
                "who it is"]
    return []


def _roles_json(doc: TranscriptDoc) -> dict[str, object]:
    return {"source": str(doc.roles), "evidence": doc.roles_evidence,
            "margin": doc.roles_margin, "operator_label": doc.operator_label}


def _item_json(result: ItemDetection, trusted: bool) -> dict[str, object]:
    item = result.as_json()
    item["suggested"] = ("pass" if trusted else None) if result.found else "fail"
    return item


def transcript_files(paths: list[Path]) -> list[Path]:
    """Expand folders (recursively) into their transcript files; keep files as given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES))
        else:
            files.append(path)
    return files


def _print_table(path: Path, doc: TranscriptDoc, results: list[ItemDetection],
                 trusted: bool) -> None:
    found = sum(r.found for r in results)
    typer.echo(f"{path}  ({doc.format}, {len(doc.turns)} turns, {roles_line(doc)}): "
               f"{found} of {len(results)} items found"
               + ("" if trusted or not found else "; none suggested as a pass"))
    for r in results:
        mark = ("?" if not trusted else "+") if r.found else ("¬" if r.negated else "-")
        evidence = ""
        if r.text:
            evidence = f"  turn {r.turn}: «{_clip(r.text, 48)}» ~ «{r.trigger}»"
        typer.echo(f"  {mark} {r.stage_id + '/' + r.item_id:<32} {r.score:5.1f}{evidence}")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _detect_stored(db: str | None, card: str | None, since: datetime | None, redo: bool) -> None:
    import time

    from scorecard.services.detection import detect_stored

    database = open_db(db)
    started = time.perf_counter()
    run = detect_stored(database, since=since.date() if since else None, card_slug=card,
                        redo=redo)
    elapsed = time.perf_counter() - started
    rate = run.transcripts / elapsed if elapsed > 0 else 0.0
    typer.echo(f"{run.transcripts} transcript(s) checked in {elapsed:.1f} s "
               f"({rate:.0f}/s); {run.found} of {run.items} items found")
    for slug, count in sorted(run.per_card.items()):
        typer.echo(f"  {slug:<28} {count:>7}")
    if run.skipped_no_card:
        typer.echo(f"{run.skipped_no_card} transcript(s) skipped: the operator's team has no "
                   "card (give --card)")

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
    from collections.abc import Iterator

    from scorecard.config import TranscriptSettings
    from scorecard.domain.cards import QualityCard
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


#: Below this many files one process is quicker than starting workers.
PARALLEL_FROM = 200


def _detect_files(
    paths: list[Path],
    card_ref: str,
    operator: str | None,
    labels: tuple[tuple[str, ...], tuple[str, ...]],
    as_json: bool,
) -> int:
    from scorecard.config import load_settings
    from scorecard.domain.library import find_card
    from scorecard.ingest.transcripts import group_channels

    settings = load_settings()
    card, _ = find_card(card_ref, settings.library)
    files = group_channels(transcript_files(paths))
    one_file = _FileDetector(card, operator, labels, as_json, settings.transcripts)
    failures = 0
    for out, err, failed in _each(one_file, files):
        if out:
            sys.stdout.write(out)
        if err:
            sys.stderr.write(err)
        failures += failed
    if failures:
        print(f"{failures} file(s) could not be read", file=sys.stderr)
    return failures


def _each(one_file: _FileDetector, files: list[tuple[Path, tuple[Path, ...]]]
          ) -> Iterator[tuple[str, str, bool]]:
    """Each file's output, in the files' order: read and detected by one worker process
    per core for a big folder (each with its own detector), here for a few files."""
    import multiprocessing
    import os

    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_FROM or workers < 2 or (
            "fork" not in multiprocessing.get_all_start_methods()):
        yield from map(one_file, files)
        return
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER, _FILES
    # The workers are forked with both: nothing is sent to them but numbers of files.
    _WORKER, _FILES = one_file, files
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(_in_worker, range(len(files)),
                            chunksize=max(1, min(64, len(files) // 64)))


_WORKER: _FileDetector | None = None
_FILES: list[tuple[Path, tuple[Path, ...]]] = []


def _in_worker(number: int) -> tuple[str, str, bool]:
    assert _WORKER is not None
    return _WORKER(_FILES[number])


class _FileDetector:
    """Reads one transcript and says what the card's detector found in it, as the text
    ``detect`` prints (stdout, stderr, and whether the file could not be read)."""

    def __init__(self, card: QualityCard, operator: str | None,
                 labels: tuple[tuple[str, ...], tuple[str, ...]], as_json: bool,
                 config: TranscriptSettings) -> None:
        from scorecard.domain.cards import greeting_phrases
        from scorecard.domain.detection import Detector

        self.detector = Detector(card)
        self.greetings = greeting_phrases(card)
        self.operator, self.labels, self.as_json = operator, labels, as_json
        self.config, self.margin = config, config.role_margin
        # An item with nothing heard reads the same in every call: its JSON is made once.
        self._nothing: dict[tuple[ItemDetection, bool], dict[str, object]] = {}

    def _item_json(self, result: ItemDetection, trusted: bool) -> dict[str, object]:
        if result.turn is not None:
            return _item_json(result, trusted)
        key = result, trusted
        item = self._nothing.get(key)
        if item is None:
            item = self._nothing[key] = _item_json(result, trusted)
        return item

    def __call__(self, item: tuple[Path, tuple[Path, ...]]) -> tuple[str, str, bool]:
        from scorecard.domain.transcripts import roles_trusted
        from scorecard.errors import ScorecardError

        path, parts = item
        try:
            doc = read_files(parts, config=self.config, operator=self.operator,
                             labels=self.labels, greetings=self.greetings)
        except ScorecardError as error:
            return "", f"error: {error}\n", True
        results = self.detector.detect(doc.turns)
        trusted = roles_trusted(doc.roles, doc.roles_margin, self.margin)
        if self.as_json:
            return json.dumps({"transcript": str(path), "roles": _roles_json(doc),
                               "items": [self._item_json(r, trusted) for r in results]},
                              ensure_ascii=False) + "\n", "", False
        warnings = "".join(f"warning: {path}: {warning}\n"
                           for warning in roles_warnings(doc, self.margin))
        return _table(path, doc, results, trusted), warnings, False


def read_files(
    parts: tuple[Path, ...], *, config: TranscriptSettings, operator: str | None,
    labels: tuple[tuple[str, ...], tuple[str, ...]], greetings: Sequence[str],
    direction: str | None = None,
) -> TranscriptDoc:
    """One transcript from its file (or a stereo call's two channel files), with the
    config's labels and operator channel (``config``, read once per command) added to the
    command's."""
    from scorecard.ingest.transcripts import read_channels, read_transcript

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
                f"{margin:.2f}): nothing is suggested, pass or fail; give --operator to say "
                "who it is"]
    return []


def _roles_json(doc: TranscriptDoc) -> dict[str, object]:
    return {"source": str(doc.roles), "evidence": doc.roles_evidence,
            "margin": doc.roles_margin, "operator_label": doc.operator_label}


def _item_json(result: ItemDetection, trusted: bool) -> dict[str, object]:
    """The finding, and what a draft would suggest: nothing on a weak guess of the operator
    or on partial evidence."""
    item = result.as_json()
    item["suggested"] = (None if not trusted or result.partial
                         else "pass" if result.found else "fail")
    return item


def transcript_files(paths: list[Path]) -> list[Path]:
    """Expand folders (recursively, not into linked folders) into their transcript files,
    in path order; keep files as given."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found: list[tuple[str, ...]] = []
            _transcripts_in(str(path), (), found)
            found.sort()  # as paths sort: part by part
            files.extend(path.joinpath(*parts) for parts in found)
        else:
            files.append(path)
    return files


def _transcripts_in(folder: str, parts: tuple[str, ...], found: list[tuple[str, ...]]) -> None:
    """The transcript files under ``folder`` as path parts below the folder given; with
    scandir, a folder of thousands of calls is listed without a stat call per file."""
    import os

    try:
        entries = list(os.scandir(folder))
    except PermissionError:
        return  # as a recursive glob does: what cannot be read is not there
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _transcripts_in(entry.path, (*parts, entry.name), found)
        elif (os.path.splitext(entry.name)[1].lower() in TRANSCRIPT_SUFFIXES
              and entry.is_file()):
            found.append((*parts, entry.name))


def _table(path: Path, doc: TranscriptDoc, results: list[ItemDetection],
           trusted: bool) -> str:
    found = sum(r.found for r in results)
    lines = [f"{path}  ({doc.format}, {len(doc.turns)} turns, {roles_line(doc)}): "
             f"{found} of {len(results)} items found"
             + ("" if trusted else "; nothing suggested: the operator is a weak guess")]
    for r in results:
        mark = ("+" if r.found else "¬" if r.negated else "-") if trusted else "?"
        if r.partial and r.parts is not None:
            mark = "½"
        evidence = ""
        heard = [g for g in r.groups if g.found and g.text] if r.parts is not None else []
        if heard:  # an item of parts: each part heard, where
            evidence = "  " + ", ".join(f"turn {g.turn}: «{_clip(g.text or '', 24)}»"
                                        for g in heard)
        elif r.text:
            evidence = f"  turn {r.turn}: «{_clip(r.text, 48)}» ~ «{r.trigger}»"
        parts = f" {r.parts[0]}/{r.parts[1]}" if r.parts is not None else ""
        lines.append(f"  {mark} {r.stage_id + '/' + r.item_id:<32} {r.score:5.1f}{parts}"
                     f"{evidence}")
    return "\n".join(lines) + "\n"


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

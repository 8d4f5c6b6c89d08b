"""Where a command's ``--out`` goes: the file, or standard output without it."""

from __future__ import annotations

from pathlib import Path

import typer


def write_out(content: str, out: Path | None, *, what: str = "written") -> None:
    """``content`` to ``out`` (its folder must exist; a folder is refused), else to stdout.
    The file is written whole or not at all: a partial report never replaces a good one."""
    from scorecard.errors import ScorecardError
    from scorecard.services.exports import check_target

    if out is None:
        typer.echo(content, nl=False)
        return
    check_target(out, named="--out ")
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_text(content, encoding="utf-8", newline="")
        partial.replace(out)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ScorecardError(f"--out {out}: cannot write: {exc.strerror or exc}") from None
    typer.echo(f"{what} to {out}")

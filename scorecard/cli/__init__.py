"""The ``scorecard`` command line: a thin face over the services.

Commands parse arguments, call services and print. They import what they use inside the
command body, so ``scorecard --help`` never pays for the database or the UI stack.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code; user errors become one line on stderr."""
    from scorecard.cli.app import app
    from scorecard.errors import ScorecardError

    with printable_output():
        try:
            app(args=list(argv) if argv is not None else None, prog_name="scorecard")
        except SystemExit as exit_:
            code = exit_.code
            return code if isinstance(code, int) else (0 if code is None else 1)
        except ScorecardError as error:
            print(f"error: {error}", file=sys.stderr)
            return error.exit_code
        except KeyboardInterrupt:
            print("interrupted", file=sys.stderr)
            return 130
    return 0


class _Printable:
    """A text stream that shows control characters instead of writing them (see
    :mod:`scorecard.domain.inert`): whatever a command prints of imported names, logins
    or file contents cannot drive the terminal. The terminal app draws through its own
    stream (``sys.__stderr__``), untouched."""

    def __init__(self, stream: TextIO) -> None:
        from scorecard.domain.inert import printable

        self._stream = stream
        self._printable = printable

    def write(self, text: str) -> int:
        self._stream.write(self._printable(text))
        return len(text)

    def __getattr__(self, name: str) -> object:
        if name == "buffer":  # click would write bytes past us; it falls back to write()
            raise AttributeError(name)
        return getattr(self._stream, name)


@contextmanager
def printable_output() -> Iterator[None]:
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Printable(sys.stdout), _Printable(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def run() -> None:
    """Console-script entry point."""
    from scorecard.startup import pause_collector

    pause_collector()  # resumed once start-up is over (see scorecard.startup)
    code = main()
    from scorecard.cli.options import exit_fast_if_app_finished

    exit_fast_if_app_finished(code)
    sys.exit(code)

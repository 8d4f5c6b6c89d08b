"""The one error model: every problem meant for the user, and how it reads.

A :class:`ScorecardError` is raised with a catalogue key and its parameters
(``GradingError("error.not_yours")``): the app says it in the user's language
(:meth:`ScorecardError.message`), the command line and the log in English (``str``).
Errors about an input file are raised with the sentence itself, since they quote the file
(``operators.csv:12: column 'team' is empty``); those read the same in both languages.

The kinds below are one hierarchy in this one module, so that callers can catch what they
can handle; the CLI prints any of them as one line, exit code 2 unless the kind says
otherwise, and never a traceback.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scorecard.i18n import Catalogue


class ScorecardError(Exception):
    """A problem the user can fix: bad input, unreachable database, a refused action."""

    exit_code = 2

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        """A catalogue key, or (errors about input files) the sentence itself."""
        self.params = params
        super().__init__(self._render(None))

    def message(self, catalogue: Catalogue) -> str:
        """The error in the catalogue's language."""
        return self._render(catalogue)

    def _render(self, catalogue: Catalogue | None) -> str:
        from scorecard.i18n import MESSAGES, Catalogue

        if self.key not in MESSAGES:
            return self.key
        return (catalogue or Catalogue("en"))(self.key, **self.params)


class AccessDenied(ScorecardError):
    """The user may not do this, or not to this operator."""

    exit_code = 4


class DatabaseError(ScorecardError):
    """The database cannot be reached, opened, written or is on the wrong schema."""


class InputFileError(ScorecardError):
    """An input file that cannot be read at all; the message starts with its path."""


class TranscriptError(InputFileError):
    """A transcript that cannot be read; the message starts with the file's path
    (and ``:LINE`` where the format has lines worth pointing at)."""


class CardError(ScorecardError):
    """A card file that cannot be used, with a message naming file, stage and item."""


class KpiError(ScorecardError):
    """A scheme or an input that cannot be used, with a message naming file, part, field."""


class GradingError(ScorecardError):
    """Grading refused: the call is someone else's, gone, or its session closed."""


class DisputeError(ScorecardError):
    """A dispute that cannot be opened or resolved as asked."""


class PlaybackError(ScorecardError):
    """Why a recording cannot play."""

"""The one shape every transcript takes, whatever format it came in.

Readers (``scorecard.ingest.transcripts``) turn text files, Whisper/WhisperX JSON, WebVTT
and SRT into a :class:`TranscriptDoc`; the detector and the grading screen only ever see
this model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

OPERATOR, CLIENT, UNKNOWN = "operator", "client", "unknown"
SPEAKER_ROLES = (OPERATOR, CLIENT, UNKNOWN)


class RolesSource(StrEnum):
    """How a transcript's speaker roles (operator, client) were set."""

    LABEL = "label"
    """The file named them: «Оператор:», «Клиент:»."""
    INFERRED = "inferred"
    """Diarised speakers (SPEAKER_00…) or names: which one is the operator was guessed,
    with evidence and a margin."""
    NONE = "none"
    """No turn has a role: the detector searched everyone's words."""


def roles_source(speakers: Iterable[str], *, operator_inferred: bool) -> RolesSource:
    """How roles were set, from the turns' speakers and the import's record."""
    if not any(speaker in (OPERATOR, CLIENT) for speaker in speakers):
        return RolesSource.NONE
    return RolesSource.INFERRED if operator_inferred else RolesSource.LABEL


DEFAULT_ROLE_MARGIN = 0.25
"""Below this margin a guessed operator is too unsure for the detector's verdicts to stand."""


def roles_trusted(source: RolesSource | str, margin: float | None,
                  threshold: float = DEFAULT_ROLE_MARGIN) -> bool:
    """Whether the detector's verdicts may be suggested to the listener: always when the
    file named the roles, never for a guess below ``threshold`` (the words searched may be
    the client's). Without roles the detector searched every turn; that is reported, not
    withheld."""
    if source == RolesSource.INFERRED:
        return margin is not None and margin >= threshold
    return True


class Turn(NamedTuple):
    """One speaker's uninterrupted speech. (A named tuple: a long call has hundreds, and a
    frozen dataclass costs several times as much to make.)"""

    speaker: str
    """operator, client or unknown."""
    text: str
    start: float | None = None
    end: float | None = None
    label: str | None = None
    """The speaker as the file named them (``Оператор``, ``SPEAKER_00``, ``Анна``)."""


@dataclass(frozen=True)
class TranscriptDoc:
    turns: tuple[Turn, ...]
    format: str
    """text, whisper, whisperx, vtt, srt, demo."""
    source: str | None = None
    operator_label: str | None = None
    """Which diarised label was taken to be the operator, when labels were not roles."""
    operator_inferred: bool = False
    """True when ``operator_label`` was guessed rather than given."""
    warnings: tuple[str, ...] = field(default=())
    roles_evidence: str | None = None
    """Why the roles are what they are: the labels, the option, or what the guess rests on."""
    roles_margin: float | None = None
    """How sure a guessed operator is, 0–1 (None: not guessed); see :func:`roles_trusted`."""

    @property
    def roles(self) -> RolesSource:
        return roles_source((turn.speaker for turn in self.turns),
                            operator_inferred=self.operator_inferred)

    @property
    def speakers_known(self) -> bool:
        return any(turn.speaker != UNKNOWN for turn in self.turns)

    @property
    def word_count(self) -> int:
        return sum(len(turn.text.split()) for turn in self.turns)

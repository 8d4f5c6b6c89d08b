"""Plain-text transcripts: one turn per line, ``Оператор: …`` / ``Клиент: …``, and the
layouts ASR and call-recording exports write.

- ``[00:01:23] Оператор: …``, ``00:01:23 Agent: …`` and ``Анна (1:23): …``: a time code,
  a label, the speech.
- A time code on a line of its own, then the utterance on the next line.
- ``Speaker 1  0:03`` on a line of its own (a label and a time), the speech below it.
- ``Speaker: agent`` (``Спикер: оператор``) on a line of its own: who speaks below.
- A line without a label continues the turn before it.

Speech may contain colons («цена такая: …»), so a prefix only counts as a label when it is
short and looks like a name, a role or a diarised speaker. No label makes a file unreadable:
a name nobody told us about is a speaker whose role is inferred (:mod:`.speakers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scorecard.ingest.transcripts.base import (
    LABEL_PREFIX,
    TIME,
    SpeakerLabels,
    Spoken,
    Utterance,
    clean,
    is_annotation,
    label_key,
    looks_like_a_name,
    said_something,
    seconds,
)

# A bracketed time code is always a time code; a bare one only when a label follows it,
# since «10:30 подойдёт» at the start of a wrapped line is speech.
_BRACKETED_TIME = re.compile(rf"\s*[\[(]({TIME})[\])]\s*")
_BARE_TIME = re.compile(rf"\s*({TIME})\s+")
_TIME_ONLY = re.compile(rf"\s*[\[(]?({TIME})(?:\s*(?:-->|-|–)\s*{TIME})?[\])]?\s*")
# «Speaker 1  0:03», «Анна Иванова (00:01:05)»: a label and a time, and nothing else.
_HEADER = re.compile(rf"\s*([^\W\d_][\w.\-'’ ]{{0,39}}?|[^\W\d_]+[ _]?\d{{1,3}})\s*"
                     rf"(?:[\[(]({TIME})[\])]|\s({TIME}))\s*")


@dataclass(slots=True)
class _Line:
    number: int
    start: float | None
    label: str | None
    """A label-like prefix, known or not."""
    known: bool
    """The label is a role, a label the user gave or a diarised speaker."""
    body: str
    """The text after the label (or after the time code when there is no label)."""
    speech: str
    """The whole line after the time code: what a label-less file keeps."""
    sure: bool = False
    """The line's shape says the prefix is a speaker (bracketed, timed, on a line of its
    own), whatever the words."""


def parse_plain(
    text: str, source: str, labels: SpeakerLabels, operator: str | None
) -> tuple[list[Utterance] | Spoken, list[str]]:
    """Utterances of a text transcript, and warnings about it: a file whose every line is
    «Role: speech» comes as columns of the utterances that say something."""
    every_line = _every_line_labelled(text, labels)
    if every_line is not None:
        return every_line, []
    lines = _timed(_lines(text, labels))
    lines = [line for line in lines if line.body or line.label]
    lines = _speech_not_labels(lines, operator)
    if any(line.label is not None for line in lines):
        return _labelled(lines)
    # No labels at all: each line is a turn by nobody in particular, colons and all.
    return [Utterance(None, clean(line.speech), line.start) for line in lines], []


#: «Оператор: …» on every line, as most exports write: the label (not starting like a time
#: code) and the speech.
_LABELLED_LINE = re.compile(r"^[ \t]*([^\s\d\[(:][^\n:]{0,39}):(.*)$", re.MULTILINE)
#: More distinct labels than this is no ordinary call: the line-by-line reading decides.
_FEW_LABELS = 8


def _every_line_labelled(text: str, labels: SpeakerLabels) -> Spoken | None:
    """The utterances that say something of a file whose every line is «Role: speech» with
    a role (or a diarised speaker) the line-by-line reading would take, found in one pass
    of a regular expression; None for any other file, which is read line by line."""
    if "\r" in text or any(":" in label for label in labels.given):
        return None
    found = _LABELLED_LINE.findall(text)
    # Each match is one line: as many matches as lines (or, in a file with blank lines, as
    # lines with something on them) is every line.
    if not found or (len(found) != text.count("\n") + (not text.endswith("\n"))
                     and len(found) != sum(1 for line in text.split("\n") if line.strip())):
        return None
    heads, bodies = zip(*found, strict=True)
    label_of = {head: head.strip() for head in set(heads)}
    if len(label_of) > _FEW_LABELS:
        return None
    heads_ok = labels.line_heads
    for head, label in label_of.items():
        ok = heads_ok.get(head)
        if ok is None:
            line = _parse_line(0, f"{head}: x", labels)
            ok = heads_ok[head] = (line.label == label and line.known and not line.sure
                                   and not is_annotation(head))
            if len(heads_ok) > _FEW_LABELS * 512:  # the heads of very many files
                heads_ok.clear()
        if not ok:
            return None
    # Most files have single spaces: their speech needs only its ends trimmed.
    tidy = (map(str.strip, bodies) if "  " not in text and "\t" not in text else
            [body if "  " not in body and "\t" not in body else clean(body)
             for body in map(str.strip, bodies)])
    return said_something(map(label_of.__getitem__, heads), list(tidy), text)


def _lines(text: str, labels: SpeakerLabels) -> list[_Line]:
    parsed: list[_Line] = []
    # A file repeats its few labels on every line: what a line's text before its colon
    # makes of it is worked out once (see _parse_line), or the regular expressions below
    # cost more than the rest of reading and detecting together.
    heads: dict[str, tuple[str, bool]] = {}
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if not raw or raw.isspace():
            continue
        rest = raw.lstrip()
        if not rest[0].isdigit() and rest[0] not in "[(":  # no time code
            colon = rest.find(":")
            if colon < 0:  # no label, no time: speech
                body = rest.strip()
                parsed.append(_Line(number, None, None, False, body, rest))
                continue
            known = heads.get(rest[:colon])
            if known is not None:
                parsed.append(_Line(number, None, known[0], known[1],
                                    rest[colon + 1:].strip(), rest))
                continue
        line = _parse_line(number, raw, labels)
        if (line.label is not None and line.start is None and not line.sure
                and (colon := rest.find(":")) > 0 and not is_annotation(rest[:colon])
                and line.body == rest[colon + 1:].strip()):
            heads[rest[:colon]] = (line.label, line.known)
        parsed.append(line)
    return parsed


def _timed(lines: list[_Line]) -> list[_Line]:
    """A time code alone on its line times the line after it (two ASR vendors' layout)."""
    kept: list[_Line] = []
    pending: float | None = None
    for line in lines:
        if line.label is None and not line.body and line.start is not None:
            pending = line.start
            continue
        if pending is not None and line.start is None:
            line.start = pending
        pending = None
        kept.append(line)
    return kept


def _parse_line(number: int, raw: str, labels: SpeakerLabels) -> _Line:
    only = _TIME_ONLY.fullmatch(raw)
    if only:
        return _Line(number, seconds(only.group(1)), None, False, "", "")
    start = None
    rest = raw.lstrip()
    timed = _BRACKETED_TIME.match(raw)
    if timed is None:
        bare = _BARE_TIME.match(raw)
        if bare and (LABEL_PREFIX.match(raw, bare.end())
                     or labels.given_prefix(raw[bare.end():]) is not None):
            timed = bare
    if timed:
        start = seconds(timed.group(1))
        rest = raw[timed.end():].lstrip()
    given = labels.given_prefix(rest)
    if given is not None:
        label, at = given
        return _Line(number, start, label, True, rest[at:].strip(), rest, sure=True)
    header = _HEADER.fullmatch(rest)
    if header and start is None and (labels.is_speaker(header.group(1))
                                     or looks_like_a_name(header.group(1))):
        stamp = header.group(2) or header.group(3)
        return _Line(number, seconds(stamp), header.group(1).strip(),
                     labels.is_speaker(header.group(1)), "", rest, sure=True)
    prefix = LABEL_PREFIX.match(rest)
    if prefix is None:
        return _Line(number, start, None, False, rest.strip(), rest)
    bracketed, plain, stamp = prefix.group(1), prefix.group(2), prefix.group(3)
    label = (bracketed or plain).strip()
    body = rest[prefix.end():].strip()
    if stamp is not None and start is None:
        start = seconds(stamp)
    if is_annotation(label) and body and (labels.is_speaker(body) or looks_like_a_name(body)):
        # «Speaker: agent» alone on its line: the lines below are the agent's.
        return _Line(number, start, body, labels.is_speaker(body), "", rest, sure=True)
    if labels.is_speaker(label):
        return _Line(number, start, label, True, body, rest)
    sure = bracketed is not None or timed is not None or stamp is not None
    if sure or looks_like_a_name(label):
        return _Line(number, start, label, False, body, rest, sure=sure)
    return _Line(number, start, None, False, rest.strip(), rest)


def _speech_not_labels(lines: list[_Line], operator: str | None) -> list[_Line]:
    """Name-like prefixes put back as speech in a file that is not labelled.

    A prefix is a speaker when its line's shape says so, when it is a role, the user's label
    or the ``operator``, or when the file is labelled: some line has such a label, or every
    other line starts «Анна:», «Иван:». In a file of bare speech, «Итак: цена такая» is
    speech.
    """
    named = sum(line.label is not None for line in lines)
    operator_key = label_key(operator) if operator else None
    if any(line.known or line.sure for line in lines if line.label is not None) or (
            named >= 2 and named * 2 >= len(lines)) or any(
            line.label is not None and label_key(line.label) == operator_key for line in lines):
        return lines
    for line in lines:
        if line.label is not None:
            line.label, line.body = None, line.speech.strip()
    return lines


def _labelled(lines: list[_Line]) -> tuple[list[Utterance], list[str]]:
    """One utterance per labelled line, with the unlabelled lines after it appended."""
    turns: list[tuple[str | None, list[str], float | None]] = []
    warnings: list[str] = []
    for line in lines:
        if line.label is not None:
            turns.append((line.label, [line.body] if line.body else [], line.start))
        elif turns:
            turns[-1][1].append(line.body)  # a wrapped line: the same turn goes on
        else:
            warnings.append(f"line {line.number} has no speaker label; kept as an unknown "
                            "speaker's turn")
            turns.append((None, [line.body], line.start))
    # Most turns are one line with single spaces: cleaned only when they need it.
    utterances = [Utterance(label, parts[0] if len(parts) == 1 and "  " not in parts[0]
                            and "\t" not in parts[0] else clean(" ".join(parts)), start)
                  for label, parts, start in turns]
    return utterances, warnings

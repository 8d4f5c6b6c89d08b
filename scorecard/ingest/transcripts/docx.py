"""DOCX transcripts as vendors send them: the document's text, read as a text transcript.

Paragraphs are lines («Оператор (0:05): …»). Tables are how other vendors lay a call out:
a row of (time, speaker, speech) or (speaker, speech) cells becomes the line
``[time] speaker: speech``; any other row, its cells joined by spaces.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from scorecard.errors import TranscriptError
from scorecard.ingest.transcripts.base import TIME

_TIME_CELL = re.compile(rf"[\[(]?{TIME}[\])]?")


def docx_text(path: Path) -> str:
    """The transcript text of a .docx file: paragraphs and table rows, in document order."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    try:
        document = Document(str(path))
    except FileNotFoundError:
        raise TranscriptError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise TranscriptError(f"{path}: is a folder, not a transcript file") from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise TranscriptError(f"{path}: not a Word document (.docx)") from None
    except Exception as error:  # lxml's parse errors: a damaged document
        raise TranscriptError(f"{path}: cannot read the Word document ({type(error).__name__})"
                              ) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_row_line([cell.text for cell in row.cells]) for row in block.rows)
        else:
            lines.extend(block.text.splitlines())
    return "\n".join(lines)


def _row_line(cells: list[str]) -> str:
    texts = [" ".join(cell.split()) for cell in cells]
    unique = [text for n, text in enumerate(texts) if n == 0 or text != texts[n - 1]]
    if len(unique) == 3 and _TIME_CELL.fullmatch(unique[0]) and unique[1]:
        return f"[{unique[0].strip('[]()')}] {unique[1]}: {unique[2]}"
    if len(unique) == 2 and unique[0] and not _TIME_CELL.fullmatch(unique[0]):
        return f"{unique[0]}: {unique[1]}"
    return " ".join(text for text in unique if text)

"""Where quality cards are found: the shipped library and the user's own folders."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import scorecard
from scorecard.domain.cards import CardError, QualityCard, load_card


def shipped_library() -> Path:
    """The cards that come with scorecard (``scripts_library/`` in the source tree)."""
    package = Path(scorecard.__file__).parent
    installed = package / "_library"
    if installed.is_dir():
        return installed
    return package.parent / "scripts_library"


def card_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their ``*.toml`` files; keep files as given, in order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(path.glob("*.toml")))
        else:
            found.append(path)
    return found


def find_card(id_or_path: str, extra_dirs: Iterable[Path] = ()) -> tuple[QualityCard, Path]:
    """A card given by file path, or by id from the user's folders and the shipped library."""
    candidate = Path(id_or_path).expanduser()
    if candidate.suffix == ".toml" or candidate.exists():
        return load_card(candidate), candidate
    folders = [*extra_dirs, shipped_library()]
    for folder in folders:
        path = folder / f"{id_or_path}.toml"
        if path.is_file():
            return load_card(path), path
    for path in card_files(folders):
        try:
            card = load_card(path)
        except CardError:
            continue
        if card.id == id_or_path:
            return card, path
    searched = ", ".join(str(f) for f in folders)
    raise CardError(f"no card {id_or_path!r}: not a file, and not in {searched}")

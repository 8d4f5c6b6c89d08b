"""Key bindings declared once per screen, described in the listener's language.

Textual reads ``BINDINGS`` at class creation, before the language is known, so screens
list :class:`Key` specs and build their bindings when they are created. Every binding has an
id (``grading.pass``), which is what the config file's ``[keys]`` table remaps. Letter keys
also answer on the Russian keyboard layout (``p`` and ``з`` are one key), so a listener
never has to switch layouts to grade.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingsMap

from scorecard.i18n import Catalogue

_RUSSIAN_LAYOUT = dict(zip("qwertyuiop[]asdfghjkl;'zxcvbnm,.",
                           "йцукенгшщзхъфывапролджэячсмитьбю", strict=True))


@dataclass(frozen=True)
class Key:
    id: str
    """The binding id the config file's [keys] table uses."""
    keys: str
    """Comma-separated Textual key names; lowercase letters get their Russian twin."""
    action: str
    message: str
    """Catalogue key of the footer description."""
    show: bool = True
    priority: bool = False


def with_russian_layout(keys: str) -> str:
    names = [k.strip() for k in keys.split(",") if k.strip()]
    twins = [_RUSSIAN_LAYOUT[k] for k in names if k in _RUSSIAN_LAYOUT]
    return ",".join(names + [t for t in twins if t not in names])


def bindings(specs: Iterable[Key], catalogue: Catalogue) -> BindingsMap:
    return BindingsMap([
        Binding(with_russian_layout(spec.keys), spec.action, catalogue(spec.message),
                show=spec.show, priority=spec.priority, id=spec.id)
        for spec in specs
    ])

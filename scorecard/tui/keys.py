"""Key bindings declared once per screen, described in the listener's language.

Screens declare class-level ``BINDINGS`` built with :func:`bind`. Every binding has an id
(``grading.pass``), which is what the config file's ``[keys]`` table remaps through the
app's keymap, and its description is a catalogue key: the key bar and the key help translate
it where they draw it, so one class serves both languages. Letter keys also answer on the
Russian keyboard layout (``p`` and ``з`` are one key), so a listener never has to switch
layouts to grade.
"""

from __future__ import annotations

from textual.binding import Binding

from scorecard.i18n import MESSAGES, Catalogue

_RUSSIAN_LAYOUT = dict(zip("qwertyuiop[]asdfghjkl;'zxcvbnm,.",
                           "йцукенгшщзхъфывапролджэячсмитьбю", strict=True))


def with_russian_layout(keys: str) -> str:
    names = [k.strip() for k in keys.split(",") if k.strip()]
    twins = [_RUSSIAN_LAYOUT[k] for k in names if k in _RUSSIAN_LAYOUT]
    return ",".join(names + [t for t in twins if t not in names])


def bind(
    binding_id: str, keys: str, action: str, message: str, *, show: bool = True,
    priority: bool = False,
) -> Binding:
    """A binding with an id and a catalogue key (``message``) as its description."""
    return Binding(with_russian_layout(keys), action, message, show=show, priority=priority,
                   id=binding_id)


def describe(binding: Binding, catalogue: Catalogue) -> str:
    """A binding's description in the user's language (Textual's own ones as they are)."""
    if binding.description in MESSAGES:
        return catalogue(binding.description)
    return binding.description

"""Key bindings declared once per screen, described in the listener's language.

Screens declare class-level ``BINDINGS`` built with :func:`bind`. Every binding has an id
(``grading.pass``), which is what the config file's ``[keys]`` table remaps through the
app's keymap, and its description is a catalogue key: the key bar and the key help translate
it where they draw it, so one class serves both languages. Letter keys also answer on the
Russian keyboard layout (``p`` and ``з`` are one key), so a listener never has to switch
layouts to grade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from scorecard.i18n import MESSAGES, Catalogue

if TYPE_CHECKING:
    from textual.screen import Screen

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


def described_keys(
    screen: Screen[object], catalogue: Catalogue, *, shown_only: bool
) -> list[tuple[str, str]]:
    """(key as the keymap has it, description) of the screen's active bindings, one per
    action: the shown ones for the key bar, all described ones for the key help."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    # A focused table's own hidden Enter answers first, then sends the screen the event the
    # screen's Enter stands for: the screen's shown binding is the one to describe.
    # Unless the screen turns that action off (a reader's screen with nothing to change).
    shown_below = {key: binding for node, bindings in reversed(screen._modal_binding_chain)
                   for key, binding in bindings if node is screen and binding.show
                   and screen.check_action(binding.action, ()) is not False}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.show and key in shown_below:
            binding = shown_below[key]
        if binding.action in seen or not binding.description or (
                shown_only and not binding.show):
            continue
        seen.add(binding.action)
        rows.append((screen.app.get_key_display(binding), describe(binding, catalogue)))
    return rows

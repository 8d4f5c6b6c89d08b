"""Stage colours, shared by the transcript highlights and the card's stage headers.

A listener links a highlighted phrase to its stage by colour, so both widgets take the
colours from one list of theme variables: a theme change recolours both alike.
"""

from __future__ import annotations

_THEME_COLOURS = ("$primary 50%", "$success 45%", "$accent 45%", "$secondary 60%",
                  "$error 40%", "$foreground 30%", "$warning 40%")

STAGE_CLASSES: tuple[str, ...] = tuple(f"stage--{n}" for n in range(len(_THEME_COLOURS)))

STAGE_CSS = "\n".join(
    f"& > .{name} {{ background: {colour}; }}"
    for name, colour in zip(STAGE_CLASSES, _THEME_COLOURS, strict=True)
)
"""CSS rules for a widget that lists STAGE_CLASSES among its component classes."""

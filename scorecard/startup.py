"""The cyclic garbage collector during start-up.

Starting the app creates some half a million objects (SQLAlchemy, pydantic, Textual and
the app's own modules), and Python's collector walks all of them again and again while
they are made: about 150 ms of a one-second start, reclaiming nothing, since modules are
not garbage. The command line pauses the collector as it starts, and resumes it once
start-up is over (a command's options are parsed, or the app's first frame is drawn), with
everything alive by then frozen out of later collections: it lives as long as the process.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    gc.disable()


def resume_collector() -> None:
    """End of start-up. Does nothing when the collector was not paused (tests, the app
    embedded elsewhere), so nothing is frozen that may yet be garbage."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()

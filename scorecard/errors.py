"""The one exception type that carries a message meant for the user.

Anything raised as :class:`ScorecardError` is printed by the CLI as a single sentence
(what, where, how to fix) with exit code 2 and no traceback.
"""


class ScorecardError(Exception):
    """A problem the user can fix: bad input, unreachable database, wrong schema."""

    exit_code = 2

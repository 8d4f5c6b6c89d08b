"""Use cases: each function is one unit of work over domain rules and storage.

Services take the session from their caller and return plain read models, so the CLI,
the TUI and the tests drive exactly the same code.
"""

"""Domain logic in plain Python: cards, scoring, detection, KPI, sampling.

Nothing in this package imports the database layer or the terminal UI, so every rule
here can be used from the CLI, the TUI and the tests alike.
"""

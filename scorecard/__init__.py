"""scorecard: call-quality scorecard for telemarketing and sales call centres."""

__version__ = "0.1.0"

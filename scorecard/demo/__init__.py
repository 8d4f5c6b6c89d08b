"""Demo data: a realistic, reproducible call centre built by code."""

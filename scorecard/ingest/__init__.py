"""Readers for what call centres export: CDR, outcome reports, transcripts."""

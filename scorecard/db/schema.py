"""The schema revision this code expects, known without loading Alembic.

Start-up checks compare the database's ``alembic_version`` with :data:`SCHEMA_HEAD`;
a test keeps this in step with the newest file under ``migrations/versions``.
"""

KNOWN_REVISIONS: tuple[str, ...] = ("0001_initial", "0002_operator_day", "0003_call_legs",
                                     "0004_transcript_roles", "0005_identity",
                                     "0006_coaching", "0007_kpi_terms", "0008_pay_periods")
SCHEMA_HEAD = KNOWN_REVISIONS[-1]

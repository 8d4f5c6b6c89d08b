"""How each transcript's speaker roles were set: by its labels, inferred (with the evidence
and a margin), or not at all; stored transcripts get theirs from what was recorded. And the
detector's evidence per trigger group of an item (how many parts were heard, and each).

Revision ID: 0004_transcript_roles
Revises: 0003_call_legs
Create Date: 2026-12-04 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004_transcript_roles'
down_revision: str | None = '0003_call_legs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('transcript', schema=None) as batch_op:
        batch_op.add_column(sa.Column('roles', sqlmodel.sql.sqltypes.AutoString(length=8),
                                      nullable=False, server_default='label'))
        batch_op.add_column(sa.Column('roles_evidence',
                                      sqlmodel.sql.sqltypes.AutoString(length=300),
                                      nullable=True))
        batch_op.add_column(sa.Column('roles_margin', sa.Float(), nullable=True))
        batch_op.create_check_constraint('roles_allowed',
                                         "roles IN ('label', 'inferred', 'none')")
    with op.batch_alter_table('detection', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parts_found', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('parts_total', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('groups', sa.Text(), nullable=True))
    op.execute("UPDATE transcript SET roles = 'inferred' WHERE operator_inferred")
    op.execute("UPDATE transcript SET roles = 'none' WHERE NOT EXISTS (SELECT 1 FROM "
               "transcript_segment s WHERE s.transcript_id = transcript.id AND s.speaker IN "
               "('operator', 'client'))")


def downgrade() -> None:
    with op.batch_alter_table('detection', schema=None) as batch_op:
        batch_op.drop_column('groups')
        batch_op.drop_column('parts_total')
        batch_op.drop_column('parts_found')
    with op.batch_alter_table('transcript', schema=None) as batch_op:
        batch_op.drop_constraint('roles_allowed', type_='check')
        batch_op.drop_column('roles_margin')
        batch_op.drop_column('roles_evidence')
        batch_op.drop_column('roles')

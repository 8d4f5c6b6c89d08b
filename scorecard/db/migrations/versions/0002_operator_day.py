"""The operator-day rollup that KPI reports read instead of raw calls, and the call's
start time on evaluations for quality by period.

Revision ID: 0002_operator_day
Revises: 0001_initial
Create Date: 2026-11-22 15:04:16.459916
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002_operator_day'
down_revision: str | None = '0001_initial'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('operator_day',
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('dials', sa.Integer(), nullable=False),
    sa.Column('answered', sa.Integer(), nullable=False),
    sa.Column('effective_calls', sa.Integer(), nullable=False),
    sa.Column('long_calls', sa.Integer(), nullable=False),
    sa.Column('talk_seconds', sa.BigInteger(), nullable=False),
    sa.Column('presentations', sa.Integer(), nullable=False),
    sa.Column('meetings_set', sa.Integer(), nullable=False),
    sa.Column('meetings_held', sa.Integer(), nullable=False),
    sa.Column('invoices', sa.Integer(), nullable=False),
    sa.Column('payments', sa.Integer(), nullable=False),
    sa.Column('payments_kopecks', sa.BigInteger(), nullable=False),
    sa.Column('revenue_new_kopecks', sa.BigInteger(), nullable=False),
    sa.Column('revenue_existing_kopecks', sa.BigInteger(), nullable=False),
    sa.Column('deals', sa.Integer(), nullable=False),
    sa.Column('sales_kopecks', sa.BigInteger(), nullable=False),
    sa.Column('requests_assigned', sa.Integer(), nullable=False),
    sa.Column('requests_processed', sa.Integer(), nullable=False),
    sa.Column('evaluations', sa.Integer(), nullable=False),
    sa.Column('quality_sum', sa.Float(), nullable=False),
    sa.Column('quality_squares', sa.Float(), nullable=False),
    sa.Column('critical_fails', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('operator_id', 'day')
    )
    with op.batch_alter_table('operator_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operator_day_day'), ['day'], unique=False)
    op.create_table('operator_day_stage',
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('stage_key', sa.String(length=64), nullable=False),
    sa.Column('evaluations', sa.Integer(), nullable=False),
    sa.Column('score_sum', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('operator_id', 'day', 'stage_key')
    )
    with op.batch_alter_table('operator_day_stage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operator_day_stage_day'), ['day'], unique=False)
    op.create_table('rollup_stale',
    sa.Column('day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('day')
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('call_started_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_evaluation_call_started', ['call_started_at'], unique=False)
    op.execute('UPDATE evaluation SET call_started_at = (SELECT started_at FROM "call" '
               'WHERE "call".id = evaluation.call_id)')
    # Existing data: every day with calls, outcomes or grades is counted at the first read.
    for table, column in (('"call"', 'started_at'), ('outcome_event', 'occurred_at')):
        op.execute(f"INSERT INTO rollup_stale (day) SELECT DISTINCT date({column}) "
                   f"FROM {table} WHERE date({column}) IS NOT NULL ON CONFLICT DO NOTHING")



def downgrade() -> None:
    op.drop_table('operator_day_stage')
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index('ix_evaluation_call_started')
        batch_op.drop_column('call_started_at')
    op.drop_table('rollup_stale')
    with op.batch_alter_table('operator_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operator_day_day'))

    op.drop_table('operator_day')

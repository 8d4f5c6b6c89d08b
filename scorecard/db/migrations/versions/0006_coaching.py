"""Coaching finished in the app: notes on a task (who, when, what), the graded calls a task
points at as examples, and the outcome a task is closed with.

Revision ID: 0006_coaching
Revises: 0005_identity
Create Date: 2026-12-04 18:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_coaching'
down_revision: str | None = '0005_identity'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('coaching_task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.Text(), nullable=True))
    op.create_table(
        'coaching_note',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['task_id'], ['coaching_task.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_coaching_note_task_id'), 'coaching_note', ['task_id'],
                    unique=False)
    op.create_table(
        'coaching_example',
        sa.Column('task_id', sa.Integer(), nullable=False),
        sa.Column('evaluation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id']),
        sa.ForeignKeyConstraint(['task_id'], ['coaching_task.id']),
        sa.PrimaryKeyConstraint('task_id', 'evaluation_id'),
    )


def downgrade() -> None:
    op.drop_table('coaching_example')
    op.drop_index(op.f('ix_coaching_note_task_id'), table_name='coaching_note')
    op.drop_table('coaching_note')
    with op.batch_alter_table('coaching_task', schema=None) as batch_op:
        batch_op.drop_column('outcome')

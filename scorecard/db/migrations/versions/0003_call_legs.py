"""Call legs (every row a PBX wrote for a call, as written, kept on the call), the
centre's PBX rules,
seats (who held which extension when; the operators' extensions today are held since
always) and agents' logged-in and paused time from the queue log.

Revision ID: 0003_call_legs
Revises: 0002_operator_day
Create Date: 2026-12-04 03:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0003_call_legs'
down_revision: str | None = '0002_operator_day'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('legs', sa.Text(), nullable=True))
    op.create_table('pbx_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('own_numbers', sa.Text(), nullable=False),
    sa.Column('trunks', sa.Text(), nullable=False),
    sa.Column('time_zone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version')
    )


    op.create_table('seat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('extension', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('seat', schema=None) as batch_op:
        batch_op.create_index('ix_seat_extension', ['extension'], unique=False)
        batch_op.create_index(batch_op.f('ix_seat_operator_id'), ['operator_id'], unique=False)
    op.execute("INSERT INTO seat (operator_id, extension, team_id) SELECT id, extension, "
               "team_id FROM operator WHERE extension IS NOT NULL AND active")
    op.create_table('agent_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('queue', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.CheckConstraint("state IN ('logged_in', 'paused')", name='state_allowed'),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('operator_id', 'state', 'queue', 'started_at',
                        name='uq_agent_state_span')
    )
    with op.batch_alter_table('agent_state', schema=None) as batch_op:
        batch_op.create_index('ix_agent_state_operator_started', ['operator_id', 'started_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('agent_state', schema=None) as batch_op:
        batch_op.drop_index('ix_agent_state_operator_started')
    op.drop_table('agent_state')
    with op.batch_alter_table('seat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_seat_operator_id'))
        batch_op.drop_index('ix_seat_extension')
    op.drop_table('seat')
    op.drop_table('pbx_rules')
    # Not a batch operation: on SQLite that copies the call table and drops it, which the
    # rows referring to calls forbid; both databases drop a column in place.
    op.execute('ALTER TABLE "call" DROP COLUMN legs')

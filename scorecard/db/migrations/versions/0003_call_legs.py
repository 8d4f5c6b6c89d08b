"""Call legs (every row a PBX wrote for a call, as written) and the centre's PBX rules.

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
    op.create_table('call_leg',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_key', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('call_leg', schema=None) as batch_op:
        batch_op.create_index('ix_call_leg_call_key', ['call_key'], unique=False)
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


def downgrade() -> None:
    op.drop_table('pbx_rules')
    with op.batch_alter_table('call_leg', schema=None) as batch_op:
        batch_op.drop_index('ix_call_leg_call_key')
    op.drop_table('call_leg')

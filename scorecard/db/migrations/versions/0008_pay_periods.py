"""Pay periods: a closed month, who closed it and with which scheme and terms versions, and
its frozen payouts and the adjustments to earlier closed months carried into it.

Revision ID: 0008_pay_periods
Revises: 0007_kpi_terms
Create Date: 2026-12-04 20:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008_pay_periods'
down_revision: str | None = '0007_kpi_terms'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'pay_period',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=False),
        sa.Column('closed_by_id', sa.Integer(), nullable=False),
        sa.Column('versions', sa.Text(), nullable=False),
        sa.Column('recheck', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['closed_by_id'], ['app_user.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('month'),
    )
    op.create_table(
        'payout',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('pay_period_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.Date(), nullable=False),
        sa.Column('operator_id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column('scheme', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('amount_kopecks', sa.BigInteger(), nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.CheckConstraint("kind IN ('payout', 'adjustment')", name='kind_allowed'),
        sa.ForeignKeyConstraint(['operator_id'], ['operator.id']),
        sa.ForeignKeyConstraint(['pay_period_id'], ['pay_period.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_payout_pay_period_id'), 'payout', ['pay_period_id'],
                    unique=False)
    op.create_index('ix_payout_month_operator', 'payout', ['month', 'operator_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_payout_month_operator', table_name='payout')
    op.drop_index(op.f('ix_payout_pay_period_id'), table_name='payout')
    op.drop_table('payout')
    op.drop_table('pay_period')

"""Payroll terms in the database: the centre's default, each team's (with the scheme that
pays it) and single operators' plans, fixed pay and bonus targets, versioned by the day they
start.

Revision ID: 0007_kpi_terms
Revises: 0006_coaching
Create Date: 2026-12-04 19:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0007_kpi_terms'
down_revision: str | None = '0006_coaching'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'kpi_terms',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('operator_id', sa.Integer(), nullable=True),
        sa.Column('scheme', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id']),
        sa.ForeignKeyConstraint(['operator_id'], ['operator.id']),
        sa.ForeignKeyConstraint(['team_id'], ['team.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_kpi_terms_valid_from', 'kpi_terms', ['valid_from'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_kpi_terms_valid_from', table_name='kpi_terms')
    op.drop_table('kpi_terms')

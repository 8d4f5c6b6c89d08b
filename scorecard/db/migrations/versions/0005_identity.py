"""Proving who someone is: the OS account that stands for a user on a shared database and
the hash of the password the browser app asks for; and a random id of the database itself
(one row), which draft journals are kept under.

Revision ID: 0005_identity
Revises: 0004_transcript_roles
Create Date: 2026-12-04 15:30:00.000000
"""

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005_identity'
down_revision: str | None = '0004_transcript_roles'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('os_account', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      nullable=True))
        batch_op.add_column(sa.Column('password_hash',
                                      sqlmodel.sql.sqltypes.AutoString(length=200),
                                      nullable=True))
        batch_op.create_unique_constraint('uq_app_user_os_account', ['os_account'])
    installation = op.create_table(
        'installation',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    # Every database, new or upgraded, gets an id of its own: a restore or a rebuild into
    # the same URL makes a new one (rebuilds) or brings back the old (restores).
    op.bulk_insert(installation, [{'id': secrets.token_hex(16),
                                   'created_at': datetime.now(UTC).replace(tzinfo=None)}])


def downgrade() -> None:
    op.drop_table('installation')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint('uq_app_user_os_account', type_='unique')
        batch_op.drop_column('password_hash')
        batch_op.drop_column('os_account')

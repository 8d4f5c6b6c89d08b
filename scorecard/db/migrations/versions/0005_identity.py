"""Proving who someone is: the OS account that stands for a user on a shared database and
the hash of the password the browser app asks for; a random id of the database itself
(one row), which draft journals are kept under; and the audit log's hash chain (each
entry's digest covers the one before), computed for the entries already there.

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
    _chain_audit_log()
    if op.get_context().dialect.name == "postgresql":
        _audit_append_function()
    # Every database, new or upgraded, gets an id of its own: a restore or a rebuild into
    # the same URL makes a new one (rebuilds) or brings back the old (restores).
    op.bulk_insert(installation, [{'id': secrets.token_hex(16),
                                   'created_at': datetime.now(UTC).replace(tzinfo=None)}])


def _chain_audit_log() -> None:
    """Add the digest column and chain the entries there are. The append-only guard is
    lifted for this one statement's time, inside the migration's transaction."""
    from scorecard.domain.audit_chain import GENESIS, entry_digest

    sqlite = op.get_context().dialect.name == "sqlite"
    # Not batch mode: on SQLite that rebuilds the table, and its triggers with it are lost.
    op.add_column('audit_log', sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64),
                                         nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, at, actor_id, action, entity, entity_id, old, new, reason FROM audit_log "
        "ORDER BY id")).all()
    if not rows:
        return
    if sqlite:
        op.execute("DROP TRIGGER audit_log_no_update")
    else:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    previous = GENESIS
    digests = []
    for row in rows:
        at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
        previous = entry_digest(previous, at=at, actor_id=row.actor_id, action=row.action,
                                entity=row.entity, entity_id=row.entity_id, old=row.old,
                                new=row.new, reason=row.reason)
        digests.append({"id": row.id, "digest": previous})
    connection.execute(sa.text("UPDATE audit_log SET digest = :digest WHERE id = :id"),
                       digests)
    if sqlite:
        op.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                   "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END")
    else:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def _audit_append_function() -> None:
    """The one way an application role (``scorecard db grant-app``) writes the audit log:
    it may not insert, change or delete rows itself, and not being the table's owner it
    cannot lift the append-only trigger either."""
    schema = op.get_bind().execute(sa.text("SELECT current_schema()")).scalar()
    op.execute(
        "CREATE FUNCTION audit_append(p_at timestamp, p_actor integer, p_action varchar, "
        "p_entity varchar, p_entity_id integer, p_old text, p_new text, p_reason text, "
        "p_digest varchar) RETURNS integer LANGUAGE sql SECURITY DEFINER "
        f'SET search_path = "{schema}", pg_catalog AS $$ '
        "INSERT INTO audit_log (at, actor_id, action, entity, entity_id, old, new, reason, "
        "digest) VALUES (p_at, p_actor, p_action, p_entity, p_entity_id, p_old, p_new, "
        "p_reason, p_digest) RETURNING id $$")
    op.execute("REVOKE ALL ON FUNCTION audit_append(timestamp, integer, varchar, varchar, "
               "integer, text, text, text, varchar) FROM PUBLIC")


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_append(timestamp, integer, varchar, "
                   "varchar, integer, text, text, text, varchar)")
    if op.get_context().dialect.name == "sqlite":
        op.execute("ALTER TABLE audit_log DROP COLUMN digest")  # keeps the table's triggers
    else:
        op.drop_column('audit_log', 'digest')
    op.drop_table('installation')
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint('uq_app_user_os_account', type_='unique')
        batch_op.drop_column('password_hash')
        batch_op.drop_column('os_account')

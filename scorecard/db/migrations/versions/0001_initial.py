"""Initial schema: every table of the product, and the append-only audit log.

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-22 09:43:04.610503
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0001_initial'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('quality_card',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('shift_start', sa.Time(), nullable=False),
    sa.Column('shift_end', sa.Time(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['quality_card.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('norm',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('metric', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('per_shift', sa.Float(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_id', 'metric', 'valid_from')
    )
    op.create_table('operator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('extension', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('agent_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('pbx_login', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('hired_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('agent_id')
    )
    with op.batch_alter_table('operator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_operator_extension'), ['extension'], unique=False)
        batch_op.create_index(batch_op.f('ix_operator_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_operator_team_id'), ['team_id'], unique=False)

    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("role IN ('qa', 'lead', 'trainer', 'admin', 'operator')", name='role_allowed'),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('login'),
    sa.UniqueConstraint('operator_id')
    )
    op.create_table('call',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('ring_seconds', sa.Integer(), nullable=False),
    sa.Column('talk_seconds', sa.Integer(), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('disposition', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('client_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('recording_path', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.CheckConstraint("direction IN ('outbound', 'inbound')", name='direction_allowed'),
    sa.CheckConstraint("disposition IN ('answered', 'no_answer', 'busy', 'failed', 'congestion')", name='disposition_allowed'),
    sa.CheckConstraint('ring_seconds >= 0 AND talk_seconds >= 0', name='seconds_not_negative'),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('external_id')
    )
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.create_index('ix_call_operator_started', ['operator_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_started_at'), ['started_at'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('entity', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('old', sa.Text(), nullable=True),
    sa.Column('new', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('calibration_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('card_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('declared_version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('source_path', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['card_id'], ['quality_card.id'], ),
    sa.ForeignKeyConstraint(['imported_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('card_id', 'content_hash'),
    sa.UniqueConstraint('card_id', 'number')
    )
    with op.batch_alter_table('card_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_card_version_card_id'), ['card_id'], unique=False)

    op.create_table('coaching_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=True),
    sa.Column('goal', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('open', 'done', 'cancelled')", name='status_allowed'),
    sa.ForeignKeyConstraint(['card_id'], ['quality_card.id'], ),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('coaching_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coaching_task_operator_id'), ['operator_id'], unique=False)

    op.create_table('outcome_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('external_id', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('amount_kopecks', sa.BigInteger(), nullable=True),
    sa.Column('client_kind', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('client_ref', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.CheckConstraint("client_kind IS NULL OR client_kind IN ('new', 'existing')", name='client_kind_allowed'),
    sa.CheckConstraint("kind IN ('presentation', 'meeting_set', 'meeting_held', 'invoice', 'payment', 'deal', 'request_assigned', 'request_processed')", name='kind_allowed'),
    sa.CheckConstraint('amount_kopecks IS NULL OR amount_kopecks >= 0', name='amount_not_negative'),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], ),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('external_id')
    )
    with op.batch_alter_table('outcome_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcome_event_call_id'), ['call_id'], unique=False)
        batch_op.create_index('ix_outcome_operator_occurred', ['operator_id', 'occurred_at'], unique=False)

    op.create_table('sample',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('rules', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sample', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sample_day'), ['day'], unique=False)

    op.create_table('slice_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('set_at', sa.Time(), nullable=False),
    sa.Column('due_at', sa.Time(), nullable=False),
    sa.Column('metric', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('target', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('result', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("result IS NULL OR result IN ('met', 'missed')", name='result_allowed'),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('slice_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slice_task_operator_id'), ['operator_id'], unique=False)

    op.create_table('transcript',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('source_path', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('format', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('operator_label', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('operator_inferred', sa.Boolean(), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_id')
    )
    op.create_table('assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('card_version_id', sa.Integer(), nullable=False),
    sa.Column('sample_id', sa.Integer(), nullable=True),
    sa.Column('calibration_session_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('claim_expires_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("status IN ('new', 'claimed', 'done', 'expired', 'cancelled')", name='status_allowed'),
    sa.ForeignKeyConstraint(['assignee_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['calibration_session_id'], ['calibration_session.id'], ),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], ),
    sa.ForeignKeyConstraint(['card_version_id'], ['card_version.id'], ),
    sa.ForeignKeyConstraint(['sample_id'], ['sample.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_id', 'calibration_session_id', 'assignee_id')
    )
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignment_call_id'), ['call_id'], unique=False)
        batch_op.create_index('ix_assignment_queue', ['status', 'assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignment_sample_id'), ['sample_id'], unique=False)

    op.create_table('detection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transcript_id', sa.Integer(), nullable=False),
    sa.Column('card_version_id', sa.Integer(), nullable=False),
    sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('found', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('trigger', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('segment_position', sa.Integer(), nullable=True),
    sa.Column('start_char', sa.Integer(), nullable=True),
    sa.Column('end_char', sa.Integer(), nullable=True),
    sa.Column('detector_version', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['card_version_id'], ['card_version.id'], ),
    sa.ForeignKeyConstraint(['transcript_id'], ['transcript.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('transcript_id', 'card_version_id', 'stage_key', 'item_key')
    )
    with op.batch_alter_table('detection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_detection_card_version_id'), ['card_version_id'], unique=False)

    op.create_table('transcript_segment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transcript_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('speaker', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('speaker_label', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('start_seconds', sa.Float(), nullable=True),
    sa.Column('end_seconds', sa.Float(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.CheckConstraint("speaker IN ('operator', 'client', 'unknown')", name='speaker_allowed'),
    sa.ForeignKeyConstraint(['transcript_id'], ['transcript.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('transcript_id', 'position')
    )
    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('card_version_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('is_calibration', sa.Boolean(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('seconds_spent', sa.Integer(), nullable=False),
    sa.Column('total_score', sa.Float(), nullable=True),
    sa.Column('critical_fail', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'final', 'disputed')", name='status_allowed'),
    sa.CheckConstraint('total_score IS NULL OR (total_score >= 0 AND total_score <= 100)', name='total_in_range'),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], ),
    sa.ForeignKeyConstraint(['call_id'], ['call.id'], ),
    sa.ForeignKeyConstraint(['card_version_id'], ['card_version.id'], ),
    sa.ForeignKeyConstraint(['evaluator_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['operator_id'], ['operator.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id')
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index('ix_evaluation_call', ['call_id'], unique=False)
        batch_op.create_index('ix_evaluation_evaluator_status', ['evaluator_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_operator_id'), ['operator_id'], unique=False)

    op.create_table('dispute',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'accepted', 'rejected')", name='status_allowed'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ),
    sa.ForeignKeyConstraint(['opened_by_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispute_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('evaluation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('item_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
    sa.Column('suggested', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=True),
    sa.Column('suggestion_score', sa.Float(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("answer IS NULL OR answer IN ('pass', 'fail', 'na')", name='answer_allowed'),
    sa.CheckConstraint("suggested IS NULL OR suggested IN ('pass', 'fail')", name='suggested_allowed'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('evaluation_id', 'stage_key', 'item_key')
    )
    op.create_table('evaluation_stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('stage_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('passed', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('evaluation_id', 'stage_key')
    )

    _make_audit_log_append_only()

def downgrade() -> None:
    _drop_audit_log_guards()
    op.drop_table('evaluation_stage')
    op.drop_table('evaluation_answer')
    with op.batch_alter_table('dispute', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispute_evaluation_id'))

    op.drop_table('dispute')
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_operator_id'))
        batch_op.drop_index('ix_evaluation_evaluator_status')
        batch_op.drop_index('ix_evaluation_call')

    op.drop_table('evaluation')
    op.drop_table('transcript_segment')
    with op.batch_alter_table('detection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_detection_card_version_id'))

    op.drop_table('detection')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignment_sample_id'))
        batch_op.drop_index('ix_assignment_queue')
        batch_op.drop_index(batch_op.f('ix_assignment_call_id'))

    op.drop_table('assignment')
    op.drop_table('transcript')
    with op.batch_alter_table('slice_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slice_task_operator_id'))

    op.drop_table('slice_task')
    with op.batch_alter_table('sample', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sample_day'))

    op.drop_table('sample')
    with op.batch_alter_table('outcome_event', schema=None) as batch_op:
        batch_op.drop_index('ix_outcome_operator_occurred')
        batch_op.drop_index(batch_op.f('ix_outcome_event_call_id'))

    op.drop_table('outcome_event')
    with op.batch_alter_table('coaching_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coaching_task_operator_id'))

    op.drop_table('coaching_task')
    with op.batch_alter_table('card_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_card_version_card_id'))

    op.drop_table('card_version')
    op.drop_table('calibration_session')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))

    op.drop_table('audit_log')
    with op.batch_alter_table('call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_started_at'))
        batch_op.drop_index('ix_call_operator_started')

    op.drop_table('call')
    op.drop_table('app_user')
    with op.batch_alter_table('operator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_operator_team_id'))
        batch_op.drop_index(batch_op.f('ix_operator_name'))
        batch_op.drop_index(batch_op.f('ix_operator_extension'))

    op.drop_table('operator')
    op.drop_table('norm')
    op.drop_table('team')
    op.drop_table('quality_card')


# The audit log is evidence: the database itself refuses to change or delete an entry, so
# no code path (or hand-written SQL) can rewrite history.
_REFUSAL = "audit_log is append-only"


def _make_audit_log_append_only() -> None:
    if op.get_context().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse()"
    )


def _drop_audit_log_guards() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        return
    op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
    op.execute("DROP FUNCTION IF EXISTS audit_log_refuse()")

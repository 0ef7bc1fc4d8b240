"""assignments, reminders, feedback and development plans

New tables for mentoring: assignment batches and the per-person assignments they write (one live assignment of a
thing per assigner and person, by a partial unique index), notifications that double as the e-mail outbox (one per
person, reason, subject and due-date bucket), feedback notes with replies, and yearly development plans with their
items. People gain the day they joined their unit (empty for everyone until the next org import names it or moves
them) and whether they want e-mail as well as in-app notifications (yes for everyone).

Revision ID: 328c0080b628
Revises: d61e499f8465
Create Date: 2026-12-02 06:51:12.065634

"""
from alembic import op
import sqlalchemy as sa
import elearn.db


revision = '328c0080b628'
down_revision = 'd61e499f8465'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('elearn_assignment_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assigner_id', sa.Integer(), nullable=False),
    sa.Column('assigner_role', sa.String(length=20), nullable=False),
    sa.Column('target_kind', sa.String(length=20), nullable=False),
    sa.Column('target_person_id', sa.Integer(), nullable=True),
    sa.Column('target_unit_id', sa.Integer(), nullable=True),
    sa.Column('target_position_id', sa.Integer(), nullable=True),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_key', sa.String(length=100), nullable=False),
    sa.Column('due_kind', sa.String(length=20), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('due_days', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=False),
    sa.Column('created_at', elearn.db.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', elearn.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("assigner_role IN ('mentor', 'supervisor')", name=op.f('ck_elearn_assignment_batch_assigner_role_allowed')),
    sa.CheckConstraint("due_kind <> 'fixed' OR due_on IS NOT NULL", name=op.f('ck_elearn_assignment_batch_fixed_has_date')),
    sa.CheckConstraint("due_kind = 'fixed' OR due_days >= 0", name=op.f('ck_elearn_assignment_batch_relative_has_days')),
    sa.CheckConstraint("due_kind IN ('fixed', 'after_assignment', 'after_unit_join')", name=op.f('ck_elearn_assignment_batch_due_kind_allowed')),
    sa.CheckConstraint("target_kind IN ('person', 'unit', 'position')", name=op.f('ck_elearn_assignment_batch_target_kind_allowed')),
    sa.ForeignKeyConstraint(['assigner_id'], ['elearn_person.id'], name=op.f('fk_elearn_assignment_batch_assigner_id_elearn_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['elearn_course.id'], name=op.f('fk_elearn_assignment_batch_course_id_elearn_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_person_id'], ['elearn_person.id'], name=op.f('fk_elearn_assignment_batch_target_person_id_elearn_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_position_id'], ['elearn_position.id'], name=op.f('fk_elearn_assignment_batch_target_position_id_elearn_position'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['target_unit_id'], ['elearn_unit.id'], name=op.f('fk_elearn_assignment_batch_target_unit_id_elearn_unit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_assignment_batch'))
    )
    with op.batch_alter_table('elearn_assignment_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_assignment_batch_assigner_id'), ['assigner_id'], unique=False)

    op.create_table('elearn_development_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', elearn.db.UTCDateTime(), nullable=False),
    sa.Column('proposed_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('agreed_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('agreed_by_id', sa.Integer(), nullable=True),
    sa.Column('done_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('supervisor_comment', sa.Text(), nullable=False),
    sa.CheckConstraint("status IN ('draft', 'proposed', 'agreed', 'done')", name=op.f('ck_elearn_development_plan_status_allowed')),
    sa.CheckConstraint("status NOT IN ('agreed', 'done') OR agreed_by_id IS NOT NULL", name=op.f('ck_elearn_development_plan_agreed_by_someone')),
    sa.ForeignKeyConstraint(['agreed_by_id'], ['elearn_person.id'], name=op.f('fk_elearn_development_plan_agreed_by_id_elearn_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['elearn_person.id'], name=op.f('fk_elearn_development_plan_person_id_elearn_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_development_plan')),
    sa.UniqueConstraint('person_id', 'year', name=op.f('uq_elearn_development_plan_person_id_year'))
    )
    op.create_table('elearn_feedback_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', elearn.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['elearn_person.id'], name=op.f('fk_elearn_feedback_note_author_id_elearn_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentee_id'], ['elearn_person.id'], name=op.f('fk_elearn_feedback_note_mentee_id_elearn_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_feedback_note'))
    )
    with op.batch_alter_table('elearn_feedback_note', schema=None) as batch_op:
        batch_op.create_index('ix_elearn_feedback_note_mentee_created', ['mentee_id', 'created_at'], unique=False)

    op.create_table('elearn_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('subject_type', sa.String(length=20), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.Date(), nullable=False),
    sa.Column('created_at', elearn.db.UTCDateTime(), nullable=False),
    sa.Column('read_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('email_status', sa.String(length=10), nullable=False),
    sa.Column('email_claim', sa.String(length=32), nullable=True),
    sa.Column('email_claimed_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('email_attempts', sa.Integer(), nullable=False),
    sa.Column('email_sent_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('email_message_id', sa.String(length=200), nullable=True),
    sa.Column('email_error', sa.Text(), nullable=False),
    sa.CheckConstraint("email_status IN ('none', 'pending', 'claimed', 'sending', 'sent', 'failed', 'unknown', 'skipped')", name=op.f('ck_elearn_notification_email_status_allowed')),
    sa.CheckConstraint("reason IN ('assigned', 'due_soon', 'overdue', 'approval_awaited', 'plan_agreed', 'feedback', 'reply')", name=op.f('ck_elearn_notification_reason_allowed')),
    sa.CheckConstraint("subject_type IN ('assignment', 'plan', 'feedback')", name=op.f('ck_elearn_notification_subject_type_allowed')),
    sa.ForeignKeyConstraint(['person_id'], ['elearn_person.id'], name=op.f('fk_elearn_notification_person_id_elearn_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_notification')),
    sa.UniqueConstraint('person_id', 'reason', 'subject_type', 'subject_id', 'bucket', name=op.f('uq_elearn_notification_person_id_reason_subject_type_subject_id_bucket'))
    )
    with op.batch_alter_table('elearn_notification', schema=None) as batch_op:
        batch_op.create_index('ix_elearn_notification_outbox', ['email_status', 'id'], unique=False, postgresql_where=sa.text("email_status IN ('pending', 'claimed', 'sending')"))
        batch_op.create_index('ix_elearn_notification_person_created', ['person_id', 'created_at'], unique=False)

    op.create_table('elearn_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('assigner_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_key', sa.String(length=100), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('withdrawn_at', elearn.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assigner_id'], ['elearn_person.id'], name=op.f('fk_elearn_assignment_assigner_id_elearn_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['batch_id'], ['elearn_assignment_batch.id'], name=op.f('fk_elearn_assignment_batch_id_elearn_assignment_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['elearn_course.id'], name=op.f('fk_elearn_assignment_course_id_elearn_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['elearn_person.id'], name=op.f('fk_elearn_assignment_person_id_elearn_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_assignment'))
    )
    with op.batch_alter_table('elearn_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_elearn_assignment_batch_person', ['batch_id', 'person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_elearn_assignment_course_id'), ['course_id'], unique=False)
        batch_op.create_index('ix_elearn_assignment_one_live', ['assigner_id', 'person_id', 'course_id', 'module_key'], unique=True, sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))
        batch_op.create_index('ix_elearn_assignment_person_due', ['person_id', 'due_on'], unique=False)

    op.create_table('elearn_feedback_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', elearn.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['elearn_person.id'], name=op.f('fk_elearn_feedback_reply_author_id_elearn_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['note_id'], ['elearn_feedback_note.id'], name=op.f('fk_elearn_feedback_reply_note_id_elearn_feedback_note'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_feedback_reply'))
    )
    with op.batch_alter_table('elearn_feedback_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_feedback_reply_note_id'), ['note_id'], unique=False)

    op.create_table('elearn_plan_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('competency_code', sa.String(length=32), nullable=True),
    sa.Column('target_level', sa.Integer(), nullable=True),
    sa.Column('course_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('provider', sa.String(length=200), nullable=False),
    sa.Column('jp', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("kind <> 'competency' OR (competency_code IS NOT NULL AND target_level BETWEEN 1 AND 5)", name=op.f('ck_elearn_plan_item_competency_has_level')),
    sa.CheckConstraint("kind <> 'course' OR course_id IS NOT NULL", name=op.f('ck_elearn_plan_item_course_has_course')),
    sa.CheckConstraint("kind <> 'external' OR title <> ''", name=op.f('ck_elearn_plan_item_external_has_title')),
    sa.CheckConstraint("kind IN ('competency', 'course', 'external')", name=op.f('ck_elearn_plan_item_kind_allowed')),
    sa.CheckConstraint('jp IS NULL OR jp >= 0', name=op.f('ck_elearn_plan_item_jp_not_negative')),
    sa.ForeignKeyConstraint(['competency_code'], ['elearn_competency.code'], name=op.f('fk_elearn_plan_item_competency_code_elearn_competency')),
    sa.ForeignKeyConstraint(['course_id'], ['elearn_course.id'], name=op.f('fk_elearn_plan_item_course_id_elearn_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['elearn_development_plan.id'], name=op.f('fk_elearn_plan_item_plan_id_elearn_development_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_plan_item'))
    )
    with op.batch_alter_table('elearn_plan_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_plan_item_plan_id'), ['plan_id'], unique=False)

    with op.batch_alter_table('elearn_person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_since', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('notify_by_email', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade():
    with op.batch_alter_table('elearn_person', schema=None) as batch_op:
        batch_op.drop_column('notify_by_email')
        batch_op.drop_column('unit_since')

    with op.batch_alter_table('elearn_plan_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elearn_plan_item_plan_id'))

    op.drop_table('elearn_plan_item')
    with op.batch_alter_table('elearn_feedback_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elearn_feedback_reply_note_id'))

    op.drop_table('elearn_feedback_reply')
    with op.batch_alter_table('elearn_assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_elearn_assignment_person_due')
        batch_op.drop_index('ix_elearn_assignment_one_live', sqlite_where=sa.text('withdrawn_at IS NULL'), postgresql_where=sa.text('withdrawn_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_elearn_assignment_course_id'))
        batch_op.drop_index('ix_elearn_assignment_batch_person')

    op.drop_table('elearn_assignment')
    with op.batch_alter_table('elearn_notification', schema=None) as batch_op:
        batch_op.drop_index('ix_elearn_notification_person_created')
        batch_op.drop_index('ix_elearn_notification_outbox', postgresql_where=sa.text("email_status IN ('pending', 'claimed', 'sending')"))

    op.drop_table('elearn_notification')
    with op.batch_alter_table('elearn_feedback_note', schema=None) as batch_op:
        batch_op.drop_index('ix_elearn_feedback_note_mentee_created')

    op.drop_table('elearn_feedback_note')
    op.drop_table('elearn_development_plan')
    with op.batch_alter_table('elearn_assignment_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elearn_assignment_batch_assigner_id'))

    op.drop_table('elearn_assignment_batch')

"""competency evidence, position standards and the summaries dashboards read

Evidence (course completions and assessments) per person and competency; the required level per position (SKJ);
two summaries kept in the transaction of every event: the attained level per person and competency, and each
person's standing against their position (JPM, gaps). New tables only: `flask elearn competency recompute` fills
the summaries from existing completions.

Revision ID: 86ea70781654
Revises: 5b1e84ff58db
Create Date: 2026-12-02 10:30:00.425888

"""
from alembic import op
import sqlalchemy as sa
import elearn.db


revision = '86ea70781654'
down_revision = '5b1e84ff58db'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('elearn_position_standard',
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('required_level', sa.Integer(), nullable=False),
    sa.CheckConstraint('required_level BETWEEN 1 AND 5', name=op.f('ck_elearn_position_standard_required_level_range')),
    sa.ForeignKeyConstraint(['competency_id'], ['elearn_competency.id'], name=op.f('fk_elearn_position_standard_competency_id_elearn_competency'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['elearn_position.id'], name=op.f('fk_elearn_position_standard_position_id_elearn_position'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('position_id', 'competency_id', name=op.f('pk_elearn_position_standard'))
    )
    with op.batch_alter_table('elearn_position_standard', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_position_standard_competency_id'), ['competency_id'], unique=False)

    op.create_table('elearn_competency_standing',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('required_total', sa.Integer(), nullable=False),
    sa.Column('attained_total', sa.Integer(), nullable=False),
    sa.Column('gaps', sa.Integer(), nullable=False),
    sa.Column('jpm', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.CheckConstraint('attained_total BETWEEN 0 AND required_total', name=op.f('ck_elearn_competency_standing_attained_within_required')),
    sa.CheckConstraint('required_total > 0', name=op.f('ck_elearn_competency_standing_required_positive')),
    sa.ForeignKeyConstraint(['person_id'], ['elearn_person.id'], name=op.f('fk_elearn_competency_standing_person_id_elearn_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['elearn_position.id'], name=op.f('fk_elearn_competency_standing_position_id_elearn_position'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_elearn_competency_standing'))
    )
    with op.batch_alter_table('elearn_competency_standing', schema=None) as batch_op:
        batch_op.create_index('ix_elearn_competency_standing_jpm', ['jpm', 'person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_elearn_competency_standing_position_id'), ['position_id'], unique=False)

    op.create_table('elearn_competency_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('achieved_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('completion_id', sa.Integer(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', elearn.db.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', elearn.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("(source = 'course' AND completion_id IS NOT NULL AND version_id IS NOT NULL) OR (source = 'assessment' AND completion_id IS NULL AND recorded_by_id IS NOT NULL)", name=op.f('ck_elearn_competency_evidence_source_fields')),
    sa.CheckConstraint("source IN ('course', 'assessment')", name=op.f('ck_elearn_competency_evidence_source_allowed')),
    sa.CheckConstraint('expires_on IS NULL OR expires_on > achieved_on', name=op.f('ck_elearn_competency_evidence_expires_after_achieved')),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_elearn_competency_evidence_level_range')),
    sa.ForeignKeyConstraint(['competency_id'], ['elearn_competency.id'], name=op.f('fk_elearn_competency_evidence_competency_id_elearn_competency'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['completion_id'], ['elearn_completion.id'], name=op.f('fk_elearn_competency_evidence_completion_id_elearn_completion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['elearn_person.id'], name=op.f('fk_elearn_competency_evidence_person_id_elearn_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['elearn_person.id'], name=op.f('fk_elearn_competency_evidence_recorded_by_id_elearn_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['elearn_course_version.id'], name=op.f('fk_elearn_competency_evidence_version_id_elearn_course_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_competency_evidence')),
    sa.UniqueConstraint('completion_id', 'competency_id', name=op.f('uq_elearn_competency_evidence_completion_id_competency_id'))
    )
    with op.batch_alter_table('elearn_competency_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_competency_evidence_completion_id'), ['completion_id'], unique=False)
        batch_op.create_index('ix_elearn_competency_evidence_person_competency', ['person_id', 'competency_id'], unique=False)

    op.create_table('elearn_attained_competency',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('competency_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.CheckConstraint('level BETWEEN 1 AND 5', name=op.f('ck_elearn_attained_competency_level_range')),
    sa.ForeignKeyConstraint(['competency_id'], ['elearn_competency.id'], name=op.f('fk_elearn_attained_competency_competency_id_elearn_competency'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['elearn_competency_evidence.id'], name=op.f('fk_elearn_attained_competency_evidence_id_elearn_competency_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['elearn_person.id'], name=op.f('fk_elearn_attained_competency_person_id_elearn_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'competency_id', name=op.f('pk_elearn_attained_competency'))
    )
    with op.batch_alter_table('elearn_attained_competency', schema=None) as batch_op:
        batch_op.create_index('ix_elearn_attained_competency_competency_level', ['competency_id', 'level', 'person_id'], unique=False)
        batch_op.create_index('ix_elearn_attained_competency_valid_until', ['valid_until'], unique=False)



def downgrade():
    with op.batch_alter_table('elearn_attained_competency', schema=None) as batch_op:
        batch_op.drop_index('ix_elearn_attained_competency_valid_until')
        batch_op.drop_index('ix_elearn_attained_competency_competency_level')

    op.drop_table('elearn_attained_competency')
    with op.batch_alter_table('elearn_competency_evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_elearn_competency_evidence_person_competency')
        batch_op.drop_index(batch_op.f('ix_elearn_competency_evidence_completion_id'))

    op.drop_table('elearn_competency_evidence')
    with op.batch_alter_table('elearn_competency_standing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elearn_competency_standing_position_id'))
        batch_op.drop_index('ix_elearn_competency_standing_jpm')

    op.drop_table('elearn_competency_standing')
    with op.batch_alter_table('elearn_position_standard', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elearn_position_standard_competency_id'))

    op.drop_table('elearn_position_standard')

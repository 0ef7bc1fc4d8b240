"""quiz attempts, answers, surveys, and progress by module key

New tables for the learner journey: quiz attempts (one open per person and module, by a partial unique index)
with their answers, and anonymous survey responses kept apart from who submitted. Module progress gains the course
and module key it was reached under (filled in for existing rows from the module contents and the versions that
use them) and a best score; completions gain their final score.

Revision ID: 86c1fe1bb210
Revises: 3c9d2e7a1b40
Create Date: 2026-12-02 06:09:58.306557

"""
from alembic import op
import sqlalchemy as sa
import elearn.db


revision = '86c1fe1bb210'
down_revision = '3c9d2e7a1b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('elearn_quiz_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_key', sa.String(length=100), nullable=False),
    sa.Column('module_content_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('layout', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('started_at', elearn.db.UTCDateTime(), nullable=False),
    sa.Column('deadline_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('finished_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('finished_by', sa.String(length=10), nullable=True),
    sa.Column('score_points', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('max_points', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('score_percent', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.CheckConstraint("finished_by IN ('learner', 'deadline')", name=op.f('ck_elearn_quiz_attempt_finished_by_allowed')),
    sa.CheckConstraint("kind IN ('posttest', 'pretest', 'quiz')", name=op.f('ck_elearn_quiz_attempt_kind_allowed')),
    sa.CheckConstraint("status IN ('open', 'submitted', 'expired')", name=op.f('ck_elearn_quiz_attempt_status_allowed')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_elearn_quiz_attempt_number_positive')),
    sa.ForeignKeyConstraint(['course_id'], ['elearn_course.id'], name=op.f('fk_elearn_quiz_attempt_course_id_elearn_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_content_id'], ['elearn_module_content.id'], name=op.f('fk_elearn_quiz_attempt_module_content_id_elearn_module_content')),
    sa.ForeignKeyConstraint(['person_id'], ['elearn_person.id'], name=op.f('fk_elearn_quiz_attempt_person_id_elearn_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['elearn_course_version.id'], name=op.f('fk_elearn_quiz_attempt_version_id_elearn_course_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_quiz_attempt')),
    sa.UniqueConstraint('person_id', 'course_id', 'module_key', 'number', name=op.f('uq_elearn_quiz_attempt_person_id_course_id_module_key_number'))
    )
    with op.batch_alter_table('elearn_quiz_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_quiz_attempt_module_content_id'), ['module_content_id'], unique=False)
        batch_op.create_index('ix_elearn_quiz_attempt_one_open', ['person_id', 'course_id', 'module_key'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.create_index('ix_elearn_quiz_attempt_open_deadline', ['deadline_at'], unique=False, postgresql_where=sa.text("status = 'open'"))

    op.create_table('elearn_survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_content_id', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['elearn_course.id'], name=op.f('fk_elearn_survey_response_course_id_elearn_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_content_id'], ['elearn_module_content.id'], name=op.f('fk_elearn_survey_response_module_content_id_elearn_module_content')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_survey_response'))
    )
    with op.batch_alter_table('elearn_survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_survey_response_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_elearn_survey_response_module_content_id'), ['module_content_id'], unique=False)

    op.create_table('elearn_survey_submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_key', sa.String(length=100), nullable=False),
    sa.Column('submitted_at', elearn.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['course_id'], ['elearn_course.id'], name=op.f('fk_elearn_survey_submission_course_id_elearn_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['elearn_person.id'], name=op.f('fk_elearn_survey_submission_person_id_elearn_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_survey_submission')),
    sa.UniqueConstraint('person_id', 'course_id', 'module_key', name=op.f('uq_elearn_survey_submission_person_id_course_id_module_key'))
    )
    op.create_table('elearn_quiz_answer',
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('saved_at', elearn.db.UTCDateTime(), nullable=False),
    sa.Column('fraction', sa.Numeric(precision=6, scale=5), nullable=True),
    sa.Column('points', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['attempt_id'], ['elearn_quiz_attempt.id'], name=op.f('fk_elearn_quiz_answer_attempt_id_elearn_quiz_attempt'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['elearn_question.id'], name=op.f('fk_elearn_quiz_answer_question_id_elearn_question')),
    sa.PrimaryKeyConstraint('attempt_id', 'question_id', name=op.f('pk_elearn_quiz_answer'))
    )
    with op.batch_alter_table('elearn_quiz_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_quiz_answer_question_id'), ['question_id'], unique=False)

    with op.batch_alter_table('elearn_completion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_score', sa.Numeric(precision=5, scale=2), nullable=True))

    with op.batch_alter_table('elearn_module_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('course_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('module_key', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('best_score', sa.Numeric(precision=5, scale=2), nullable=True))
    op.execute(
        "UPDATE elearn_module_progress SET "
        "course_id = (SELECT mc.course_id FROM elearn_module_content mc "
        "WHERE mc.id = elearn_module_progress.module_content_id), "
        "module_key = COALESCE((SELECT MAX(vm.key) FROM elearn_version_module vm "
        "WHERE vm.module_content_id = elearn_module_progress.module_content_id), '')"
    )
    with op.batch_alter_table('elearn_module_progress', schema=None) as batch_op:
        batch_op.alter_column('course_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('module_key', existing_type=sa.String(length=100), nullable=False)
        batch_op.create_index('ix_elearn_module_progress_person_course', ['person_id', 'course_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_elearn_module_progress_course_id_elearn_course'), 'elearn_course', ['course_id'], ['id'], ondelete='CASCADE')



def downgrade():
    with op.batch_alter_table('elearn_module_progress', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_elearn_module_progress_course_id_elearn_course'), type_='foreignkey')
        batch_op.drop_index('ix_elearn_module_progress_person_course')
        batch_op.drop_column('best_score')
        batch_op.drop_column('module_key')
        batch_op.drop_column('course_id')

    with op.batch_alter_table('elearn_completion', schema=None) as batch_op:
        batch_op.drop_column('final_score')

    with op.batch_alter_table('elearn_quiz_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elearn_quiz_answer_question_id'))

    op.drop_table('elearn_quiz_answer')
    op.drop_table('elearn_survey_submission')
    with op.batch_alter_table('elearn_survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elearn_survey_response_module_content_id'))
        batch_op.drop_index(batch_op.f('ix_elearn_survey_response_course_id'))

    op.drop_table('elearn_survey_response')
    with op.batch_alter_table('elearn_quiz_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_elearn_quiz_attempt_open_deadline', postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index('ix_elearn_quiz_attempt_one_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_elearn_quiz_attempt_module_content_id'))

    op.drop_table('elearn_quiz_attempt')

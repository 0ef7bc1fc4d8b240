"""import jobs run outside the request; uploads confirmed instead of token

The admin page's check (preview) and import of an uploaded file now run as jobs, outside the HTTP request, with
their state and progress in `elearn_import_job`. The confirm form carries the job's id (only the owner may use
it) instead of a token, so `token_hash` goes, and `applied_at` becomes `confirmed_at` (set when the import is
started). Uploads waiting for a confirm under the old flow have no check job and are deleted: upload them again.

Revision ID: 5b1e84ff58db
Revises: 328c0080b628
Create Date: 2026-12-02 06:36:11.968859

"""
from alembic import op
import sqlalchemy as sa
import elearn.db


revision = '5b1e84ff58db'
down_revision = '328c0080b628'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('elearn_import_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('stage', sa.String(length=10), nullable=True),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('runner', sa.String(length=100), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('created_at', elearn.db.UTCDateTime(), nullable=False),
    sa.Column('started_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('heartbeat_at', elearn.db.UTCDateTime(), nullable=True),
    sa.Column('finished_at', elearn.db.UTCDateTime(), nullable=True),
    sa.CheckConstraint("mode IN ('check', 'apply')", name=op.f('ck_elearn_import_job_mode_allowed')),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_elearn_import_job_status_allowed')),
    sa.CheckConstraint("stage IN ('read', 'check', 'write')", name=op.f('ck_elearn_import_job_stage_allowed')),
    sa.ForeignKeyConstraint(['owner_id'], ['elearn_person.id'], name=op.f('fk_elearn_import_job_owner_id_elearn_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['upload_id'], ['elearn_pending_import.id'], name=op.f('fk_elearn_import_job_upload_id_elearn_pending_import'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_import_job')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('elearn_import_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_import_job_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_elearn_import_job_status_id', ['status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_elearn_import_job_upload_id'), ['upload_id'], unique=False)

    op.execute("delete from elearn_pending_import where applied_at is null")
    with op.batch_alter_table('elearn_pending_import', schema=None) as batch_op:
        batch_op.alter_column('applied_at', new_column_name='confirmed_at')
        batch_op.drop_constraint(batch_op.f('uq_elearn_pending_import_token_hash'), type_='unique')
        batch_op.drop_column('token_hash')


def downgrade():
    # Uploads carry no token any more, and the old flow cannot confirm them without one.
    op.execute("delete from elearn_pending_import")
    with op.batch_alter_table('elearn_pending_import', schema=None) as batch_op:
        batch_op.alter_column('confirmed_at', new_column_name='applied_at')
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_elearn_pending_import_token_hash'), ['token_hash'])

    with op.batch_alter_table('elearn_import_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elearn_import_job_upload_id'))
        batch_op.drop_index('ix_elearn_import_job_status_id')
        batch_op.drop_index(batch_op.f('ix_elearn_import_job_owner_id'))

    op.drop_table('elearn_import_job')

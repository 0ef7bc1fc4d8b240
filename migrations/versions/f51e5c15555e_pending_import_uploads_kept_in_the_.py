"""pending import uploads kept in the database

The admin CSV import keeps a previewed file here until it is confirmed, so the confirm may reach any app server;
rows older than a day are pruned. Nothing existing changes.

Revision ID: f51e5c15555e
Revises: 95707a45e540
Create Date: 2026-11-23 11:43:09.605606

"""
from alembic import op
import sqlalchemy as sa
import elearn.db


revision = 'f51e5c15555e'
down_revision = '95707a45e540'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('elearn_pending_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', elearn.db.UTCDateTime(), nullable=False),
    sa.Column('applied_at', elearn.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['elearn_person.id'], name=op.f('fk_elearn_pending_import_owner_id_elearn_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_elearn_pending_import')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_elearn_pending_import_token_hash'))
    )
    with op.batch_alter_table('elearn_pending_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_elearn_pending_import_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_elearn_pending_import_owner_id'), ['owner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('elearn_pending_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_elearn_pending_import_owner_id'))
        batch_op.drop_index(batch_op.f('ix_elearn_pending_import_created_at'))

    op.drop_table('elearn_pending_import')

"""module content renderer version: which RENDERER_VERSION produced a module's stored HTML

Existing rows get 0 (an older renderer), so the next sync re-renders them in place.

Revision ID: 95707a45e540
Revises: 47fab4f9215d
Create Date: 2026-11-23 11:41:50.051063

"""
from alembic import op
import sqlalchemy as sa


revision = '95707a45e540'
down_revision = '47fab4f9215d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('elearn_module_content', schema=None) as batch_op:
        batch_op.add_column(sa.Column('renderer_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('elearn_module_content', schema=None) as batch_op:
        batch_op.drop_column('renderer_version')

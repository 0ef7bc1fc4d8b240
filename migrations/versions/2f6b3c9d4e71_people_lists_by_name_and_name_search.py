"""people lists read by name a page at a time; name, e-mail and NIP search through indexes on PostgreSQL

(name, id) serves every people list's order and its keyset pages on both backends. PostgreSQL also gets trigram
indexes (pg_trgm) for "name or e-mail contains" and a pattern index for "NIP starts with"; where the extension
cannot be created (no privilege on a managed database) the trigram indexes are skipped with a warning and search
scans as before. SQLite is unchanged apart from the (name, id) index.

Revision ID: 2f6b3c9d4e71
Revises: 86ea70781654
Create Date: 2026-12-02 10:55:00.000000

"""
import logging

from alembic import op
import sqlalchemy as sa


revision = '2f6b3c9d4e71'
down_revision = '86ea70781654'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def _trigrams_available(connection: sa.Connection) -> bool:
    """Whether pg_trgm is (or could now be) installed; a refusal is rolled back to a savepoint, not fatal."""
    savepoint = connection.begin_nested()
    try:
        connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as refused:
        savepoint.rollback()
        log.warning("pg_trgm not available (%s): name and e-mail search will scan", refused.orig)
        return False
    savepoint.commit()
    return True


def upgrade():
    with op.batch_alter_table('elearn_person', schema=None) as batch_op:
        batch_op.create_index('ix_elearn_person_name_id', ['name', 'id'], unique=False)
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_elearn_person_nip_prefix ON elearn_person (nip text_pattern_ops)")
    if _trigrams_available(connection):
        op.execute("CREATE INDEX ix_elearn_person_name_trgm ON elearn_person USING gin (name gin_trgm_ops)")
        op.execute(
            "CREATE INDEX ix_elearn_person_email_trgm ON elearn_person USING gin (email gin_trgm_ops)"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for name in ("ix_elearn_person_email_trgm", "ix_elearn_person_name_trgm", "ix_elearn_person_nip_prefix"):
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table('elearn_person', schema=None) as batch_op:
        batch_op.drop_index('ix_elearn_person_name_id')

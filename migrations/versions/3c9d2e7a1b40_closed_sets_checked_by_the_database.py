"""closed sets checked by the database

Every column with a closed set of values (roles, identifier and employment kinds, position and competency kinds,
module kinds, question types, progress statuses, import kinds, languages) gets a CHECK constraint, levels are 1-5,
JP is never negative, a mentorship never mentors oneself nor ends before it starts, and a course's competencies
refer to the competency table. On an existing database, a course competency whose code has no competency row
(none should exist: sync checks codes) gets a placeholder competency, so no course loses what it proves.

Revision ID: 3c9d2e7a1b40
Revises: f51e5c15555e
Create Date: 2026-12-02 07:00:00

"""

from alembic import op
import sqlalchemy as sa

revision = "3c9d2e7a1b40"
down_revision = "f51e5c15555e"
branch_labels = None
depends_on = None

# The sets as they were when this migration was written (later migrations change them, never this one).
ROLES = ("employee", "mentor", "trainer", "supervisor", "admin")
CHECKS = {
    "elearn_person": {
        "id_kind_allowed": "id_kind IN ('nip', 'ni_pppk')",
        "employment_allowed": "employment IN ('PNS', 'PPPK')",
        "locale_allowed": "locale IN ('id', 'en')",
    },
    "elearn_person_role": {"role_allowed": "role IN (" + ", ".join(f"'{r}'" for r in ROLES) + ")"},
    "elearn_mentorship": {
        "not_self": "mentor_id <> mentee_id",
        "ends_after_start": "ends_on IS NULL OR ends_on >= starts_on",
    },
    "elearn_position": {"kind_allowed": "kind IN ('struktural', 'fungsional', 'pelaksana')"},
    "elearn_competency": {"kind_allowed": "kind IN ('teknis', 'manajerial', 'sosial_kultural')"},
    "elearn_competency_level": {"level_range": "level BETWEEN 1 AND 5"},
    "elearn_course_version": {"jp_not_negative": "jp >= 0"},
    "elearn_module_content": {
        "kind_allowed": "kind IN ('lesson', 'quiz', 'pretest', 'posttest', 'survey')",
    },
    "elearn_question": {
        "type_allowed": "type IN ('single', 'multiple', 'truefalse', 'short', 'numeric', 'matching', "
        "'likert', 'text')",
    },
    "elearn_course_competency": {"level_range": "level BETWEEN 1 AND 5"},
    "elearn_pending_import": {"kind_allowed": "kind IN ('units', 'positions', 'people', 'mentorships')"},
    "elearn_module_progress": {
        "status_allowed": "status IN ('started', 'completed')",
        "progress_range": "progress >= 0 AND progress <= 1",
    },
    "elearn_completion": {"jp_not_negative": "jp >= 0"},
}
COMPETENCY_FK = "fk_elearn_course_competency_competency_code_elearn_competency"


def upgrade():
    op.execute(
        "INSERT INTO elearn_competency (code, kind, name, definition, source) "
        "SELECT DISTINCT cc.competency_code, 'teknis', cc.competency_code, '', 'migration' "
        "FROM elearn_course_competency cc "
        "WHERE NOT EXISTS (SELECT 1 FROM elearn_competency c WHERE c.code = cc.competency_code)"
    )
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name, condition in checks.items():
                batch_op.create_check_constraint(op.f(f"ck_{table}_{name}"), condition)
            if table == "elearn_course_competency":
                batch_op.create_foreign_key(op.f(COMPETENCY_FK), "elearn_competency", ["competency_code"], ["code"])


def downgrade():
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == "elearn_course_competency":
                batch_op.drop_constraint(op.f(COMPETENCY_FK), type_="foreignkey")
            for name in checks:
                batch_op.drop_constraint(op.f(f"ck_{table}_{name}"), type_="check")

"""Every elearn blueprint, registered in one place: one parent blueprint `elearn` with a child per role area."""

from __future__ import annotations

from flask import Blueprint

from elearn import assets, competency_reports, errors, form_tokens, i18n, listing, security
from elearn.accounts.views import bp as accounts_bp
from elearn.admin import accounts as admin_accounts
from elearn.admin import certificates as admin_certificates
from elearn.admin import framework as admin_framework
from elearn.admin import imports as admin_imports
from elearn.admin import people as admin_people
from elearn.admin import reports as admin_reports
from elearn.admin import views as admin_views
from elearn.admin.blueprint import bp as admin_bp
from elearn.assignments.views import bp as assignments_bp
from elearn.certificates.serial import display as display_serial
from elearn.learner import certificates as learner_certificates
from elearn.learner import courses as learner_courses
from elearn.learner import home as learner_home
from elearn.learner import ledger as learner_ledger
from elearn.learner import mentoring as learner_mentoring
from elearn.learner import quizzes as learner_quizzes
from elearn.learner import surveys as learner_surveys
from elearn.learner.blueprint import bp as learner_bp
from elearn.mentor.views import bp as mentor_bp
from elearn.resources import STATIC_DIR
from elearn.supervisor import competency as supervisor_competency
from elearn.supervisor import training as supervisor_training
from elearn.supervisor.views import bp as supervisor_bp
from elearn.verification.views import bp as verification_bp

# The admin, learner and supervisor areas spread their routes over subject modules, each adding to its blueprint
# when imported.
ROUTE_MODULES = (
    admin_accounts, admin_certificates, admin_framework, admin_imports, admin_people, admin_reports,
    admin_views,
    learner_certificates, learner_courses, learner_home, learner_ledger, learner_mentoring, learner_quizzes,
    learner_surveys, supervisor_competency, supervisor_training,
)  # fmt: skip
CHILDREN = (accounts_bp, learner_bp, mentor_bp, supervisor_bp, assignments_bp, admin_bp, verification_bp)


def build_blueprint() -> Blueprint:
    """The parent blueprint: security and caching headers, asset versions, error pages, then each role area."""
    parent = Blueprint(
        "elearn",
        __name__,
        template_folder="templates",
        static_folder=str(STATIC_DIR / "elearn"),
        static_url_path="/static",
    )
    parent.after_request(security.add_security_headers)
    parent.after_request(security.keep_signed_in_pages_private)
    parent.context_processor(i18n.template_globals)
    parent.context_processor(listing.template_globals)
    parent.context_processor(competency_reports.template_globals)
    parent.add_app_template_filter(i18n.format_number, "jp_number")
    parent.add_app_template_global(display_serial, "display_serial")
    assets.install(parent)
    errors.install(parent)
    form_tokens.install(parent)
    for child in CHILDREN:
        parent.register_blueprint(child)
    return parent

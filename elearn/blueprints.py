"""Every elearn blueprint, registered in one place: one parent blueprint `elearn` with a child per role area."""

from __future__ import annotations

from flask import Blueprint

from elearn import assets, errors, form_tokens, i18n, listing, security
from elearn.accounts.views import bp as accounts_bp
from elearn.admin import accounts as admin_accounts
from elearn.admin import imports as admin_imports
from elearn.admin import views as admin_views
from elearn.admin.blueprint import bp as admin_bp
from elearn.learner.views import bp as learner_bp
from elearn.mentor.views import bp as mentor_bp
from elearn.resources import STATIC_DIR
from elearn.supervisor.views import bp as supervisor_bp

# The admin area spreads its routes over subject modules, each adding to `admin_bp` when imported.
ADMIN_ROUTE_MODULES = (admin_accounts, admin_imports, admin_views)
CHILDREN = (accounts_bp, learner_bp, mentor_bp, supervisor_bp, admin_bp)


def build_blueprint() -> Blueprint:
    """The parent blueprint: security headers, asset versions, error pages, then each role area's blueprint."""
    parent = Blueprint(
        "elearn",
        __name__,
        template_folder="templates",
        static_folder=str(STATIC_DIR / "elearn"),
        static_url_path="/static",
    )
    parent.after_request(security.add_security_headers)
    parent.context_processor(i18n.template_globals)
    parent.context_processor(listing.template_globals)
    assets.install(parent)
    errors.install(parent)
    form_tokens.install(parent)
    for child in CHILDREN:
        parent.register_blueprint(child)
    return parent

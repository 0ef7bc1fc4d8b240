"""The administrator area's blueprint, guarded once: every route below `/admin` needs the admin role."""

from flask import Blueprint

from elearn.auth import require_roles
from elearn.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_roles(Role.ADMIN))

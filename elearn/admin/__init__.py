"""The administrator area: people, units, imports, accounts and the audit log."""

from flask import Blueprint

from elearn.auth import require_roles
from elearn.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(require_roles(Role.ADMIN))


def _attach_routes() -> None:
    """Each admin module adds its routes to `bp` when imported."""
    import importlib
    import pkgutil

    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_attach_routes()

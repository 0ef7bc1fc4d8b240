"""The learner area's blueprint: every signed-in person learns here (catalogue, courses, lessons, quizzes)."""

from flask import Blueprint

from elearn.auth import require_roles

bp = Blueprint("learner", __name__)
bp.before_request(require_roles())

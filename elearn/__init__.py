"""elearn: an e-learning plugin and course engine for the competency development of Indonesian civil servants.

`ELearn` and `create_app` load lazily, so the pure core (`elearn.courses`, `elearn.competency`) imports without Flask.
"""

from typing import Any

__version__ = "0.1.0"

__all__ = ["ELearn", "__version__", "create_app"]


def __getattr__(name: str) -> Any:
    """Import the Flask-facing objects only when asked for."""
    if name == "ELearn":
        from elearn.extension import ELearn

        return ELearn
    if name == "create_app":
        from elearn.app import create_app

        return create_app
    raise AttributeError(name)

"""Static files carry a content hash in their URL, so browsers keep them for a year and still see changes."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request, url_for

ONE_YEAR_SECONDS = 365 * 24 * 60 * 60
STATIC_ENDPOINT = "elearn.static"


@cache
def file_version(path: Path) -> str:
    """A short hash of the file's bytes, read once per process (static files change only with a deploy)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """The URL of one of elearn's static files, with its version as `?v=`."""
    folder = Path(current_app.blueprints["elearn"].static_folder or "")
    return url_for(STATIC_ENDPOINT, filename=filename, v=file_version(folder / filename))


def template_globals() -> dict[str, Any]:
    """`elearn_asset(filename)` for templates, including a host's own layout."""
    return {"elearn_asset": asset_url}


def is_static_request() -> bool:
    """Whether this request asks for a static file (elearn's, the app's or a blueprint's): no session involved."""
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static")


def cache_versioned_static(response: Response) -> Response:
    """A versioned file never changes under its URL, so it may be cached for a year without revalidation."""
    if request.endpoint == STATIC_ENDPOINT and request.args.get("v") and response.status_code == 200:
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR_SECONDS
        response.cache_control.immutable = True
    return response


def install(blueprint: Blueprint) -> None:
    """Give elearn's pages `elearn_asset` and its static files long cache lifetimes."""
    blueprint.context_processor(template_globals)
    blueprint.after_request(cache_versioned_static)

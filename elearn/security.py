"""HTTP security headers on every elearn response, and no caching of what a signed-in person sees."""

from __future__ import annotations

from flask import Response, current_app, session

from elearn.assets import is_static_request

PRIVATE_NO_STORE = "private, no-store"


def content_security_policy(frame_ancestors: str) -> str:
    """A policy with no inline script and no third-party origin; embedding limited to `frame_ancestors`."""
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            f"frame-ancestors {frame_ancestors}",
        )
    )


def add_security_headers(response: Response) -> Response:
    """Set CSP, nosniff and a referrer policy unless the host already chose its own."""
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy", content_security_policy(current_app.config["ELEARN_FRAME_ANCESTORS"])
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    return response


def forbid_caching(response: Response) -> Response:
    """Personal data: neither the browser's cache nor any proxy may keep a copy (a shared computer, a proxy)."""
    response.headers["Cache-Control"] = PRIVATE_NO_STORE
    return response


def keep_signed_in_pages_private(response: Response) -> Response:
    """Every page a signed-in person gets shows their data; static files are left to their own caching.

    The session says whether someone is signed in; asking the person object would reload it after a view has
    committed (its attributes expire), costing two queries on every such request.
    """
    if not is_static_request() and session.get("_user_id"):
        forbid_caching(response)
    return response

"""HTTP security headers on every elearn response."""

from __future__ import annotations

from flask import Response, current_app


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

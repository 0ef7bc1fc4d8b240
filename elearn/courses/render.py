"""The one way authored Markdown becomes safe HTML: size limit, pre-scan, then a budgeted worker render.

Strategy (why not simpler): a cheap linear pre-scan rejects the shapes known to make Python-Markdown slow or
recursive (thousands of `[`/`<` in one paragraph, lists or quotes nested dozens deep) with a clear message;
whatever slips through is stopped by the time budget, enforced by killing a reused worker process (see
render_pool.py: threads cannot be interrupted and SIGALRM is unusable in web worker threads). Rendering is
deterministic, so sync renders each content version once and pages never call this per request.
"""

from __future__ import annotations

from collections.abc import Sequence

from elearn.courses.render_pool import BatchResult, shared_pool
from elearn.courses.scan import pathological_shapes

RENDERER_VERSION = 2
"""Bump this whenever what is stored for unchanged Markdown may change: pipeline.py (extensions, link filter),
allowlist.py, an upgrade of Markdown or bleach, or the stored question shape (elearn/quizzes/stored.py). It is
part of every course's source hash, so the next sync re-renders every course and refreshes the stored HTML and
question columns in place (learners' progress is kept). 2: credits, per-answer feedback and distractors."""

MAX_LESSON_BYTES = 200_000
"""Default of ELEARN_LESSON_MAX_BYTES (elearn/config.py imports it, so there is one number)."""

RENDER_TIMEOUT_SECONDS = 2.0
"""Default of ELEARN_RENDER_SECONDS (elearn/config.py imports it, so there is one number)."""


class RenderError(ValueError):
    """Markdown that cannot be rendered within the limits; the message (Bahasa Indonesia) says why."""


def render_markdown(
    text: str, *, max_bytes: int = MAX_LESSON_BYTES, timeout: float = RENDER_TIMEOUT_SECONDS
) -> str:
    """Render one Markdown text to sanitised HTML, or raise RenderError.

    For single texts (tests, previews). `load_course` does not call this: it checks each file with
    `unrenderable` and sends whole lessons to `render_batches`; both paths share the same pre-check, worker
    pool and pipeline (pipeline.convert), so they produce the same HTML.
    """
    refused = unrenderable(text, max_bytes=max_bytes, what="teks")
    if refused:
        line, _, message = refused[0]
        raise RenderError(f"baris {line}: {message}" if line else message)
    [result] = render_batches([[text]], timeout=timeout)
    if isinstance(result, str):
        raise RenderError(result)
    return result[0]


def unrenderable(text: str, *, max_bytes: int, what: str) -> Sequence[tuple[int | None, int, str]]:
    """Why `text` must not reach the renderer, as (line, column, message); empty when it may be rendered.

    Over the size limit (line None: the whole text, which `what` names) or shapes the pre-scan rejects.
    """
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        return [(None, 1, f"{what} terlalu besar: {size} byte, batasnya {max_bytes} byte")]
    return pathological_shapes(text)


def render_batches(
    batches: Sequence[Sequence[str]], *, timeout: float = RENDER_TIMEOUT_SECONDS
) -> list[BatchResult]:
    """Render pre-checked batches in parallel workers; each batch (one lesson) gets `timeout` seconds."""
    if not batches:
        return []
    return shared_pool().run(batches, timeout=timeout)

"""What an uploaded proof file is, decided by its bytes, never by its name or the browser's claimed type.

Only PDF, JPEG and PNG are accepted. A file renamed to `.pdf` is still whatever its content is: an executable, an
HTML page or an SVG image (which can carry script) does not start with one of the three signatures and is refused.
A PDF or PNG that lacks its end marker was cut off in transit and is refused too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

PDF_SIGNATURE = b"%PDF-"
PDF_END = b"%%EOF"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"IEND\xaeB`\x82"
JPEG_SIGNATURE = b"\xff\xd8\xff"
# PDF writers may put a little after %%EOF (a newline, padding); look for the end marker in this many last bytes.
TAIL_BYTES = 1024


class ProofProblem(StrEnum):
    """Why a proof file is refused (forms word it in the reader's language)."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    NOT_ACCEPTED = "not_accepted"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class ProofType:
    """An accepted kind of proof: its media type and the extension its download gets."""

    media_type: str
    extension: str


PDF = ProofType("application/pdf", "pdf")
PNG = ProofType("image/png", "png")
JPEG = ProofType("image/jpeg", "jpg")
ACCEPTED = (PDF, JPEG, PNG)


def proof_type(data: bytes, *, max_bytes: int) -> ProofType | ProofProblem:
    """The accepted type `data` is, or why it is refused (empty, larger than `max_bytes`, another type, cut off)."""
    if not data:
        return ProofProblem.EMPTY
    if len(data) > max_bytes:
        return ProofProblem.TOO_LARGE
    tail = data[-TAIL_BYTES:]
    if data.startswith(PDF_SIGNATURE):
        return PDF if PDF_END in tail else ProofProblem.INCOMPLETE
    if data.startswith(PNG_SIGNATURE):
        return PNG if tail.endswith(PNG_END) else ProofProblem.INCOMPLETE
    if data.startswith(JPEG_SIGNATURE):
        return JPEG
    return ProofProblem.NOT_ACCEPTED

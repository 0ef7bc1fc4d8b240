"""The certificate as an A4 landscape PDF (fpdf2), drawn from a sheet of ready-made texts.

The caller translates and formats every text (`CertificateSheet`), so one layout serves Bahasa Indonesia and
English and this module needs no Flask. DejaVu Sans is shipped in `elearn/data/fonts` (licence beside it) and
subset into each PDF, so names with any Latin letter print the same on every server. The QR code is drawn as
vector squares from segno's matrix: sharp at any zoom and decodable from a 150 dpi scan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

FONT_DIR = Path(__file__).resolve().parents[1] / "data" / "fonts"
FONT = "DejaVuSans"
PAGE_WIDTH, PAGE_HEIGHT = 297.0, 210.0
MARGIN = 18.0
QR_SIZE = 38.0
ACCENT = (11, 92, 173)
MUTED = (80, 90, 102)
INK = (27, 31, 36)
DANGER = (179, 38, 30)


@dataclass(frozen=True)
class CertificateSheet:
    """Every text printed on one certificate, already in the reader's language."""

    language: str
    issuer: str
    title: str
    given_to: str
    holder_name: str
    holder_id: str
    completed: str
    course_title: str
    facts: str
    competencies_heading: str
    competencies: tuple[str, ...]
    serial_label: str
    serial: str
    verify_label: str
    verify_url: str
    issued_at: datetime
    revoked: str = ""


def render_pdf(sheet: CertificateSheet) -> bytes:
    """The certificate PDF; the same sheet always gives the same bytes (creation date = issue date)."""
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_creation_date(sheet.issued_at)
    pdf.set_lang(sheet.language)
    pdf.set_title(f"{sheet.title}: {sheet.course_title}")
    pdf.set_author(sheet.issuer)
    pdf.set_creator("elearn")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN + 10, MARGIN)
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.add_page()
    _frame(pdf)
    _body(pdf, sheet)
    _footer(pdf, sheet)
    return bytes(pdf.output())


def _frame(pdf: FPDF) -> None:
    """A double border in the accent colour."""
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, PAGE_WIDTH - 16, PAGE_HEIGHT - 16)
    pdf.set_line_width(0.3)
    pdf.rect(11, 11, PAGE_WIDTH - 22, PAGE_HEIGHT - 22)


def _line(
    pdf: FPDF, text: str, *, size: float, bold: bool = False, color: tuple[int, int, int] = INK
) -> None:
    """One centred paragraph (wrapping when long), then down to the next line."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, size * 0.5, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _body(pdf: FPDF, sheet: CertificateSheet) -> None:
    """Issuer, title, holder, course and the competencies it proves, centred down the page."""
    pdf.set_y(20)
    _line(pdf, sheet.issuer, size=12, color=MUTED)
    pdf.ln(2)
    _line(pdf, sheet.title, size=30, bold=True, color=ACCENT)
    if sheet.revoked:
        pdf.ln(1)
        _line(pdf, sheet.revoked, size=14, bold=True, color=DANGER)
    pdf.ln(4)
    _line(pdf, sheet.given_to, size=12, color=MUTED)
    _line(pdf, sheet.holder_name, size=22, bold=True)
    _line(pdf, sheet.holder_id, size=11, color=MUTED)
    pdf.ln(4)
    _line(pdf, sheet.completed, size=12, color=MUTED)
    _line(pdf, sheet.course_title, size=17, bold=True)
    _line(pdf, sheet.facts, size=11)
    if sheet.competencies:
        pdf.ln(3)
        _line(pdf, sheet.competencies_heading, size=10, bold=True, color=MUTED)
        for competency in sheet.competencies:
            _line(pdf, competency, size=10)


def _footer(pdf: FPDF, sheet: CertificateSheet) -> None:
    """The serial and where to check it on the left, the QR code of that address on the right."""
    qr_x = PAGE_WIDTH - MARGIN - 10 - QR_SIZE
    qr_y = PAGE_HEIGHT - MARGIN - QR_SIZE
    _qr(pdf, sheet.verify_url, x=qr_x, y=qr_y, size=QR_SIZE)
    width = qr_x - pdf.l_margin - 6
    pdf.set_xy(pdf.l_margin, qr_y + 4)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(width, 4.5, sheet.serial_label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 13)
    pdf.set_text_color(*INK)
    pdf.multi_cell(width, 6.5, sheet.serial, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font(FONT, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.multi_cell(width, 4.5, sheet.verify_label, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(width, 4.5, sheet.verify_url, link=sheet.verify_url, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _qr(pdf: FPDF, text: str, *, x: float, y: float, size: float) -> None:
    """`text` as a QR code of `size` mm at (x, y), quiet zone included, one filled rectangle per run of modules."""
    code = segno.make(text, error="m", micro=False)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=4)]
    module = size / len(rows)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_index, row in enumerate(rows):
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                pdf.rect(
                    x + start * module, y + row_index * module, (column - start) * module, module, style="F"
                )
                start = None

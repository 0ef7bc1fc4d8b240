"""A development plan as a download: one flat table for CSV and XLSX (one row per item, the plan's facts repeated
so every row stands alone in a spreadsheet), and a one-document PDF for the performance dialogue (fpdf2).

The PDF uses the PDF core font Helvetica, which every reader has and which holds Latin-1: the Indonesian and
English texts of elearn fit in it; typographic dashes and quotes are written as their plain forms and any other
character outside Latin-1 as "?", so a name in another script never breaks the download.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from fpdf import FPDF, XPos, YPos

from elearn.i18n import format_number, office_time
from elearn.models import DevelopmentPlan, Person
from elearn.services.plans import ItemView

PLAN_HEADER = (
    _l("Tahun"),
    _l("NIP"),
    _l("Nama"),
    _l("Unit kerja"),
    _l("Status rencana"),
    _l("Disetujui oleh"),
    _l("Tanggal disetujui"),
    _l("Jenis"),
    _l("Sasaran"),
    _l("Level sasaran"),
    _l("Penyelenggara"),
    _l("JP"),
    _l("Catatan"),
)
PLAIN_FORMS = str.maketrans(
    {"–": "-", "—": "-", "“": '"', "”": '"', "‘": "'", "’": "'", "›": ">", "…": "...", "•": "-"}
)


def status_label(status: str) -> str:
    """A plan status in the reader's language."""
    return {
        "draft": _("Draf"),
        "proposed": _("Diajukan"),
        "agreed": _("Disetujui"),
        "done": _("Terlaksana"),
    }.get(status, status)


def kind_label(kind: str) -> str:
    """An item kind in the reader's language."""
    return {
        "competency": _("Kompetensi"),
        "course": _("Kursus elearn"),
        "external": _("Pelatihan di luar elearn"),
    }.get(kind, kind)


def plan_rows(person: Person, plan: DevelopmentPlan, items: Sequence[ItemView]) -> list[list[object]]:
    """One row per item (a plan without items still gives one row, so the export holds the plan itself)."""
    facts: list[object] = [
        plan.year,
        person.nip,
        person.name,
        person.unit.name if person.unit else "",
        status_label(plan.status),
        plan.agreed_by.name if plan.agreed_by else "",
        plan.agreed_at,
    ]
    if not items:
        return [[*facts, "", "", None, "", None, ""]]
    return [
        [*facts, kind_label(item.kind), item.aim, item.target_level, item.provider, item.jp, item.note]
        for item in items
    ]


def _pdf_text(value: object) -> str:
    """Text the core font can draw (see the module docstring)."""
    text = "" if value is None else str(value)
    return text.translate(PLAIN_FORMS).encode("latin-1", "replace").decode("latin-1")


def _jp(value: Decimal | None) -> str:
    return format_number(value) if value is not None else ""


def plan_pdf(person: Person, plan: DevelopmentPlan, items: Sequence[ItemView]) -> bytes:
    """The plan as a PDF document in the reader's language."""
    pdf = FPDF(format="A4")
    # A plan is a page or two: uncompressed, its text stays readable by plain tools (search, archiving checks).
    pdf.set_compression(False)
    pdf.set_title(_pdf_text(_("Rencana pengembangan kompetensi %(year)s", year=plan.year)))
    pdf.set_creator("elearn")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.multi_cell(
        0,
        8,
        _pdf_text(_("Rencana pengembangan kompetensi %(year)s", year=plan.year)),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    pdf.set_font("Helvetica", size=10)
    facts = [
        (_("Nama"), person.name),
        (_("NIP"), person.nip),
        (_("Unit kerja"), person.unit.name if person.unit else ""),
        (_("Jabatan"), person.position.name if person.position else ""),
        (_("Status rencana"), status_label(plan.status)),
    ]
    if plan.proposed_at:
        facts.append((_("Diajukan"), office_time(plan.proposed_at)))
    if plan.agreed_by:
        facts.append((_("Disetujui oleh"), plan.agreed_by.name))
    if plan.agreed_at:
        facts.append((_("Tanggal disetujui"), office_time(plan.agreed_at)))
    if plan.done_at:
        facts.append((_("Terlaksana"), office_time(plan.done_at)))
    if plan.supervisor_comment:
        facts.append((_("Catatan atasan"), plan.supervisor_comment))
    for label, value in (fact for fact in facts if fact[1]):
        pdf.set_font("Helvetica", style="B", size=10)
        pdf.cell(45, 6, _pdf_text(label))
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 6, _pdf_text(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    with pdf.table(col_widths=(8, 30, 62, 14, 36, 12, 38), text_align="LEFT", line_height=5) as table:
        header = table.row()
        for title in ("#", _("Jenis"), _("Sasaran"), _("Level"), _("Penyelenggara"), _("JP"), _("Catatan")):
            header.cell(_pdf_text(title))
        for number, item in enumerate(items, start=1):
            row = table.row()
            cells: tuple[object, ...] = (
                number,
                kind_label(item.kind),
                item.aim,
                item.target_level or "",
                item.provider,
                _jp(item.jp),
                item.note,
            )
            for cell in cells:
                row.cell(_pdf_text(cell))
    if not items:
        pdf.ln(2)
        pdf.multi_cell(
            0, 6, _pdf_text(_("Rencana ini belum berisi butir.")), new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    return bytes(pdf.output())

"""The competency profile page, shared by the person, their mentor, their supervisors and admins: the same profile,
with the assessed-evidence form for those who may record it (the views have checked the scope already)."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from elearn import jp
from elearn.competency.standard import JpmBand
from elearn.i18n import office_date
from elearn.models import CompetencyKind, Person
from elearn.services import competency_profile
from elearn.services.competency_profile import EvidenceEntry
from elearn.state import clock, db_session, jpm_bands

JPM_BAND_LABELS = {
    JpmBand.MEETS: _l("Memenuhi standar"),
    JpmBand.STILL_MEETS: _l("Masih memenuhi standar"),
    JpmBand.BELOW: _l("Belum memenuhi standar"),
}
KIND_LABELS = {
    CompetencyKind.MANAJERIAL: _l("Manajerial"),
    CompetencyKind.SOSIAL_KULTURAL: _l("Sosial kultural"),
    CompetencyKind.TEKNIS: _l("Teknis"),
}


def explanation(entry: EvidenceEntry) -> str:
    """Why a level is what it is: "Level 3 sejak 2 Mei 2026 dari kursus X versi 2" or the assessment's recorder."""
    since = office_date(entry.achieved_on)
    if entry.source == "course":
        return _(
            "Level %(level)d sejak %(since)s dari kursus %(course)s versi %(version)s",
            level=entry.level,
            since=since,
            course=entry.course_title or "",
            version=entry.version_number or "",
        )
    return _(
        "Level %(level)d sejak %(since)s dari asesmen yang dicatat %(recorder)s",
        level=entry.level,
        since=since,
        recorder=entry.recorded_by or _("(akun terhapus)"),
    )


def competency_page(person: Person, *, viewer: str, back_url: str, assess_url: str | None = None) -> str:
    """The competency profile of `person` as `viewer` ("self", "mentor", "supervisor" or "admin") sees it;
    `assess_url` given, with the form that records assessed evidence."""
    session = db_session()
    year = clock().today().year
    return render_template(
        "elearn/competency/profile.html",
        person=person,
        profile=competency_profile.profile_of(session, person, bands=jpm_bands()),
        standing=jp.standing_of(session, person, year),
        viewer=viewer,
        back_url=back_url,
        assess_url=assess_url,
        explanation=explanation,
        band_labels=JPM_BAND_LABELS,
        kind_labels=KIND_LABELS,
        levels=range(1, 6),
    )

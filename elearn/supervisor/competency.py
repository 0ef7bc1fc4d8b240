"""The supervisor's competency pages: the dashboard with its heatmap over the subtrees they head, talent search
(pemetaan kompetensi) and the reports (shared with the admin area through `elearn.competency_reports`).

Every figure starts from `people_supervised_by` / `units_supervised_by` and reads the summary rows only
(`elearn.services.competency_overview`); a filter or criterion can only narrow that scope.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from elearn.competency_labels import BAND_LABELS
from elearn.competency_reports import Area, add_report_routes, jp_target
from elearn.export import Row
from elearn.ledger.summary import plain_jp
from elearn.listing import AFTER, BEFORE, LAST, keyset_page, paginate_rows
from elearn.models import EmploymentKind, Person
from elearn.personal_export import personal_data_download
from elearn.scope import people_supervised_by, units_supervised_by
from elearn.services import competency_overview as overview
from elearn.services.competency_overview import (
    LEVELS,
    MAX_CRITERIA,
    SORTS,
    Criterion,
    Filters,
    HeldPosition,
    PositionFilter,
    UnitReport,
)
from elearn.services.directory import unit_choices
from elearn.services.unit_picker import UnitPicker, picker_of, unit_picker
from elearn.state import clock, db_session, jpm_bands
from elearn.supervisor.views import bp

EMPLOYMENT_KINDS = tuple(kind.value for kind in EmploymentKind)


def person_link(person_id: int) -> str:
    """Where a name on these pages leads: the one place to point at another person page."""
    return url_for("elearn.supervisor.person_competency", person_id=person_id)


def _viewer() -> Person:
    return current_user._get_current_object()


def _area() -> Area:
    viewer = _viewer()
    return Area(name="supervisor", people=people_supervised_by(viewer), units=units_supervised_by(viewer))


@dataclass(frozen=True)
class FilterForm:
    """The dashboard's and the search's filters as asked for, with the choices the form offers."""

    filters: Filters
    picker: UnitPicker
    positions: PositionFilter
    position_links: list[tuple[HeldPosition, str]]
    employment: str

    @property
    def arguments(self) -> dict[str, str]:
        """The filters as query parameters (for links that keep them)."""
        position = self.positions.chosen.code if self.positions.chosen else self.positions.asked
        given = {"unit": self.picker.code, "jabatan": position, "status": self.employment}
        return {name: value for name, value in given.items() if value}


def _unit_code() -> str:
    return request.args.get("unit", "")


def _filter_form(area: Area, picker: UnitPicker | None = None) -> FilterForm:
    """Read `unit`, `jabatan` and `status`; each only ever narrows to something inside the area's scope. The unit
    picker is read here unless the page already cut it from every unit it needed anyway."""
    session = db_session()
    picker = picker or unit_picker(session, area.units, _unit_code())
    positions = overview.position_filter(session, area.people, request.args.get("jabatan", ""))
    employment = request.args.get("status", "").strip()
    position = positions.chosen
    return FilterForm(
        filters=Filters(
            unit=picker.chosen,
            position_id=position.id if position else None,
            employment=employment if employment in EMPLOYMENT_KINDS else None,
        ),
        picker=picker,
        positions=positions,
        position_links=[(match, _with_position(match.code)) for match in positions.matches],
        employment=employment if employment in EMPLOYMENT_KINDS else "",
    )


PAGING = ("page", AFTER, BEFORE, LAST)


def _with_position(code: str) -> str:
    """This page's address with its filters and criteria kept, `jabatan` set to `code` (a search's matches) and
    the paging dropped (another position is another list, from its first page)."""
    kept = {name: values for name, values in request.args.lists() if name not in PAGING}
    arguments: dict[str, Any] = {**kept, "jabatan": code}
    return url_for(str(request.endpoint), **arguments)


def _order() -> tuple[str, bool]:
    """The dashboard's order (`urut`: nama, jpm or jp) and direction (`arah=turun`: highest first)."""
    sort = request.args.get("urut", "nama")
    return (sort if sort in SORTS else "nama"), request.args.get("arah") == "turun"


@bp.get("/kompetensi")
def competency() -> str:
    """The competency dashboard: per person JP this year against the target, JPM with its band, gaps and overdue
    assignments; a heatmap of the page's people x their standards' competencies; the group's shares."""
    area = _area()
    session = db_session()
    choices = unit_choices(session, area.units)
    form = _filter_form(area, picker_of(choices, _unit_code()))
    people = overview.narrowed(area.people, form.filters)
    sort, descending = _order()
    year = clock().today().year
    page = paginate_rows(overview.dashboard_rows(people, year=year, sort=sort, descending=descending))
    person_ids = [row.id for row in page.items]
    report = UnitReport(choices)
    report.add_jp(session, people, year=year, target=jp_target()).add_standards(session, people)
    return render_template(
        "elearn/supervisor/competency.html",
        form=form,
        page=page,
        sort=sort,
        descending=descending,
        year=year,
        target=jp_target(),
        bands=jpm_bands(),
        overdue=overview.overdue_counts(session, person_ids, today=clock().today()),
        heatmap=overview.heatmap(session, person_ids),
        group=report.total(form.filters.unit),
        below=report.below(form.filters.unit),
        person_link=person_link,
        employment_kinds=EMPLOYMENT_KINDS,
    )


EXPORT_BATCH = 500


@bp.get("/kompetensi/ekspor")
def export_competency() -> Response:
    """The dashboard's people, with its filters and order, as CSV or XLSX (`?format=xlsx`): NIP, name, unit,
    position, JP this year, JPM with its band and gaps; read in batches while the file is written, audited."""
    area = _area()
    form = _filter_form(area)
    sort, descending = _order()
    year = clock().today().year
    rows = overview.dashboard_rows(
        overview.narrowed(area.people, form.filters), year=year, sort=sort, descending=descending
    )
    bands = jpm_bands()
    header = [
        _("NIP"),
        _("Nama"),
        _("Status kepegawaian"),
        _("Unit kerja"),
        _("Jabatan"),
        _("JP tahun %(year)s", year=year),
        _("JPM"),
        _("Kategori JPM"),
        _("Kesenjangan"),
    ]

    def cells() -> Iterator[Row]:
        for row in db_session().execute(rows.execution_options(yield_per=EXPORT_BATCH)):
            band = str(BAND_LABELS[bands.band(row.jpm)]) if row.jpm is not None else ""
            yield [
                row.nip,
                row.name,
                row.employment,
                row.unit_name or "",
                row.position_name or "",
                plain_jp(row.jp),
                row.jpm,
                band,
                row.gaps,
            ]

    filters = {
        **form.arguments,
        **{key: request.args[key] for key in ("urut", "arah") if request.args.get(key)},
    }
    return personal_data_download(
        "export.competency_dashboard", f"kompetensi-pegawai-{year}", header, cells(), filters=filters
    )


def _criteria(competencies: list[overview.CompetencyHead]) -> tuple[list[Criterion], list[tuple[str, int]]]:
    """The (competency, level) rows asked for (`k` and `l`, repeated, at most five): criteria of known
    competencies, and every row as typed so the form shows it back."""
    by_code = {head.code: head for head in competencies}
    codes, levels = request.args.getlist("k"), request.args.getlist("l")
    typed: list[tuple[str, int]] = []
    criteria: list[Criterion] = []
    for number, code in enumerate(codes[:MAX_CRITERIA]):
        raw = levels[number] if number < len(levels) else ""
        level = int(raw) if raw.isdigit() and int(raw) in LEVELS else LEVELS[0]
        code = code.strip()
        typed.append((code, level))
        if code in by_code and all(kept.competency.code != code for kept in criteria):
            criteria.append(Criterion(competency=by_code[code], level=level))
    return criteria, typed


@bp.get("/talenta")
def talent() -> str:
    """Talent search: people in my subtrees with competency X at level L or higher (and Y at M ...), each with the
    level they attained and since when, paged by name."""
    area = _area()
    session = db_session()
    form = _filter_form(area)
    competencies = overview.competencies_by_code(session)
    criteria, typed = _criteria(competencies)
    rows = [*typed, *([("", LEVELS[0])] * (MAX_CRITERIA - len(typed)))]
    found = None
    if criteria:
        people = overview.narrowed(area.people, form.filters)
        statement = overview.talent_rows(people, criteria)
        found = keyset_page(session, statement, (Person.name, Person.id))
    return render_template(
        "elearn/supervisor/talent.html",
        form=form,
        competencies=competencies,
        criteria=criteria,
        rows=rows,
        levels=LEVELS,
        found=found,
        evidence_of=overview.evidence_of,
        person_link=person_link,
        employment_kinds=EMPLOYMENT_KINDS,
    )


add_report_routes(bp, _area)

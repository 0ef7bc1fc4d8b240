"""The competency reports of the supervisor and admin areas (20-JP compliance, gaps, JPM distribution), one code
path parameterised by the area's scope, with their charts, labels and CSV/XLSX downloads.

An `Area` carries the scope (`elearn.scope`) a role area looks through; the supervisor views pass
`people_supervised_by` / `units_supervised_by`, the admin views `people_visible_to` / `units_visible_to`. Figures
come from `elearn.services.competency_overview`, which reads the summary rows only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from werkzeug.wrappers import Response

from elearn import jp
from elearn.competency_labels import BAND_LABELS
from elearn.export import Row
from elearn.i18n import format_number, select_locale
from elearn.models import Person, Unit
from elearn.personal_export import personal_data_download
from elearn.services import competency_overview as overview
from elearn.services.competency_overview import (
    BUCKETS,
    CompetencyHead,
    Filters,
    JpmDistribution,
    Share,
    UnitReport,
)
from elearn.services.directory import unit_choices
from elearn.services.unit_picker import UnitPicker, picker_of
from elearn.state import clock, db_session, jpm_bands

EXPORT_ACTION = "export.competency_report"
UNIT_PARAMETER = "unit"


def competency_name(head: CompetencyHead) -> str:
    """The competency's name in the current language (the English name where one is recorded)."""
    return head.name_en if select_locale() == "en" and head.name_en else head.name


def jp_target() -> int:
    """The yearly JP every PNS has the right to (ELEARN_JP_TARGET)."""
    return int(current_app.config["ELEARN_JP_TARGET"])


def template_globals() -> dict[str, Any]:
    """What the competency templates share: band labels and the competency name in the current language."""
    return {"band_labels": BAND_LABELS, "competency_name": competency_name, "percent_text": percent_text}


# Charts -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its label, its value on a 0-`scale` axis, and the text shown beside it."""

    label: str
    value: Decimal
    scale: Decimal
    text: str

    @property
    def width(self) -> str:
        """The bar's length as a share (0-100) of the plot, for an SVG attribute (the CSP forbids inline styles)."""
        if self.scale <= 0:
            return "0"
        return f"{min(max(self.value, Decimal(0)) * 100 / self.scale, Decimal(100)):.2f}"


LABEL_CHARACTERS = 52


def short_label(text: str) -> str:
    """A label that fits the chart's label column (the full text is in the bar's tooltip and in the table)."""
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1] + "…"


def percent_text(share: Share) -> str:
    """A share as people read it: "75,0 %" (or "–" when there is nobody to count)."""
    percent = share.percent
    return "–" if percent is None else _("%(percent)s %%", percent=format_number(percent))


def share_bars(rows: Sequence[tuple[str, Share]]) -> list[Bar]:
    """Bars of shares on a 0-100 % axis."""
    return [
        Bar(label=label, value=share.percent or Decimal(0), scale=Decimal(100), text=percent_text(share))
        for label, share in rows
    ]


def count_bars(rows: Sequence[tuple[str, int]]) -> list[Bar]:
    """Bars of counts on an axis up to the largest one."""
    scale = Decimal(max((count for _label, count in rows), default=0))
    return [Bar(label=label, value=Decimal(count), scale=scale, text=str(count)) for label, count in rows]


# The area and its reports -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A role area's lens: its name (for endpoints) and the people and units it may report on."""

    name: str
    people: Select[Person]
    units: Select[Unit]

    def endpoint(self, view: str) -> str:
        """The full endpoint name of one of the area's report views."""
        return f"elearn.{self.name}.{view}"


REPORT_TITLES: dict[str, LazyString] = {
    "jp": _l("Pemenuhan 20 JP per unit"),
    "kesenjangan": _l("Kesenjangan kompetensi per unit"),
    "jpm": _l("Sebaran JPM"),
}


def add_report_routes(blueprint: Blueprint, area: Callable[[], Area]) -> None:
    """Give `blueprint` the report pages over the scope `area()` returns for the signed-in viewer:
    `/laporan` (the list), `/laporan/<name>` and `/laporan/<name>/ekspor` (CSV, or XLSX with `?format=xlsx`)."""

    def reports() -> str:
        """The list of the area's reports."""
        return reports_index(area())

    def report(name: str) -> str:
        """One report (`jp`, `kesenjangan`, `jpm`) over the area's scope."""
        return report_page(area(), name)

    def export_report(name: str) -> Response:
        """One report as CSV, or XLSX with `?format=xlsx`; audited."""
        return report_download(area(), name)

    blueprint.add_url_rule("/laporan", view_func=reports)
    blueprint.add_url_rule("/laporan/<name>", view_func=report)
    blueprint.add_url_rule("/laporan/<name>/ekspor", view_func=export_report)


def reports_index(area: Area) -> str:
    """The list of reports of the area."""
    return render_template(
        "elearn/reports/index.html", area=area, titles=REPORT_TITLES, year=jp.requested_year()
    )


def _report_or_404(name: str) -> str:
    if name not in REPORT_TITLES:
        abort(404)
    return name


@dataclass(frozen=True)
class _Figures:
    """What one report reads for the unit asked for: the per-unit figures (JP and gap reports) or the JPM
    distribution, and the unit picker."""

    name: str
    year: int
    picker: UnitPicker
    report: UnitReport
    distribution: JpmDistribution | None


def _figures(area: Area, name: str) -> _Figures:
    """The figures of report `name` over `area` for `?tahun=` and `?unit=` (a unit outside the area is ignored)."""
    name = _report_or_404(name)
    session = db_session()
    year = jp.requested_year()
    choices = unit_choices(session, area.units)
    picker = picker_of(choices, request.args.get(UNIT_PARAMETER, ""))
    chosen = picker.chosen
    report = UnitReport(choices)
    if name == "jp":
        report.add_jp(session, area.people, year=year, target=jp_target())
    elif name == "kesenjangan":
        report.add_standards(session, area.people)
    distribution = None
    if name == "jpm":
        people = overview.narrowed(area.people, Filters(unit=chosen))
        distribution = overview.jpm_distribution(session, people, bands=jpm_bands())
    return _Figures(name, year, picker, report, distribution)


def report_page(area: Area, name: str) -> str:
    """One report of the area for the year and unit asked for (`?tahun=`, `?unit=`)."""
    figures = _figures(area, name)
    report, chosen = figures.report, figures.picker.chosen
    context: dict[str, Any] = {}
    if figures.distribution is not None:
        labels = bucket_labels()
        context.update(
            distribution=figures.distribution,
            bucket_labels=labels,
            bars=count_bars([(labels[b], figures.distribution.buckets[b]) for b in BUCKETS]),
            bands=jpm_bands(),
        )
    elif figures.name == "jp":
        below = report.below(chosen)
        context.update(
            total=report.total(chosen).jp,
            below=below,
            bars=share_bars([(short_label(item.unit.name), item.jp) for item in below]),
        )
    else:
        shares = report.total(chosen).competency_shares
        context.update(
            shares=shares,
            below=report.below(chosen),
            bars=share_bars([(short_label(competency_name(item.competency)), item.share) for item in shares]),
        )
    return render_template(
        f"elearn/reports/{figures.name}.html",
        area=area,
        name=figures.name,
        title=REPORT_TITLES[figures.name],
        year=figures.year,
        this_year=clock().today().year,
        picker=figures.picker,
        chosen_unit=chosen,
        target=jp_target(),
        **context,
    )


def bucket_labels() -> dict[int, str]:
    """ "0–9 %", "10–19 %", ..., "90–100 %"."""
    return {
        bucket: _(
            "%(low)s–%(high)s %%", low=bucket * 10, high=100 if bucket == BUCKETS[-1] else bucket * 10 + 9
        )
        for bucket in BUCKETS
    }


# Downloads ----------------------------------------------------------------------------------------------------


def _jp_table(figures: _Figures) -> tuple[list[str], Iterator[Row]]:
    header = [
        _("Kode unit"),
        _("Unit kerja"),
        _("Tingkat"),
        _("Pegawai PNS"),
        _("Memenuhi 20 JP"),
        _("Persentase"),
    ]
    rows = (
        [item.unit.code, item.unit.name, item.unit.indent, item.jp.whole, item.jp.part, item.jp.percent]
        for item in figures.report.within(figures.picker.chosen)
    )
    return header, rows


def _gap_table(figures: _Figures) -> tuple[list[str], Iterator[Row]]:
    header = [
        _("Kode unit"),
        _("Unit kerja"),
        _("Kode kompetensi"),
        _("Kompetensi"),
        _("Pegawai dengan standar"),
        _("Memenuhi standar"),
        _("Persentase"),
    ]
    rows = (
        [
            item.unit.code,
            item.unit.name,
            share.competency.code,
            competency_name(share.competency),
            share.share.whole,
            share.share.part,
            share.share.percent,
        ]
        for item in figures.report.within(figures.picker.chosen)
        for share in item.competency_shares
    )
    return header, rows


def _jpm_table(distribution: JpmDistribution) -> tuple[list[str], Iterator[Row]]:
    labels = bucket_labels()
    rows: list[list[object]] = [
        *([_("Kategori"), str(BAND_LABELS[band]), count] for band, count in distribution.bands.items()),
        *([_("Rentang"), labels[bucket], distribution.buckets[bucket]] for bucket in BUCKETS),
        [_("Tanpa standar"), "", distribution.without_standard],
    ]
    return [_("Kelompok"), _("Rentang JPM"), _("Pegawai")], iter(rows)


BASENAMES = {
    "jp": "laporan-20jp-{year}",
    "kesenjangan": "laporan-kesenjangan-kompetensi",
    "jpm": "laporan-sebaran-jpm",
}


def report_download(area: Area, name: str) -> Response:
    """One report of the area as CSV, or XLSX with `?format=xlsx`: every unit within the chosen one (the JPM
    distribution of the chosen unit); audited. Rows are made while the file is written, one unit at a time."""
    figures = _figures(area, name)
    if figures.distribution is not None:
        header, rows = _jpm_table(figures.distribution)
    elif figures.name == "jp":
        header, rows = _jp_table(figures)
    else:
        header, rows = _gap_table(figures)
    filters = {key: request.args[key] for key in ("tahun", UNIT_PARAMETER) if request.args.get(key)}
    basename = BASENAMES[figures.name].format(year=figures.year)
    return personal_data_download(EXPORT_ACTION, basename, header, rows, filters=filters)

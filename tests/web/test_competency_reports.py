"""The competency reports (20-JP compliance, gaps, JPM distribution) of the supervisor and admin areas: scope over
HTTP for the pages and both downloads, figures from hand-made summaries, and a constant statement budget."""

from __future__ import annotations

import pytest

from tests.factories import login, make_person
from tests.web.competency_world import (
    CompetencyWorld,
    body,
    build_competency_world,
    csv_rows,
    earn_jp,
    statements_before_and_after_growth,
    xlsx_sheet,
)

REPORTS = ("jp", "kesenjangan", "jpm")


@pytest.fixture
def cw(session) -> CompetencyWorld:
    return build_competency_world(session)


# 20-JP compliance


def test_jp_report_counts_pns_per_unit_with_sub_units(client, cw):
    login(client, cw.world.head_a)
    rows = csv_rows(client, "/atasan/laporan/jp/ekspor")
    assert rows[0][:3] == ["Kode unit", "Unit kerja", "Tingkat"]
    by_code = {row[0]: row[3:] for row in rows[1:]}
    # A holds the head and Siti, A1 holds Budi; only Siti has 20 JP.
    assert by_code == {"A": ["3", "1", "33.3"], "A1": ["1", "0", "0.0"]}


def test_jp_report_of_another_year_reads_that_year(client, cw, session):
    earn_jp(session, cw.world.in_a1, course=25, year=2020)
    session.commit()
    login(client, cw.world.head_a)
    by_code = {row[0]: row[3:5] for row in csv_rows(client, "/atasan/laporan/jp/ekspor?tahun=2020")[1:]}
    assert by_code == {"A": ["3", "1"], "A1": ["1", "1"]}


def test_jp_report_leaves_pppk_out(client, cw, session):
    make_person(session, unit=cw.world.a1, employment="PPPK")
    session.commit()
    login(client, cw.world.head_a)
    by_code = {row[0]: row[3] for row in csv_rows(client, "/atasan/laporan/jp/ekspor")[1:]}
    assert by_code["A1"] == "1"


def test_jp_report_page_draws_a_chart_with_its_table(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/laporan/jp")
    assert '<svg class="bar-chart"' in page and 'role="img"' in page and "<title" in page
    assert "Dinas Kependudukan" in page and "Dinas Perhubungan" not in page
    assert "1 dari 3 PNS mencapai 20 JP" in page


def test_jp_report_for_a_sub_unit(client, cw):
    login(client, cw.world.head_a)
    assert "0 dari 1 PNS mencapai 20 JP" in body(client, "/atasan/laporan/jp?unit=A1")


def test_admin_jp_report_covers_the_organisation(client, cw):
    login(client, cw.world.admin)
    by_code = {row[0]: row[3:5] for row in csv_rows(client, "/admin/laporan/jp/ekspor")[1:]}
    assert set(by_code) == {"R", "A", "A1", "B"}
    # B: mentor, two mentees, Agus (30 JP), Dewi; R adds the admin; deactivated people never count.
    assert by_code["B"] == ["5", "1"]
    assert by_code["R"] == ["9", "2"]


# Competency gaps


def test_gap_report_per_unit_and_competency(client, cw):
    login(client, cw.world.head_a)
    rows = csv_rows(client, "/atasan/laporan/kesenjangan/ekspor")
    found = {(row[0], row[2]): row[4:] for row in rows[1:]}
    assert found == {
        ("A", "T.01"): ["2", "1", "50.0"],
        ("A", "T.02"): ["2", "0", "0.0"],
        ("A1", "T.01"): ["1", "0", "0.0"],
        ("A1", "T.02"): ["1", "0", "0.0"],
    }


def test_admin_gap_report_includes_every_unit(client, cw):
    login(client, cw.world.admin)
    found = {(row[0], row[2]): row[4:6] for row in csv_rows(client, "/admin/laporan/kesenjangan/ekspor")[1:]}
    assert found[("B", "T.01")] == ["1", "1"]
    assert found[("R", "T.01")] == ["3", "2"]


def test_gap_report_page_shows_shares_of_the_chosen_unit(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/laporan/kesenjangan")
    assert "<title>Pengelolaan Arsip: 50 %</title>" in page


# JPM distribution


def test_jpm_distribution_counts_bands_and_tenths(client, cw):
    login(client, cw.world.head_a)
    rows = csv_rows(client, "/atasan/laporan/jpm/ekspor")
    counts = {row[1]: row[2] for row in rows[1:]}
    assert counts["Memenuhi syarat"] == "1"  # Siti, 80
    assert counts["Masih memenuhi syarat"] == "0"
    assert counts["Kurang memenuhi syarat"] == "1"  # Budi, 40
    assert counts["80–89 %"] == "1" and counts["40–49 %"] == "1" and counts["90–100 %"] == "0"
    assert rows[-1][0] == "Tanpa standar" and rows[-1][2] == "1"  # the head


def test_jpm_distribution_puts_a_full_match_in_the_last_tenth(client, cw):
    login(client, cw.world.admin)
    counts = {row[1]: row[2] for row in csv_rows(client, "/admin/laporan/jpm/ekspor")[1:]}
    assert counts["90–100 %"] == "1"  # Agus, 100


# Scope of every page and download


@pytest.mark.parametrize("name", REPORTS)
def test_supervisor_report_pages_and_downloads_leave_the_sibling_unit_out(client, cw, name):
    login(client, cw.world.head_a)
    assert "Dinas Perhubungan" not in body(client, f"/atasan/laporan/{name}")
    assert all(row[0] != "B" for row in csv_rows(client, f"/atasan/laporan/{name}/ekspor"))
    assert "Dinas Perhubungan" not in xlsx_sheet(client, f"/atasan/laporan/{name}/ekspor?format=xlsx")


@pytest.mark.parametrize("name", REPORTS)
def test_supervisor_report_with_a_unit_outside_scope_reports_only_the_own_tree(client, cw, name):
    login(client, cw.world.head_a)
    assert "Dinas Perhubungan" not in body(client, f"/atasan/laporan/{name}?unit=B")
    assert all(row[0] != "B" for row in csv_rows(client, f"/atasan/laporan/{name}/ekspor?unit=B"))


@pytest.mark.parametrize("name", REPORTS)
def test_admin_report_pages_and_downloads_answer(client, cw, name):
    login(client, cw.world.admin)
    assert "Dinas Perhubungan" in body(client, f"/admin/laporan/{name}?unit=B")
    assert len(csv_rows(client, f"/admin/laporan/{name}/ekspor")) > 1
    assert xlsx_sheet(client, f"/admin/laporan/{name}/ekspor?format=xlsx")


@pytest.mark.parametrize("area", ["atasan", "admin"])
def test_unknown_report_is_404(client, cw, area):
    login(client, cw.world.admin if area == "admin" else cw.world.head_a)
    assert client.get(f"/{area}/laporan/lain").status_code == 404
    assert client.get(f"/{area}/laporan/lain/ekspor").status_code == 404


def test_report_indexes_link_every_report(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/laporan")
    assert all(f"/atasan/laporan/{name}" in page for name in REPORTS)
    login(client, cw.world.admin)
    page = body(client, "/admin/laporan")
    assert all(f"/admin/laporan/{name}" in page for name in REPORTS)


# Statements


@pytest.mark.parametrize(
    "url",
    [f"/atasan/laporan/{name}" for name in REPORTS]
    + [f"/atasan/laporan/{name}/ekspor" for name in REPORTS]
    + [f"/admin/laporan/{name}" for name in REPORTS],
)
def test_report_statements_do_not_grow_with_people_or_units(app, client, session, cw, url):
    login(client, cw.world.admin if url.startswith("/admin") else cw.world.head_a)
    before, after = statements_before_and_after_growth(app, client, session, cw, url)
    # who is signed in, (a supervisor's headed units' paths,) the units, one grouped statement (and for a download
    # the audit entry)
    assert after == before <= (4 if url.endswith("/ekspor") else 3) + (0 if url.startswith("/admin") else 1)

"""The supervisor's competency dashboard and talent search: scope over HTTP, figures from hand-made summaries,
and a statement budget that does not grow with the number of people."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from elearn.models import Assignment, AssignmentBatch, AuditEntry
from elearn.services import competency_overview as overview
from elearn.services.course_sync import sync_courses
from elearn.state import clock
from tests.factories import login, make_position
from tests.web.competency_world import (
    CompetencyWorld,
    attain,
    body,
    build_competency_world,
    csv_rows,
    statements_before_and_after_growth,
    xlsx_sheet,
)
from tests.web.mentoring_support import FIRST_LESSON, MENTORING_COURSES, course_id


@pytest.fixture
def cw(session) -> CompetencyWorld:
    return build_competency_world(session)


# The dashboard


def test_dashboard_lists_the_subtree_and_never_the_sibling_unit(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi")
    assert "Siti Rahmawati" in page and "Budi Santoso" in page and "Kepala Dinas A" in page
    assert "Agus Saputra" not in page and "Pensiunan A" not in page


def test_dashboard_shows_jp_against_the_target_and_jpm_with_its_band(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi")
    assert "22 / 20" in page and "5 / 20" in page
    assert "80 %" in page and "Memenuhi syarat" in page
    assert "40 %" in page and "Kurang memenuhi syarat" in page


def test_dashboard_heatmap_cells_read_as_text(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi")
    assert 'title="Pengelolaan Arsip">T.01</abbr>' in page
    assert "level 1 dari 2, kurang 1" in page  # Siti, T.02
    assert "level 3 dari 3, memenuhi" in page  # Siti, T.01
    assert "level 0 dari 2, kurang 2" in page  # Budi, T.02
    empty = re.findall(r'<td class="heat gap-none">(.*?)</td>', page)
    assert empty and set(empty) == {'<span class="visually-hidden">tidak dipersyaratkan</span>'}


def test_dashboard_aggregates_the_shares_of_the_group(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi")
    # PNS in A and A1: the head, Siti and Budi; only Siti reached 20 JP.
    assert "2 dari 3 PNS (66,7 %) belum mencapai 20 JP" in page


def test_dashboard_sub_unit_filter_narrows_to_that_subtree(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi?unit=A1")
    assert "Budi Santoso" in page and "Siti Rahmawati" not in page


def test_dashboard_unit_filter_outside_scope_cannot_widen(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi?unit=B")
    assert "Agus Saputra" not in page


def test_dashboard_position_and_employment_filters(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi?jabatan=P1")
    assert "Siti Rahmawati" in page and "Kepala Dinas A" not in page
    assert "Siti Rahmawati" not in body(client, "/atasan/kompetensi?status=PPPK")


def test_dashboard_sorts_by_jpm_lowest_first(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi?urut=jpm")
    assert page.index("Budi Santoso") < page.index("Siti Rahmawati") < page.index("Kepala Dinas A")
    page = body(client, "/atasan/kompetensi?urut=jp&arah=turun")
    assert page.index("Siti Rahmawati") < page.index("Budi Santoso")


def test_dashboard_names_link_to_the_person(client, cw):
    login(client, cw.world.head_a)
    assert f'href="/atasan/orang/{cw.world.in_a1.id}/kompetensi"' in body(client, "/atasan/kompetensi")


def test_dashboard_statements_do_not_grow_with_people(app, client, session, cw):
    login(client, cw.world.head_a)
    before, after = statements_before_and_after_growth(app, client, session, cw, "/atasan/kompetensi")
    # who is signed in, the headed units' paths, the unit picker, the positions held, the page and its count,
    # per-unit JP and standards, the page's overdue assignments and its heatmap
    assert after == before <= 10


# Talent search


def test_talent_search_finds_people_in_scope_at_or_above_the_level(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/talenta?k=T.01&l=2")
    assert "Siti Rahmawati" in page and "Budi Santoso" in page
    assert "Agus Saputra" not in page, "level 5 but outside the subtree"


def test_talent_search_needs_every_criterion(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/talenta?k=T.01&l=3&k=T.02&l=1")
    assert "Siti Rahmawati" in page and "Budi Santoso" not in page
    assert "level 3 sejak" in page and "level 1 sejak" in page


def test_talent_search_without_criteria_lists_nobody(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/talenta")
    assert "Siti Rahmawati" not in page and "Pilih sedikitnya satu kompetensi." in page


def test_talent_search_ignores_unknown_competencies_and_bad_levels(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/talenta?k=NOPE&l=9&k=T.01&l=x")
    assert "Siti Rahmawati" in page and "Budi Santoso" in page


def test_talent_search_statements_do_not_grow_with_people(app, client, session, cw):
    login(client, cw.world.head_a)
    url = "/atasan/talenta?k=T.01&l=1&k=T.02&l=1"
    before, after = statements_before_and_after_growth(app, client, session, cw, url)
    # who is signed in, the headed units' paths, the unit picker, the positions held, the competencies, the page
    assert after == before <= 6


@pytest.mark.parametrize("url", ["/atasan/kompetensi", "/atasan/talenta?k=T.01&l=1", "/atasan/laporan/jp"])
def test_competency_pages_carry_no_inline_style(client, cw, url):
    login(client, cw.world.head_a)
    assert ' style="' not in body(client, url)


def test_supervisor_home_links_the_competency_pages(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/")
    assert 'href="/atasan/kompetensi"' in page and 'href="/atasan/talenta"' in page
    assert 'href="/atasan/laporan"' in page


def test_admin_home_links_the_reports(client, cw):
    login(client, cw.world.admin)
    assert 'href="/admin/laporan/jp"' in body(client, "/admin/")


@pytest.mark.parametrize(
    ("url", "english"),
    [
        ("/atasan/kompetensi", "Competency gap map"),
        ("/atasan/talenta?k=T.01&l=1", "level 3 since"),
        ("/atasan/laporan/jp", "PNS employees reached 20 JP"),
        ("/atasan/laporan/kesenjangan", "Standard met per competency"),
        ("/atasan/laporan/jpm", "Distribution in 10% ranges"),
    ],
)
def test_competency_pages_speak_english(client, session, cw, url, english):
    cw.world.head_a.locale = "en"
    session.commit()
    login(client, cw.world.head_a)
    assert english in body(client, url)


def test_dashboard_counts_overdue_assignments(client, session, cw):
    sync_courses(session, MENTORING_COURSES)
    today = clock().today()
    course = course_id(session)
    for module_key, due_on in (("", today - timedelta(days=1)), (FIRST_LESSON, today + timedelta(days=1))):
        batch = AssignmentBatch(
            assigner_id=cw.world.head_a.id,
            assigner_role="supervisor",
            target_kind="person",
            target_person_id=cw.world.in_a1.id,
            course_id=course,
            module_key=module_key,
            due_kind="fixed",
            due_on=due_on,
            assigned_on=today - timedelta(days=10),
        )
        session.add(batch)
        session.flush()
        session.add(
            Assignment(
                batch_id=batch.id,
                person_id=cw.world.in_a1.id,
                assigner_id=cw.world.head_a.id,
                course_id=course,
                module_key=module_key,
                assigned_on=batch.assigned_on,
                due_on=due_on,
            )
        )
    session.commit()
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi")
    budi = page[page.index("Budi Santoso") :]
    budi = budi[: budi.index("</tr>")]
    assert 'data-label="Tugas terlambat">1</td>' in budi


def test_dashboard_sums_up_each_sub_unit(client, cw):
    login(client, cw.world.head_a)
    page = body(client, "/atasan/kompetensi")
    table = page[page.index('id="units-heading"') :]
    table = table[: table.index("</table>")]
    assert 'href="/atasan/kompetensi?unit=A1"' in table and "Bidang Pelayanan" in table
    assert "1 (100 %)" in table  # Budi, 5 JP
    assert "Dinas Perhubungan" not in table


def test_talent_search_pages_keep_every_criterion(app, client, session, cw):
    attain(session, cw.world.in_a1, cw.c2, 1)
    session.commit()
    app.config["ELEARN_PAGE_SIZE"] = 1
    login(client, cw.world.head_a)
    first = body(client, "/atasan/talenta?k=T.01&l=1&k=T.02&l=1")
    assert "Budi Santoso" in first and "Siti Rahmawati" not in first
    link = first[first.index('rel="next"') - 300 : first.index('rel="next"')]
    assert "k=T.01" in link and "k=T.02" in link
    second = body(client, link[link.index('href="') + 6 :].split('"')[0].replace("&amp;", "&"))
    assert "Siti Rahmawati" in second and "Budi Santoso" not in second


def test_dashboard_download_holds_the_subtree_with_jp_and_jpm(client, cw):
    login(client, cw.world.head_a)
    rows = csv_rows(client, "/atasan/kompetensi/ekspor?urut=jpm")
    assert rows[0][0] == "NIP" and rows[0][-2:] == ["Kategori JPM", "Kesenjangan"]
    assert [row[1] for row in rows[1:]] == ["Budi Santoso", "Siti Rahmawati", "Kepala Dinas A"]
    siti = rows[2]
    assert siti[0] == cw.world.in_a.nip and siti[5:] == ["22", "80.00", "Memenuhi syarat", "1"]
    assert rows[3][6:] == ["", "", ""], "no standard: no JPM"


def test_dashboard_download_keeps_the_filters_and_never_widens(client, cw):
    login(client, cw.world.head_a)
    assert [row[1] for row in csv_rows(client, "/atasan/kompetensi/ekspor?unit=A1")[1:]] == ["Budi Santoso"]
    names = [row[1] for row in csv_rows(client, "/atasan/kompetensi/ekspor?unit=B")[1:]]
    assert "Agus Saputra" not in names
    sheet = xlsx_sheet(client, "/atasan/kompetensi/ekspor?format=xlsx")
    assert "Budi Santoso" in sheet and "Agus Saputra" not in sheet


def test_dashboard_download_is_audited(client, session, cw):
    login(client, cw.world.head_a)
    csv_rows(client, "/atasan/kompetensi/ekspor?status=PNS")
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "export.competency_dashboard")
    ).one()
    assert entry.actor_id == cw.world.head_a.id
    assert entry.detail["filters"] == {"status": "PNS"}


def test_dashboard_download_statements_do_not_grow_with_people(app, client, session, cw):
    login(client, cw.world.head_a)
    before, after = statements_before_and_after_growth(app, client, session, cw, "/atasan/kompetensi/ekspor")
    assert after == before


@pytest.mark.parametrize("path", ["/atasan/kompetensi", "/atasan/talenta?k=T.01&l=1"])
def test_many_positions_make_the_filter_a_search_by_code_or_name(client, session, cw, monkeypatch, path):
    monkeypatch.setattr(overview, "FULL_POSITION_CHOICES", 1)
    analyst = make_position(session, "AK-1")
    analyst.name = "Analis Kebijakan Ahli Muda"
    cw.world.in_a1.position_id = analyst.id
    session.commit()
    login(client, cw.world.head_a)
    join = "&" if "?" in path else "?"

    page = body(client, path)
    assert '<input type="search" id="jabatan" name="jabatan" value=""' in page
    assert '<select id="jabatan"' not in page

    by_code = body(client, f"{path}{join}jabatan=AK-1")
    by_name = body(client, f"{path}{join}jabatan=kebijakan")
    for page in (by_code, by_name):
        assert "Jabatan: Analis Kebijakan Ahli Muda (AK-1)" in page
        assert 'value="AK-1"' in page
    if path == "/atasan/kompetensi":
        assert "Budi Santoso" in by_name and "Siti Rahmawati" not in by_name

    nothing = body(client, f"{path}{join}jabatan=bendahara")
    assert "Tidak ada jabatan yang cocok dengan “bendahara”" in nothing


def test_a_position_search_with_several_matches_offers_them_as_links(client, session, cw, monkeypatch):
    monkeypatch.setattr(overview, "FULL_POSITION_CHOICES", 1)
    for code, name, person in (
        ("AK-1", "Analis Kebijakan Ahli Muda", cw.world.in_a1),
        ("AK-2", "Analis Data", cw.world.in_a),
    ):
        position = make_position(session, code)
        position.name = name
        person.position_id = position.id
    outside = make_position(session, "AK-9")
    outside.name = "Analis Keuangan"
    cw.world.in_b.position_id = outside.id
    session.commit()
    login(client, cw.world.head_a)

    page = body(client, "/atasan/talenta?k=T.01&l=1&jabatan=analis&setelah=abc&page=3")

    links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', page)
    assert [text for _href, text in links] == ["Analis Data (AK-2)", "Analis Kebijakan Ahli Muda (AK-1)"], (
        "only positions held in the supervisor's subtree, by name"
    )
    assert all("k=T.01" in href and "l=1" in href for href, _text in links), "the search keeps its criteria"
    assert "jabatan=AK-1" in links[1][0]
    assert not any("setelah=" in href or "page=" in href for href, _text in links), (
        "another list starts at page 1"
    )

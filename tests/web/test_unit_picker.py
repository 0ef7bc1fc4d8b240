"""Unit filters are a picker of the viewer's own units, in tree order, indented; one query even for 2,000 units."""

from __future__ import annotations

import csv
import io
import re

from sqlalchemy import insert, select

from elearn.models import Unit
from elearn.services.directory import unit_choices
from tests.factories import login, make_person, make_unit
from tests.statements import page_statements

NBSP3 = "\u00a0" * 3


def picker(body: str) -> list[tuple[str, bool, str]]:
    """The unit picker's options as (value, selected, label)."""
    select = re.search(r'<select id="unit" name="unit">(.*?)</select>', body, re.S)
    assert select, "the page has no unit picker"
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1)
        )
    ]


def build_tree(session):
    """Pemkot > (Dinas Perhubungan > Bidang Lalu Lintas, BPBD), created out of name order."""
    root = make_unit(session, "PEMKOT", name="Pemerintah Kota Salatiga")
    dishub = make_unit(session, "DISHUB", name="Dinas Perhubungan", parent=root)
    bpbd = make_unit(session, "BPBD", name="Badan Penanggulangan Bencana Daerah", parent=root)
    lalin = make_unit(session, "LALIN", name="Bidang Lalu Lintas", parent=dishub)
    return root, dishub, bpbd, lalin


def signed_in_head(session, client, unit: Unit):
    """The head of `unit`, with the supervisor role, signed in on `client`."""
    head = make_person(session, name=f"Kepala {unit.code}", roles=("employee", "supervisor"), unit=unit)
    unit.head = head
    session.commit()
    login(client, head)
    return head


def test_admin_picker_lists_every_unit_in_tree_order_indented_with_all_units_first(client, session):
    build_tree(session)
    admin = make_person(session, name="Admin", roles=("employee", "admin"))
    session.commit()
    login(client, admin)
    assert picker(client.get("/admin/orang").get_data(as_text=True)) == [
        ("", False, "Semua unit"),
        ("PEMKOT", False, "Pemerintah Kota Salatiga (PEMKOT)"),
        ("BPBD", False, f"{NBSP3}Badan Penanggulangan Bencana Daerah (BPBD)"),
        ("DISHUB", False, f"{NBSP3}Dinas Perhubungan (DISHUB)"),
        ("LALIN", False, f"{NBSP3 * 2}Bidang Lalu Lintas (LALIN)"),
    ]


def test_supervisor_picker_holds_only_their_subtree_indented_from_its_top(client, session):
    _root, dishub, _bpbd, lalin = build_tree(session)
    make_person(session, name="Petugas Lalin", unit=lalin)
    signed_in_head(session, client, dishub)
    body = client.get("/atasan/orang?unit=LALIN").get_data(as_text=True)
    assert picker(body) == [
        ("", False, "Semua unit"),
        ("DISHUB", False, "Dinas Perhubungan (DISHUB)"),
        ("LALIN", True, f"{NBSP3}Bidang Lalu Lintas (LALIN)"),
    ]
    assert "Petugas Lalin" in body and "Kepala DISHUB</a>" not in body


def test_a_unit_outside_the_supervisors_scope_filters_nothing_and_says_so(client, session):
    _root, dishub, bpbd, _lalin = build_tree(session)
    make_person(session, name="Petugas BPBD", unit=bpbd)
    signed_in_head(session, client, dishub)
    body = client.get("/atasan/orang?unit=BPBD").get_data(as_text=True)
    assert "Unit dengan kode BPBD tidak ditemukan" in body
    assert "Petugas BPBD" not in body and not any(selected for _value, selected, _label in picker(body))


def test_the_export_keeps_the_picked_unit(client, session):
    _root, dishub, bpbd, lalin = build_tree(session)
    admin = make_person(session, name="Admin", roles=("employee", "admin"))
    make_person(session, name="Petugas Lalin", unit=lalin)
    make_person(session, name="Petugas BPBD", unit=bpbd)
    session.commit()
    login(client, admin)
    body = client.get("/admin/orang?unit=DISHUB").get_data(as_text=True)
    assert 'href="/admin/orang/ekspor?unit=DISHUB"' in body
    export = client.get("/admin/orang/ekspor?unit=DISHUB").get_data(as_text=True).lstrip("\ufeff")
    assert [row[1] for row in csv.reader(io.StringIO(export))][1:] == ["Petugas Lalin"]


def add_units(session, count: int) -> None:
    """`count` units in one INSERT: 40 departments of 49 sections each, paths written directly."""
    rows = []
    for department in range(count // 50):
        department_id = 1 + department * 50
        rows.append(
            dict(
                id=department_id,
                code=f"D{department}",
                name=f"Dinas {department}",
                parent_id=None,
                path=f"/{department_id}/",
                depth=0,
            )
        )
        for section in range(1, 50):
            rows.append(
                dict(
                    id=department_id + section,
                    code=f"D{department}-{section}",
                    name=f"Bidang {section}",
                    parent_id=department_id,
                    path=f"/{department_id}/{department_id + section}/",
                    depth=1,
                )
            )
    session.execute(insert(Unit), rows)
    session.commit()


def test_two_thousand_units_cost_the_people_page_one_query(app, client, session):
    admin = make_person(session, name="Admin", roles=("employee", "admin"))
    session.commit()
    login(client, admin)
    add_units(session, 2_000)
    statements = page_statements(app, client, "/admin/orang?unit=D7-3")
    assert len([s for s in statements if s.startswith("SELECT elearn_unit.")]) == 1, "the picker is one query"
    assert len(statements) <= 6
    assert len(picker(client.get("/admin/orang").get_data(as_text=True))) == 2_001


def test_unit_choices_of_two_thousand_units_put_each_department_right_before_its_sections(session):
    add_units(session, 2_000)
    choices = unit_choices(session, select(Unit))
    assert len(choices) == 2_000
    departments = [index for index, choice in enumerate(choices) if choice.indent == 0]
    assert len(departments) == 40
    for index in departments:
        sections = choices[index + 1 : index + 50]
        assert {choice.code.split("-")[0] for choice in sections} == {choices[index].code}
        assert {choice.indent for choice in sections} == {1}


def test_supervisor_people_page_costs_the_same_with_more_units_in_the_subtree(app, client, session):
    _root, dishub, _bpbd, lalin = build_tree(session)
    make_person(session, name="Petugas Lalin", unit=lalin)
    signed_in_head(session, client, dishub)
    few = len(page_statements(app, client, "/atasan/orang?unit=LALIN"))
    for n in range(30):
        make_person(session, name=f"Petugas {n}", unit=make_unit(session, parent=lalin))
    session.commit()
    assert len(page_statements(app, client, "/atasan/orang?unit=LALIN")) == few <= 6

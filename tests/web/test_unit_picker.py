"""Unit filters are a picker of the viewer's own units, in tree order, indented; with many units only the top
levels and the chosen unit's surroundings, in a few small queries."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import insert, select

from elearn.models import Unit
from elearn.services import unit_picker as unit_picker_module
from elearn.services.directory import unit_choices
from elearn.services.unit_picker import picker_of, unit_picker
from tests.factories import login, make_person, make_unit
from tests.statements import page_statements

NBSP3 = "\u00a0" * 3


def picker(body: str) -> list[tuple[str, bool, str]]:
    """The unit picker's options as (value, selected, label)."""
    select = re.search(r'<select id="unit" name="unit"[^>]*>(.*?)</select>', body, re.S)
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


def test_two_thousand_units_list_the_departments_and_the_chosen_units_surroundings(app, client, session):
    admin = make_person(session, name="Admin", roles=("employee", "admin"))
    session.commit()
    login(client, admin)
    add_units(session, 2_000)

    statements = page_statements(app, client, "/admin/orang?unit=D7-3")
    assert len([s for s in statements if s.startswith("SELECT elearn_unit.")]) == 4, "the picker's queries"
    assert len(statements) <= 9

    body = client.get("/admin/orang?unit=D7-3").get_data(as_text=True)
    options = picker(body)
    departments = [value for value, _selected, _label in options if "-" not in value and value]
    sections = [value for value, _selected, _label in options if "-" in value]
    assert len(departments) == 40, "the top level, all of it"
    assert sections == [f"D7-{n}" for n in sorted(range(1, 50), key=lambda n: f"Bidang {n}")], (
        "the chosen unit and its siblings, right below their department"
    )
    assert [value for value, selected, _label in options if selected] == ["D7-3"]
    assert options.index(("D7", False, "Dinas 7 (D7)")) + 1 == options.index(sections_option(options, "D7-1"))
    assert 'aria-describedby="unit-help"' in body and "tingkat unit teratas" in body

    assert len(picker(client.get("/admin/orang").get_data(as_text=True))) == 41, (
        "all units, then the 40 departments"
    )
    department = picker(client.get("/admin/orang?unit=D7").get_data(as_text=True))
    assert len(department) == 1 + 40 + 49, "a department's sections are listed once it is chosen"


def sections_option(options, code):
    return next(option for option in options if option[0] == code)


def add_deep_units(session) -> None:
    """5 departments x 10 fields x 10 sections (555 units), ids and paths written directly."""
    rows = []
    next_id = iter(range(1, 10_000))
    for d in range(5):
        d_id = next(next_id)
        rows.append(dict(id=d_id, code=f"D{d}", name=f"Dinas {d}", parent_id=None, path=f"/{d_id}/", depth=0))
        for b in range(10):
            b_id = next(next_id)
            b_path = f"/{d_id}/{b_id}/"
            rows.append(
                dict(id=b_id, code=f"D{d}B{b}", name=f"Bidang {b}", parent_id=d_id, path=b_path, depth=1)
            )
            for k in range(10):
                k_id = next(next_id)
                rows.append(
                    dict(id=k_id, code=f"D{d}B{b}S{k}", name=f"Seksi {k}", parent_id=b_id, path=f"{b_path}{k_id}/",
                         depth=2)
                )  # fmt: skip
    session.execute(insert(Unit), rows)
    session.commit()


@pytest.mark.parametrize("code", ["", "D2", "D2B4", "D2B4S7", "TIDAK-ADA"])
def test_the_bounded_picker_read_in_sql_equals_the_one_cut_from_every_unit(session, code):
    add_deep_units(session)
    everything = unit_choices(session, select(Unit))
    from_sql, from_all = unit_picker(session, select(Unit), code), picker_of(everything, code)
    assert from_sql == from_all
    assert from_sql.partial and from_sql.missing == (code == "TIDAK-ADA")
    codes = [choice.code for choice in from_sql.choices]
    top = [choice.code for choice in everything if "S" not in choice.code]
    assert len(top) == 55 and set(top) <= set(codes), "two levels fit in the limit, so both are listed"
    expected_sections = {
        "D2B4": {f"D2B4S{k}" for k in range(10)},
        "D2B4S7": {f"D2B4S{k}" for k in range(10)},
    }.get(code, set())
    assert {c for c in codes if "S" in c} == expected_sections


def test_a_supervisor_with_many_units_gets_the_levels_of_their_own_subtree(client, session, monkeypatch):
    monkeypatch.setattr(unit_picker_module, "FULL_PICKER_UNITS", 50)
    add_deep_units(session)
    department = session.scalar(select(Unit).where(Unit.code == "D1"))
    head = make_person(session, name="Kepala D1", roles=("employee", "supervisor"), unit=department)
    department.head = head
    session.commit()
    login(client, head)

    options = picker(client.get("/atasan/orang?unit=D1B3").get_data(as_text=True))

    fields = [f"D1B{b}" for b in range(10)]
    sections = [f"D1B3S{k}" for k in range(10)]
    assert [value for value, _selected, _label in options] == [
        "",
        "D1",
        *fields[:4],
        *sections,
        *fields[4:],
    ], "their department and its fields (111 units would not fit in 50), then the chosen field's sections"
    assert [value for value, selected, _label in options if selected] == ["D1B3"]


def test_a_supervisor_heading_units_at_two_depths_finds_both_at_the_top(client, session, monkeypatch):
    monkeypatch.setattr(unit_picker_module, "FULL_PICKER_UNITS", 50)
    add_deep_units(session)
    department, section = (session.scalar(select(Unit).where(Unit.code == code)) for code in ("D1", "D3B2S4"))
    head = make_person(session, name="Kepala", roles=("employee", "supervisor"), unit=department)
    department.head = section.head = head
    session.commit()
    login(client, head)

    codes = [value for value, _selected, _label in picker(client.get("/atasan/orang").get_data(as_text=True))]

    assert codes[0] == "" and "D3B2S4" in codes, "the section's parent is not theirs, so it heads a subtree"
    assert set(codes) - {"", "D3B2S4"} == {"D1", *(f"D1B{b}" for b in range(10))}

"""People lists page by keyset: next, previous, first and last keep the filters, every page costs the same
statements whatever its depth, and a cursor outside the viewer's scope shows nothing."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import insert

from elearn.models import Person, PersonRole
from tests.factories import login, make_person, make_unit
from tests.statements import page_statements
from tests.web.test_unit_picker import signed_in_head

PAGE_SIZE = 3


@pytest.fixture
def admin(app, session):
    app.config["ELEARN_PAGE_SIZE"] = PAGE_SIZE
    person = make_person(session, name="Admin BKPSDM", roles=("employee", "admin"))
    session.commit()
    return person


def names(body: str) -> list[str]:
    """The names in the people table, top to bottom."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', body)


def link(body: str, label: str) -> str | None:
    """The address of the paging link with `label`, or None."""
    found = re.search(rf'<li><a href="([^"]+)"[^>]*>{label}</a></li>', body)
    return html.unescape(found.group(1)) if found else None


def add_people(session, count: int, *, prefix: str = "Budi", unit=None) -> None:  # noqa: ANN001
    """`count` active employees named "<prefix> 000".. in one statement each for people and roles."""
    start = session.query(Person).count()
    rows = [
        dict(nip=f"19800101200501{start + n:04d}", name=f"{prefix} {n:03d}", id_kind="nip", employment="PNS",
             active=True, session_version=1, unit_id=unit.id if unit else None)
        for n in range(count)
    ]  # fmt: skip
    ids = session.scalars(insert(Person).returning(Person.id), rows).all()
    session.execute(insert(PersonRole), [dict(person_id=person_id, role="employee") for person_id in ids])
    session.commit()


def test_walking_forward_and_back_visits_every_person_once_in_name_order(client, session, admin):
    add_people(session, 8)
    login(client, admin)
    seen: list[str] = []
    url: str | None = "/admin/orang?q=Budi&role=employee"
    pages = []
    while url:
        body = client.get(url).get_data(as_text=True)
        assert "q=Budi" in (link(body, "Berikutnya") or "q=Budi") and "role=employee" in (
            link(body, "Pertama") or url
        )
        pages.append(names(body))
        seen += names(body)
        url = link(body, "Berikutnya")
    assert seen == [f"Budi {n:03d}" for n in range(8)]
    assert [len(page) for page in pages] == [3, 3, 2]
    assert "Baris 7–8 dari 8" in body and link(body, "Terakhir") is None
    back = client.get(link(body, "Sebelumnya")).get_data(as_text=True)
    assert names(back) == ["Budi 003", "Budi 004", "Budi 005"] and "Baris 4–6 dari 8" in back
    first = client.get(link(back, "Sebelumnya")).get_data(as_text=True)
    assert names(first) == ["Budi 000", "Budi 001", "Budi 002"]
    assert link(first, "Sebelumnya") is None and link(first, "Pertama") is None


def test_last_page_holds_the_last_rows_and_leads_back(client, session, admin):
    add_people(session, 7)
    login(client, admin)
    first = client.get("/admin/orang?q=Budi").get_data(as_text=True)
    last = client.get(link(first, "Terakhir")).get_data(as_text=True)
    assert names(last) == ["Budi 004", "Budi 005", "Budi 006"]
    assert "Baris 5–7 dari 7" in last and link(last, "Berikutnya") is None
    assert names(client.get(link(last, "Sebelumnya")).get_data(as_text=True)) == [
        "Budi 001",
        "Budi 002",
        "Budi 003",
    ]
    assert names(client.get(link(last, "Pertama")).get_data(as_text=True)) == [
        "Budi 000",
        "Budi 001",
        "Budi 002",
    ]


def test_one_short_page_has_no_links_and_counts_its_rows(client, session, admin):
    add_people(session, 2)
    login(client, admin)
    body = client.get("/admin/orang?q=Budi").get_data(as_text=True)
    assert names(body) == ["Budi 000", "Budi 001"] and "Baris 1–2 dari 2" in body
    assert 'class="pagination"' not in body


def test_a_deep_page_costs_the_statements_of_the_first(app, client, session, admin):
    add_people(session, 40)
    login(client, admin)
    first = page_statements(app, client, "/admin/orang")
    body = client.get("/admin/orang").get_data(as_text=True)
    for _ in range(5):
        body = client.get(link(body, "Berikutnya")).get_data(as_text=True)
    deep = page_statements(app, client, link(body, "Berikutnya"))
    last = page_statements(app, client, "/admin/orang?akhir=1")
    assert len(deep) == len(first) == len(last) <= 6
    assert any("(elearn_person.name, elearn_person.id) >" in statement for statement in deep), "a keyset"


def test_supervisor_pages_through_their_subtree_only_and_a_foreign_cursor_shows_nobody(app, client, session):
    app.config["ELEARN_PAGE_SIZE"] = PAGE_SIZE
    dinas, other = make_unit(session, "DISHUB"), make_unit(session, "BPBD")
    add_people(session, 5, prefix="Andi", unit=dinas)
    add_people(session, 5, prefix="Budi", unit=other)
    outsider = session.query(Person).filter(Person.name == "Budi 000").one()
    signed_in_head(session, client, dinas)
    seen: list[str] = []
    url: str | None = "/atasan/orang?unit=DISHUB"
    while url:
        body = client.get(url).get_data(as_text=True)
        seen += names(body)
        url = link(body, "Berikutnya")
    assert seen == [f"Andi {n:03d}" for n in range(5)] + ["Kepala DISHUB"]
    foreign = client.get(f"/atasan/orang?setelah={outsider.id}").get_data(as_text=True)
    assert names(foreign) == [] and "Budi" not in foreign
    assert link(foreign, "Pertama") == "/atasan/orang"

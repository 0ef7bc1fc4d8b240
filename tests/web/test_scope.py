"""The scope service: who sees whom, as SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select
from werkzeug.exceptions import NotFound

from elearn.models import Person, Unit
from elearn.scope import (
    can_view,
    mentees_of,
    people_supervised_by,
    people_visible_to,
    units_supervised_by,
    units_visible_to,
    visible_person_or_404,
)
from elearn.services.directory import (
    headcounts,
    in_unit_subtree,
    listed,
    subtree_headcounts,
    unit_forest,
    units_headed_by,
)
from elearn.state import clock
from tests.factories import make_mentorship, make_person, make_position, make_unit
from tests.web.scope_world import World, build_world


@pytest.fixture
def world(session) -> World:
    return build_world(session)


def seen_by(session, viewer: Person, **kwargs: object) -> set[Person]:
    kwargs.setdefault("today", clock().today())
    return set(session.scalars(people_visible_to(viewer, **kwargs)))


def test_people_visible_to_admin_sees_everyone_including_deactivated(session, world):
    assert seen_by(session, world.admin) == set(session.scalars(select(Person)))
    assert world.deactivated in seen_by(session, world.admin)


def test_people_visible_to_supervisor_sees_headed_subtree_and_never_sibling(session, world):
    assert seen_by(session, world.head_a) == {world.head_a, world.in_a, world.in_a1}


def test_people_visible_to_supervisor_does_not_see_deactivated_people(session, world):
    retired = make_person(session, name="Pensiunan", unit=world.a1, active=False)
    session.commit()
    assert retired not in seen_by(session, world.head_a)
    assert world.deactivated not in seen_by(session, world.head_a)


def test_people_visible_to_head_of_several_units_sees_each_subtree(session, world):
    world.b.head = world.head_a
    session.commit()
    assert {world.in_a1, world.in_b, world.mentor} <= seen_by(session, world.head_a)


def test_people_visible_to_unit_head_without_supervisor_role_sees_only_self(session, world):
    world.head_a.set_roles({"employee"})
    session.commit()
    assert seen_by(session, world.head_a) == {world.head_a}


def test_people_visible_to_subtree_excludes_units_whose_path_shares_a_digit_prefix(session, world):
    sibling = make_unit(session, parent=world.root)
    while not str(sibling.id).startswith(str(world.a.id)) or sibling.id == world.a.id:
        sibling = make_unit(session, parent=world.root)
    neighbour = make_person(session, name="Tetangga", unit=sibling)
    session.commit()
    assert sibling.path.startswith(world.a.path.rstrip("/"))
    assert neighbour not in seen_by(session, world.head_a)
    assert neighbour not in set(
        session.scalars(in_unit_subtree(people_visible_to(world.admin, today=clock().today()), world.a))
    )


def test_people_visible_to_employee_sees_only_self(session, world):
    assert seen_by(session, world.employee) == {world.employee}


@pytest.mark.parametrize(
    ("starts", "ends", "visible"),
    [
        (-30, None, True),
        (-30, 0, True),
        (0, 10, True),
        (-30, -1, False),
        (1, None, False),
    ],
    ids=["open-ended", "ends-today", "starts-today", "ended-yesterday", "starts-tomorrow"],
)
def test_people_visible_to_mentor_sees_only_current_mentees(session, world, starts, ends, visible):
    today = clock().today()
    make_mentorship(
        session,
        world.mentor,
        world.in_a,
        starts_on=today + timedelta(days=starts),
        ends_on=None if ends is None else today + timedelta(days=ends),
    )
    session.commit()
    assert (world.in_a in seen_by(session, world.mentor)) is visible
    assert (world.in_a in set(session.scalars(mentees_of(world.mentor, today=clock().today())))) is visible


def test_people_visible_to_mentor_role_withdrawn_hides_mentees(session, world):
    make_mentorship(session, world.mentor, world.in_a)
    world.mentor.set_roles({"employee"})
    session.commit()
    assert seen_by(session, world.mentor) == {world.mentor}


def test_people_visible_to_is_the_union_of_every_rule_that_applies(session, world):
    world.head_a.set_roles({"employee", "supervisor", "mentor"})
    make_mentorship(session, world.head_a, world.in_b, starts_on=date(2020, 1, 1))
    session.commit()
    assert seen_by(session, world.head_a) == {world.head_a, world.in_a, world.in_a1, world.in_b}


def test_people_supervised_by_leaves_out_mentees_outside_the_units(session, world):
    world.head_a.set_roles({"employee", "supervisor", "mentor"})
    make_mentorship(session, world.head_a, world.in_b)
    session.commit()
    supervised = set(session.scalars(people_supervised_by(world.head_a)))
    assert supervised == {world.head_a, world.in_a, world.in_a1}


def test_can_view_answers_per_person(session, world):
    assert can_view(session, world.head_a, world.in_a1, today=clock().today())
    assert not can_view(session, world.head_a, world.in_b, today=clock().today())
    assert can_view(session, world.employee, world.employee, today=clock().today())
    assert can_view(session, world.admin, world.in_b, today=clock().today())


def test_visible_person_or_404_returns_person_in_scope(session, world):
    assert visible_person_or_404(session, world.head_a, world.in_a1.id, today=clock().today()) is world.in_a1


@pytest.mark.parametrize("target", ["denied", "unknown"])
def test_visible_person_or_404_denied_and_unknown_both_raise_not_found(session, world, target):
    person_id = world.in_b.id if target == "denied" else 999_999
    with pytest.raises(NotFound):
        visible_person_or_404(session, world.head_a, person_id, today=clock().today())


def test_units_visible_to_follows_role_and_headship(session, world):
    codes = {
        viewer: set(session.scalars(units_visible_to(viewer).with_only_columns(Unit.code)))
        for viewer in (world.admin, world.head_a, world.employee)
    }
    assert codes[world.admin] == {"R", "A", "A1", "B"}
    assert codes[world.head_a] == {"A", "A1"}
    assert codes[world.employee] == set()


def test_units_supervised_by_ignores_the_admin_role(session, world):
    world.head_a.set_roles({"employee", "supervisor", "admin"})
    session.commit()
    assert set(session.scalars(units_supervised_by(world.head_a).with_only_columns(Unit.code))) == {"A", "A1"}


def test_unit_forest_nests_subtree_with_direct_and_total_headcounts(session, world):
    make_person(session, name="Pegawai A1 kedua", unit=world.a1)
    session.commit()
    [root] = unit_forest(session, units_visible_to(world.head_a), people_supervised_by(world.head_a))
    assert (root.unit.code, root.direct, root.total) == ("A", 2, 4)
    assert [(child.unit.code, child.direct, child.total) for child in root.children] == [("A1", 2, 2)]


def test_headcounts_direct_and_subtree_for_given_units(session, world):
    everyone = people_visible_to(world.admin, today=clock().today())
    ids = [world.root.id, world.a.id]
    # R holds the admin; A its head, Siti and the deactivated person (an admin counts them); A1 holds Budi.
    assert headcounts(session, ids, everyone) == {world.root.id: 1, world.a.id: 3}
    assert subtree_headcounts(session, ids, everyone) == {world.root.id: 10, world.a.id: 4}


def test_in_unit_subtree_keeps_the_unit_and_its_descendants_only(session, world):
    people = set(
        session.scalars(in_unit_subtree(people_visible_to(world.admin, today=clock().today()), world.a))
    )
    assert people == {world.head_a, world.in_a, world.in_a1, world.deactivated}


def test_units_headed_by_lists_headed_units_in_tree_order_whatever_the_roles(session, world):
    world.a1.head = world.head_a
    world.head_a.set_roles({"employee"})
    session.commit()
    assert units_headed_by(session, world.head_a) == [world.a, world.a1]
    assert units_headed_by(session, world.employee) == []


def test_listed_people_page_query_count_does_not_grow_with_rows(session, world):
    statement = listed(people_visible_to(world.admin, today=clock().today()))
    a1_id = world.a1.id

    def statements_for_listing() -> int:
        session.expunge_all()
        issued: list[str] = []
        engine = session.get_bind()

        def count(*args: object) -> None:
            issued.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", count)
        try:
            people = session.scalars(statement).all()
            assert [(p.unit.code if p.unit else "", p.position, p.roles) for p in people]
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(issued)

    few = statements_for_listing()
    for n in range(15):
        unit = make_unit(session, parent=session.get(Unit, a1_id))
        person = make_person(session, name=f"Tambahan {n}", unit=unit)
        person.position = make_position(session)
    session.commit()
    assert statements_for_listing() == few

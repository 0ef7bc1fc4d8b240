"""What the certificate and ledger tests share: a one-lesson course completed over HTTP, external training recorded
the way the form sends it, proof files of each kind, and an organisation with two sibling supervisors."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.models import Certificate, Person
from elearn.state import clock
from tests.factories import make_person
from tests.proof_files import PDF
from tests.web.learning_support import csrf_of, sync_journey_courses
from tests.web.scope_world import World, build_world

CERTIFICATE_COURSES = Path(__file__).resolve().parents[1] / "fixtures" / "courses_certificate"
COURSE = "pelayanan-prima"
LESSON = "01-materi"


def sync_certificate_course(session: Session) -> None:
    """Import the one-lesson course whose completion earns 3 JP and proves M.05 level 2 and M.03 level 1."""
    sync_journey_courses(session, CERTIFICATE_COURSES)


def complete_course(client: Any) -> None:
    """Read the only lesson and mark it done: the course completes."""
    page = client.get(f"/kursus/{COURSE}/{LESSON}").get_data(as_text=True)
    response = client.post(f"/kursus/{COURSE}/{LESSON}/selesai", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def certificate_of(session: Session, person: Person) -> Certificate:
    """The person's only certificate."""
    session.expire_all()
    return session.scalars(select(Certificate).where(Certificate.person_id == person.id)).one()


def training_form(**changes: Any) -> dict[str, Any]:
    """What the external-training form posts (a 16-JP technical training that ended today, so it counts this year,
    with a PDF proof), with `changes`."""
    today = clock().today().isoformat()
    form = {
        "kind": "pelatihan_teknis",
        "name": "Pelatihan Teknis Administrasi Kependudukan",
        "provider": "BPSDM Provinsi Jawa Tengah",
        "starts_on": today,
        "ends_on": today,
        "jp": "16",
        "certificate_number": "BPSDM/2026/0412",
        "proof": (PDF, "sertifikat.pdf"),
    }
    form.update(changes)
    return form


def post_training(client: Any, **changes: Any):  # noqa: ANN201  (a werkzeug TestResponse)
    """Fill and send the external-training form as a browser does (multipart, with the page's CSRF token)."""
    page = client.get("/pelatihan/baru").get_data(as_text=True)
    form = training_form(**changes)
    proof = form.pop("proof")
    if proof is not None:
        data, name = proof
        form["proof"] = (io.BytesIO(data), name)
    form["csrf_token"] = csrf_of(page)
    return client.post("/pelatihan/baru", data=form, content_type="multipart/form-data")


@dataclass(frozen=True)
class Offices:
    """The scope world plus a supervisor of the sibling unit B."""

    world: World
    head_b: Person


def build_offices(session: Session) -> Offices:
    """The shared organisation with a head of B, so A's records have a sibling supervisor who must not see them."""
    world = build_world(session)
    head_b = make_person(session, name="Kepala Dinas B", roles=("employee", "supervisor"), unit=world.b)
    world.b.head = head_b
    session.commit()
    return Offices(world=world, head_b=head_b)

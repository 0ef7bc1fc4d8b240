"""Sample organisation files and the helpers the import tests share: parse, run an import, count, watch SQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from flask import Flask
from sqlalchemy import event, func, insert, select
from sqlalchemy.orm import Session

from elearn.models import Person
from elearn.orgdata import Limits, ParsedFile, parse_file
from elearn.services.org_import import ImportReport, import_org
from tests.factories import make_person

NIP_A = "198501012010011001"
NIP_B = "199002152015032002"
NIP_C = "197803122005011003"
NIP_D = "198807212012122004"

UNITS = (
    "kode_unit;nama_unit;kode_induk;nip_kepala\n"
    f"BID-1;Bidang Pelayanan;DISDUK;{NIP_A}\n"
    "DISDUK;Dinas Kependudukan dan Pencatatan Sipil;PEMKOT;\n"
    "PEMKOT;Pemerintah Kota Salatiga;;\n"
)
POSITIONS = (
    "kode_jabatan;nama_jabatan;jenis;kelas\nKABID;Kepala Bidang;struktural;12\n"
    "PENG;Pengadministrasi;pelaksana;\n"
)
PEOPLE = (
    "nip;nama;email;kode_unit;kode_jabatan;peran\n"
    f'{NIP_A};Budi Santoso;budi@salatiga.go.id;BID-1;KABID;"pegawai;atasan"\n'
    f'{NIP_B};Siti =HYPERLINK("x");siti@salatiga.go.id;BID-1;PENG;"pegawai;mentor"\n'
)
MENTORSHIPS = (
    "nip_mentor;nip_mentee;mulai;selesai\n"
    f"{NIP_A};{NIP_B};2020-01-06;\n"
    f"{NIP_A};{NIP_C};01/02/2020;31/12/2021\n"
)


def parse(app: Flask, kind: str, text: str | bytes) -> ParsedFile:
    data = text.encode() if isinstance(text, str) else text
    return parse_file(
        kind, data, source=f"{kind}.csv", limits=Limits.from_config(app.config), today=date.today()
    )


def run(app: Flask, session: Session, dry_run: bool = False, **texts: str | bytes) -> ImportReport:
    report = import_org(
        session,
        files=[parse(app, kind, text) for kind, text in texts.items()],
        today=date.today(),
        dry_run=dry_run,
    )
    if report.applied:
        session.commit()
    else:
        session.rollback()
    return report


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


@contextmanager
def email_taken_before_people_are_written(session: Session, email: str) -> Iterator[None]:
    """While the block runs, just before an import writes its first person, another transaction commits a
    person with `email`: the import then meets a real unique violation in the middle of its writing."""
    engine = session.get_bind()
    taken: list[bool] = []

    def take_first(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if statement.lstrip().startswith("INSERT INTO elearn_person ") and not taken:
            taken.append(True)
            with engine.begin() as other:
                other.execute(
                    insert(Person.__table__).values(nip="197001012000011009", name="Orang Lain", email=email)
                )

    event.listen(engine, "before_cursor_execute", take_first)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", take_first)
    assert taken, "the import wrote no person"


def make_admin(session: Session) -> Person:
    return make_person(session, roles=("employee", "admin"), name="Admin BKPSDM")


def make_mentorship_people(session: Session) -> dict[str, Person]:
    """Budi (no mentor role yet), Siti and Rina, stored before a mentorship-only import."""
    people = {
        NIP_A: make_person(session, nip=NIP_A, name="Budi Santoso"),
        NIP_B: make_person(session, nip=NIP_B, name="Siti Aminah"),
        NIP_C: make_person(session, nip=NIP_C, name="Rina Wulandari"),
    }
    session.commit()
    return people

"""A demo city government (Pemerintah Kota Salatiga) with realistic people, so every role can be tried at once."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from elearn.courses.journey import CourseOutline
from elearn.lru import LruCache
from elearn.models import Assignment, Mentorship, Person, Position, Role, Unit
from elearn.people.nip import make_nip
from elearn.scope import mentees_of
from elearn.services.accounts import set_password
from elearn.services.assignments import DueRule, Target, assign
from elearn.services.org import create_unit
from elearn.services.outlines import current_version, outline_of

# (code, name, parent code); the root first, parents before children.
UNITS: tuple[tuple[str, str, str | None], ...] = (
    ("SLTG", "Pemerintah Kota Salatiga", None),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "SLTG"),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "SLTG"),
    ("DUKCAPIL-PDP", "Bidang Pelayanan Pendaftaran Penduduk", "DUKCAPIL"),
    ("DUKCAPIL-PCS", "Bidang Pelayanan Pencatatan Sipil", "DUKCAPIL"),
    ("DISHUB", "Dinas Perhubungan", "SLTG"),
    ("DISHUB-LL", "Bidang Lalu Lintas dan Angkutan", "DISHUB"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "SLTG"),
    ("DISKOMINFO-APTIKA", "Bidang Aplikasi Informatika", "DISKOMINFO"),
    ("DISKOMINFO-SANDI", "Bidang Persandian dan Statistik", "DISKOMINFO"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "SLTG"),
    ("BPBD-KL", "Bidang Kedaruratan dan Logistik", "BPBD"),
    ("INSPEKTORAT", "Inspektorat Daerah", "SLTG"),
    ("KEC-SIDOREJO", "Kecamatan Sidorejo", "SLTG"),
    ("KEL-SIDOREJO-LOR", "Kelurahan Sidorejo Lor", "KEC-SIDOREJO"),
)

POSITIONS: tuple[tuple[str, str, str, str | None], ...] = (
    ("KADIN", "Kepala Dinas", "struktural", "II.b"),
    ("KABID", "Kepala Bidang", "struktural", "III.a"),
    ("CAMAT", "Camat", "struktural", "III.a"),
    ("LURAH", "Lurah", "struktural", "III.b"),
    ("ADMKEP", "Administrator Database Kependudukan", "fungsional", "Ahli Pertama"),
    ("PRANKOM", "Pranata Komputer", "fungsional", "Ahli Muda"),
    ("ANALIS-KEB", "Analis Kebijakan", "fungsional", "Ahli Muda"),
    ("AUDITOR", "Auditor", "fungsional", "Ahli Muda"),
    ("WIDYAISWARA", "Widyaiswara", "fungsional", "Ahli Madya"),
    ("PENGADMIN", "Pengadministrasi Perkantoran", "pelaksana", "7"),
    ("PETUGAS-LAY", "Petugas Layanan Operasional", "pelaksana", "6"),
    ("ANALIS-SDM", "Analis Sumber Daya Manusia Aparatur", "fungsional", "Ahli Pertama"),
)

MALE_NAMES = (
    "Agus",
    "Budi",
    "Eko",
    "Gilang",
    "Hendra",
    "Joko",
    "Muhammad",
    "Rudi",
    "Teguh",
    "Wahyu",
    "Bambang",
    "Ahmad",
    "Dimas",
    "Yoga",
    "Arif",
    "Fajar",
    "Imam",
    "Slamet",
)
FEMALE_NAMES = (
    "Siti",
    "Dewi",
    "Fitri",
    "Indah",
    "Kartika",
    "Lestari",
    "Nur",
    "Oktaviani",
    "Putri",
    "Sri",
    "Utami",
    "Yuliana",
    "Retno",
    "Rina",
    "Ayu",
    "Novitasari",
    "Endah",
    "Wulan",
)
FAMILY_NAMES = (
    "Santoso",
    "Rahmawati",
    "Wibowo",
    "Lestari",
    "Prasetyo",
    "Hidayat",
    "Purnamasari",
    "Saputra",
    "Nugroho",
    "Kurniawan",
    "Wulandari",
    "Setiawan",
    "Handayani",
    "Susanto",
    "Maharani",
    "Firmansyah",
    "Pratiwi",
    "Gunawan",
)

DEMO_EMAIL_DOMAIN = "demo.salatiga.go.id"


@dataclass(frozen=True)
class DemoLogin:
    """One printed demo account: which role it shows, and how to sign in."""

    role: str
    name: str
    nip: str
    password: str


def _person_name(rng: random.Random, gender: int, used: set[str]) -> str:
    """A unique name whose given name fits the gender digit of the NIP."""
    given = MALE_NAMES if gender == 1 else FEMALE_NAMES
    while True:
        name = f"{rng.choice(given)} {rng.choice(FAMILY_NAMES)}"
        if name not in used:
            used.add(name)
            return name


def _nip(rng: random.Random, sequence: int, *, senior: bool) -> tuple[str, int]:
    """A valid NIP and its gender digit; heads of units are born earlier than their staff."""
    birth_years = (1966, 1980) if senior else (1975, 1998)
    birth = date(rng.randint(*birth_years), rng.randint(1, 12), rng.randint(1, 28))
    appointed = date(min(birth.year + rng.randint(22, 30), 2024), rng.randint(1, 12), 1)
    gender = rng.choice((1, 2))
    return make_nip(birth, appointed, gender, sequence), gender


def load_demo(session: Session, *, today: date, seed: int = 2026) -> list[DemoLogin]:
    """Create the demo organisation once; every call sets fresh random passwords on the printed demo accounts."""
    if session.scalar(select(Unit).where(Unit.code == "SLTG")) is None:
        _create_organisation(session, random.Random(seed), today=today)
    return _reset_demo_logins(session)


def _create_organisation(session: Session, rng: random.Random, *, today: date) -> None:
    units: dict[str, Unit] = {}
    for code, name, parent in UNITS:
        units[code] = create_unit(session, code=code, name=name, parent=units[parent] if parent else None)
    positions = {
        code: Position(code=code, name=name, kind=kind, grade=grade) for code, name, kind, grade in POSITIONS
    }
    session.add_all(positions.values())

    used_names: set[str] = set()
    sequence = 0

    def person(unit: str, position: str, roles: set[str], *, employment: str = "PNS") -> Person:
        nonlocal sequence
        sequence += 1
        nip, gender = _nip(rng, sequence, senior=positions[position].kind == "struktural")
        name = _person_name(rng, gender, used_names)
        email = f"{name.lower().replace(' ', '.')}{sequence}@{DEMO_EMAIL_DOMAIN}"
        p = Person(
            nip=nip,
            name=name,
            email=email,
            unit=units[unit],
            position=positions[position],
            employment=employment,
            id_kind="ni_pppk" if employment == "PPPK" else "nip",
        )
        p.set_roles(roles | {Role.EMPLOYEE.value})
        session.add(p)
        return p

    heads = {
        "SLTG": ("KADIN", {"admin", "supervisor"}),
        "BKPSDM": ("KADIN", {"supervisor", "admin"}),
        "DUKCAPIL": ("KADIN", {"supervisor"}),
        "DISHUB": ("KADIN", {"supervisor"}),
        "DISKOMINFO": ("KADIN", {"supervisor"}),
        "BPBD": ("KADIN", {"supervisor"}),
        "INSPEKTORAT": ("KADIN", {"supervisor"}),
        "KEC-SIDOREJO": ("CAMAT", {"supervisor"}),
        "KEL-SIDOREJO-LOR": ("LURAH", {"supervisor"}),
    }
    for code in units:
        position, roles = heads.get(code, ("KABID", {"supervisor", "mentor"}))
        units[code].head = person(code, position, roles)

    staff_plan = {
        "BKPSDM": ["WIDYAISWARA", "ANALIS-SDM", "PENGADMIN"],
        "DUKCAPIL-PDP": ["ADMKEP", "ADMKEP", "PETUGAS-LAY", "PETUGAS-LAY", "PETUGAS-LAY", "PENGADMIN"],
        "DUKCAPIL-PCS": ["ADMKEP", "PETUGAS-LAY", "PETUGAS-LAY", "PENGADMIN"],
        "DISHUB-LL": ["PETUGAS-LAY", "PETUGAS-LAY", "ANALIS-KEB", "PENGADMIN"],
        "DISKOMINFO-APTIKA": ["PRANKOM", "PRANKOM", "PRANKOM", "PENGADMIN"],
        "DISKOMINFO-SANDI": ["PRANKOM", "ANALIS-KEB", "PENGADMIN"],
        "BPBD-KL": ["PETUGAS-LAY", "PETUGAS-LAY", "ANALIS-KEB", "PENGADMIN"],
        "INSPEKTORAT": ["AUDITOR", "AUDITOR", "AUDITOR", "PENGADMIN"],
        "KEC-SIDOREJO": ["ANALIS-KEB", "PENGADMIN", "PETUGAS-LAY"],
        "KEL-SIDOREJO-LOR": ["PETUGAS-LAY", "PETUGAS-LAY", "PENGADMIN"],
        "DUKCAPIL": ["ANALIS-KEB", "PRANKOM"],
        "DISHUB": ["PENGADMIN"],
        "BPBD": ["PENGADMIN"],
    }
    staff: dict[str, list[Person]] = {}
    for unit_code, plan in staff_plan.items():
        for i, position in enumerate(plan):
            roles = {"trainer"} if position == "WIDYAISWARA" else set()
            employment = "PPPK" if position == "PETUGAS-LAY" and i % 2 else "PNS"
            staff.setdefault(unit_code, []).append(person(unit_code, position, roles, employment=employment))
    session.flush()

    # Senior functional staff mentor the juniors of their own field.
    for people in staff.values():
        if len(people) < 3:
            continue
        mentor, *mentees = people
        mentor.set_roles(mentor.roles | {Role.MENTOR.value})
        for mentee in mentees[:3]:
            session.add(Mentorship(mentor=mentor, mentee=mentee, starts_on=date(today.year, 1, 6)))
    session.flush()


def _reset_demo_logins(session: Session) -> list[DemoLogin]:
    """Pick one account per role, give each a fresh random password, and return them for printing."""
    wanted = (
        ("admin", select(Person).join(Unit, Unit.head_id == Person.id).where(Unit.code == "BKPSDM")),
        ("supervisor", select(Person).join(Unit, Unit.head_id == Person.id).where(Unit.code == "DUKCAPIL")),
        (
            "mentor",
            select(Person)
            .join(Unit, Person.unit_id == Unit.id)
            .where(
                Unit.code == "DUKCAPIL-PDP", Person.role_rows.any(role="mentor"), Unit.head_id != Person.id
            ),
        ),
        ("trainer", select(Person).where(Person.role_rows.any(role="trainer"))),
        (
            "employee",
            select(Person)
            .join(Unit, Person.unit_id == Unit.id)
            .where(
                Unit.code == "DUKCAPIL-PDP", ~Person.role_rows.any(role="mentor"), Unit.head_id != Person.id
            ),
        ),
    )
    logins = []
    for role, query in wanted:
        person = session.scalars(query.order_by(Person.id)).first()
        if person is None:
            continue
        password = secrets.token_urlsafe(9)
        set_password(person, password)
        logins.append(DemoLogin(role=role, name=person.name, nip=person.nip, password=password))
    session.flush()
    return logins


def assign_demo_learning(
    session: Session, *, today: date, now: datetime, outlines: LruCache[int, CourseOutline]
) -> int:
    """Once the demo courses are in: each demo mentor assigns a module to their mentees and the head of Dukcapil a
    course to Bidang PDP, so a mentor and a supervisor have something to follow; nothing when any assignment
    exists. Returns how many people were assigned."""
    if session.scalar(select(Assignment.id).limit(1)) is not None:
        return 0
    integrity = current_version(session, "integritas-antikorupsi")
    service = current_version(session, "pelayanan-publik-prima")
    if integrity is None or service is None:
        return 0
    integrity_outline = outline_of(session, outlines, integrity.version_id)
    added = 0
    mentors = session.scalars(
        select(Person).where(Person.id.in_(select(Mentorship.mentor_id))).order_by(Person.id)
    ).all()
    for mentor in mentors:
        for mentee in session.scalars(mentees_of(mentor, today=today).order_by(Person.id)):
            added += assign(
                session,
                assigner=mentor,
                role=Role.MENTOR.value,
                outline=integrity_outline,
                module_key=integrity_outline.modules[0].key,
                target=Target("person", mentee.id),
                due=DueRule("after_assignment", days=14),
                note="Mulai dari modul pertama; kita bahas minggu depan.",
                today=today,
                now=now,
            ).added
    head = session.scalar(select(Person).join(Unit, Unit.head_id == Person.id).where(Unit.code == "DUKCAPIL"))
    unit = session.scalar(select(Unit).where(Unit.code == "DUKCAPIL-PDP"))
    if head is not None and unit is not None:
        added += assign(
            session,
            assigner=head,
            role=Role.SUPERVISOR.value,
            outline=outline_of(session, outlines, service.version_id),
            module_key="",
            target=Target("unit", unit.id),
            due=DueRule("after_unit_join", days=30),
            note="Wajib bagi petugas layanan tahun ini.",
            today=today,
            now=now,
        ).added
    return added

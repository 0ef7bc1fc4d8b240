"""Build the competency world of issue 11 on PostgreSQL: units, people, positions with standards, courses with
competencies, completions and every summary the competency pages read, set-based (INSERT ... SELECT).

Run: `ELEARN_TEST_POSTGRES_URL=postgresql://... .venv/bin/python bench/competency_world.py [--people 100000]`.
Other benchmarks import `build_world(url, people=...)`: it migrates the scratch database (its elearn tables are
dropped first) and fills it, or does nothing when a world of the same size and schema is already there (the row
in `bench_competency_world` and the people count agree). At the issue's size, 100,000 people:

- about 2,000 units in a tree 6 levels deep (root at depth 0), random fan-outs, so subtrees of every size exist;
  inner units hold a few people (the head and staff), leaves the rest; every unit has a head (the supervisor role,
  `Unit.head_id`, a structural position), and one administrator sits in the root unit;
- about 5,000 positions (one in ten structural), each with a standard (SKJ) of 5 to 10 of the 30 competencies
  (the dictionary's 8 managerial and 1 socio-cultural ones, and 21 technical ones);
- 300 courses of one version each proving one or two competencies at levels 1-5 (one in five valid for 3 years);
- 10 to 30 completions per person (2,000,000 in all) from 2023 to this year, each with its certificate;
- JpSummary per person and year, one CompetencyEvidence per completion and competency proved, AttainedCompetency
  (the highest evidence valid today, the earliest among equals), and CompetencyStanding from
  `elearn.services.competency_standing.refresh_standings`.

Everything is deterministic (a fixed seed and arithmetic on row numbers), so two builds of one size are equal.
`--check` compares the attained levels and standings with the engine's full recompute from the evidence
(`elearn.services.competency_evidence.recompute_all`, not applied): there must be no difference.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

from _backends import _empty_postgres
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from elearn.app import create_app
from elearn.migrate import upgrade
from elearn.services.competency import seed_dictionary
from elearn.services.competency_standing import refresh_standings

MARKER = "bench_competency_world"
SEED = 11
DEPTHS = 6  # depth 0 (the root) to 5
# How the units spread over the depths (the root, then each level), scaled to the number of units.
DEPTH_SHARES = (0, 8, 40, 160, 550)  # per 2,000; the deepest level takes the rest
TECHNICAL = 21
COURSES = 300
COMPLETIONS_MIN, COMPLETIONS_SPAN = 10, 21  # 10 to 30 per person, 20 on average
FIRST_DAY = date(2023, 1, 1)
GIVEN = (
    "Budi", "Siti", "Agus", "Dewi", "Rudi", "Sri", "Andi", "Rina", "Joko", "Wulan", "Fajar", "Indah", "Bambang",
    "Ratna", "Hendra", "Yuni", "Eko", "Lestiani", "Dedi", "Nur", "Teguh", "Ayu", "Rizki", "Putri", "Arif", "Maya",
    "Heru", "Fitri", "Bayu", "Sari", "Imam", "Dian", "Wahyu", "Novi", "Slamet", "Endah", "Yusuf", "Ani", "Hadi",
    "Lina",
)  # fmt: skip
MIDDLE = (
    "Adi", "Tri", "Dwi", "Eka", "Catur", "Panca", "Nita", "Ari", "Dono", "Wati", "Puji", "Surya", "Indra", "Kartika",
    "Mulya", "Cahya", "Bima", "Tirta", "Gita", "Sekar",
)  # fmt: skip
FAMILY = (
    "Santoso", "Rahmawati", "Wijaya", "Lestari", "Hidayat", "Saputra", "Kurniawan", "Nugroho", "Setiawan",
    "Susanti", "Pratama", "Wibowo", "Handayani", "Purnomo", "Siregar", "Nasution", "Simanjuntak", "Harahap",
    "Sihombing", "Lubis", "Pohan", "Tanjung", "Rangkuti", "Sitompul", "Hutapea", "Manurung", "Sinaga", "Situmorang",
    "Panjaitan", "Pardede", "Gultom", "Marpaung", "Silalahi", "Tambunan", "Pangaribuan", "Damanik", "Saragih",
    "Purba", "Ginting", "Tarigan",
)  # fmt: skip


@dataclass(frozen=True)
class WorldSize:
    """How big a world is; the marker row holds the same fields, so a different size rebuilds."""

    people: int
    units: int
    positions: int
    courses: int

    @classmethod
    def for_people(cls, people: int) -> WorldSize:
        """The issue's proportions: 50 people per unit, 20 per position, 300 courses."""
        return cls(
            people=people, units=max(20, people // 50), positions=max(20, people // 20), courses=COURSES
        )


@dataclass(frozen=True)
class World:
    """What a benchmark needs to know about a built world."""

    url: str
    size: WorldSize
    admin_id: int
    built_seconds: float
    reused: bool


def postgres_url_from_environment() -> str:
    """ELEARN_TEST_POSTGRES_URL as a psycopg 3 URL; exits with a message when unset (nothing is dropped here)."""
    raw = os.environ.get("ELEARN_TEST_POSTGRES_URL", "").strip()
    if not raw:
        sys.exit("This benchmark runs on PostgreSQL: set ELEARN_TEST_POSTGRES_URL to a scratch database.")
    return make_url(raw).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def people_from_environment(default: int = 100_000) -> int:
    """ELEARN_BENCH_PEOPLE, the size of the world the competency benchmarks build (100,000 unless set)."""
    return int(os.environ.get("ELEARN_BENCH_PEOPLE", "").strip() or default)


def build_world(url: str, *, people: int = 100_000, force: bool = False, quiet: bool = False) -> World:
    """The world of `people` on the scratch PostgreSQL database at `url`, built unless already there."""
    size = WorldSize.for_people(people)
    url = make_url(url).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    say = (lambda _message: None) if quiet else (lambda message: print(message, flush=True))
    existing = None if force else _existing(url, size)
    if existing is not None:
        say(f"competency world of {people:,} people already built ({existing[1]:.0f} s): reused")
        return World(url=url, size=size, admin_id=existing[0], built_seconds=existing[1], reused=True)
    start = time.perf_counter()
    url = _empty_postgres(url)
    app = create_app({"ELEARN_DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        upgrade()
        session = app.extensions["elearn"].db.session
        seed_dictionary(session)
        session.commit()
        app.extensions["elearn"].db.engine.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(f"drop table if exists {MARKER}"))
        _tune(connection)
        admin_id = _fill(connection, size, say)
    app = create_app({"ELEARN_DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        session = app.extensions["elearn"].db.session
        step = time.perf_counter()
        refresh_standings(session)
        session.commit()
        say(f"  standings (refresh_standings, everyone): {time.perf_counter() - step:6.1f} s")
        app.extensions["elearn"].db.engine.dispose()
    with engine.begin() as connection:
        step = time.perf_counter()
        connection.execute(text("analyze"))
        say(f"  analyze: {time.perf_counter() - step:6.1f} s")
    seconds = time.perf_counter() - start
    with engine.begin() as connection:
        _mark(connection, size, admin_id, seconds)
    engine.dispose()
    say(f"competency world of {people:,} people built in {seconds:.0f} s")
    return World(url=url, size=size, admin_id=admin_id, built_seconds=seconds, reused=False)


def _existing(url: str, size: WorldSize) -> tuple[int, float] | None:
    """(admin id, build seconds) of a world of `size` already in the database, with the current schema."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            if connection.scalar(text("select to_regclass(:name)"), {"name": MARKER}) is None:
                return None
            row = connection.execute(
                text(f"select admin_id, seconds, schema_head from {MARKER} where size = :size"),
                {"size": repr(asdict(size))},
            ).first()
            if row is None or row.schema_head != _schema_head(connection):
                return None
            if connection.scalar(text("select to_regclass('elearn_person')")) is None:
                return None
            if connection.scalar(text("select count(*) from elearn_person")) != size.people:
                return None
            return int(row.admin_id), float(row.seconds)
    finally:
        engine.dispose()


def _schema_head(connection: Connection) -> str:
    if connection.scalar(text("select to_regclass('alembic_version_elearn')")) is None:
        return ""
    return ",".join(sorted(connection.scalars(text("select version_num from alembic_version_elearn"))))


def _mark(connection: Connection, size: WorldSize, admin_id: int, seconds: float) -> None:
    connection.execute(
        text(
            f"create table {MARKER} (size text primary key, admin_id integer not null, seconds float not null,"
            " schema_head text not null, built_at timestamptz not null default now())"
        )
    )
    connection.execute(
        text(
            f"insert into {MARKER} (size, admin_id, seconds, schema_head) values (:size, :admin, :s, :head)"
        ),
        {"size": repr(asdict(size)), "admin": admin_id, "s": seconds, "head": _schema_head(connection)},
    )


def _tune(connection: Connection) -> None:
    """Bulk-load settings for this transaction only; foreign keys are not checked row by row when the role may
    skip them (superuser): the rows are consistent by construction."""
    connection.execute(text("set local synchronous_commit = off"))
    connection.execute(text("set local maintenance_work_mem = '256MB'"))
    connection.execute(text("set local work_mem = '64MB'"))
    if connection.scalar(text("select rolsuper from pg_roles where rolname = current_user")):
        connection.execute(text("set local session_replication_role = replica"))


def _timed(say, label: str, connection: Connection, sql: str, **params: object) -> None:  # noqa: ANN001
    start = time.perf_counter()
    result = connection.execute(text(sql), params)
    rows = f"{result.rowcount:>10,} rows" if result.rowcount >= 0 else " " * 15
    say(f"  {label:<40} {rows} {time.perf_counter() - start:6.1f} s")


def _fill(connection: Connection, size: WorldSize, say) -> int:  # noqa: ANN001
    """Every table of the world, in dependency order; returns the administrator's id."""
    tree, headcounts = _tree(size)
    connection.execute(
        text(
            "create temporary table bench_unit_plan (id int primary key, parent_id int, depth int,"
            " first_person int, last_person int) on commit drop"
        )  # fmt: skip
    )
    first = 1
    plan = []
    for unit_id, (parent_id, depth) in tree.items():
        plan.append({"id": unit_id, "parent": parent_id, "depth": depth, "first": first,
                     "last": first + headcounts[unit_id] - 1})  # fmt: skip
        first += headcounts[unit_id]
    connection.execute(text("insert into bench_unit_plan values (:id, :parent, :depth, :first, :last)"), plan)
    # Paths follow the parents down the tree ("/1/5/12/"), as elearn.services.org writes them.
    _timed(say, "units", connection, """
        insert into elearn_unit (id, code, name, parent_id, path, depth)
        with recursive tree (id, parent_id, depth, path) as (
            select id, parent_id, depth, '/' || id || '/' from bench_unit_plan where parent_id is null
            union all
            select c.id, c.parent_id, c.depth, t.path || c.id || '/'
            from bench_unit_plan c join tree t on c.parent_id = t.id
        )
        select id, 'U' || lpad(id::text, 5, '0'),
               (array['Kementerian', 'Direktorat Jenderal', 'Direktorat', 'Subdirektorat', 'Bagian', 'Seksi'])
                   [depth + 1] || ' Bench ' || id,
               parent_id, path, depth
        from tree
    """)  # fmt: skip
    _timed(say, "positions", connection, """
        insert into elearn_position (id, code, name, kind, grade)
        select n, 'J' || lpad(n::text, 5, '0'),
               case when n % 10 = 0 then 'Kepala ' when n % 10 < 5 then 'Analis ' else 'Pengelola ' end
                   || 'Bench ' || n,
               case when n % 10 = 0 then 'struktural' when n % 10 < 5 then 'fungsional' else 'pelaksana' end,
               (5 + n % 11)::text
        from generate_series(1, :positions) n
    """, positions=size.positions)  # fmt: skip
    structural = size.positions // 10
    # Person n: unit from the plan, the first person of each unit heads it; the last person is the administrator.
    _timed(say, "people", connection, """
        insert into elearn_person (id, nip, id_kind, name, email, unit_id, position_id, unit_since, employment,
                                   notify_by_email, active, session_version, created_at, updated_at)
        select n,
               to_char(b, 'YYYYMMDD') || to_char(make_date(extract(year from b)::int + 22, 1 + n % 12, 1), 'YYYYMM')
                   || (1 + (n / 14000) % 2)::text || lpad((1 + (n / 28000) % 999)::text, 3, '0'),
               'nip',
               (cast(:given as text[]))[1 + n % 40] || ' ' || (cast(:middle as text[]))[1 + (n / 40) % 20]
                   || ' ' || (cast(:family as text[]))[1 + (n * 7 / 3) % 40],
               'pegawai' || n || '@bench.go.id',
               u.id,
               case when n = u.first_person then 10 * (1 + u.id % :structural)
                    else 1 + (n * 37) % :positions end,
               date '2015-01-01' + n % 3000,
               case when n % 5 = 0 and n <> u.first_person then 'PPPK' else 'PNS' end,
               true,
               n % 100 <> 0 or n = u.first_person or n = :people,
               1, now(), now()
        from bench_unit_plan u
        cross join lateral generate_series(u.first_person, u.last_person) n
        cross join lateral (select date '1960-01-01' + n % 14000 as b) birth
    """, given=list(GIVEN), middle=list(MIDDLE), family=list(FAMILY), structural=structural,
           positions=size.positions, people=size.people)  # fmt: skip
    _timed(say, "unit heads", connection, """
        update elearn_unit u set head_id = p.first_person from bench_unit_plan p where p.id = u.id
    """)  # fmt: skip
    _timed(say, "roles", connection, """
        insert into elearn_person_role (person_id, role)
        select n, 'employee' from generate_series(1, :people) n
        union all select first_person, 'supervisor' from bench_unit_plan
        union all select :people, 'admin'
    """, people=size.people)  # fmt: skip
    _timed(say, "technical competencies", connection, """
        insert into elearn_competency (code, kind, name, name_en, definition, source)
        select 'T.' || lpad(n::text, 2, '0'), 'teknis', 'Kompetensi Teknis Bench ' || n,
               'Bench technical competency ' || n, 'Kompetensi teknis untuk pengukuran kinerja.', 'bench'
        from generate_series(1, :technical) n
    """, technical=TECHNICAL)  # fmt: skip
    connection.execute(text("""
        insert into elearn_competency_level (competency_id, level, description, indicators)
        select c.id, l, 'Level ' || l || ' ' || c.name, '[]' from elearn_competency c
        cross join generate_series(1, 5) l where c.source = 'bench'
    """))  # fmt: skip
    # Competencies numbered 1..30 in code order (dictionary ones first), for the arithmetic below.
    connection.execute(text("""
        create temporary table bench_competency on commit drop as
        select row_number() over (order by kind = 'teknis', code) as k, id, code from elearn_competency
    """))  # fmt: skip
    competencies = connection.scalar(text("select count(*) from bench_competency"))
    # Position p requires 5 + p % 6 competencies, i = 0.. of them: (7p + 11i) % 30 is distinct for each k.
    _timed(say, "position standards (SKJ)", connection, """
        insert into elearn_position_standard (position_id, competency_id, required_level)
        select p, c.id, case when p % 10 = 0 then 3 + (p + i) % 3 else 2 + (p + i) % 3 end
        from generate_series(1, :positions) p
        cross join lateral generate_series(0, 4 + p % 6) i
        join bench_competency c on c.k = 1 + (7 * p + 11 * i) % :competencies
    """, positions=size.positions, competencies=competencies)  # fmt: skip
    _timed(say, "courses", connection, """
        insert into elearn_course (id, slug, code, current_version_id, created_at, updated_at)
        select n, 'bench-kursus-' || n, 'BK' || lpad(n::text, 4, '0'), null, now(), now()
        from generate_series(1, :courses) n
    """, courses=size.courses)  # fmt: skip
    connection.execute(text("""
        insert into elearn_course_version (id, course_id, number, source_hash, title, summary, language, jp,
                                           valid_years, prerequisites, completion_rule, owners, overview_html,
                                           created_at)
        select n, n, 1, md5('bench' || n) || md5('version' || n), 'Pelatihan Bench ' || n, '', 'id',
               (array[2, 4, 6, 8, 10, 12])[1 + n % 6], case when n % 5 = 0 then 3 end, '[]', '{}', '[]', '',
               now()
        from generate_series(1, :courses) n
    """), {"courses": size.courses})  # fmt: skip
    connection.execute(text("update elearn_course set current_version_id = id"))
    # Course n proves competency (n % 30) at level 1 + (n / 30) % 5, every (competency, level) twice; one in four
    # courses proves a second competency one level lower (at least 1).
    _timed(say, "course competencies", connection, """
        insert into elearn_course_competency (version_id, competency_code, level)
        select n, c.code, 1 + (n / :competencies) % 5
        from generate_series(1, :courses) n join bench_competency c on c.k = 1 + n % :competencies
        union all
        select n, c.code, greatest(1, (n / :competencies) % 5)
        from generate_series(1, :courses) n join bench_competency c on c.k = 1 + (n + 13) % :competencies
        where n % 4 = 0
    """, courses=size.courses, competencies=competencies)  # fmt: skip
    today = datetime.now(UTC).date()
    days = (today - FIRST_DAY).days
    # Person p completes 10 + (5p) % 21 distinct courses: (7919p + 13j) % 300 is distinct for each j < 300.
    _timed(say, "completions", connection, """
        insert into elearn_completion (id, person_id, course_id, version_id, completed_at, jp, final_score)
        select row_number() over (), p, c, c,
               timestamptz '2023-01-01 03:00+00' + ((p * 31 + j * 97) % :days) * interval '1 day',
               v.jp, 60 + (p + j) % 41
        from generate_series(1, :people) p
        cross join lateral generate_series(0, :minimum - 1 + (5 * p) % :span) j
        cross join lateral (select 1 + (7919 * p + 13 * j) % :courses as c) course
        join elearn_course_version v on v.id = c
    """, people=size.people, minimum=COMPLETIONS_MIN, span=COMPLETIONS_SPAN, courses=size.courses,
           days=days)  # fmt: skip
    _timed(say, "certificates", connection, """
        insert into elearn_certificate (id, serial, completion_id, person_id, issued_at, holder_name, holder_nip,
                                        holder_id_kind, course_title, version_number, jp, competencies)
        select c.id, 'BENCH-' || lpad(c.id::text, 11, '0'), c.id, c.person_id, c.completed_at, p.name, p.nip,
               p.id_kind, v.title, v.number, c.jp, '[]'
        from elearn_completion c join elearn_person p on p.id = c.person_id
        join elearn_course_version v on v.id = c.version_id
    """)  # fmt: skip
    # The JP year in the office calendar: completions are at 03:00 UTC, the same day in every Indonesian zone.
    _timed(say, "JP summaries", connection, """
        insert into elearn_jp_summary (person_id, year, course_jp, external_jp, pending_jp)
        select person_id, extract(year from completed_at at time zone 'UTC')::int, sum(jp), 0, 0
        from elearn_completion group by 1, 2
    """)  # fmt: skip
    _timed(say, "competency evidence", connection, """
        insert into elearn_competency_evidence (person_id, competency_id, level, achieved_on, expires_on, source,
                                                completion_id, version_id, note, created_at)
        select c.person_id, k.id, cc.level, (c.completed_at at time zone 'UTC')::date,
               case when v.valid_years is not null
                    then ((c.completed_at at time zone 'UTC')::date + make_interval(years => v.valid_years))::date
               end,
               'course', c.id, c.version_id, '', c.completed_at
        from elearn_completion c
        join elearn_course_version v on v.id = c.version_id
        join elearn_course_competency cc on cc.version_id = c.version_id
        join elearn_competency k on k.code = cc.competency_code
        order by c.id, k.id
    """)  # fmt: skip
    # The attained level: the highest evidence still valid today, the earliest among equals; it may drop on the
    # last expiry among the evidence at that level (never, when one of them does not expire).
    _timed(say, "attained competencies", connection, """
        insert into elearn_attained_competency (person_id, competency_id, level, since, evidence_id, valid_until)
        select distinct on (person_id, competency_id) person_id, competency_id, level, achieved_on, id,
               case when bool_or(expires_on is null) over same_level then null
                    else max(expires_on) over same_level end
        from elearn_competency_evidence
        where withdrawn_at is null and (expires_on is null or expires_on > :today)
        window same_level as (partition by person_id, competency_id, level)
        order by person_id, competency_id, level desc, achieved_on, id
    """, today=today)  # fmt: skip
    for table in (
        "elearn_unit", "elearn_position", "elearn_person", "elearn_course", "elearn_course_version",
        "elearn_completion", "elearn_certificate", "elearn_competency_evidence", "elearn_competency",
    ):  # fmt: skip
        connection.execute(
            text(
                f"select setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (select coalesce(max(id), 0) + 1 from {table}), false)"
            )
        )
    return size.people


def _tree(size: WorldSize) -> tuple[dict[int, tuple[int | None, int]], dict[int, int]]:
    """Unit id -> (parent id, depth) in breadth-first order, and unit id -> people placed directly in it.

    Each unit picks a random parent one level up, so fan-outs vary and some units stay leaves above the deepest
    level. A unit with children holds 3 to 12 people (its head and staff); leaves share the rest, unevenly.
    """
    rng = random.Random(SEED)
    counts = [1] + [max(1, share * size.units // 2000) for share in DEPTH_SHARES[1:]]
    counts.append(max(1, size.units - sum(counts)))
    tree: dict[int, tuple[int | None, int]] = {1: (None, 0)}
    previous = [1]
    next_id = 2
    for depth, count in enumerate(counts[1:], start=1):
        level = []
        for _ in range(count):
            tree[next_id] = (rng.choice(previous), depth)
            level.append(next_id)
            next_id += 1
        previous = level
    parents = {parent for parent, _depth in tree.values() if parent is not None}
    headcounts = {unit: rng.randint(3, 12) for unit in tree if unit in parents}
    leaves = [unit for unit in tree if unit not in parents]
    weights = [rng.uniform(0.2, 1.8) for _ in leaves]
    remaining = size.people - sum(headcounts.values())
    scale = remaining / sum(weights)
    for unit, weight in zip(leaves, weights, strict=True):
        headcounts[unit] = max(2, int(weight * scale))
    headcounts[leaves[-1]] += size.people - sum(headcounts.values())
    assert headcounts[leaves[-1]] >= 2 and sum(headcounts.values()) == size.people
    # The administrator (the last person) must not head a unit: the last leaf holds at least 2.
    return tree, headcounts


def check_world(url: str) -> int:
    """How many attained levels and standings differ from the engine's full recompute from the evidence
    (`competency_evidence.recompute_all` without applying): 0 when the generator agrees with the engine."""
    from elearn.services.competency_evidence import recompute_all

    app = create_app({"ELEARN_DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        session = app.extensions["elearn"].db.session
        start = time.perf_counter()
        differences = recompute_all(session, today=datetime.now(UTC).date(), apply=False)
        session.rollback()
        print(
            f"recompute_all (check only): {len(differences)} differences, {time.perf_counter() - start:.0f} s"
        )
        for difference in differences[:5]:
            print("  ", difference)
        app.extensions["elearn"].db.engine.dispose()
    return len(differences)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=people_from_environment())
    parser.add_argument("--force", action="store_true", help="rebuild even when the world is already there")
    parser.add_argument(
        "--check", action="store_true", help="compare the summaries with the engine's recompute afterwards"
    )
    arguments = parser.parse_args()
    world = build_world(postgres_url_from_environment(), people=arguments.people, force=arguments.force)
    if arguments.check and check_world(world.url):
        sys.exit(1)


if __name__ == "__main__":
    main()

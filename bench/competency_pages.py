"""Benchmark the competency pages of issue 11 at the competency world's size, each beside its SQL floor, and the
incremental update on one completion.

Run: `ELEARN_TEST_POSTGRES_URL=postgresql://... .venv/bin/python bench/competency_pages.py` (a scratch database;
the world comes from bench/competency_world.py, ELEARN_BENCH_PEOPLE people, 100,000 by default).

Pages: PAGES lists (label, who asks, URL, floor SQL, target). A page that answers 404 is not built yet: it is
skipped with a note, so when a page lands only its entry needs adjusting (its query parameters, its floor). Each
page is requested 30 times (after 3 untimed) through the Flask test client, alternately with its floor; p50 and
p95 of both, the ratio of the p95s and the target (p95 under 150 ms and at most 3x the floor; the organisation-
wide reports under 5 s).

Incremental update: one person completes a course they had not completed, in one transaction that is rolled
back afterwards (so every run starts from the same world): `elearn.services.progress.complete_course_if_met`
(completion, certificate, JP summary, and whatever the competency engine hooks into it), then the evidence and
attained level (by `elearn.services.competency_evidence.record_course_evidence` when it exists and the completion
did not already write them, else by hand-written SQL) and `refresh_standings` for that person. Target: under
20 ms in all.
"""

from __future__ import annotations

import importlib
import inspect
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from _competency import HEADER, Case, Timing, bench_app, floor_engine, line, measure, scalar, signed_in
from competency_lists import headed_unit
from competency_world import World, build_world, people_from_environment, postgres_url_from_environment
from sqlalchemy import Engine, text

from elearn.services.competency_standing import refresh_standings
from elearn.services.outlines import load_outline
from elearn.services.progress import complete_course_if_met

INCREMENTAL_TARGET_MS = 20.0
INCREMENTAL_RUNS = 30
REPORT_TARGET_MS = 5_000.0
JAKARTA = ZoneInfo("Asia/Jakarta")

# The floors' building blocks. :subtree is the supervisor's unit path followed by "%", :year this year.
SUBTREE_PEOPLE = """
    from elearn_person p join elearn_unit u on u.id = p.unit_id
    where p.active and u.path like :subtree
"""
DASHBOARD = """
    select p.id, p.nip, p.name, s.jpm, s.gaps, coalesce(j.course_jp + j.external_jp, 0) as jp
    from elearn_person p join elearn_unit u on u.id = p.unit_id
    left join elearn_competency_standing s on s.person_id = p.id
    left join elearn_jp_summary j on j.person_id = p.id and j.year = :year
    where p.active and u.path like :subtree
    order by p.name, p.id limit 50
"""
TALENT = """
    select p.id, p.nip, p.name, a.level, a.since
    from elearn_person p join elearn_unit u on u.id = p.unit_id
    join elearn_attained_competency a on a.person_id = p.id
    join elearn_competency c on c.id = a.competency_id and c.code = :competency
    where p.active and u.path like :subtree and a.level >= :level
    order by p.name, p.id limit 50
"""
JP_REPORT = """
    select u.id, u.code, u.name, count(p.id) as people,
           count(p.id) filter (where coalesce(j.course_jp + j.external_jp, 0) >= 20) as meeting_20_jp
    from elearn_unit u
    join elearn_person p on p.unit_id = u.id and p.active
    left join elearn_jp_summary j on j.person_id = p.id and j.year = :year
    where u.path like :subtree
    group by u.id, u.code, u.name order by u.path
"""
GAP_REPORT = """
    select p.unit_id, ps.competency_id, count(*) as required,
           count(*) filter (where coalesce(a.level, 0) >= ps.required_level) as meeting
    from elearn_person p join elearn_unit u on u.id = p.unit_id
    join elearn_position_standard ps on ps.position_id = p.position_id
    left join elearn_attained_competency a on a.person_id = p.id and a.competency_id = ps.competency_id
    where p.active and u.path like :subtree
    group by p.unit_id, ps.competency_id
"""
JPM_REPORT = """
    select width_bucket(s.jpm, 0, 100.01, 10) as bucket, count(*)
    from elearn_person p join elearn_unit u on u.id = p.unit_id
    join elearn_competency_standing s on s.person_id = p.id
    where p.active and u.path like :subtree
    group by 1 order by 1
"""
PROFILE = """
    select k.code, k.name, ps.required_level, a.level, a.since, e.achieved_on, v.title
    from elearn_person p
    join elearn_position_standard ps on ps.position_id = p.position_id
    join elearn_competency k on k.id = ps.competency_id
    left join elearn_attained_competency a on a.person_id = p.id and a.competency_id = ps.competency_id
    left join elearn_competency_evidence e on e.id = a.evidence_id
    left join elearn_course_version v on v.id = e.version_id
    where p.id = :person
    order by k.code
"""


@dataclass(frozen=True)
class Page:
    """A page to time once it exists. `who`: "admin", "supervisor 50" or "supervisor 5000" (the head of a unit
    with sub-units of about that many people). The URL and the floor's parameters may use {person} (someone in
    the small unit), {year} (this year) and {subtree} (the asker's unit path + "%"; the root's for the admin)."""

    label: str
    who: str
    url: str
    floor_sql: str
    floor_params: Mapping[str, Any] = field(default_factory=dict)
    target_ms: float = 150.0


PAGES: tuple[Page, ...] = (
    Page("supervisor dashboard, unit of ~50", "supervisor 50", "/atasan/kompetensi", DASHBOARD),
    Page("supervisor dashboard, unit of ~5,000", "supervisor 5000", "/atasan/kompetensi", DASHBOARD),
    Page("talent search M.01 >= 3, unit of ~50", "supervisor 50", "/atasan/talenta?k=M.01&l=3", TALENT,
         {"competency": "M.01", "level": 3}),
    Page("talent search M.01 >= 3, unit of ~5,000", "supervisor 5000", "/atasan/talenta?k=M.01&l=3", TALENT,
         {"competency": "M.01", "level": 3}),
    Page("person profile (supervisor)", "supervisor 50", "/atasan/orang/{person}/kompetensi", PROFILE),
    Page("person profile (admin)", "admin", "/admin/orang/{person}/kompetensi", PROFILE),
    Page("20-JP report, unit of ~5,000", "supervisor 5000", "/atasan/laporan/jp", JP_REPORT),
    Page("gap report, unit of ~5,000", "supervisor 5000", "/atasan/laporan/kesenjangan", GAP_REPORT),
    Page("JPM report, unit of ~5,000", "supervisor 5000", "/atasan/laporan/jpm", JPM_REPORT),
    Page("20-JP report, organisation-wide", "admin", "/admin/laporan/jp", JP_REPORT, target_ms=REPORT_TARGET_MS),
    Page("gap report, organisation-wide", "admin", "/admin/laporan/kesenjangan", GAP_REPORT,
         target_ms=REPORT_TARGET_MS),
    Page("JPM report, organisation-wide", "admin", "/admin/laporan/jpm", JPM_REPORT, target_ms=REPORT_TARGET_MS),
)  # fmt: skip


@dataclass(frozen=True)
class Askers:
    """Who asks, and the values the entries' placeholders take."""

    ids: dict[str, int]
    subtrees: dict[str, str]
    person: int
    year: int


def askers(world: World, engine: Engine) -> Askers:
    small, large = headed_unit(engine, 50), headed_unit(engine, 5_000)
    person = scalar(
        engine,
        "select p.id from elearn_person p join elearn_unit u on u.id = p.unit_id"
        " where p.active and u.path like :subtree and p.id <> :head order by p.id limit 1",
        subtree=small["path"] + "%", head=small["head_id"],
    )  # fmt: skip
    return Askers(
        ids={"admin": world.admin_id, "supervisor 50": small["head_id"], "supervisor 5000": large["head_id"]},
        subtrees={
            "admin": "/1/%",
            "supervisor 50": small["path"] + "%",
            "supervisor 5000": large["path"] + "%",
        },
        person=person,
        year=datetime.now(JAKARTA).year,
    )


def pages(world: World, engine: Engine) -> None:
    """Each page of PAGES that exists, measured; the others named as not built yet."""
    app = bench_app(world.url)
    asking = askers(world, engine)
    clients = {who: signed_in(app, person_id) for who, person_id in asking.ids.items()}
    print(
        f"\ncompetency pages on PostgreSQL, {world.size.people:,} people; 30 requests each beside the SQL floor"
    )
    print(HEADER)
    for page in PAGES:
        values = {"person": asking.person, "year": asking.year, "subtree": asking.subtrees[page.who]}
        url = page.url.format(**values)
        params = {**{k: v for k, v in values.items() if f":{k}" in page.floor_sql}, **page.floor_params}
        status = clients[page.who].get(url).status_code
        if status == 404:
            print(f"{page.label:<52} not built yet ({url} answers 404): skipped")
            continue
        if status != 200:
            print(f"{page.label:<52} {url} answers {status}: skipped (adjust its entry)")
            continue
        result = measure(Case(page.label, clients[page.who], url, page.floor_sql, params), engine)
        printed = line(result)
        if page.target_ms != 150.0:
            met = "ok" if result.page.p95 < page.target_ms else "MISSED"
            printed = printed.split("  ratio")[0] + f"  target p95 < {page.target_ms / 1000:.0f} s: {met}"
        print(printed, flush=True)


@dataclass
class Steps:
    """Milliseconds of each step of the incremental update, per run."""

    completion: Timing = field(default_factory=Timing)
    evidence: Timing = field(default_factory=Timing)
    standing: Timing = field(default_factory=Timing)
    total: Timing = field(default_factory=Timing)
    cpu: Timing = field(default_factory=Timing)
    """This process's CPU time over the whole update (Python: SQLAlchemy, the services; not PostgreSQL's)."""


def incremental(world: World, engine: Engine) -> None:
    """One completion and what it updates, INCREMENTAL_RUNS times (people in turn), each rolled back."""
    app = bench_app(world.url)
    record, how = _evidence_writer()
    steps = Steps()
    hooked = False
    with app.app_context():
        session = app.extensions["elearn"].db.session
        # People spread over the world, each with a course they have not completed.
        chosen = session.execute(
            text("""
                select p.id, (select v.id from elearn_course_version v
                              where not exists (select 1 from elearn_completion c
                                                where c.person_id = p.id and c.version_id = v.id)
                              order by v.id limit 1) as version_id
                from (select id from elearn_person where active order by id % 97, id limit :runs) p
            """),
            {"runs": INCREMENTAL_RUNS + 3},
        ).all()  # fmt: skip
        session.rollback()
        for number, (person_id, version_id) in enumerate(chosen):
            outline = load_outline(session, version_id)
            session.rollback()
            now = datetime.now(UTC)
            start, start_cpu = time.perf_counter(), time.process_time()
            done = complete_course_if_met(
                session, person_id=person_id, outline=outline, now=now, timezone=JAKARTA
            )
            assert done is not None, (person_id, version_id)
            after_completion = time.perf_counter()
            written = session.execute(
                text("select count(*) from elearn_competency_evidence where completion_id = :c"),
                {"c": done.completion_id},
            ).scalar_one()
            if written:  # the completion wrote its evidence, levels and standing itself
                hooked = True
            else:
                record(session, person_id, done.completion_id, outline, now)
            after_evidence = time.perf_counter()
            if not written:
                refresh_standings(session, person_ids=[person_id])
            session.flush()
            end, cpu = time.perf_counter(), (time.process_time() - start_cpu) * 1000
            session.rollback()
            if number >= 3:
                steps.completion.samples.append((after_completion - start) * 1000)
                steps.evidence.samples.append((after_evidence - after_completion) * 1000)
                steps.standing.samples.append((end - after_evidence) * 1000)
                steps.total.samples.append((end - start) * 1000)
                steps.cpu.samples.append(cpu)
        app.extensions["elearn"].db.engine.dispose()
    if hooked:
        how = "written by complete_course_if_met itself, standings included (the steps after it are empty)"
    print(
        f"\nincremental update on one completion ({INCREMENTAL_RUNS} people, each rolled back; evidence: {how}):"
    )
    for label, timing in (
        ("complete_course_if_met", steps.completion),
        ("evidence + attained level", steps.evidence),
        ("refresh_standings(person)", steps.standing),
        ("total", steps.total),
        ("total, CPU of this process", steps.cpu),
    ):
        print(f"  {label:<28} p50 {timing.p50:6.1f} ms  p95 {timing.p95:6.1f} ms", end="")
        if timing is steps.total:
            met = "ok" if timing.p95 < INCREMENTAL_TARGET_MS else "MISSED"
            print(f"  target p95 < {INCREMENTAL_TARGET_MS:.0f} ms: {met}", end="")
        print()


Writer = Callable[[Any, int, int, Any, datetime], None]


def _evidence_writer() -> tuple[Writer, str]:
    """The engine's `record_course_evidence` when it exists and its parameters are understood, else SQL."""
    try:
        module = importlib.import_module("elearn.services.competency_evidence")
    except ImportError:
        return _evidence_by_sql, "hand-written SQL (elearn.services.competency_evidence not there yet)"
    function = getattr(module, "record_course_evidence", None)
    if function is None:
        return _evidence_by_sql, "hand-written SQL (no record_course_evidence yet)"
    parameters = inspect.signature(function).parameters

    def engine_writer(session: Any, person_id: int, completion_id: int, outline: Any, now: datetime) -> None:
        known = {
            "session": session, "person_id": person_id, "completion_id": completion_id, "completion": completion_id,
            "outline": outline,
            "version_id": outline.version_id, "course_id": outline.course_id, "now": now, "completed_at": now,
            "achieved_on": now.astimezone(JAKARTA).date(), "today": now.astimezone(JAKARTA).date(),
            "timezone": JAKARTA,
        }  # fmt: skip
        arguments = {name: known[name] for name in parameters if name in known}
        missing = [
            name for name, p in parameters.items()
            if name not in known and p.default is inspect.Parameter.empty
            and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
        ]  # fmt: skip
        if missing:
            raise TypeError(f"record_course_evidence needs {missing}: adjust bench/competency_pages.py")
        positional = [arguments.pop(name) for name in ("session", "completion") if name in arguments]
        function(*positional, **arguments)

    return engine_writer, "elearn.services.competency_evidence.record_course_evidence"


def _evidence_by_sql(session: Any, person_id: int, completion_id: int, outline: Any, now: datetime) -> None:
    """The evidence of one completion and the person's attained levels of its competencies, as the generator
    writes them (two statements)."""
    session.execute(
        text("""
            insert into elearn_competency_evidence (person_id, competency_id, level, achieved_on, expires_on,
                                                    source, completion_id, version_id, note, created_at)
            select c.person_id, k.id, cc.level, (c.completed_at at time zone 'Asia/Jakarta')::date,
                   case when v.valid_years is not null then ((c.completed_at at time zone 'Asia/Jakarta')::date
                        + make_interval(years => v.valid_years))::date end,
                   'course', c.id, c.version_id, '', c.completed_at
            from elearn_completion c join elearn_course_version v on v.id = c.version_id
            join elearn_course_competency cc on cc.version_id = c.version_id
            join elearn_competency k on k.code = cc.competency_code
            where c.id = :completion
        """),
        {"completion": completion_id},
    )  # fmt: skip
    session.execute(
        text("""
            insert into elearn_attained_competency (person_id, competency_id, level, since, evidence_id,
                                                    valid_until)
            select person_id, competency_id, level, achieved_on, id, expires_on
            from elearn_competency_evidence where completion_id = :completion
            on conflict (person_id, competency_id) do update
            set level = excluded.level, since = excluded.since, evidence_id = excluded.evidence_id,
                valid_until = excluded.valid_until
            where excluded.level > elearn_attained_competency.level
        """),
        {"completion": completion_id},
    )  # fmt: skip


def main() -> None:
    world = build_world(postgres_url_from_environment(), people=people_from_environment())
    engine = floor_engine(world.url)
    pages(world, engine)
    incremental(world, engine)
    engine.dispose()


if __name__ == "__main__":
    main()

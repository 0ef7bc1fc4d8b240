"""Benchmark the people lists that exist today at the competency world's size (issue 11, "Speed and scale"):
the admin people list (page 1, a deep page, the last page, searches by name and by NIP prefix), the supervisor
people list for a unit of about 50 people with sub-units and for one of about 5,000, and the admin CSV export of
everyone, streamed.

Run: `ELEARN_TEST_POSTGRES_URL=postgresql://... .venv/bin/python bench/competency_lists.py` (a scratch database;
the world is built by bench/competency_world.py unless one of the same size is there; ELEARN_BENCH_PEOPLE sets
its size, 100,000 by default). Each page is requested 30 times (after 3 untimed) through the Flask test client,
signed in as an administrator or as the unit's head, alternately with the single hand-written SQL query that
returns the same rows (checked once: the page shows every NIP the query returns); p50 and p95 of both are printed
with the ratio of the p95s. Targets: p95 under 150 ms and at most 3x the SQL floor.

The export runs in a child process of its own (so its peak RSS is the export's): it streams the CSV through the
test client without buffering, twice, and reports time, size and peak RSS against the RSS before the first
export; a second child exports one unit of about 5,000 people, to show the peak does not grow with the rows.
Its floor streams the same rows and columns (roles aggregated) from a server-side cursor, 500 at a time.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from typing import Any

from _competency import (
    HEADER,
    Case,
    bench_app,
    floor_engine,
    line,
    measure,
    scalar,
    shows_every,
    signed_in,
)
from competency_world import World, build_world, people_from_environment, postgres_url_from_environment
from sqlalchemy import Engine, text

PAGE_SIZE = 50
EXPORT_RUNS = 2
COMMON_FAMILY_NAME = "Situmorang"
# The page's own columns: the person, their unit and position (the app joins both in).
ROWS = """
    select p.*, u.*, j.* from elearn_person p
    left join elearn_unit u on u.id = p.unit_id
    left join elearn_position j on j.id = p.position_id
"""
SEARCH = " where p.name ilike :contains or p.nip like :prefix or p.email ilike :contains"
BY_NAME = " order by p.name, p.id limit 50"
SUBTREE = """
    select p.*, u.*, j.* from elearn_person p
    join elearn_unit u on u.id = p.unit_id
    left join elearn_position j on j.id = p.position_id
    where p.active and u.path like :subtree
"""
EXPORT_FLOOR = """
    select p.nip, p.name, p.employment, u.code, u.name, j.name, p.email,
           (select string_agg(r.role, '; ' order by r.role) from elearn_person_role r where r.person_id = p.id),
           p.active
    from elearn_person p
    left join elearn_unit u on u.id = p.unit_id
    left join elearn_position j on j.id = p.position_id
    order by p.name, p.id
"""


def headed_unit(engine: Engine, people: int) -> dict[str, Any]:
    """The unit with sub-units whose active subtree holds closest to `people` people: its head, path and code."""
    with engine.connect() as connection:
        row = connection.execute(
            text("""
                select r.head_id, r.path, r.code, count(p.id) as people, count(distinct u.id) as units
                from elearn_unit r
                join elearn_unit u on u.path like r.path || '%'
                join elearn_person p on p.unit_id = u.id and p.active
                group by r.id
                having count(distinct u.id) > 1
                order by abs(count(p.id) - :people), r.id
                limit 1
            """),
            {"people": people},
        ).one()  # fmt: skip
    return dict(row._mapping)


def cases(world: World, engine: Engine) -> list[Any]:
    """Every list case, with its floor."""
    app = bench_app(world.url)
    admin = signed_in(app, world.admin_id)
    nip_column = 1  # elearn_person.nip: the second column of `p.*`
    every_row = shows_every(nip_column)
    total = world.size.people
    page_number = max(2, total // PAGE_SIZE - 1)
    cursor = scalar(
        engine, "select id from elearn_person order by name, id offset :n limit 1",
        n=(page_number - 1) * PAGE_SIZE - 1,
    )  # fmt: skip
    full_name = scalar(engine, "select name from elearn_person where id = :id", id=total // 3)
    nip = scalar(engine, "select nip from elearn_person where id = :id", id=total // 7)
    found = [
        Case("admin people list, page 1", admin, "/admin/orang", ROWS + BY_NAME, check=every_row),
        Case(
            f"admin people list, page {page_number:,} (keyset link)", admin, f"/admin/orang?setelah={cursor}",
            ROWS + " where (p.name, p.id) > (select name, id from elearn_person where id = :id)" + BY_NAME,
            {"id": cursor}, check=every_row,
        ),
        Case(
            "admin people list, last page (link)", admin, "/admin/orang?akhir=1",
            "select * from (" + ROWS + " order by p.name desc, p.id desc limit 50) last_page", check=every_row,
        ),
        Case(
            f"admin search, family name ({COMMON_FAMILY_NAME})", admin, f"/admin/orang?q={COMMON_FAMILY_NAME}",
            ROWS + SEARCH + BY_NAME, {"contains": f"%{COMMON_FAMILY_NAME}%", "prefix": f"{COMMON_FAMILY_NAME}%"},
            check=every_row,
        ),
        Case(
            "admin search, full name", admin, f"/admin/orang?q={full_name.replace(' ', '+')}",
            ROWS + SEARCH + BY_NAME, {"contains": f"%{full_name}%", "prefix": f"{full_name}%"}, check=every_row,
        ),
        Case(
            "admin search, NIP prefix (8 digits)", admin, f"/admin/orang?q={nip[:8]}",
            ROWS + SEARCH + BY_NAME, {"contains": f"%{nip[:8]}%", "prefix": f"{nip[:8]}%"}, check=every_row,
        ),
        Case(
            "admin search, NIP prefix (4 digits)", admin, f"/admin/orang?q={nip[:4]}",
            ROWS + SEARCH + BY_NAME, {"contains": f"%{nip[:4]}%", "prefix": f"{nip[:4]}%"}, check=every_row,
        ),
    ]  # fmt: skip
    for target in (50, 5_000):
        unit = headed_unit(engine, target)
        head = signed_in(app, unit["head_id"])
        label = f"supervisor list, unit of {unit['people']:,} ({unit['units']} units)"
        subtree = {"subtree": unit["path"] + "%"}
        found.append(
            Case(label + ", page 1", head, "/atasan/orang", SUBTREE + BY_NAME, subtree, check=every_row)
        )
        if unit["people"] > PAGE_SIZE:
            found.append(
                Case(
                    label + ", last page", head, "/atasan/orang?akhir=1",
                    "select * from (" + SUBTREE + " order by p.name desc, p.id desc limit 50) last_page", subtree,
                    check=every_row,
                )
            )  # fmt: skip
    return found


def export_child(url: str, admin_id: int, unit_code: str) -> None:
    """In this process: stream the admin CSV export EXPORT_RUNS times and print one JSON line per run."""
    app = bench_app(url)
    client = signed_in(app, admin_id)
    query = f"?unit={unit_code}" if unit_code else ""
    warm = client.get(f"/admin/orang/ekspor?q={COMMON_FAMILY_NAME}0", buffered=False)
    b"".join(warm.response)
    warm.close()
    before = _rss_mb()
    for run in range(EXPORT_RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(f"/admin/orang/ekspor{query}", buffered=False)
        assert response.status_code == 200, response.status_code
        size = rows = 0
        for chunk in response.response:
            size += len(chunk)
            rows += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
        response.close()
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"run": run + 1, "seconds": seconds, "cpu": cpu, "mb": size / 1e6, "rows": rows - 1,
                          "rss_before_mb": before, "peak_mb": peak}), flush=True)  # fmt: skip


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1e6


def export_floor(engine: Engine) -> tuple[float, int]:
    """Seconds to stream every row of the export from the database, and the rows."""
    start = time.perf_counter()
    rows = 0
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=500).execute(text(EXPORT_FLOOR))
        for partition in result.partitions():
            rows += len(partition)
    return time.perf_counter() - start, rows


def exports(world: World, engine: Engine) -> None:
    """The export children and the floor, printed."""
    unit = headed_unit(engine, 5_000)
    print(f"\nadmin CSV export, streamed through the test client ({EXPORT_RUNS} runs per process):")
    exported = (
        (f"everyone ({world.size.people:,})", ""),
        (f"unit {unit['code']} ({unit['people']:,})", unit["code"]),
    )
    for label, code in exported:
        output = subprocess.run(
            [sys.executable, __file__, "export", world.url, str(world.admin_id), code],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        for raw in output.strip().splitlines():
            run = json.loads(raw)
            print(
                f"  {label:<28} run {run['run']}: {run['seconds']:6.1f} s (CPU {run['cpu']:5.1f} s), "
                f"{run['rows']:>7,} rows, {run['mb']:5.1f} MB; "
                f"RSS {run['rss_before_mb']:4.0f} MB before, peak {run['peak_mb']:4.0f} MB"
            )
    for run in range(EXPORT_RUNS):
        seconds, rows = export_floor(engine)
        print(
            f"  SQL floor (same rows and columns, server-side cursor) run {run + 1}: {seconds:6.1f} s, {rows:,} rows"
        )


def main() -> None:
    world = build_world(postgres_url_from_environment(), people=people_from_environment())
    engine = floor_engine(world.url)
    print(f"\npeople lists on PostgreSQL, {world.size.people:,} people, {world.size.units:,} units; "
          "30 requests each (test client), beside the SQL floor")  # fmt: skip
    print(HEADER)
    for case in cases(world, engine):
        print(line(measure(case, engine)), flush=True)
    exports(world, engine)
    engine.dispose()


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "export":
        export_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        main()

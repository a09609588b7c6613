"""Benchmark the progress dashboard against raw SQL for the same headline and borough counts.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python benchmarks/dashboard.py \
        [--placements 100000] [--seed 2018] [--repeat 15]

Loads N demo placements with `load_demo_data` into the database named by DATABASE_URL (after
migrating it), signs in as a LOTI analyst with DEBUG off, and prints the median time of the
dashboard view over repeated requests, the median time of hand-written SQL producing the same
headline and by-borough counts (two ways: ROW_NUMBER and NOT EXISTS), the view's ratio to the
faster of them and the view's query count; then the view's time for two narrower requests (one
borough, a date range). Uses the test settings only so that static files need no collectstatic;
the database work is the production code path.

The view is timed twice: computing every figure on every request (the page cache off), and as
production serves repeated requests while no record changes (the page kept under the figures'
version, DASHBOARD_CACHE_SECONDS = 60) in the cache the environment names, as in production: the
database's (its table made by `migrate`), or Redis when REDIS_URL is set.
"""

import argparse
import logging
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loti_portal.settings_test")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.pop("DJANGO_DEBUG", None)  # measure with DEBUG off

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from apprenticeships.dashboard import queries  # noqa: E402
from apprenticeships.demo import DEMO_TARGET_NAME  # noqa: E402
from apprenticeships.models import RecruitmentTarget  # noqa: E402
from loti_portal.accounts.models import Role, User  # noqa: E402

# The headline and per-borough counts of the counting rules, written by hand two ways: each
# apprentice's earliest qualifying placement found with ROW_NUMBER, or with NOT EXISTS (an
# anti-join, as the view does); then plain aggregates. The ratio is taken against the faster.
# (Not a CTE used twice: PostgreSQL would materialise it and lose the parallel plan.)
RAW_SQL = {
    "ROW_NUMBER": """
WITH qualifying AS (
    SELECT p.id, p.apprentice_id, p.borough_id, p.status,
           ROW_NUMBER() OVER (PARTITION BY p.apprentice_id ORDER BY p.start_date, p.id) AS rn
    FROM apprenticeships_placement p
    JOIN apprenticeships_recruitmenttarget_boroughs tb
      ON tb.borough_id = p.borough_id AND tb.recruitmenttarget_id = %(target)s
    WHERE p.start_date >= %(opens)s AND p.start_date <= %(last)s AND p.status <> 'waiting_to_start'
)
SELECT borough_id,
       COUNT(*),
       SUM(CASE WHEN status = 'in_learning' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'break_in_learning' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END),
       SUM(CASE WHEN status = 'withdrawn' THEN 1 ELSE 0 END)
FROM qualifying WHERE rn = 1 GROUP BY borough_id
""",
    "NOT EXISTS": """
SELECT p.borough_id,
       COUNT(*),
       SUM(CASE WHEN p.status = 'in_learning' THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.status = 'break_in_learning' THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.status = 'completed' THEN 1 ELSE 0 END),
       SUM(CASE WHEN p.status = 'withdrawn' THEN 1 ELSE 0 END)
FROM apprenticeships_placement p
JOIN apprenticeships_recruitmenttarget_boroughs tb
  ON tb.borough_id = p.borough_id AND tb.recruitmenttarget_id = %(target)s
WHERE p.start_date >= %(opens)s AND p.start_date <= %(last)s AND p.status <> 'waiting_to_start'
  AND NOT EXISTS (
    SELECT 1
    FROM apprenticeships_placement e
    JOIN apprenticeships_recruitmenttarget_boroughs eb
      ON eb.borough_id = e.borough_id AND eb.recruitmenttarget_id = %(target)s
    WHERE e.start_date >= %(opens)s AND e.start_date <= %(last)s
      AND e.status <> 'waiting_to_start' AND e.apprentice_id = p.apprentice_id
      AND (e.start_date < p.start_date OR (e.start_date = p.start_date AND e.id < p.id))
  )
GROUP BY p.borough_id
""",
}


def median_ms(run, repeat: int) -> float:
    run()  # warm caches and connections
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placements", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument(
        "--target",
        choices=["largest", "default"],
        default="largest",
        help="the campaign measured: the demo's 2019–20 campaign, which holds most recruits "
        "(every earlier figure in docs/dashboard.md is of it), or the one the page opens on",
    )
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("load_demo_data", placements=args.placements, seed=args.seed, verbosity=0)
    with connection.cursor() as cursor:
        # Fresh planner statistics and visibility map, as autovacuum gives a live database (it
        # vacuums a table after inserts, too): without the map, index-only scans read the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"database:        {connection.vendor} ({connection.settings_dict['NAME']})")
    print(
        f"loaded:          {args.placements:,} placements in {time.perf_counter() - started:.1f} s"
    )

    logging.disable(logging.INFO)  # one access line per request would bury the figures
    user, _ = User.objects.get_or_create(
        email="benchmark-analyst@loti.example", defaults={"role": Role.LOTI_STAFF}
    )
    client = Client()
    client.force_login(user)
    if args.target == "largest":
        target = RecruitmentTarget.objects.get(name=DEMO_TARGET_NAME)
    else:
        target = RecruitmentTarget.objects.current_or_latest(timezone.localdate())
    page = {"target": target.pk}
    response = client.get("/dashboard/", page)
    assert response.status_code == 200, response.status_code

    # Counted with a wrapper: CaptureQueriesContext loses the log when a request starts.
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get("/dashboard/", page)
    view_ms = median_ms(lambda: client.get("/dashboard/", page), args.repeat)
    with override_settings(DASHBOARD_CACHE_SECONDS=60):
        cached_ms = median_ms(lambda: client.get("/dashboard/", page), args.repeat)
        cached_queries = []
        with connection.execute_wrapper(
            lambda execute, sql, *rest: cached_queries.append(sql) or execute(sql, *rest)
        ):
            client.get("/dashboard/", page)

    last_day = min(timezone.localdate(), target.closes_on)
    params = {"target": target.pk, "opens": target.opens_on, "last": last_day}
    # Both raw queries must count what the view counts, or the ratio means nothing (untimed).
    scope = queries.build_scope(
        user=user,
        target=target,
        selected=None,
        start_from=None,
        start_to=None,
        today=timezone.localdate(),
    )
    columns = ("recruited", "in_learning", "on_break", "completed", "withdrawn")
    view_rows = {
        pk: tuple(row[c] for c in columns)
        for pk, row in queries.dashboard_figures(scope).recruits_by_borough().items()
    }
    for name, sql in RAW_SQL.items():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            raw_rows = {pk: tuple(counts) for pk, *counts in cursor.fetchall()}
        assert raw_rows == view_rows, f"the {name} raw SQL counts differently from the view"
    raw_ms = {}
    for name, sql in RAW_SQL.items():

        def raw(sql=sql) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            assert rows, "the raw SQL found no recruits"

        raw_ms[name] = median_ms(raw, args.repeat)
    fastest = min(raw_ms.values())

    # A narrower view computes too: one borough (the filter's first choice) and a date range.
    borough = target.boroughs.order_by("name").first()
    filtered = {**page, "boroughs": borough.gss_code, "start_from_0": "1", "start_from_1": "1"}
    filtered["start_from_2"] = str(target.opens_on.year + 1)
    dated = {**page, "start_to_0": "31", "start_to_1": "12"}
    dated["start_to_2"] = str(target.opens_on.year)
    for query in (filtered, dated):
        narrowed = client.get("/dashboard/", query)
        assert narrowed.status_code == 200 and b"There is a problem" not in narrowed.content
    filtered_ms = median_ms(lambda: client.get("/dashboard/", filtered), args.repeat)
    dated_ms = median_ms(lambda: client.get("/dashboard/", dated), args.repeat)

    print(f"target:          {target.name}")
    print(f"dashboard view:  median {view_ms:.1f} ms over {args.repeat} requests, every figure")
    print("                 computed on each request")
    for name, ms in raw_ms.items():
        print(f"raw SQL:         median {ms:.1f} ms ({name}; headline and by-borough counts)")
    print(f"ratio:           {view_ms / fastest:.2f}x (against the faster raw SQL)")
    print(f"queries:         {len(executed)} per dashboard request")
    print(f"one borough:     median {filtered_ms:.1f} ms ({borough.name}, from 1 January)")
    print(f"a date range:    median {dated_ms:.1f} ms (every borough, to 31 December)")
    print(
        f"as served:       median {cached_ms:.1f} ms over {args.repeat} repeated requests with "
        f"no change in between\n                 (page cache on, {len(cached_queries)} queries, "
        f"ratio {cached_ms / fastest:.2f}x)"
    )


if __name__ == "__main__":
    main()

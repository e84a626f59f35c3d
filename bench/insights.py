"""Benchmark of the insights jobs on PostgreSQL (bench/README.md, "Insights jobs").

    DATABASE_URL=postgres://... python bench/insights.py [--users 10000] [--months 12] [--month YYYY-MM]

The data is made by seed_demo (--users people with --months months of history, about 5.6 million
transactions at the defaults); seed_demo is idempotent, so a second run only adds people who are missing.

Each job runs in a fresh process, so its wall time and peak memory (ru_maxrss) are its own:
- benchmarks: the whole compute_benchmarks job (one read, vectorised percentiles, bulk write), and
  inside it the percentile stage alone, next to a plain numpy.sort of the same amounts (the floor)
  and to one PostgreSQL percentile_cont query computing the same percentiles ("all" cohort);
- signals: the whole compute_signals job (30 and 180 days, personas) for every consenting user.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS, GOAL_BYTES, GOAL_RATIO = 20.0, 2 * 1024**3, 3.0


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def best_of(run, repeat: int = 25) -> float:
    """The fastest of `repeat` runs: millisecond stages are noisy on a shared machine."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def stage_benchmarks(month: str) -> dict:
    import numpy as np
    import pandas as pd
    from django.db import connection

    from core.months import parse_month
    from insights.analytics.benchmarks import INCOME_MONTHS, cohorts_by_month, compute_benchmarks, percentiles, prepare
    from insights.selectors.consent import BENCHMARKING, users_consenting
    from insights.selectors.frames import monthly_totals_frame
    from insights.selectors.peers import months_back
    from insights.services import benchmarks_compute

    target = parse_month(month)
    started = time.perf_counter()
    written = benchmarks_compute(months=[target])
    job_seconds = time.perf_counter() - started
    job_peak = peak_bytes()

    # The percentile stage alone, on the same amounts, against the floor (a plain sort).
    users = users_consenting(BENCHMARKING)
    totals = monthly_totals_frame(users=users, first_month=months_back(target, INCOME_MONTHS - 1), last_month=target)
    current = totals[(totals["kind"] == "expense") & (totals["month"] == pd.Timestamp(target))]
    spending = current.groupby(["user_id", "month", "category"], as_index=False)["cents"].sum()
    cohorts = cohorts_by_month(totals, [pd.Timestamp(target)])
    started = time.perf_counter()
    prepared = prepare(spending, cohorts)
    prepare_seconds = time.perf_counter() - started
    percentile_seconds = best_of(lambda: percentiles(prepared))
    table = compute_benchmarks(spending, cohorts)
    amounts = spending["cents"].to_numpy()
    sort_seconds = best_of(lambda: np.sort(amounts))

    sql, params = users.values("pk").query.sql_with_params()
    query = f"""
        SELECT c.slug, percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]) WITHIN GROUP (ORDER BY t.total * 100)
        FROM finance_monthlycategorytotal t JOIN finance_category c ON c.id = t.category_id
        WHERE t.month = %s AND t.kind = 'expense' AND t.total > 0 AND t.user_id IN ({sql})
        GROUP BY c.slug HAVING count(*) >= 10
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(query, [target, *params])
        postgres = dict(cursor.fetchall())
    postgres_seconds = time.perf_counter() - started

    ours = table[table["cohort"] == "all"].set_index("category")[["p10", "p25", "p50", "p75", "p90"]]
    agree = all(
        np.allclose(ours.loc[slug].to_numpy(float), [float(v) for v in values]) for slug, values in postgres.items()
    )
    return {
        "job": "compute_benchmarks", "month": month, "rows_read": int(len(totals)), "amounts": int(len(amounts)),
        "benchmarks_written": written, "wall_seconds": round(job_seconds, 2), "peak_mib": round(job_peak / 2**20),
        "prepare_stage_seconds": round(prepare_seconds, 3),
        "percentile_stage_seconds": round(percentile_seconds, 4), "numpy_sort_seconds": round(sort_seconds, 4),
        "percentile_over_sort": round(percentile_seconds / sort_seconds, 2) if sort_seconds else None,
        "postgres_percentile_cont_seconds": round(postgres_seconds, 3), "matches_postgres": bool(agree),
    }  # fmt: skip


def stage_signals() -> dict:
    from finance.models import Transaction
    from insights.models import Profile
    from insights.services import profiles_compute

    started = time.perf_counter()
    written = profiles_compute()
    seconds = time.perf_counter() - started
    personas = {}
    for slug in Profile.objects.filter(window=180).values_list("persona", flat=True):
        personas[slug] = personas.get(slug, 0) + 1
    return {
        "job": "compute_signals", "profiles_written": written, "wall_seconds": round(seconds, 2),
        "peak_mib": round(peak_bytes() / 2**20), "transactions_in_db": Transaction.all_objects.count(),
        "personas_180_days": personas,
    }  # fmt: skip


def seed(users: int, months: int) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("seed_demo", users=users, months=months)
    print(f"seed_demo --users {users} --months {months}: {time.perf_counter() - started:.0f} s", flush=True)


def run_stage(name: str, month: str) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--stage", name, "--month", month],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--month", help="YYYY-MM to benchmark (default: last complete month)")
    parser.add_argument("--users", type=int, default=10000, help="people seed_demo makes sure exist (default 10000)")
    parser.add_argument("--months", type=int, default=12, help="months of history for new people (default 12)")
    parser.add_argument("--stage", choices=["benchmarks", "signals"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.utils import timezone

    from core.months import format_month, previous_month

    month = args.month or format_month(previous_month(timezone.now().date().replace(day=1)))
    if args.stage:
        result = stage_benchmarks(month) if args.stage == "benchmarks" else stage_signals()
        print(json.dumps(result))
        return
    if connection.vendor != "postgresql":
        sys.exit("Set DATABASE_URL to a PostgreSQL database (of its own: seed_demo fills it).")
    seed(args.users, args.months)
    results = [run_stage("benchmarks", month), run_stage("signals", month)]
    for result in results:
        ok = result["wall_seconds"] < GOAL_SECONDS and result["peak_mib"] * 2**20 < GOAL_BYTES
        print(json.dumps(result, indent=2))
        print(f"{result['job']}: {'meets' if ok else 'MISSES'} the goal (< {GOAL_SECONDS:.0f} s, < 2 GiB)")
    ratio = results[0]["percentile_over_sort"]
    print(f"percentile stage / numpy.sort = {ratio} ({'within' if ratio and ratio <= GOAL_RATIO else 'OVER'} 3x)")


if __name__ == "__main__":
    main()

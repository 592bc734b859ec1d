"""The Labs comparison page for 50 Labs, beside the raw SQL of its queries.

    .venv/bin/python -m bench compare [--labs 50] [--practices 40] [--activities 20] [--samples 40] [--keep]

Adds --labs Labs (slugs "bench-compare-…") with published practices (themes, dimensions, target groups, organisations),
activities over seven years (some shared with another Lab, some closed with attendance) and library resources, then
times:
- page: /en/labs/compare/?labs=… for all of them, through the whole Django stack (form, selector, template);
- csv, xlsx: the downloads of the same comparison;
- selector: indicators.compare.compare() alone (queries and Python, no HTTP, no template);
- SQL alone: the page's own queries, captured from one request and replayed on a cursor.
The rows are removed afterwards (and before, if a run was interrupted) unless --keep is given.
"""

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, ActivityKind
from bench.map import summary, timed
from bench.pages import test_client, write_results
from indicators.compare import all_labs, compare
from labs.models import Lab
from library.models import Resource, ResourceKind
from networks.models import NetworkMembership, Organisation, PracticeOrganisation
from practices.mapcache import bump_map_version
from practices.models import Practice, Theme
from practices.vocabularies import ResilienceDimension, TargetGroup

PREFIX = "bench-compare-"
SOURCE = "bench-compare"


def generate(labs: int, practices: int, activities: int, seed: int = 1) -> list[Lab]:
    rng = random.Random(seed)
    themes = list(Theme.objects.values_list("pk", flat=True))
    networks = list(NetworkMembership.objects.values_list("network_id", flat=True).distinct())
    with transaction.atomic():
        made = Lab.objects.bulk_create(
            Lab(name=f"Bench Lab {n:03}", slug=f"{PREFIX}{n:03}", country="IT", city="Bench") for n in range(labs)
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Bench organisation {n}", slug=f"{PREFIX}org-{n}", kind="ngo") for n in range(labs * 4)
        )
        if networks:
            NetworkMembership.objects.bulk_create(
                NetworkMembership(network_id=rng.choice(networks), organisation=o) for o in organisations[::3]
            )
        rows = Practice.objects.bulk_create(_practices(rng, made, practices, themes))
        Practice.themes.through.objects.bulk_create(
            Practice.themes.through(practice_id=p.pk, theme_id=t)
            for p in rows
            for t in {p.primary_theme_id, rng.choice(themes)}
        )
        PracticeOrganisation.objects.bulk_create(
            PracticeOrganisation(practice=p, organisation=rng.choice(organisations)) for p in rows[::2]
        )
        events = Activity.objects.bulk_create(_activities(rng, made, activities))
        Activity.other_labs.through.objects.bulk_create(
            Activity.other_labs.through(activity_id=a.pk, lab_id=rng.choice(made).pk) for a in events[::5]
        )
        Activity.organisations.through.objects.bulk_create(
            Activity.organisations.through(activity_id=a.pk, organisation_id=rng.choice(organisations).pk)
            for a in events[::3]
        )
        Resource.objects.bulk_create(
            Resource(
                title=f"Bench resource {lab.pk}-{n}",
                slug=f"{PREFIX}res-{lab.pk}-{n}",
                kind=rng.choice(ResourceKind.values),
                url="https://example.org/bench",
                lab=lab,
                state="published",
            )
            for lab in made
            for n in range(5)
        )
    bump_map_version()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE practices_practice; ANALYZE activities_activity; ANALYZE library_resource")
    return made


def _practices(rng, labs, per_lab, themes):
    for lab in labs:
        for n in range(per_lab):
            yield Practice(
                title=f"Bench practice {lab.pk}-{n}",
                slug=f"{PREFIX}{lab.pk}-{n}",
                lab=lab,
                state=rng.choice(["published"] * 9 + ["draft"]),
                primary_theme_id=rng.choice(themes),
                dimensions=rng.sample(ResilienceDimension.values, rng.randint(1, 3)),
                target_groups=rng.sample(TargetGroup.values, rng.randint(0, 2)),
                country="IT",
                source=SOURCE,
                source_id=f"{lab.pk}-{n}",
            )


def _activities(rng, labs, per_lab):
    start = datetime(2019, 1, 1, tzinfo=UTC)
    for lab in labs:
        for n in range(per_lab):
            when = start + timedelta(days=rng.randint(0, 7 * 365), hours=rng.randint(8, 20))
            closed = rng.random() < 0.6
            yield Activity(
                title=f"Bench activity {lab.pk}-{n}",
                slug=f"{PREFIX}act-{lab.pk}-{n}",
                kind=rng.choice(ActivityKind.values),
                lab=lab,
                state="published",
                starts_at=when,
                ends_at=when + timedelta(hours=2),
                time_zone="Europe/Rome",
                closed_at=when + timedelta(days=1) if closed else None,
                attendance_total=rng.randint(5, 120) if closed else None,
            )


def clear() -> int:
    labs = Lab.objects.filter(slug__startswith=PREFIX)
    with transaction.atomic():
        Resource.objects.filter(lab__in=labs).delete()
        Activity.objects.filter(lab__in=labs).delete()
        Practice.objects.filter(source=SOURCE).delete()
        Organisation.objects.filter(slug__startswith=PREFIX).delete()
        removed, _ = labs.delete()
    bump_map_version()
    return removed


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench compare")
    parser.add_argument("--labs", type=int, default=50)
    parser.add_argument("--practices", type=int, default=40, help="practices per Lab")
    parser.add_argument("--activities", type=int, default=20, help="activities per Lab")
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the generated rows")
    args = parser.parse_args(argv)
    clear()
    began = time.perf_counter()
    labs = generate(args.labs, args.practices, args.activities)
    print(
        f"{args.labs} Labs with {args.practices} practices, {args.activities} activities and 5 resources each"
        f" in {time.perf_counter() - began:.1f} s"
    )
    try:
        results = measure(labs, args.samples)
    finally:
        if not args.keep:
            clear()
    write_results("compare", {"labs": args.labs, "rows": results})


def measure(labs: list[Lab], samples: int) -> list[dict]:
    client = test_client()
    query = "?" + "&".join(f"labs={lab.slug}" for lab in labs)
    page, csv_url, xlsx_url = (f"/en/labs/compare/{name}{query}" for name in ("", "comparison.csv", "comparison.xlsx"))
    assert client.get(page).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(page)
    statements = [q["sql"] for q in captured.captured_queries]
    chosen = [lab for lab in all_labs() if lab.slug.startswith(PREFIX)]

    def replay():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    timings = {name: [] for name in ("page", "csv", "xlsx", "selector", "sql")}
    for _ in range(samples):
        timings["page"].append(timed(lambda: client.get(page)))
        timings["csv"].append(timed(lambda: client.get(csv_url)))
        timings["xlsx"].append(timed(lambda: client.get(xlsx_url)))
        timings["selector"].append(timed(lambda: compare(chosen)))
        timings["sql"].append(timed(replay))
    n = len(labs)
    rows = [
        summary(f"comparison page, {n} Labs (Django + PostGIS)", timings["page"]),
        summary(f"CSV download, {n} Labs", timings["csv"]),
        summary(f"XLSX download, {n} Labs", timings["xlsx"]),
        summary("selector alone (queries + Python, no HTTP)", timings["selector"]),
        summary(f"its {len(statements)} SQL queries alone", timings["sql"]),
    ]
    sql_p50 = rows[-1]["p50_ms"] or 1
    for row in rows:
        row["ratio_to_sql_p50"] = round(row["p50_ms"] / sql_p50, 2)
        print(f"{row['measure']:<48} {row['ratio_to_sql_p50']:>6.2f} × the SQL alone (p50)")
    return rows

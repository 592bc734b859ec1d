"""The network graph view at 2,000 organisations: the page and its JSON through the Django stack, beside the SQL alone,
and the time a browser takes to draw it.

    .venv/bin/python -m bench graph [-n 2000] [--samples 20] [--no-browser] [--keep]

Adds one published network (slug "bench-graph") of -n organisations, tied as bench/networks.py's generator ties them
(about 2.5 ties each, 70 % within their own country, preferential attachment), placed around their country's middle,
with dates on two thirds of the ties (starts 2005–2024, some ended), then times:
- page: /en/networks/graph/?network=bench-graph as a visitor (scope, data, table of every organisation and tie);
- json: /en/networks/graph/data.json for the same network;
- graph_data(): networks.graph.graph_data() alone (its two queries and the Python that shapes them);
- SQL alone: the page's own queries, captured from one request and replayed on a cursor;
- browser: in Debian's chromium, from navigation to the graph laid out (cytoscape's layout done), the page and its
  static files served from here (no live server, no network).
The rows are removed afterwards (and before, if a run was interrupted) unless --keep is given.
"""

import argparse
import mimetypes
import os
import random
import re
import shutil
import time
from datetime import date
from pathlib import Path

from django.contrib.gis.geos import Point
from django.contrib.staticfiles import finders
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.map import summary, timed
from bench.networks import generate as generate_graph
from bench.pages import test_client, write_results
from networks.graph import Scope, graph_data
from networks.models import Direction, Network, NetworkMembership, Organisation, Relationship, RelationshipKind

SLUG = "bench-graph"
# Roughly the middle of each country the generator uses (lon, lat): organisations are scattered around it.
MIDDLES = {
    "IT": (12.5, 42.5), "ES": (-3.7, 40.4), "DE": (10.4, 51.2), "FR": (2.4, 46.6),
    "RO": (24.9, 45.9), "PL": (19.1, 52.1), "NL": (5.3, 52.1), "BE": (4.5, 50.6),
}  # fmt: skip
KINDS = ["ngo", "municipality", "cooperative", "informal", "university", "business", "funder"]


def generate(n: int, seed: int = 1) -> Network:
    data = generate_graph(n, seed)
    rng = random.Random(seed)  # noqa: S311 (a benchmark's data)
    with transaction.atomic():
        network = Network.objects.create(name="Bench graph", slug=SLUG, scope="eu")
        organisations = Organisation.objects.bulk_create(
            Organisation(
                name=f"Bench organisation {node['id']:05}",
                slug=f"{SLUG}-{node['id']}",
                kind=rng.choice(KINDS),
                sector=node["sector"],
                country=node["country"],
                city="Bench",
                location=_near(rng, MIDDLES[node["country"]]),
                state="published",
            )
            for node in data["nodes"]
        )
        NetworkMembership.objects.bulk_create(NetworkMembership(network=network, organisation=o) for o in organisations)
        Relationship.objects.bulk_create(
            Relationship(
                source=organisations[edge["source"]],
                target=organisations[edge["target"]],
                kind=rng.choice(RelationshipKind.values),
                direction=Direction.DIRECTED if edge["directed"] else Direction.MUTUAL,
                strength=edge["strength"],
                network=network,
                state="published",
                **_period(rng),
            )
            for edge in data["edges"]
        )
    with connection.cursor() as cursor:
        for table in ("networks_organisation", "networks_relationship", "networks_networkmembership"):
            cursor.execute(f"ANALYZE {table}")
    return network


def _near(rng, middle: tuple[float, float]) -> Point:
    return Point(middle[0] + rng.gauss(0, 1.5), middle[1] + rng.gauss(0, 1.0), srid=4326)


def _period(rng) -> dict:
    if rng.random() < 1 / 3:
        return {}
    start = date(rng.randint(2005, 2024), rng.randint(1, 12), 1)
    end = date(start.year + rng.randint(1, 6), 12, 31) if rng.random() < 0.5 else None
    return {"start_date": start, "end_date": end}


def clear() -> None:
    with transaction.atomic():
        Relationship.objects.filter(network__slug=SLUG).delete()
        Organisation.objects.filter(slug__startswith=f"{SLUG}-").delete()
        Network.objects.filter(slug=SLUG).delete()


def measure(network: Network, samples: int) -> list[dict]:
    client = test_client()
    page, data = (f"/en/networks/graph/{name}?network={network.slug}" for name in ("", "data.json"))
    first = client.get(page)
    assert first.status_code == 200
    sizes = {"page": len(first.content), "json": len(client.get(data).content)}
    with CaptureQueriesContext(connection) as captured:
        client.get(page)
    # Querysets iterated through server-side cursors (the filter form's choices) are replayed as the SELECTs they are.
    statements = [re.sub(r"^DECLARE .*? CURSOR (WITH HOLD )?FOR ", "", q["sql"]) for q in captured.captured_queries]

    def replay():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()

    timings = {name: [] for name in ("page", "json", "selector", "sql")}
    for _ in range(samples):
        timings["page"].append(timed(lambda: client.get(page)))
        timings["json"].append(timed(lambda: client.get(data)))
        timings["selector"].append(timed(lambda: graph_data(Scope(network=network), None)))
        timings["sql"].append(timed(replay))
    n = network.memberships.count()
    rows = [
        summary(f"graph page, {n} organisations ({sizes['page'] // 1024} KiB)", timings["page"]),
        summary(f"graph/data.json ({sizes['json'] // 1024} KiB)", timings["json"]),
        summary("graph_data() alone (2 queries + Python)", timings["selector"]),
        summary(f"its {len(statements)} SQL queries alone", timings["sql"]),
    ]
    sql_p50 = rows[-1]["p50_ms"] or 1
    for row in rows:
        row["ratio_to_sql_p50"] = round(row["p50_ms"] / sql_p50, 2)
        print(f"{row['measure']:<48} {row['ratio_to_sql_p50']:>6.2f} × the SQL alone (p50)")
    return rows


# Run in the page: how long the script takes to follow a move of the slider (graph, degrees and the table's rows), and
# to focus on one organisation and its neighbours.
MOVE_THE_SLIDER = """() => {
  const slider = document.getElementById("year");
  const began = performance.now();
  slider.value = Number(slider.max) - 5;
  slider.dispatchEvent(new Event("input"));
  return performance.now() - began;
}"""
FOCUS = """() => {
  document.getElementById("graph-search-name").value = "Bench organisation 00001";
  const began = performance.now();
  document.getElementById("graph-search").requestSubmit();
  return performance.now() - began;
}"""


def in_the_browser(network: Network, samples: int) -> list[dict]:
    """From navigation to cytoscape's layout done, and to the map drawn, in Debian's chromium."""
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CONECT_CHROMIUM", "/usr/bin/chromium")
    if not shutil.which(chromium):
        print(f"{chromium} is missing: no browser timing")
        return []
    client = test_client()
    base = "http://bench.test"
    page_path = f"/en/networks/graph/?network={network.slug}"

    def serve(route):
        path = route.request.url.removeprefix(base)
        if path.startswith("/static/"):
            found = finders.find(path.removeprefix("/static/").split("?")[0])
            if not found:
                return route.fulfill(status=404, body="")
            kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return route.fulfill(status=200, body=Path(found).read_bytes(), content_type=kind)
        response = client.get(path)
        return route.fulfill(status=response.status_code, body=response.content, content_type=response["Content-Type"])

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the route handler runs the ORM inside Playwright's loop
    timings = {"graph": [], "year": [], "focus": [], "map": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route(f"{base}/**", serve)
        context.route("https://**", lambda route: route.abort())  # base-map tiles: none here
        for sample in range(samples):
            tab = context.new_page()
            began = time.perf_counter()
            tab.goto(base + page_path)
            tab.wait_for_selector("#graph-canvas[data-laid-out]", timeout=120_000)
            timings["graph"].append((time.perf_counter() - began) * 1000)
            if sample == 0:
                Path(__file__).parent.joinpath("results").mkdir(exist_ok=True)
                tab.screenshot(path=str(Path(__file__).parent / "results" / "graph-2000.png"))
            timings["year"].append(tab.evaluate(MOVE_THE_SLIDER))
            timings["focus"].append(tab.evaluate(FOCUS))
            began = time.perf_counter()
            tab.get_by_role("radio", name="Map").check()
            tab.wait_for_selector("#graph-map[data-markers]", timeout=120_000)
            timings["map"].append((time.perf_counter() - began) * 1000)
            tab.close()
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    return [
        summary("browser: navigation to the graph laid out", timings["graph"]),
        summary("browser: slider moved, graph and table updated", timings["year"]),
        summary("browser: one organisation focused", timings["focus"]),
        summary("browser: switch to the map, all drawn", timings["map"]),
    ]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench graph")
    parser.add_argument("-n", type=int, default=2000, help="organisations")
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--browser-samples", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the generated rows")
    args = parser.parse_args(argv)
    clear()
    began = time.perf_counter()
    network = generate(args.n)
    print(f"{args.n} organisations, {network.relationships.count()} ties in {time.perf_counter() - began:.1f} s")
    try:
        rows = measure(network, args.samples)
        if not args.no_browser:
            rows += in_the_browser(network, args.browser_samples)
    finally:
        if not args.keep:
            clear()
    write_results("graph", {"organisations": args.n, "rows": rows})

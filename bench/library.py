"""Library search over 10,000 resources with text read from their files, beside the SQL of the same answers.

    .venv/bin/python -m bench library [-n 10000] [--samples 40] [--keep]

The resources are published, each with the text of 3 to 12 descriptions of the SUSY initiatives
(practices/data/susy-ssedas.geojson: real texts in a dozen languages) as the text of its "file", and a language taken
from them. They go in through bulk INSERTs, so the search trigger indexes each like any other row. Their slugs start
with `bench-library-`; they are removed after the run unless --keep.

Each request goes through the whole Django stack (/en/library/?q=..., test client, as a visitor): the page, its
facets and its passages. Beside it, "SQL alone": the same page's queries, captured once and replayed on a cursor.
"""

import argparse
import json
import random
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.map import summary, timed
from bench.pages import test_client, write_results
from library.filters import ResourceFilter
from library.models import Extraction, Resource, ResourceKind
from practices.demo import SUSY_FILE

PREFIX = "bench-library-"
QUERIES = [
    ("browse, no words", {}),
    ("one common word", {"q": "community"}),
    ("two words", {"q": "food garden"}),
    ("an Italian word", {"q": "solidarietà"}),
    ("a German word", {"q": "Nachbarschaft"}),
    ("a phrase", {"q": '"urban garden"'}),
    ("words and a facet", {"q": "energy", "kind": "guide"}),
]


def susy_texts() -> list[tuple[str, str]]:
    """(language, text) of every description in the SUSY file."""
    texts = []
    for feature in json.loads(SUSY_FILE.read_text())["features"]:
        for key, value in feature["properties"].items():
            if key.startswith("description") and isinstance(value, str) and len(value) > 80:
                language = key.split(":")[1][:2] if ":" in key else "en"
                texts.append((language, value))
    return texts


def generate(n: int, seed: int = 1) -> float:
    rng = random.Random(seed)
    texts = susy_texts()
    kinds = [kind for kind, _label in ResourceKind.choices]
    start = time.perf_counter()
    batch = []
    for i in range(n):
        parts = rng.sample(texts, rng.randint(3, 12))
        language = parts[0][0]
        words = parts[0][1].split()
        batch.append(
            Resource(
                slug=f"{PREFIX}{i}",
                title=" ".join(words[: rng.randint(3, 8)])[:300],
                kind=rng.choice(kinds),
                description=parts[-1][1][:2000],
                language=language,
                published_year=rng.randint(2008, 2025),
                reference_only=True,
                state="published",
                extraction=Extraction.DONE,
                extracted_text="\n\n".join(text for _language, text in parts),
            )
        )
        if len(batch) == 1000:
            Resource.objects.bulk_create(batch)
            batch = []
    if batch:
        Resource.objects.bulk_create(batch)
    return time.perf_counter() - start


def clear() -> int:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM library_resource_themes WHERE resource_id IN "
                       "(SELECT id FROM library_resource WHERE slug LIKE %s)", [f"{PREFIX}%"])  # fmt: skip
        cursor.execute("DELETE FROM library_resource WHERE slug LIKE %s", [f"{PREFIX}%"])
        return cursor.rowcount


def replay(queries: list[dict]) -> None:
    with connection.cursor() as cursor:
        for query in queries:
            cursor.execute(query["sql"])
            cursor.fetchall()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench library")
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    clear()
    seconds = generate(args.n)
    print(f"{args.n:,} resources with extracted text inserted and indexed in {seconds:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE library_resource")
    client = test_client()
    results = []
    try:
        for name, params in QUERIES:
            response = client.get("/en/library/", params)
            assert response.status_code == 200, response.status_code
            found = ResourceFilter(params, queryset=Resource.objects.published()).qs.count()
            with CaptureQueriesContext(connection) as captured:
                client.get("/en/library/", params)
            queries = [q for q in captured.captured_queries if "django_session" not in q["sql"]]
            page = summary(f"{name}: page ({found:,} found)", [timed(lambda p=params: client.get("/en/library/", p))
                                                                 for _ in range(args.samples)])  # fmt: skip
            sql = summary(f"{name}: SQL alone ({len(queries)} queries)",
                          [timed(lambda q=queries: replay(q)) for _ in range(args.samples)])  # fmt: skip
            ratio = round(page["p50_ms"] / sql["p50_ms"], 1) if sql["p50_ms"] else None
            print(f"{'':<48} page = {ratio} x its SQL (p50)")
            results.append({"query": name, "params": params, "found": found, "page": page, "sql": sql, "ratio": ratio})
    finally:
        if not args.keep:
            print(f"removed {clear():,} generated resources")
    write_results("library", results)

"""Benchmark harness: times pages through Django's full request stack against the development database.

    .venv/bin/python -m bench [--requests 200] [--path /en/ ...]

Prints p50/p95/max per page and writes bench/results/<timestamp>.json. A benchmark, not a test: nothing here
asserts a duration. Later scenarios (the map's viewport endpoint at 100,000 practices) are added as more paths
and a data generator.
"""

import argparse
import json
import os
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_PATHS = ["/en/", "/en/labs/", "/en/networks/", "/en/networks/conet-cohesion-network/", "/healthz"]


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(client, path: str, requests: int) -> dict:
    client.get(path)  # warm up: URL resolver, templates, connection
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}: run `make demo` first")
    return {
        "path": path,
        "requests": requests,
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(_percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--path", action="append", dest="paths")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    results = [measure(client, path, args.requests) for path in args.paths or DEFAULT_PATHS]
    for row in results:
        print(
            f"{row['path']:<45} p50 {row['p50_ms']:>7.2f} ms   p95 {row['p95_ms']:>7.2f} ms"
            f"   max {row['max_ms']:>7.2f} ms"
        )
    out = Path(__file__).parent / "results" / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"results": results}, indent=2))
    print(f"written to {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


if __name__ == "__main__":
    main()

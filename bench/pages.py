"""Times pages through Django's full request stack against the development database.

.venv/bin/python -m bench pages [--requests 200] [--path /en/ ...]
"""

import argparse
import json
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


def test_client():
    from django.conf import settings
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    return Client()


def write_results(scenario: str, results) -> None:
    out = Path(__file__).parent / "results" / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{scenario}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"scenario": scenario, "results": results}, indent=2))
    print(f"written to bench/results/{out.name}")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench pages")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--path", action="append", dest="paths")
    args = parser.parse_args(argv)
    client = test_client()
    results = [measure(client, path, args.requests) for path in args.paths or DEFAULT_PATHS]
    for row in results:
        print(
            f"{row['path']:<45} p50 {row['p50_ms']:>7.2f} ms   p95 {row['p95_ms']:>7.2f} ms"
            f"   max {row['max_ms']:>7.2f} ms"
        )
    write_results("pages", results)

"""Benchmark harness. Speed is measured here, never by timed assertions in tests.

    .venv/bin/python -m bench run [--size 10000]   every scenario at one size (`make bench`): bench/results/<size>.md
    .venv/bin/python -m bench soak [--minutes 30]  mixed load, worker memory sampled: flat or not
    .venv/bin/python -m bench report [--size N]    the report again from the newest raw results of that size
    .venv/bin/python -m bench pages              time the pages through the Django stack (demo data)
    .venv/bin/python -m bench generate [-n N]    add N published practices around real European cities
    .venv/bin/python -m bench map                the map's tile endpoint and the GeoJSON list, beside raw PostGIS
    .venv/bin/python -m bench clear              remove the generated practices
    .venv/bin/python -m bench compare            the Labs comparison page for 50 generated Labs, beside its SQL
    .venv/bin/python -m bench library            library search, 10,000 resources with their files' text, beside its SQL
    .venv/bin/python -m bench networks           network metrics for 300 to 5,000 organisations, beside networkx alone
    .venv/bin/python -m bench graph              the graph page and its JSON for 2,000 organisations, and in a browser
    .venv/bin/python -m bench indicators         the cross-Lab dashboard and a composite index over 1,000,000 values
    .venv/bin/python -m bench api                the API at 100,000 practices beside pygeoapi, TiPg and the SQL alone

Results are printed and written to bench/results/<timestamp>-<scenario>.json.
"""

import os
import sys


def bench_database(args: list[str]) -> None:
    """`run` and `soak` measure a database of their own (conect_bench_<size>, BENCH_DATABASE_URL or --database),
    created here if missing and named to Django before it starts."""
    import argparse

    from bench.suite import bench_database_url, create_database

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--database", default="")
    known, _rest = parser.parse_known_args(args)
    url = bench_database_url(known.size, known.database)
    create_database(url)
    os.environ["DATABASE_URL"] = url


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings")
    if len(sys.argv) > 1 and sys.argv[1] in ("run", "soak") and "-h" not in sys.argv and "--help" not in sys.argv:
        bench_database(sys.argv[2:])
    import django

    django.setup()
    scenario, args = (sys.argv[1], sys.argv[2:]) if len(sys.argv) > 1 else ("pages", [])
    if scenario == "run":
        from bench import suite

        suite.main(args)
    elif scenario == "soak":
        from bench import suite

        suite.soak_main(args)
    elif scenario == "report":
        from bench import report

        report.main(args)
    elif scenario == "pages":
        from bench import pages

        pages.main(args)
    elif scenario in ("generate", "clear"):
        from bench import generate

        generate.main([scenario, *args])
    elif scenario == "compare":
        from bench import compare

        compare.main(args)
    elif scenario == "library":
        from bench import library

        library.main(args)
    elif scenario == "networks":
        from bench import networks

        networks.main(args)
    elif scenario == "graph":
        from bench import graph

        graph.main(args)
    elif scenario == "indicators":
        from bench import indicators

        indicators.main(args)
    elif scenario == "api":
        from bench import api

        api.main(args)
    elif scenario == "map":
        from bench import map as map_bench

        map_bench.main(args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()

"""The network analysis at scale: time and peak memory of every metric, beside networkx's own functions alone, and
whether the site keeps answering while a worker computes.

    .venv/bin/python -m bench networks [--sizes 300 2000 5000] [--samples 40]

- metrics: networks.analysis.compute() on a generated graph of 300, 2,000 and 5,000 organisations (wall time and
  tracemalloc's peak), beside the same measures by networkx's functions called directly, unweighted (what one would run
  in a notebook), with the same sampling above analysis.EXACT_UP_TO so both do the same work;
- site while computing: a page (/en/networks/, /healthz) timed through the Django stack while another process computes
  the largest graph, against the same page idle (ratio of the p50s).

The generator (seeded): organisations in 8 countries × 4 sectors; each newcomer ties to 1 to 4 earlier ones
(about 2.5 on average), 70 % of them in its own country, chosen in proportion to their ties (preferential attachment:
a few hubs, many organisations with one or two ties, as in mapped stakeholder networks); strengths 1–5 or unknown;
a fifth of the ties directed. Nothing is written to the database.
"""

import argparse
import multiprocessing
import random
import statistics
import time
import tracemalloc

import networkx as nx
from django.db import connections

from bench.map import summary, timed
from bench.pages import test_client, write_results
from networks import analysis

COUNTRIES = ["IT", "ES", "DE", "FR", "RO", "PL", "NL", "BE"]
SECTORS = ["public", "private", "civic", "knowledge"]


def generate(n: int, seed: int = 1) -> dict:
    """graph_data()-shaped nodes and edges (see the module's docstring)."""
    rng = random.Random(seed)  # noqa: S311 (a benchmark's data)
    nodes, edges, ends, by_country = [], [], [], {country: [] for country in COUNTRIES}
    for node in range(n):
        country = rng.choice(COUNTRIES)
        nodes.append({"id": node, "kind": "ngo", "sector": rng.choice(SECTORS), "country": country})
        chosen = set()
        if node:
            for _ in range(rng.choice((1, 2, 2, 3, 3, 4))):
                local = by_country[country]
                pool = local if local and rng.random() < 0.7 else ends or list(range(node))
                chosen.add(rng.choice(pool))
        for other in chosen:
            edges.append({
                "source": node, "target": other, "directed": rng.random() < 0.2,
                "strength": rng.choice([None, 1, 2, 3, 4, 5]), "start": None, "end": None,
            })  # fmt: skip
            ends += [node, other]
            by_country[nodes[other]["country"]].append(other)
        by_country[country].append(node)
    return {"nodes": nodes, "edges": edges}


def networkx_alone(data: dict) -> None:
    """The same measures by networkx's functions, unweighted, sampled like analysis.compute() above its threshold."""
    directed, graph = nx.DiGraph(), nx.Graph()
    graph.add_nodes_from(node["id"] for node in data["nodes"])
    directed.add_nodes_from(graph)
    for edge in data["edges"]:
        graph.add_edge(edge["source"], edge["target"])
        directed.add_edge(edge["source"], edge["target"])
        if not edge["directed"]:
            directed.add_edge(edge["target"], edge["source"])
    sources, _sampled = analysis._sources(graph)
    dict(directed.in_degree()), dict(directed.out_degree()), dict(graph.degree())
    if sources is None:
        nx.betweenness_centrality(graph)
        nx.harmonic_centrality(graph)
    else:
        nx.betweenness_centrality(graph, k=len(sources), seed=analysis.SEED)
        nx.harmonic_centrality(graph, sources=sources)
    nx.eigenvector_centrality(graph, max_iter=analysis.EIGENVECTOR_MAX_ITER)
    nx.core_number(graph)
    partition = nx.community.louvain_communities(graph, seed=analysis.SEED)
    nx.community.modularity(graph, partition)
    list(nx.articulation_points(graph))
    nx.constraint(graph)
    nx.density(graph), nx.transitivity(graph), nx.reciprocity(directed)
    for component in nx.connected_components(graph):
        if len(component) > 1:
            starts = component if sources is None else (component & set(sources)) or {min(component)}
            for start in starts:
                nx.single_source_shortest_path_length(graph, start)


def measured(fn) -> tuple[float, float]:
    """Seconds of one call, and peak MiB (tracemalloc) of another: tracing slows Python down several times."""
    began = time.perf_counter()
    fn()
    seconds = time.perf_counter() - began
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak


def _compute_in_a_worker(n: int, done) -> None:
    analysis.compute(generate(n))
    done.set()


def while_computing(n: int, samples: int) -> list[dict]:
    """Pages timed idle, then while another process computes the n-organisation graph (as a db_worker would)."""
    client = test_client()
    rows = []
    for path in ("/en/networks/", "/healthz"):
        client.get(path)
        idle = [timed(lambda path=path: client.get(path)) for _ in range(samples)]
        connections.close_all()  # the worker process must not share this process's connection
        context = multiprocessing.get_context("fork")
        done = context.Event()
        worker = context.Process(target=_compute_in_a_worker, args=(n, done))
        worker.start()
        time.sleep(1.0)  # let it get into the metrics
        busy = []
        while not done.is_set() and len(busy) < samples:
            busy.append(timed(lambda path=path: client.get(path)))
        worker.join()
        idle_row = summary(f"{path} idle", idle)
        busy_row = summary(f"{path} while a worker computes {n:,} organisations", busy)
        busy_row["ratio_to_idle_p50"] = round(busy_row["p50_ms"] / (idle_row["p50_ms"] or 1), 2)
        print(f"{'':<48} {busy_row['ratio_to_idle_p50']:>6.2f} × idle (p50)")
        rows += [idle_row, busy_row]
    return rows


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench networks")
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 2000, 5000])
    parser.add_argument("--samples", type=int, default=40, help="page requests, idle and while computing")
    args = parser.parse_args(argv)
    results = {"metrics": [], "site": []}
    for n in args.sizes:
        data = generate(n)
        ours, ours_mb = measured(lambda data=data: analysis.compute(data))
        peer, peer_mb = measured(lambda data=data: networkx_alone(data))
        row = {
            "organisations": n,
            "relationships": len(data["edges"]),
            "approximate": n > analysis.EXACT_UP_TO,
            "all_metrics_s": round(ours, 2),
            "all_metrics_peak_mib": round(ours_mb, 1),
            "networkx_alone_s": round(peer, 2),
            "networkx_alone_peak_mib": round(peer_mb, 1),
            "ratio": round(ours / peer, 2),
        }
        results["metrics"].append(row)
        print(
            f"{n:>6,} organisations, {row['relationships']:>6,} relationships{' (sampled paths)' * row['approximate']}:"
            f" all metrics {ours:6.2f} s, peak {ours_mb:5.1f} MiB; networkx alone {peer:6.2f} s,"
            f" peak {peer_mb:5.1f} MiB; {row['ratio']:.2f} ×"
        )
    results["site"] = while_computing(max(args.sizes), args.samples)
    results["site_p50_ms"] = statistics.median(row["p50_ms"] for row in results["site"])
    write_results("networks", results)

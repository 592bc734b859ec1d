"""Network metrics with networkx, over the published graph of a network, a Lab, or everything (networks.graph).

How relationships become graphs (the rule the analysis page states too):
- every published relationship is a tie between its two organisations; a mutual one counts both ways;
- a directed graph keeps who points at whom, for in- and out-degree and reciprocity;
- a simple undirected graph holds one tie per pair of organisations for everything else: several relationships
  between the same pair merge into one tie whose weight is the sum of their strengths, an unknown strength counting
  as 1 (the weakest), so a pair tied by a partnership of strength 4 and a funding of unknown strength weighs 5;
- paths (betweenness, closeness) run over distances, tie strength inverted: distance = 1 / weight, so a strong tie is a
  short step and a path over two strong ties can be shorter than one weak tie.

Only the standard library and networkx's pure-Python algorithms are used (no numpy or scipy): eigenvector centrality by
power iteration rather than PageRank, whose networkx implementation needs scipy.

Everything here is a plain function over plain data, so tests run it on networkx's own graphs; `analyse()` stores the
outcome in networks.models.Analysis, `request_analysis()` puts it on the task queue (networks.tasks).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, timedelta

import networkx as nx
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from conect.roles import Role
from labs.models import Lab
from labs.roles import has_role
from networks.graph import Scope, graph_data
from networks.models import Analysis, AnalysisStatus, GraphVersion, Network

# Above this many organisations, betweenness, closeness and path lengths start their shortest paths from a seeded
# random sample of SAMPLE organisations instead of from every one (networkx's k-sample estimate): all-pairs shortest
# paths cost O(n·m), about 90 s for 5,000 organisations in pure Python.
EXACT_UP_TO = 1000
SAMPLE = 500
SEED = 42  # Louvain and the samples: the same data always gives the same figures
EIGENVECTOR_MAX_ITER = 1000
STALLED_AFTER = timedelta(minutes=30)

Progress = Callable[[str, int, int], None]

STEPS = (
    "degree",
    "betweenness",
    "closeness",
    "eigenvector",
    "core",
    "communities",
    "brokers",
    "constraint",
    "whole network",
)


# Building the graphs ------------------------------------------------------------------------------------------------


def _active(edge: dict, at: date | None) -> bool:
    if at is None:
        return True
    day = at.isoformat()
    return (edge.get("start") is None or edge["start"] <= day) and (edge.get("end") is None or edge["end"] >= day)


def build_graph(data: dict, *, at: date | None = None) -> tuple[nx.DiGraph, nx.Graph]:
    """The directed graph and the weighted simple undirected graph of graph_data()'s nodes and edges (see the module's
    docstring for the rule); with `at`, only the relationships under way that day."""
    directed, undirected = nx.DiGraph(), nx.Graph()
    for node in data["nodes"]:
        attributes = {key: node.get(key) or "" for key in ("kind", "sector", "country")}
        directed.add_node(node["id"], **attributes)
        undirected.add_node(node["id"], **attributes)
    for edge in data["edges"]:
        source, target = edge["source"], edge["target"]
        if source == target or source not in undirected or target not in undirected or not _active(edge, at):
            continue
        directed.add_edge(source, target)
        if not edge.get("directed"):
            directed.add_edge(target, source)
        strength = edge.get("strength") or 1
        if undirected.has_edge(source, target):
            tie = undirected[source][target]
            tie["weight"] += strength
            tie["relationships"] += 1
        else:
            undirected.add_edge(source, target, weight=strength, relationships=1)
    for _u, _v, tie in undirected.edges(data=True):
        tie["distance"] = 1 / tie["weight"]
    return directed, undirected


# Node metrics -------------------------------------------------------------------------------------------------------


def _sources(graph: nx.Graph) -> tuple[list | None, dict]:
    """All organisations when the graph is small, else a seeded sample; and what the results should say about it."""
    n = graph.number_of_nodes()
    if n <= EXACT_UP_TO:
        return None, {"approximate": False, "k": None, "nodes": n}
    sample = random.Random(SEED).sample(sorted(graph), SAMPLE)  # noqa: S311 (a statistical sample, not a secret)
    return sample, {"approximate": True, "k": SAMPLE, "nodes": n}


def betweenness(graph: nx.Graph, sources: list | None = None) -> dict:
    """Normalised betweenness over distances (1 / weight): the share of shortest paths between other organisations
    that pass through each one. With `sources`, networkx's estimate from those organisations' paths."""
    if sources is None:
        return nx.betweenness_centrality(graph, weight="distance", normalized=True)
    return nx.betweenness_centrality(graph, k=len(sources), weight="distance", normalized=True, seed=SEED)


def closeness(graph: nx.Graph, sources: list | None = None) -> dict:
    """Harmonic closeness over distances, normalised by n − 1: the mean of 1 / distance to every other organisation
    (0 for one out of reach, so several components are no problem). With `sources`, the mean over those only (the
    distances are symmetric), scaled to the same range."""
    n = graph.number_of_nodes()
    if n < 2:
        return dict.fromkeys(graph, 0.0)
    if sources is None:
        sums = nx.harmonic_centrality(graph, distance="distance")
        return {node: value / (n - 1) for node, value in sums.items()}
    sums = defaultdict(float)
    chosen = set(sources)
    for source in sources:
        for node, length in nx.single_source_dijkstra_path_length(graph, source, weight="distance").items():
            if node != source:
                sums[node] += 1 / length
    # A sampled organisation cannot count its distance to itself: it has one fewer sample to average over.
    return {node: sums[node] / (len(sources) - (node in chosen) or 1) for node in graph}


def eigenvector(graph: nx.Graph) -> dict | None:
    """Weighted eigenvector centrality by power iteration (networkx's pure-Python one); None when it does not converge.
    Isolated organisations score 0; in a graph of several components the ones outside the component with the densest
    core tend to 0 (eigenvector centrality ranks organisations within one connected whole)."""
    if graph.number_of_edges() == 0:
        return dict.fromkeys(graph, 0.0)
    try:
        scores = nx.eigenvector_centrality(graph, weight="weight", max_iter=EIGENVECTOR_MAX_ITER)
    except nx.PowerIterationFailedConvergence:
        return None
    return {node: (value if graph.degree(node) else 0.0) for node, value in scores.items()}


def communities(graph: nx.Graph) -> list[list]:
    """Louvain communities (weighted, seeded), largest first, each sorted; the community number is its position + 1."""
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    return sorted((sorted(group) for group in found), key=lambda group: (-len(group), group[0]))


def constraint(graph: nx.Graph) -> dict:
    """Burt's constraint, c_i = Σ_j (p_ij + Σ_q p_iq·p_qj)², p_ij = w_ij / Σ_k w_ik (what nx.constraint computes,
    in O(Σ degree²) instead of recomputing every proportion); None for an isolated organisation."""
    share = {}
    for node in graph:
        total = sum(tie["weight"] for tie in graph[node].values())
        share[node] = {other: tie["weight"] / total for other, tie in graph[node].items()} if total else {}
    result = {}
    for i in graph:
        if not share[i]:
            result[i] = None
            continue
        indirect = defaultdict(float)
        for q, p_iq in share[i].items():
            for j, p_qj in share[q].items():
                if j != i:
                    indirect[j] += p_iq * p_qj
        result[i] = sum((p_ij + indirect[j]) ** 2 for j, p_ij in share[i].items())
    return result


# Whole-network metrics ----------------------------------------------------------------------------------------------


def degree_centralisation(graph: nx.Graph) -> float | None:
    """Freeman's degree centralisation: Σ (max degree − degree_i) / ((n − 1)(n − 2)); 1 for a star, 0 when every
    organisation has as many ties; None below three organisations."""
    n = graph.number_of_nodes()
    if n < 3:
        return None
    degrees = [degree for _node, degree in graph.degree()]
    top = max(degrees)
    return sum(top - degree for degree in degrees) / ((n - 1) * (n - 2))


def ei_index(graph: nx.Graph) -> float | None:
    """Krackhardt and Stern's E-I index of cross-sector ties: (E − I) / (E + I), E the ties between two sectors, I the
    ties within one, over the ties whose two organisations have a known sector; −1 all within, +1 all across."""
    external = internal = 0
    for u, v in graph.edges():
        a, b = graph.nodes[u].get("sector"), graph.nodes[v].get("sector")
        if a and b:
            if a == b:
                internal += 1
            else:
                external += 1
    total = external + internal
    return (external - internal) / total if total else None


def path_lengths(graph: nx.Graph, sources: list | None = None) -> tuple[list[dict], float | None]:
    """The average number of steps between two organisations of each component of two or more, and their mean
    weighted by the components' sizes. With `sources`, estimated from those organisations' paths."""
    chosen = set(sources) if sources is not None else None
    per_component = []
    for component in nx.connected_components(graph):
        size = len(component)
        if size < 2:
            continue
        starts = component if chosen is None else (component & chosen) or {min(component)}
        total = count = 0
        for start in starts:
            lengths = nx.single_source_shortest_path_length(graph, start)
            total += sum(lengths.values())
            count += len(lengths) - 1
        per_component.append({"size": size, "average": total / count})
    per_component.sort(key=lambda row: -row["size"])
    nodes = sum(row["size"] for row in per_component)
    mean = sum(row["average"] * row["size"] for row in per_component) / nodes if nodes else None
    return per_component, mean


def _reciprocity(directed: nx.DiGraph) -> float | None:
    if directed.number_of_edges() == 0:
        return None
    return nx.reciprocity(directed)


def _modularity(graph: nx.Graph, groups: list[list]) -> float | None:
    if graph.number_of_edges() == 0:
        return None
    return nx.community.modularity(graph, [set(group) for group in groups], weight="weight")


# All of them --------------------------------------------------------------------------------------------------------


def _finite(value):
    """None for NaN and infinities (JSON has neither), floats rounded so stored results stay small."""
    if isinstance(value, float):
        return round(value, 6) if math.isfinite(value) else None
    return value


def compute(data: dict, *, at: date | None = None, progress: Progress | None = None) -> dict:
    """Every metric of the graph of graph_data() (see the module's docstring); `progress(step, done, total)` is called
    before each metric and once at the end."""
    report = progress or (lambda step, done, total: None)
    total = len(STEPS)
    directed, graph = build_graph(data, at=at)
    sources, sampled = _sources(graph)

    def step(number: int):
        report(STEPS[number], number, total)

    step(0)
    in_degree, out_degree = dict(directed.in_degree()), dict(directed.out_degree())
    step(1)
    between = betweenness(graph, sources)
    step(2)
    close = closeness(graph, sources)
    step(3)
    eigen = eigenvector(graph)
    step(4)
    core = nx.core_number(graph)
    step(5)
    groups = communities(graph)
    community_of = {node: number for number, group in enumerate(groups, start=1) for node in group}
    step(6)
    brokers = set(nx.articulation_points(graph))
    step(7)
    constraints = constraint(graph)
    step(8)
    per_component, mean_path = path_lengths(graph, sources)
    components = [len(component) for component in nx.connected_components(graph)]
    n = graph.number_of_nodes()
    results = {
        "nodes": {
            str(node): {
                "degree": graph.degree(node),
                "in_degree": in_degree[node],
                "out_degree": out_degree[node],
                "betweenness": _finite(between[node]),
                "closeness": _finite(close[node]),
                "eigenvector": _finite(eigen[node]) if eigen is not None else None,
                "core": core[node],
                "community": community_of.get(node),
                "broker": node in brokers,
                "constraint": _finite(constraints[node]),
            }
            for node in graph
        },
        "graph": {
            "nodes": n,
            "edges": graph.number_of_edges(),
            "relationships": sum(tie["relationships"] for _u, _v, tie in graph.edges(data=True)),
            "density": _finite(nx.density(graph)) if n >= 2 else None,
            "reciprocity": _finite(_reciprocity(directed)),
            "components": len(components),
            "largest_component": max(components, default=0),
            "isolates": sum(1 for size in components if size == 1),
            "average_path_length": _finite(mean_path),
            "path_length_by_component": [
                {"size": row["size"], "average": _finite(row["average"])} for row in per_component
            ],
            "transitivity": _finite(nx.transitivity(graph)) if n else None,
            "degree_centralisation": _finite(degree_centralisation(graph)),
            "ei_index": _finite(ei_index(graph)),
            "communities": len(groups),
            "modularity": _finite(_modularity(graph, groups)),
            "brokers": len(brokers),
            "eigenvector_converged": eigen is not None,
        },
        "communities": [group for group in groups if len(group) > 1],
        "approximate": {"betweenness": sampled, "closeness": sampled, "average_path_length": sampled},
    }
    report("done", total, total)
    return results


# Stored analyses on the task queue ----------------------------------------------------------------------------------


def may_request(user) -> bool:
    """Coordinators and the facilitators of any Lab may (re)compute an analysis; it reads only published data, so
    whose Lab it is does not matter. Visitors and members never start computation."""
    return has_role(user, Role.COORDINATOR) or Lab.objects.moderatable_by(user).exists()


def current_version() -> int:
    return GraphVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def fingerprint(data: dict) -> str:
    """What the metrics depend on in a graph (graph_data's published nodes and edges, without names or places), as a
    hash: two graphs with the same fingerprint have the same metrics."""
    nodes = sorted((node["id"], node["kind"], node["sector"]) for node in data["nodes"])
    edges = sorted(
        (edge["id"], edge["source"], edge["target"], edge["kind"], edge["directed"], edge["strength"] or 0,
         edge["start"] or "", edge["end"] or "")
        for edge in data["edges"]
    )  # fmt: skip
    return hashlib.sha256(json.dumps([nodes, edges]).encode()).hexdigest()


def is_stale(analysis: Analysis, version: int | None = None) -> bool:
    """Computed on data that has changed since. The graph version changes with any change anywhere; when it has, the
    scope's own graph is compared with the one the figures were computed on, and if that is unchanged the figures are
    fresh still (and the newer version is kept with them, so the next reader need not compare again)."""
    if analysis.data_version is None:
        return False
    version = current_version() if version is None else version
    if analysis.data_version == version:
        return False
    stored = (analysis.results or {}).get("fingerprint")
    if stored is None or stored != fingerprint(graph_data(scope_of(analysis), None)):
        return True
    Analysis.objects.filter(pk=analysis.pk, data_version=analysis.data_version).update(data_version=version)
    analysis.data_version = version
    return False


def is_under_way(analysis: Analysis) -> bool:
    """Waiting or running, and not silent for so long that its worker must have been stopped."""
    if analysis.status not in (AnalysisStatus.WAITING, AnalysisStatus.RUNNING):
        return False
    heartbeat = analysis.heartbeat_at or analysis.requested_at
    return heartbeat is None or heartbeat > timezone.now() - STALLED_AFTER


def scope_of(analysis: Analysis) -> Scope:
    return Scope(network=analysis.network, lab=analysis.lab)


def _token(analysis: Analysis) -> str:
    # The attempt guard: each request stamps requested_at anew; a run whose stamp is no longer the row's is stale.
    return analysis.requested_at.isoformat()


def request_analysis(scope: Scope, *, by) -> Analysis:
    """The scope's analysis, waiting for a worker (networks.tasks.analyse). A scope already waiting or running is
    left as it is: pressing the button twice computes once."""
    if not scope.key:
        raise ValueError("a selection's metrics are not kept: analyse a network, a Lab or everything")
    from networks import tasks  # the tasks module imports this one

    with transaction.atomic():
        analysis, created = Analysis.objects.select_for_update().get_or_create(
            scope=scope.key, defaults={"network": scope.network, "lab": scope.lab, "requested_by": by}
        )
        if not created and is_under_way(analysis):
            return analysis
        now = timezone.now()
        Analysis.objects.filter(pk=analysis.pk).update(
            status=AnalysisStatus.WAITING, step="", progress_done=0, progress_total=len(STEPS), error="",
            requested_by=by, requested_at=now, started_at=None, heartbeat_at=now, finished_at=None,
        )  # fmt: skip
        analysis.refresh_from_db()
        # Queued in the transaction that marks the row waiting: with the database backend a worker sees both or neither.
        tasks.analyse.enqueue(analysis.pk, _token(analysis))
    analysis.refresh_from_db()  # a backend that runs tasks at once has run it already
    return analysis


def analyse(analysis_id: int, token: str | None = None) -> bool:
    """Compute and store one analysis; with `token`, only if it is still the latest request (else False). The graph
    version is read before the data, so a change made meanwhile leaves the results marked stale, never wrongly fresh."""
    rows = Analysis.objects.filter(pk=analysis_id)
    if token is not None:
        rows = rows.filter(requested_at=token, status=AnalysisStatus.WAITING)
    now = timezone.now()
    if not rows.update(status=AnalysisStatus.RUNNING, started_at=now, heartbeat_at=now, step=""):
        return False
    analysis = Analysis.objects.select_related("network", "lab").get(pk=analysis_id)
    mine = Analysis.objects.filter(pk=analysis_id, requested_at=analysis.requested_at)

    def progress(step: str, done: int, total: int) -> None:
        mine.update(step=step, progress_done=done, progress_total=total, heartbeat_at=timezone.now())

    version = current_version()
    try:
        data = graph_data(scope_of(analysis), None)
        results = compute(data, progress=progress) | {"fingerprint": fingerprint(data)}
    except Exception as error:
        message = _("The computation stopped on an unexpected error (%(error)s).") % {"error": type(error).__name__}
        mine.update(status=AnalysisStatus.FAILED, error=message, finished_at=timezone.now())
        raise
    return bool(
        mine.update(
            status=AnalysisStatus.DONE,
            results=results,
            data_version=version,
            error="",
            step="",
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
            progress_done=F("progress_total"),
        )  # fmt: skip
    )


def analyse_now(scopes: Iterable[Scope] | None = None, *, by=None) -> list[Analysis]:
    """Compute analyses here and now (manage.py analyse_networks, the demo): every network and Lab and everything, by
    default."""
    if scopes is None:
        scopes = [
            *(Scope(network=network) for network in Network.objects.all()),
            *(Scope(lab=lab) for lab in Lab.objects.all()),
            Scope(),
        ]
    done = []
    for scope in scopes:
        analysis, _created = Analysis.objects.update_or_create(
            scope=scope.key,
            defaults={"network": scope.network, "lab": scope.lab, "requested_by": by, "status": AnalysisStatus.WAITING,
                      "progress_done": 0, "progress_total": len(STEPS), "error": ""},
        )  # fmt: skip
        analyse(analysis.pk)
        analysis.refresh_from_db()
        done.append(analysis)
    return done


def community_members(results: dict) -> dict[int, list[int]]:
    """Organisation ids by community number (communities of two or more)."""
    members = defaultdict(list)
    for node, metrics in results.get("nodes", {}).items():
        if metrics.get("community") is not None:
            members[metrics["community"]].append(int(node))
    return {number: ids for number, ids in sorted(members.items()) if len(ids) > 1}

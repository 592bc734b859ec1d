"""The metrics, checked against values worked out by hand on small graphs and against networkx's own functions and
known graphs; then the stored analysis: queued, computed, marked stale."""

import json

import networkx as nx
import pytest

from networks import analysis
from networks.graph import Scope
from networks.models import Analysis, AnalysisStatus, Direction
from tests.factories import add_to_network, as_if_committed, make_network, make_organisation, make_relationship


def data(edges, nodes=(), sectors=None, strengths=None, directed=()):
    """graph_data()-shaped data: `edges` pairs, mutual unless listed in `directed`."""
    names = list(dict.fromkeys([*nodes, *(end for edge in edges for end in edge)]))
    sectors, strengths = sectors or {}, strengths or {}
    return {
        "nodes": [{"id": name, "sector": sectors.get(name, ""), "kind": "ngo", "country": "IT"} for name in names],
        "edges": [
            {"source": u, "target": v, "directed": (u, v) in directed, "strength": strengths.get((u, v))}
            for u, v in edges
        ],
    }


def of(graph: nx.Graph) -> dict:
    return data(list(graph.edges), nodes=list(graph))


def compute(payload) -> dict:
    results = analysis.compute(payload)
    json.dumps(results, allow_nan=False)  # storable: no NaN, no infinity
    return results


PATH = data([("a", "b"), ("b", "c")])
STAR = data([("hub", "x"), ("hub", "y"), ("hub", "z")])
TRIANGLE_AND_PENDANT = data(
    [("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")], sectors={"a": "public", "b": "public", "c": "civic"}
)


def test_a_path_of_three_puts_its_middle_on_every_path():
    results = compute(PATH)
    nodes, graph = results["nodes"], results["graph"]
    assert [nodes[n]["degree"] for n in "abc"] == [1, 2, 1]
    assert nodes["b"]["betweenness"] == 1.0 and nodes["a"]["betweenness"] == 0.0
    assert nodes["a"]["closeness"] == pytest.approx(0.75) and nodes["b"]["closeness"] == 1.0
    assert graph["density"] == pytest.approx(2 / 3, abs=1e-6)
    assert graph["transitivity"] == 0
    assert graph["degree_centralisation"] == 1.0
    assert graph["average_path_length"] == pytest.approx(4 / 3, abs=1e-6)
    assert nodes["b"]["broker"] and not nodes["a"]["broker"]


def test_a_star_is_fully_centralised_around_its_hub():
    results = compute(STAR)
    nodes, graph = results["nodes"], results["graph"]
    assert nodes["hub"]["degree"] == 3 and nodes["hub"]["betweenness"] == 1.0
    assert nodes["x"]["closeness"] == pytest.approx(2 / 3, abs=1e-6)
    assert graph["density"] == 0.5
    assert graph["degree_centralisation"] == 1.0
    assert graph["brokers"] == 1


def test_a_triangle_with_a_pendant():
    results = compute(TRIANGLE_AND_PENDANT)
    nodes, graph = results["nodes"], results["graph"]
    assert [nodes[n]["degree"] for n in "abcd"] == [2, 2, 3, 1]
    assert nodes["c"]["betweenness"] == pytest.approx(2 / 3, abs=1e-6)
    assert graph["density"] == pytest.approx(2 / 3, abs=1e-6)
    assert graph["transitivity"] == pytest.approx(3 / 5)  # one triangle, five connected triples
    assert graph["degree_centralisation"] == pytest.approx(4 / 6, abs=1e-6)
    assert [nodes[n]["core"] for n in "abcd"] == [2, 2, 2, 1]
    assert nodes["c"]["broker"] and graph["brokers"] == 1


def test_the_ei_index_counts_only_ties_whose_two_ends_have_a_known_sector():
    # a–b within the public sector; a–c and b–c across; c–d has no known sector at d.
    assert compute(TRIANGLE_AND_PENDANT)["graph"]["ei_index"] == pytest.approx(1 / 3, abs=1e-6)
    assert compute(PATH)["graph"]["ei_index"] is None


def test_strong_ties_make_shorter_paths_than_a_weak_one():
    edges = [("a", "b"), ("b", "c"), ("a", "c")]
    strong_detour = compute(data(edges, strengths={("a", "b"): 5, ("b", "c"): 5, ("a", "c"): 1}))
    unknown = compute(data(edges))
    assert strong_detour["nodes"]["b"]["betweenness"] == 1.0  # 1/5 + 1/5 is shorter than 1/1
    assert unknown["nodes"]["b"]["betweenness"] == 0.0


def test_several_relationships_between_one_pair_make_one_tie_weighing_their_strengths():
    directed, graph = analysis.build_graph(data([("a", "b"), ("b", "a")], strengths={("a", "b"): 2}))
    assert graph.number_of_edges() == 1
    assert graph["a"]["b"]["weight"] == 3  # 2, plus 1 for the unknown strength
    assert graph["a"]["b"]["distance"] == pytest.approx(1 / 3)


def test_a_mutual_relationship_counts_both_ways_and_a_directed_one_once():
    mutual = compute(data([("a", "b")]))
    one_way = compute(data([("a", "b")], directed={("a", "b")}))
    assert mutual["graph"]["reciprocity"] == 1.0
    assert one_way["graph"]["reciprocity"] == 0.0
    assert (one_way["nodes"]["a"]["out_degree"], one_way["nodes"]["a"]["in_degree"]) == (1, 0)
    assert (one_way["nodes"]["b"]["out_degree"], one_way["nodes"]["b"]["in_degree"]) == (0, 1)


def test_the_time_filter_keeps_the_relationships_under_way_that_day():
    from datetime import date

    payload = data([("a", "b"), ("b", "c")])
    payload["edges"][0].update(start="2015-01-01", end="2018-12-31")
    _directed, graph = analysis.build_graph(payload, at=date(2020, 1, 1))
    assert list(graph.edges) == [("b", "c")]


@pytest.mark.parametrize(
    "payload",
    [data([]), data([], nodes=["alone"]), data([], nodes=["a", "b", "c"])],
    ids=["empty", "single node", "no edges"],
)
def test_graphs_without_ties_get_sensible_figures(payload):
    results = compute(payload)
    graph = results["graph"]
    assert graph["edges"] == 0
    assert graph["reciprocity"] is None and graph["modularity"] is None and graph["average_path_length"] is None
    assert graph["ei_index"] is None
    assert all(node["constraint"] is None for node in results["nodes"].values())
    assert all(node["betweenness"] == 0 and node["eigenvector"] == 0 for node in results["nodes"].values())


def test_density_and_centralisation_are_undefined_for_too_few_organisations():
    assert compute(data([], nodes=["alone"]))["graph"]["density"] is None
    assert compute(data([("a", "b")]))["graph"]["degree_centralisation"] is None


def test_two_components_get_their_own_path_lengths_and_a_size_weighted_mean():
    graph = compute(data([("a", "b"), ("b", "c"), ("x", "y")]))["graph"]
    assert (graph["components"], graph["largest_component"]) == (2, 3)
    assert graph["path_length_by_component"] == [{"size": 3, "average": 1.333333}, {"size": 2, "average": 1.0}]
    assert graph["average_path_length"] == pytest.approx((4 / 3 * 3 + 1 * 2) / 5, abs=1e-6)


FLORENCE = nx.florentine_families_graph()


def test_florentine_families_match_networkx_and_the_literature():
    results = compute(of(FLORENCE))
    nodes = results["nodes"]
    n = FLORENCE.number_of_nodes()
    betweenness = nx.betweenness_centrality(FLORENCE)
    harmonic = nx.harmonic_centrality(FLORENCE)
    eigenvector = nx.eigenvector_centrality(FLORENCE)
    core = nx.core_number(FLORENCE)
    constraint = nx.constraint(FLORENCE)
    for family in FLORENCE:
        assert nodes[family]["betweenness"] == pytest.approx(betweenness[family], abs=1e-6)
        assert nodes[family]["closeness"] == pytest.approx(harmonic[family] / (n - 1), abs=1e-6)
        assert nodes[family]["eigenvector"] == pytest.approx(eigenvector[family], abs=1e-4)
        assert nodes[family]["core"] == core[family]
        assert nodes[family]["constraint"] == pytest.approx(constraint[family], abs=1e-6)
    # Padgett's Medici: the highest betweenness of the fifteen families, about 0.522.
    assert max(nodes, key=lambda family: nodes[family]["betweenness"]) == "Medici"
    assert nodes["Medici"]["betweenness"] == pytest.approx(0.522, abs=1e-3)
    assert results["graph"]["density"] == pytest.approx(nx.density(FLORENCE), abs=1e-6)
    assert results["graph"]["transitivity"] == pytest.approx(nx.transitivity(FLORENCE), abs=1e-6)


def test_louvain_communities_are_the_same_for_the_same_data():
    first, second = compute(of(FLORENCE)), compute(of(FLORENCE))
    assert first["communities"] == second["communities"]
    assert first["graph"]["modularity"] > 0.3


def test_davis_southern_women_is_bipartite_without_triangles():
    davis = nx.davis_southern_women_graph()
    graph = compute(of(davis))["graph"]
    assert (graph["nodes"], graph["edges"]) == (32, 89)
    assert graph["density"] == pytest.approx(2 * 89 / (32 * 31), abs=1e-6)
    assert (graph["components"], graph["transitivity"]) == (1, 0)


def test_big_graphs_say_their_paths_are_estimated_from_a_sample(monkeypatch):
    monkeypatch.setattr(analysis, "EXACT_UP_TO", 10)
    monkeypatch.setattr(analysis, "SAMPLE", 5)
    results = compute(of(FLORENCE))
    assert results["approximate"]["betweenness"] == {"approximate": True, "k": 5, "nodes": 15}
    assert compute(PATH)["approximate"]["betweenness"]["approximate"] is False


def test_eigenvector_centrality_that_does_not_converge_is_left_out(monkeypatch):
    monkeypatch.setattr(analysis, "EIGENVECTOR_MAX_ITER", 1)
    results = compute(of(FLORENCE))
    assert results["graph"]["eigenvector_converged"] is False
    assert results["nodes"]["Medici"]["eigenvector"] is None


def test_progress_is_reported_between_metrics():
    seen = []
    analysis.compute(PATH, progress=lambda step, done, total: seen.append((step, done, total)))
    assert seen[0] == ("degree", 0, len(analysis.STEPS))
    assert seen[-1] == ("done", len(analysis.STEPS), len(analysis.STEPS))
    assert [done for _step, done, _total in seen] == sorted(done for _step, done, _total in seen)


# Stored analyses -----------------------------------------------------------------------------------------------------


@pytest.fixture
def network(db):
    network = make_network(name="CoNet")
    berlin, zabrze, apeldoorn = (make_organisation(name=name) for name in ("Berlin", "Zabrze", "Apeldoorn"))
    for organisation in (berlin, zabrze, apeldoorn):
        add_to_network(network, organisation)
    make_relationship(berlin, zabrze, network=network)
    make_relationship(berlin, apeldoorn, network=network, direction=Direction.DIRECTED)
    network.berlin = berlin
    return network


def test_a_requested_analysis_runs_on_the_queue_and_keeps_its_data_version(network, coordinator):
    stored = analysis.request_analysis(Scope(network=network), by=coordinator)
    assert stored.status == AnalysisStatus.DONE
    assert stored.data_version == analysis.current_version()
    assert stored.results["graph"]["nodes"] == 3
    assert stored.results["nodes"][str(network.berlin.pk)]["betweenness"] == 1.0
    assert not analysis.is_stale(stored)


def test_an_edited_relationship_makes_the_analysis_stale(network, coordinator):
    stored = analysis.request_analysis(Scope(network=network), by=coordinator)
    relationship = network.relationships.first()
    relationship.strength = 5
    relationship.save()
    as_if_committed()
    assert analysis.is_stale(stored)


def test_a_change_elsewhere_leaves_the_analysis_fresh(network, coordinator):
    stored = analysis.request_analysis(Scope(network=network), by=coordinator)
    version = stored.data_version
    elsewhere = make_organisation(name="Somewhere else")
    make_relationship(elsewhere, make_organisation(name="And its partner"))
    as_if_committed()
    assert analysis.current_version() > version
    assert not analysis.is_stale(stored)
    stored.refresh_from_db()
    assert stored.data_version == analysis.current_version()  # compared once, not at every reading


def test_a_draft_relationship_does_not_change_the_published_metrics(network, coordinator):
    before = analysis.request_analysis(Scope(network=network), by=coordinator).results
    zabrze, apeldoorn = network.organisations.exclude(pk=network.berlin.pk)
    make_relationship(zabrze, apeldoorn, network=network, state="draft")
    after = analysis.request_analysis(Scope(network=network), by=coordinator).results
    assert after["graph"] == before["graph"]


def test_a_stale_run_does_not_overwrite_a_newer_request(network, coordinator, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first = analysis.request_analysis(Scope(network=network), by=coordinator)
    old_token = analysis._token(first)
    Analysis.objects.filter(pk=first.pk).update(status=AnalysisStatus.FAILED)  # e.g. its worker died
    second = analysis.request_analysis(Scope(network=network), by=coordinator)
    assert analysis.analyse(first.pk, old_token) is False
    assert analysis.analyse(second.pk, analysis._token(second)) is True
    assert Analysis.objects.get(pk=first.pk).status == AnalysisStatus.DONE


def test_pressing_compute_twice_queues_one_computation(network, coordinator, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first = analysis.request_analysis(Scope(network=network), by=coordinator)
    second = analysis.request_analysis(Scope(network=network), by=coordinator)
    assert second.requested_at == first.requested_at and second.status == AnalysisStatus.WAITING


def test_the_command_analyses_every_network_lab_and_everything(network, lab):
    from django.core.management import call_command

    call_command("analyse_networks", verbosity=0)
    scopes = set(Analysis.objects.filter(status=AnalysisStatus.DONE).values_list("scope", flat=True))
    assert scopes == {f"network:{network.pk}", f"lab:{lab.pk}", "all"}


def test_a_selection_has_no_stored_analysis(coordinator):
    with pytest.raises(ValueError, match="selection"):
        analysis.request_analysis(Scope(filters={"q": "x"}), by=coordinator)

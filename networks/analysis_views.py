"""The analysis page of a network, a Lab or everything public: its stored metrics, their definitions, and the button
that computes them again on the task queue (networks.analysis)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from networks import analysis as metrics
from networks.graph import Scope, ScopeNotFound, scope_from_query
from networks.models import Analysis, Organisation

PER_PAGE = 50
SHOWN_COMMUNITIES = 12
SHOWN_MEMBERS = 12
SHOWN_BROKERS = 50

STEP_LABELS = {
    "degree": _("Degree"),
    "betweenness": _("Betweenness"),
    "closeness": _("Closeness"),
    "eigenvector": _("Eigenvector centrality"),
    "core": _("k-core"),
    "communities": _("Communities"),
    "brokers": _("Brokers"),
    "constraint": _("Constraint"),
    "whole network": _("Whole-network figures"),
    "done": _("Storing the results"),
}

# Whole-network figures: key in results["graph"], name, plain-language definition, formula (or "").
GRAPH_FIGURES = [
    ("nodes", _("Organisations"), _("Organisations in the graph."), ""),
    ("edges", _("Ties"), _("Pairs of organisations tied by at least one published relationship."), ""),
    ("relationships", _("Relationships"), _("Published relationships; several between one pair make one tie."), ""),
    ("density", _("Density"), _("The share of all possible ties that exist."), "2m / (n (n − 1))"),
    (
        "reciprocity",
        _("Reciprocity"),
        _("The share of directed ties returned by a tie the other way (a mutual relationship counts both ways)."),
        "",
    ),
    ("components", _("Components"), _("Groups of organisations connected by some path; none reaches another."), ""),
    ("largest_component", _("Largest component"), _("Organisations in the largest component."), ""),
    ("isolates", _("Isolated organisations"), _("Organisations without any tie."), ""),
    (
        "average_path_length",
        _("Average path length"),
        _(
            "The average number of steps between two organisations of the same component, per component; here the "
            "mean of the components weighted by their size."
        ),
        "",
    ),
    (
        "transitivity",
        _("Transitivity"),
        _("How often two partners of the same organisation are partners too (closed triangles)."),
        pgettext_lazy("formula", "3 × triangles / connected triples"),
    ),
    (
        "degree_centralisation",
        _("Degree centralisation (Freeman)"),
        _("1 when one organisation holds every tie (a star), 0 when all have as many ties; from 3 organisations."),
        "Σ (d_max − d_i) / ((n − 1)(n − 2))",
    ),
    (
        "ei_index",
        _("E-I index of cross-sector ties"),
        _(
            "From −1 (all ties within one sector: public, private, civic, knowledge) to +1 (all across sectors), "
            "over the ties whose two organisations have a known sector."
        ),
        "(E − I) / (E + I)",
    ),
    ("communities", _("Communities"), _("Groups found by the Louvain method (tied more within than across)."), ""),
    (
        "modularity",
        _("Modularity"),
        _("How clearly the communities separate: above 0.3 is usually a marked structure."),
        "",
    ),
    ("brokers", _("Brokers"), _("Organisations whose removal would split their component."), ""),
]

# Organisation figures: key in results["nodes"][id], name, definition, formula.
NODE_FIGURES = [
    ("degree", _("Degree"), _("Organisations it is tied to."), ""),
    ("in_degree", _("In-degree"), _("Organisations with a tie towards it."), ""),
    ("out_degree", _("Out-degree"), _("Organisations it has a tie towards."), ""),
    (
        "betweenness",
        _("Betweenness"),
        _("The share of shortest paths between two other organisations that pass through it (0 to 1)."),
        "Σ σ_st(v) / σ_st · 2 / ((n − 1)(n − 2))",
    ),
    (
        "closeness",
        _("Closeness (harmonic)"),
        _(
            "The mean of 1 / distance to every other organisation, 0 for those out of reach; above 1 when its "
            "direct ties are strong ones (a distance is 1 / the tie's weight)."
        ),
        "Σ 1 / d(v, u) / (n − 1)",
    ),
    (
        "eigenvector",
        _("Eigenvector centrality"),
        _("High when tied strongly to organisations that are central themselves."),
        "",
    ),
    ("core", _("k-core"), _("The largest k such that it belongs to a group where everyone has at least k ties."), ""),
    ("community", _("Community"), _("The number of its Louvain community (1 is the largest)."), ""),
    ("broker", _("Broker"), _("Yes when removing it would split its component (an articulation point)."), ""),
    (
        "constraint",
        _("Constraint (Burt)"),
        _("Low for an organisation whose partners are not tied to each other (it bridges structural holes)."),
        "Σ_j (p_ij + Σ_q p_iq p_qj)²",
    ),
]


def _scope_or_404(query, user) -> Scope:
    try:
        return scope_from_query(query, user)
    except ScopeNotFound as error:
        raise Http404 from error


def _status(analysis: Analysis | None) -> dict:
    if analysis is None:
        return {"status": None, "under_way": False}
    done, total = analysis.progress_done, analysis.progress_total
    return {
        "status": analysis.status,
        "under_way": metrics.is_under_way(analysis),
        "step": analysis.step,
        "step_label": str(STEP_LABELS.get(analysis.step, "")),
        "done": done,
        "total": total,
        "percent": min(100, 100 * done // total) if total else 0,
    }


def _names(ids: set[int], user) -> dict[int, Organisation]:
    """The organisations among `ids` that `user` may see (one query): results name organisations by id, and one
    hidden since the computation stays hidden."""
    rows = Organisation.objects.visible_to(user).filter(pk__in=ids).only("pk", "name", "slug")
    return {organisation.pk: organisation for organisation in rows}


def analysis_page(request):
    scope = _scope_or_404(request.GET, request.user)
    context = {"scope": scope, "may_request": scope.key and metrics.may_request(request.user)}
    analysis = None
    if scope.key:
        analysis = Analysis.objects.filter(scope=scope.key).first()
    context["analysis"] = analysis
    context["progress"] = _status(analysis)
    context["status_url"] = f"{reverse('networks:analysis_status')}?{scope.query()}"
    results = analysis.results if analysis is not None and analysis.data_version is not None else {}
    if results:
        context.update(_figures(request, analysis, results))
    return render(request, "networks/analysis.html", context)


def _figures(request, analysis: Analysis, results: dict) -> dict:
    nodes = results.get("nodes", {})
    graph = results.get("graph", {})
    ranked = sorted(nodes.items(), key=lambda item: (-(item[1].get("betweenness") or 0), int(item[0])))
    page = Paginator(ranked, PER_PAGE).get_page(request.GET.get("page"))
    communities = list(results.get("communities", [])[:SHOWN_COMMUNITIES])
    brokers = [int(node) for node, values in ranked if values.get("broker")][:SHOWN_BROKERS]
    wanted = {int(node) for node, _values in page.object_list} | set(brokers)
    wanted |= {node for ids in communities for node in ids[:SHOWN_MEMBERS]}
    names = _names(wanted, request.user)
    rows = [{"organisation": names[int(node)], **values} for node, values in page.object_list if int(node) in names]
    return {
        "stale": metrics.is_stale(analysis),
        "graph_figures": [
            {
                "key": key,
                "name": name,
                "definition": definition,
                "formula": formula,
                "value": graph.get(key),
                "count": isinstance(graph.get(key), int),
            }
            for key, name, definition, formula in GRAPH_FIGURES
        ],
        "node_figures": [
            {"key": key, "name": name, "definition": definition, "formula": formula}
            for key, name, definition, formula in NODE_FIGURES
        ],
        "path_lengths": graph.get("path_length_by_component", [])[:20],
        "eigenvector_converged": graph.get("eigenvector_converged", True),
        "approximate": (results.get("approximate") or {}).get("betweenness") or {},
        "page": page,
        "rows": rows,
        "communities": [
            {
                "number": number,
                "size": len(ids),
                "members": [names[node] for node in ids[:SHOWN_MEMBERS] if node in names],
                "more": max(0, len(ids) - SHOWN_MEMBERS),
            }
            for number, ids in enumerate(communities, start=1)
        ],
        "community_count": len(results.get("communities", [])),
        "brokers": [names[node] for node in brokers if node in names],
    }


@require_POST
def analysis_start(request):
    scope = _scope_or_404(request.POST, request.user)
    if not metrics.may_request(request.user):
        raise Http404
    if not scope.key:
        return HttpResponseBadRequest(_("Only a network, a Lab or everything public can be analysed."))
    metrics.request_analysis(scope, by=request.user)
    return redirect(f"{reverse('networks:analysis')}?{scope.query()}")


def analysis_status(request):
    """Where the scope's analysis has got, for the page's script (static/js/progress.js)."""
    scope = _scope_or_404(request.GET, request.user)
    analysis = Analysis.objects.filter(scope=scope.key).first() if scope.key else None
    status = _status(analysis)
    status["html"] = render_to_string(
        "networks/_analysis_progress.html", {"analysis": analysis, "progress": status}, request
    )
    return JsonResponse(status)

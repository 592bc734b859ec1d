"""The interactive view of a graph: a network's, a Lab's or a filtered selection's organisations and relationships,
drawn as a graph or on a map, with an accessible table of the same data."""

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from networks.graph import ScopeNotFound, graph_data, scope_from_query


def _scope(request):
    try:
        return scope_from_query(request.GET, request.user)
    except ScopeNotFound:
        raise Http404 from None


@require_safe
def graph_page(request):
    scope = _scope(request)
    return render(request, "networks/graph.html", {"scope": scope, "graph": graph_data(scope, request.user)})


@require_safe
def graph_json(request):
    scope = _scope(request)
    return JsonResponse(graph_data(scope, request.user))

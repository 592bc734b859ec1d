"""The library's public side: browse and search with facets, a resource's page, its download and its preview."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, F, Func, Value
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_info
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from activities.models import Activity
from labs.models import Lab
from library.files import served_type
from library.filters import ResourceFilter
from library.models import Licence, Resource, ResourceKind, search_query
from practices.models import Practice, Theme

PAGE_SIZE = 20
# ts_headline marks the matched words with these (private-use characters, removed from the text first), so the
# passage is escaped as plain text and only then given its <mark> elements.
MARK_START, MARK_END = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f'StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=40, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
)


@dataclass(frozen=True)
class FacetValue:
    param: str
    value: str
    label: str
    count: int
    chosen: bool


class Headline(Func):
    """ts_headline in the resource's own language, over a text cleaned of the marker characters."""

    function = "ts_headline"
    template = (
        "%(function)s(conect_ts_config(%(language)s), translate(%(text)s, %(markers)s, ''), %(query)s, %(options)s)"
    )

    def __init__(self, text: str, language, query, **extra):
        super().__init__(F(text), language, query, Value(HEADLINE_OPTIONS), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        text, language, query, options = (compiler.compile(expression) for expression in self.source_expressions)
        params = (*language[1], *text[1], MARK_START + MARK_END, *query[1], *options[1])
        sql = self.template % {"function": self.function, "language": language[0], "text": text[0],
                               "markers": "%s", "query": query[0], "options": options[0]}  # fmt: skip
        return sql, params

    @property
    def output_field(self):
        from django.db.models import TextField

        return TextField()


def marked(headline: str) -> str:
    """A passage from ts_headline, escaped, with its matches in <mark>."""
    html = escape(headline).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own elements added


def passages(resources: list[Resource], text: str) -> None:
    """Give each resource of a page of results the passage that matches: from its file's text, else its description.
    One query for the whole page, whatever its size."""
    query = search_query(text)
    if query is None or not resources:
        return
    rows = (
        Resource.objects.filter(pk__in=[resource.pk for resource in resources])
        .annotate(in_file=Headline("extracted_text", F("language"), query))
        .annotate(in_description=Headline("description", Value("en"), query))
        .values_list("pk", "in_file", "in_description")
    )
    found = {pk: (in_file, in_description) for pk, in_file, in_description in rows}
    for resource in resources:
        in_file, in_description = found.get(resource.pk, ("", ""))
        best = next((part for part in (in_file, in_description) if MARK_START in part), "")
        resource.passage = marked(best) if best else ""
        resource.passage_in_file = bool(best) and best == in_file


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


FACET_FIELDS = ("kind", "language", "licence", "lab_id", "published_year")


def facets(queryset, chosen: dict[str, list[str]]) -> list[tuple[str, list[FacetValue]]]:
    """Counts of the results by kind, theme, language, licence, Lab and year, in three queries whatever the size: the
    five plain fields in one scan of the results (GROUPING SETS), so a search's matches are checked once, not five
    times; the themes through their table; the names of the Labs counted."""
    sql, params = queryset.order_by().values(*FACET_FIELDS).query.sql_with_params()
    columns = ", ".join(FACET_FIELDS)
    sets = ", ".join(f"({field})" for field in FACET_FIELDS)
    counts: dict[str, list[tuple]] = {field: [] for field in FACET_FIELDS}
    with connection.cursor() as cursor:
        cursor.execute(
            # Column names are this module's constants and `sql` is Django's own, its values passed as parameters.
            f"SELECT {columns}, count(*), GROUPING({columns}) FROM ({sql}) AS results GROUP BY GROUPING SETS ({sets})",  # noqa: S608
            params,
        )
        for *values, count, grouping in cursor.fetchall():
            # GROUPING() has a 0 bit for the one field this row counts (the first field is the highest bit).
            field_index = next(i for i in range(len(FACET_FIELDS)) if not grouping & (1 << (len(FACET_FIELDS) - 1 - i)))
            value = values[field_index]
            if value not in (None, ""):
                counts[FACET_FIELDS[field_index]].append((value, count))
    kinds, licences = dict(ResourceKind.choices), dict(Licence.choices)
    found_labs = Lab.objects.filter(pk__in=[pk for pk, _n in counts["lab_id"]]).values_list("pk", "slug", "name")
    labs, lab_names = {}, {}
    for pk, slug, name in found_labs:
        labs[pk], lab_names[slug] = slug, name

    def values(param: str, field: str, label, key=lambda value: value, by_count: bool = True) -> list[FacetValue]:
        rows = sorted(counts[field], key=(lambda row: (-row[1], str(row[0]))) if by_count else (lambda row: -row[0]))
        picked = chosen.get(param, [])
        return [FacetValue(param, str(key(value)), label(key(value)), n, str(key(value)) in picked)
                for value, n in rows]  # fmt: skip

    themes = Theme.objects.filter(resources__in=queryset.order_by().values("pk")).annotate(n=Count("resources"))
    theme_values = [FacetValue("theme", t.slug, t.label, t.n, t.slug in chosen.get("theme", [])) for t in themes]
    return [
        ("kind", values("kind", "kind", lambda key: kinds.get(key, key))),
        ("theme", sorted(theme_values, key=lambda facet: (-facet.count, facet.label))),
        ("language", values("language", "language", language_name)),
        ("licence", values("licence", "licence", lambda key: licences.get(key, key))),
        ("lab", values("lab", "lab_id", lambda slug: lab_names.get(slug, slug), key=lambda pk: labs.get(pk, pk))),
        ("year", values("year", "published_year", str, by_count=False)),
    ]


def resource_list(request):
    """Browse by facets and search in every language, the passage of each hit shown."""
    base = Resource.objects.visible_to(request.user)
    data = request.GET.copy()
    if "q" in data:
        data["q"] = data["q"].replace("\x00", "").strip()[:200]
    filterset = ResourceFilter(data, queryset=base, request=request)
    valid = filterset.is_valid()
    # Filters that name nothing (an unknown Lab, a year that is no number) are left out, as the page says.
    queryset = filterset.qs if valid else base
    text = filterset.form.cleaned_data.get("q", "") if valid else ""
    ordered = queryset.order_by("-rank", "title", "pk") if text else queryset.order_by("title", "pk")
    page = Paginator(ordered.with_relations(), PAGE_SIZE).get_page(request.GET.get("page"))
    resources = list(page.object_list)
    passages(resources, text)
    chosen = {key: data.getlist(key) for key in data if key not in ("page", "q")}
    others = [(key, value) for key, values in chosen.items() for value in values]
    context = {
        "filter": filterset,
        "page": page,
        "resources": resources,
        "q": text,
        "facets": facets(queryset, chosen),
        "query": urlencode([*(("q", text),) * bool(text), *others]),
        "filtered": bool(text or others),
        "can_add": request.user.is_authenticated and Resource.can_add(request.user),
    }
    return render(request, "library/resource_list.html", context, status=200 if valid else 400)


class ResourceDetailView(DetailView):
    template_name = "library/resource_detail.html"
    context_object_name = "resource"

    def get_queryset(self):
        return Resource.objects.visible_to(self.request.user).with_relations()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        resource, user = self.object, self.request.user
        context["description"] = resource.localised_description
        context["practices"] = Practice.objects.visible_to(user).filter(library_items=resource).order_by("title")
        context["activities"] = Activity.objects.visible_to(user).filter(resources=resource).order_by("-starts_at")
        context["can_edit"] = Resource.objects.editable_by(user).filter(pk=resource.pk).exists()
        context["can_moderate"] = user.is_authenticated and resource.can_moderate(user)
        if context["can_moderate"] and resource.state == "submitted":
            from practices.forms import ModerationForm

            context["moderation_form"] = ModerationForm(initial={"version": resource.version})
        return context


def _file_response(resource: Resource, *, inline: bool) -> FileResponse:
    try:
        handle = resource.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = served_type(resource.file_type) if not inline else resource.file_type
    response = FileResponse(handle, content_type=content_type, as_attachment=not inline, filename=resource.file_name)
    # Whatever the file holds, it runs no script on our origin: no sniffing, and a sandbox without scripts.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    if resource.is_published:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def download(request, slug: str):
    """The file, as an attachment, for those who may see the resource (404 otherwise, like a missing one)."""
    resource = get_object_or_404(Resource.objects.visible_to(request.user).exclude(file=""), slug=slug)
    if request.method == "GET":
        resource.count_download()
    return _file_response(resource, inline=False)


@require_safe
@xframe_options_sameorigin
def preview(request, slug: str):
    """A PDF or an image shown inside the resource's page; any other file has no preview."""
    resource = get_object_or_404(Resource.objects.visible_to(request.user).exclude(file=""), slug=slug)
    if not resource.previewable:
        raise Http404
    return _file_response(resource, inline=True)

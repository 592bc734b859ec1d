import json
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.contrib.gis.db.models.functions import Distance, GeometryDistance
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from practices.embed_views import embeddable
from practices.models import Practice, PracticeImage, Space
from practices.paging import CappedPaginator
from practices.vocabularies import ResilienceDimension, ResourceKind, TargetGroup


def labels(choices, values: list[str]) -> list[str]:
    """Translated labels of stored choice values, in the vocabulary's order."""
    return [str(label) for value, label in choices.choices if value in values]


class PracticeDetailView(DetailView):
    template_name = "practices/practice_detail.html"
    context_object_name = "practice"

    def get_queryset(self):
        return (
            Practice.objects.visible_to(self.request.user)
            .with_relations()
            .prefetch_related(
                Prefetch("spaces", queryset=Space.objects.visible_to(self.request.user)),
                "images",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = self.object
        text = practice.localised()
        context["text"] = text
        context["related"] = self.related(practice)
        user = self.request.user
        context["can_edit"] = Practice.objects.editable_by(user).filter(pk=practice.pk).exists()
        context["can_moderate"] = user.is_authenticated and practice.can_moderate(user)
        context["dimensions"] = labels(ResilienceDimension, practice.dimensions)
        context["target_groups"] = labels(TargetGroup, practice.target_groups)
        context["resources"] = labels(ResourceKind, practice.resources)
        if practice.location:
            theme = practice.primary_theme or next(iter(practice.themes.all()), None)
            context["map_place"] = {
                "lat": practice.location.y,
                "lng": practice.location.x,
                "zoom": 13,
                "colour": theme.colour if theme else None,
            }
        return context

    def related(self, practice: Practice):
        """Published practices sharing a theme, nearest first (RELATED_PRACTICES of them)."""
        themes = [theme.pk for theme in practice.themes.all()]
        if practice.location is None or not themes:
            return []
        return related_practices(practice, themes, self.request.user)


RELATED_PRACTICES = 6
# The nearest candidates in planar degrees, re-ordered by the distance on the sphere: near the poles a degree of
# longitude is shorter than one of latitude, so the true nearest six are among the first few dozen by degrees.
RELATED_CANDIDATES = 30


def related_practices(practice: Practice, themes: list[int], user) -> list[Practice]:
    """A nearest-neighbour walk of the location's GiST index (ORDER BY location <-> point) that stops at the first
    candidates sharing a theme, whatever the number of practices; the distance on the sphere for those only."""
    same_theme = Practice.themes.through.objects.filter(practice_id=OuterRef("pk"), theme_id__in=themes)
    candidates = (
        Practice.objects.visible_to(user)
        .published()
        .filter(Exists(same_theme), location__isnull=False)
        .exclude(pk=practice.pk)
        .order_by(GeometryDistance("location", practice.location))
        .values("pk")[:RELATED_CANDIDATES]
    )
    return list(
        Practice.objects.filter(pk__in=candidates)
        .annotate(distance=Distance("location", practice.location))
        .order_by("distance", "pk")
        .defer("search_vector")
        .prefetch_related("translations")[:RELATED_PRACTICES]
    )


@method_decorator(embeddable, name="dispatch")
class PracticeEmbedView(DetailView):
    """A card of one published practice for partner sites to put in an iframe."""

    template_name = "practices/practice_embed.html"
    context_object_name = "practice"

    def get_queryset(self):
        return Practice.objects.visible_to(AnonymousUser()).with_relations()


class SpaceDetailView(DetailView):
    template_name = "practices/space_detail.html"
    context_object_name = "space"

    def get_queryset(self):
        return Space.objects.visible_to(self.request.user).select_related("lab")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        space = self.object
        context["can_edit"] = Space.objects.editable_by(self.request.user).filter(pk=space.pk).exists()
        context["practices"] = (
            Practice.objects.visible_to(self.request.user).filter(spaces=space).prefetch_related("translations")
        )
        context["map_place"] = {
            "lat": space.location.y,
            "lng": space.location.x,
            "zoom": 16,
            "area": json.loads(space.area.geojson) if space.area else None,
        }
        return context


def search(request):
    """Practices and spaces matching the words, in any language, that the requester may see."""
    text = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    context = {"q": text, "page": None, "spaces": [], "query": urlencode({"q": text})}
    if text:
        practices = Practice.objects.visible_to(request.user).search(text).with_relations()
        paginator = CappedPaginator(practices.by_relevance(), 20)  # counted by the query that ranks them
        context["page"] = paginator.get_page(request.GET.get("page"))
        context["spaces"] = (
            Space.objects.visible_to(request.user)
            .filter(Q(name__icontains=text) | Q(city__icontains=text) | Q(description__icontains=text))
            .order_by("name")[:20]
        )
    return render(request, "practices/search.html", context)


@require_safe
def photo(request, pk: int, size: str):
    """A practice's photo or its thumbnail, for those who may see the practice (404 otherwise, like a missing one).

    Only the photos of published practices may be kept by caches; the files are in the private storage."""
    if size not in ("full", "thumbnail"):
        raise Http404
    visible = PracticeImage.objects.filter(practice__in=Practice.objects.visible_to(request.user))
    image = get_object_or_404(visible.select_related("practice"), pk=pk)
    file = image.image if size == "full" else image.thumbnail
    try:
        response = FileResponse(file.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
    if image.practice.is_published:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response

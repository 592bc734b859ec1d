from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap

from practices.models import Practice, Space


class PracticeSitemap(Sitemap):
    """Only what a visitor may see: the sitemap goes through the same access path as every page."""

    i18n = True
    alternates = True
    limit = 10000

    def items(self):
        return Practice.objects.visible_to(AnonymousUser()).only("slug", "updated_at").order_by("pk")

    def lastmod(self, practice):
        return practice.updated_at


class SpaceSitemap(PracticeSitemap):
    def items(self):
        return Space.objects.visible_to(AnonymousUser()).only("slug", "updated_at").order_by("pk")

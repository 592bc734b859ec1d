"""RSS 2.0 and Atom feeds of the newly published practices: all of them, one Lab's, one theme's.

The feeds live under the language prefix, like every page: a feed is text for a reader (titles, summaries, theme
names and the links to the pages, all in one language), and its address says which. A page advertises the feed of
its own language; a reader who wants another subscribes to that address. Only what a visitor sees is in a feed.
"""

import re
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import F
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from labs.models import Lab
from practices.models import Practice, Theme

ITEMS = 30
# XML 1.0 refuses these characters whatever the escaping (tab, line feed and carriage return are allowed).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Text that any XML writer accepts: the characters XML 1.0 cannot hold are dropped."""
    return _NOT_XML.sub("", str(text or ""))


def newly_published():
    """A visitor's practices (drafts never), the most recently published first."""
    published_at = Coalesce("state_changed_at", "created_at")
    return (
        Practice.objects.visible_to(AnonymousUser())
        .with_relations()
        .annotate(published_at=published_at)
        .order_by(F("published_at").desc(), "-pk")
    )


class PracticeFeed(Feed):
    """Every newly published practice. Subclasses narrow it to a Lab or a theme (their `get_object`)."""

    feed_type = Rss201rev2Feed

    def title(self, obj=None) -> str:
        return xml_text(_("New practices on CoNECT"))

    def description(self, obj=None) -> str:
        return xml_text(_("Practices of community resilience newly published on the CoNECT map."))

    def link(self, obj=None) -> str:
        return reverse("practices:map")

    def practices(self, obj):
        return newly_published()

    def items(self, obj=None):
        return self.practices(obj)[:ITEMS]

    def item_title(self, item: Practice) -> str:
        return xml_text(item.localised().title)

    def item_description(self, item: Practice) -> str:
        text = item.localised()
        # A practice imported without a summary: the start of its description (Markdown read as plain text).
        return xml_text(text.summary or Truncator(text.description).words(60))

    def item_link(self, item: Practice) -> str:
        return item.get_absolute_url()

    # The guid is the page's address (Django's default: the item's link, made absolute), a permalink.
    item_guid_is_permalink = True

    def item_pubdate(self, item: Practice) -> datetime:
        return item.published_at

    def item_updateddate(self, item: Practice) -> datetime:
        return item.updated_at

    def item_categories(self, item: Practice) -> list[str]:
        return [xml_text(theme.label) for theme in item.themes.all()]


class LabPracticeFeed(PracticeFeed):
    def get_object(self, request, slug: str) -> Lab:
        return get_object_or_404(Lab.objects.visible_to(request.user), slug=slug)

    def title(self, obj: Lab) -> str:
        return xml_text(_("New practices of %(lab)s on CoNECT") % {"lab": obj.name})

    def description(self, obj: Lab) -> str:
        return xml_text(_("Practices newly published by %(lab)s on the CoNECT map.") % {"lab": obj.name})

    def link(self, obj: Lab) -> str:
        return obj.get_absolute_url()

    def practices(self, obj: Lab):
        return newly_published().filter(lab=obj)


class ThemePracticeFeed(PracticeFeed):
    def get_object(self, request, slug: str) -> Theme:
        return get_object_or_404(Theme, slug=slug)

    def title(self, obj: Theme) -> str:
        return xml_text(_("New practices on CoNECT: %(theme)s") % {"theme": obj.label})

    def description(self, obj: Theme) -> str:
        return xml_text(_("Practices of the theme %(theme)s newly published on the CoNECT map.") % {"theme": obj.label})

    def link(self, obj: Theme) -> str:
        return f"{reverse('practices:map')}?theme={obj.slug}"

    def practices(self, obj: Theme):
        return newly_published().filter(pk__in=Practice.themes.through.objects.filter(theme=obj).values("practice_id"))


def atom(feed: type[PracticeFeed]) -> type[PracticeFeed]:
    """The same feed in Atom 1.0 (its `subtitle` is the RSS description)."""

    class AtomFeed(feed):
        feed_type = Atom1Feed

        def subtitle(self, obj=None) -> str:
            return self.description(obj) if obj is not None else self.description()

    AtomFeed.__name__ = f"Atom{feed.__name__}"
    return AtomFeed


AtomPracticeFeed = atom(PracticeFeed)
AtomLabPracticeFeed = atom(LabPracticeFeed)
AtomThemePracticeFeed = atom(ThemePracticeFeed)

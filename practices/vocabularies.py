"""Fixed vocabularies of the practices app: their labels are translated by the catalogues, like any UI string."""

from django.conf.locale import LANG_INFO
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class ResilienceDimension(models.TextChoices):
    SOCIAL = "social", _("Social")
    ECONOMIC = "economic", _("Economic")
    ENVIRONMENTAL = "environmental", _("Environmental")
    GOVERNANCE = "governance", _("Governance")
    CULTURAL = "cultural", _("Cultural")


class TargetGroup(models.TextChoices):
    ELDERLY = "elderly", _("Older people")
    MIGRANTS = "migrants", _("Migrants and refugees")
    YOUTH = "youth", _("Young people")
    CHILDREN = "children", _("Children and families")
    WOMEN = "women", _("Women")
    LOW_INCOME = "low_income", _("People on low incomes")
    DISABILITY = "disability", _("People with disabilities")
    HOMELESS = "homeless", _("Homeless people")
    EVERYONE = "everyone", _("Everyone in the area")


class Scale(models.TextChoices):
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")
    CITY = "city", _("City")
    METROPOLITAN = "metropolitan", _("Metropolitan area")
    REGIONAL = "regional", _("Region")
    NATIONAL = "national", _("Country")
    TRANSNATIONAL = "transnational", _("Transnational")


class PracticeStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class ResourceKind(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Volunteers")
    PUBLIC_FUNDING = "public_funding", _("Public funding")
    EU_FUNDING = "eu_funding", _("EU funding")
    PRIVATE_FUNDING = "private_funding", _("Private or foundation funding")
    MEMBERSHIP_FEES = "membership_fees", _("Members' fees")
    CROWDFUNDING = "crowdfunding", _("Crowdfunding")
    IN_KIND = "in_kind", _("In-kind donations")
    SALES = "sales", _("Sales of goods or services")


class SpaceKind(models.TextChoices):
    COMMUNITY_GARDEN = "community_garden", _("Community garden")
    SOCIAL_CENTRE = "social_centre", _("Social or community centre")
    COHOUSING = "cohousing", _("Collaborative housing")
    LIBRARY = "library", _("Library")
    SCHOOL = "school", _("School")
    MARKET = "market", _("Market or shop")
    FOOD_BANK = "food_bank", _("Food bank or pantry")
    PUBLIC_SPACE = "public_space", _("Square, park or street")
    OTHER = "other", _("Other place")


class Tenure(models.TextChoices):
    PUBLIC = "public", _("Public")
    PRIVATE = "private", _("Private")
    COMMONS = "commons", _("Commons")


# The 17 UN Sustainable Development Goals, by number (official short titles).
SDG_NAMES = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}


# The languages a practice can be written in: those of Europe's communities, not Django's hundred.
TEXT_LANGUAGES = [
    "ar", "bg", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "eu", "fi", "fr", "ga", "gl", "hr", "hu", "is",
    "it", "lb", "lt", "lv", "mk", "mt", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sl", "sq", "sr", "sv", "tr", "uk",
]  # fmt: skip


# Django's table of languages lacks Maltese, an official language of the EU: without it get_language_info fails
# on "mt" (forms, API, the note on a practice page). Its name is translated by our catalogues, like Django's own.
LANG_INFO.setdefault("mt", {"bidi": False, "code": "mt", "name": gettext_noop("Maltese"), "name_local": "Malti"})


def language_choices() -> list[tuple[str, str]]:
    """(code, name in the reader's language), sorted by name."""
    from django.utils.translation import get_language_info

    names = []
    for code in TEXT_LANGUAGES:
        try:
            names.append((code, str(get_language_info(code)["name_translated"])))
        except KeyError:
            names.append((code, code))
    return sorted(names, key=lambda item: item[1].casefold())

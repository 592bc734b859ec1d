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


# The SUSY map's categories (type_of_initiative in practices/data/susy-ssedas.geojson, TransforMap's taxonomy of the
# solidarity economy) in our vocabularies: "themes; resilience dimensions; target groups", each only where the
# category's name says so. Categories that name no field map to nothing ("other", "ngo", "ssedas_partner",
# "networking_initiative", "other_infraressources"): their practices stay unknown unless the row says more.
SUSY_CATEGORIES = {
    # Food and agriculture
    "agro_empowerment": "food;;",
    "agro_sucessionnetwork": "food;;",
    "agroecology_education": "food education;environmental;",
    "community_garden": "food;;",
    "communitysupported_agriculture": "food economy;;",
    "edible_town": "food;;",
    "farm_shop": "food;;",
    "food_cooperative": "food economy;;",
    "food_souvereignity": "food;governance;",
    "foodbank": "food solidarity;social;",
    "foodpolicy_council": "food;governance;",
    "foodpurchasing_combine": "food economy;;",
    "foodrescue": "food ecology;environmental;",
    "foodrescue_cuisine": "food ecology;environmental;",
    "foodrescue_distribution": "food ecology;environmental;",
    "guerilla_garden": "food culture;;",
    "local_farmersmarket": "food;;",
    "other_foodedunpolicy": "food education;;",
    "other_foodrescue": "food ecology;environmental;",
    "other_growyourself": "food;;",
    "permaculture_education": "food education ecology;environmental;",
    "recycling_foodwaste": "food ecology;environmental;",
    "seed_saving": "food ecology;environmental;",
    "self_harvest": "food;;",
    "slowfood": "food;;",
    "vegetable_box": "food;;",
    # Fair trade, finance and the solidarity economy
    "business_incubators": "economy;economic;",
    "communitycurrency": "economy;economic;",
    "coworking": "economy;economic;",
    "directtrade": "economy;economic;",
    "entrepreneurship_education": "education economy;economic;",
    "ethicalfinance_education": "economy education;economic;",
    "fairtrade_school": "economy education;economic;",
    "fairtrade_shop": "economy;economic;",
    "fairtrade_town": "economy;economic;",
    "fairtrade_wholesaler": "economy;economic;",
    "microfinance": "economy;economic;",
    "mutual_insurance": "economy solidarity;economic;",
    "other_buylocal": "economy;economic;",
    "other_fairtrade": "economy;economic;",
    "other_finance": "economy;economic;",
    "social_incubators": "economy;economic;",
    "solidarity_lending": "economy solidarity;economic;",
    "sse_education": "education economy;;",
    "sse_research": "economy;;",
    "virtual_directpurchase": "economy;economic;",
    # Social inclusion, mutual aid and communities
    "community_group": "solidarity;social;",
    "development_cooperation": "solidarity;;",
    "homeless_shelter": "solidarity;social;homeless",
    "localcollective_ressources": "solidarity;;",
    "lowincome_supermarket": "solidarity;social;low_income",
    "mutualsociety_aid": "solidarity;social;",
    "other_communities": "solidarity;social;",
    "other_mutualsociety": "solidarity;social;",
    "other_sharing": "solidarity;;",
    "other_socialinclusion": "solidarity;social;",
    "socialinclusion_employment": "solidarity economy;social economic;",
    "socialinclusion_empowerment": "solidarity;social;",
    "timebanking": "solidarity;social;",
    # Reduce, reuse, repair, recycle; energy and mobility
    "bicycle_awareness": "ecology;environmental;",
    "bicycle_selfrepair": "ecology;environmental;",
    "collective_energy": "energy;environmental;",
    "community_forestry": "ecology;environmental;",
    "fleamarket": "ecology;environmental;",
    "garment_rental": "ecology;environmental;",
    "giveaway_shop": "ecology solidarity;environmental;",
    "lending_central": "solidarity ecology;environmental;",
    "nopacking_shop": "ecology;environmental;",
    "other_repair": "ecology;environmental;",
    "other_reupcycle": "ecology;environmental;",
    "other_wastereduction": "ecology;environmental;",
    "recycling": "ecology;environmental;",
    "repair_cafe": "ecology;environmental;",
    "repair_resale": "ecology;environmental;",
    "repairing": "ecology;environmental;",
    "sustainable_mobility": "ecology;environmental;",
    "swap_market": "ecology solidarity;environmental;",
    "upcycling": "ecology;environmental;",
    "used_goods": "ecology;environmental;",
    "waste_awareness": "ecology education;environmental;",
    # Housing and habitat, spaces, culture, participation, education
    "cohousing": "housing;;",
    "commune": "housing;;",
    "ecovillage": "housing ecology;environmental;",
    "other_habitat": "housing;;",
    "squatted_place": "housing;;",
    "freespace": "culture;;",
    "eco_art": "culture ecology;cultural environmental;",
    "mutualsociety_art": "culture;cultural;",
    "citizen_council": ";governance;",
    "directdemocracy": ";governance;",
    "other_participation": ";governance;",
    "other_political": ";governance;",
    "participatory_budgeting": ";governance;",
    "youth_council": ";governance;youth",
    "consumerism_awareness": "education;;",
    "other_education": "education;;",
}
# The file's misspellings of its own categories.
SUSY_CATEGORY_ALIASES = {
    "othe": "other", "other_educatio": "other_education", "other_infraressource": "other_infraressources",
    "localcollective_ressource": "localcollective_ressources",
}  # fmt: skip
# Free words the file gives beside its categories (free_keywords, free_tags, POI_TYPE, provides, and tags written as
# keys and values, such as "women": "refugee"), matched whole: "themes; dimensions; target groups".
SUSY_WORDS = {
    "health": "care;;", "mental health": "care;;", "wellbeing": "care;;", "well-being": "care;;", "care": "care;;",
    "social care": "care;;", "care/homecare": "care;;", "women's health": "care;;women",
    "energy": "energy;;", "renewable energy": "energy;environmental;", "collective energy ownership": "energy;;",
    "fuel poverty": "energy;;low_income", "housing": "housing;;", "housing & habitat": "housing;;",
    "culture": "culture;;", "arts": "culture;cultural;", "art": "culture;cultural;",
    "community arts": "culture;cultural;", "arts projects": "culture;cultural;", "music": "culture;cultural;",
    "dance": "culture;cultural;", "film": "culture;cultural;", "culture / recreation / leisure": "culture;cultural;",
    "education": "education;;", "education & training": "education;;",
    "environment": "ecology;environmental;", "environmental": "ecology;environmental;",
    "reduce, reuse, repair, recycle": "ecology;environmental;",
    "women": ";;women", "girls": ";;women", "asian women": ";;women", "mums-to-be": ";;women",
    "refugee": ";;migrants", "refugees": ";;migrants", "immigrant": ";;migrants", "immigrants": ";;migrants",
    "immigration": ";;migrants", "migrants": ";;migrants", "asylum": ";;migrants", "asylum seeker": ";;migrants",
    "asylum seekers": ";;migrants",
    "disability": ";;disability", "disabled": ";;disability", "learning disability": ";;disability",
    "autism": ";;disability", "blind and visually impaired": ";;disability",
    "people with intellectual disabilities": ";;disability",
    "children": ";;children", "childcare": "care;;children", "families": ";;children", "babies": ";;children",
    "youth": ";;youth", "young people": ";;youth",
    "old peoples homes": ";;elderly", "retirement": ";;elderly",
    "homeless": ";;homeless", "homelessness": ";;homeless",
}  # fmt: skip

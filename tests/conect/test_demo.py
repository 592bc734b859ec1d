import pytest
from allauth.account.models import EmailAddress
from django.contrib.gis.geos import Point

from activities.models import Activity, Programme
from conect.demo import DEMO_PASSWORD
from conect.gazetteer import PlaceNotFound, find_city
from conect.management.commands.load_demo import load_demo
from conect.models import User
from labs.models import Lab, Membership
from labs.roles import Role, role_of
from networks.models import Network, NetworkMembership, NetworkRole, Organisation, PracticeOrganisation
from practices.demo import SEEDS_SOURCE
from practices.models import Practice


@pytest.fixture
def demo(db):
    load_demo(with_imports=False)


def _counts() -> tuple[int, ...]:
    models = (Lab, Network, Organisation, Activity, User, Membership, NetworkMembership, EmailAddress)
    return tuple(model.objects.count() for model in models)


def test_loading_the_demo_twice_changes_nothing(demo):
    first = _counts()
    load_demo(with_imports=False)
    assert _counts() == first == (6, 6, 28, 8, 6, 3, 27, 6)


def test_conet_is_led_by_berlin_with_ten_partner_cities(demo):
    conet = Network.objects.get(slug="conet-cohesion-network")
    assert conet.memberships.get(role=NetworkRole.LEAD).organisation.name == "City of Berlin"
    assert conet.memberships.filter(role=NetworkRole.PARTNER).count() == 10


def test_netco_is_led_by_barcelona_with_fifteen_partners_and_its_budget(demo):
    netco = Network.objects.get(slug__startswith="netco")
    assert netco.memberships.get(role=NetworkRole.LEAD).organisation.name == "City of Barcelona"
    assert netco.memberships.filter(role=NetworkRole.PARTNER).count() == 15
    assert netco.budget_eur == 152860


def test_reti_solidali_has_three_hubs_and_its_stated_participant_numbers(demo):
    reti = Network.objects.get(slug="reti-solidali-e-competenti")
    assert reti.parts.count() == 3
    expected = sorted(reti.programmes.values_list("planned_participants", flat=True))
    assert expected == [120, 300, 2160]
    residencies = Activity.objects.filter(programme__title="Four residencies")
    assert sorted(residencies.values_list("city", flat=True)) == ["Firenze", "Lecce", "Perugia", "Torino"]


def test_places_come_from_the_gazetteer(demo):
    palermo = find_city("Palermo", "IT")
    assert Organisation.objects.get(slug="cesie").location.coords == (palermo.longitude, palermo.latitude)
    assert Lab.objects.get(slug="sofiya").location.coords == find_city("Sofia", "BG").point.coords


def test_organisations_without_a_known_place_have_no_invented_location(demo):
    assert Organisation.objects.get(name="South of Scotland Community Housing").location is None


def test_demo_accounts_hold_each_role(demo):
    palermo = Lab.objects.get(slug="palermo")
    roles = {u.email.split("@")[0]: role_of(u, palermo) for u in User.objects.all()}
    assert roles == {
        "admin": Role.ADMIN,
        "coordinator": Role.COORDINATOR,
        "facilitator": Role.FACILITATOR,
        "member": Role.MEMBER,
        "outsider": Role.CONTRIBUTOR,
        "contributor": Role.CONTRIBUTOR,
    }
    assert User.objects.get(email="facilitator@conect.example").check_password(DEMO_PASSWORD)


def test_gazetteer_finds_cities_by_their_local_name():
    assert find_city("Torino", "IT").name == "Turin"
    assert find_city("Malmö", "SE").country == "SE"


def test_gazetteer_does_not_guess_a_city_in_the_wrong_country():
    with pytest.raises(PlaceNotFound):
        find_city("Palermo", "FR")


def test_load_demo_refuses_to_run_in_production(db, settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing"):
        call_command("load_demo")


LANGUAGES = {"it", "ro", "fr", "de", "es"}


@pytest.mark.parametrize("model", [Lab, Network, Activity, Programme, Organisation])
def test_every_demo_description_is_written_in_the_six_languages(demo, model):
    described = model.objects.exclude(description="")
    assert described.exists()
    for row in described:
        assert set(row.descriptions) == LANGUAGES, row
        assert all(text.strip() and text != row.description for text in row.descriptions.values()), row


def test_the_demo_lab_page_in_italian_shows_its_italian_description(client, demo):
    page = client.get("/it/labs/palermo/").content.decode()
    assert '<div class="prose" lang="it"><p>La città del CESIE e del Piano d&#x27;azione locale di CoNet' in page


def test_a_demo_labs_territory_reaches_30_km_around_its_city(demo):
    lyon = Lab.objects.get(slug="lyon")
    # 0.3° of latitude is 33.4 km; 0.26° is 28.9 km.
    assert lyon.territory.contains(Point(lyon.location.x, lyon.location.y + 0.26, srid=4326))
    assert not lyon.territory.contains(Point(lyon.location.x, lyon.location.y + 0.30, srid=4326))


def test_the_ballaro_local_action_plan_belongs_to_palermo_and_is_run_by_the_city(demo):
    plan = Practice.objects.get(source=SEEDS_SOURCE, source_id="conet-ballaro-local-action-plan")
    assert plan.lab.slug == "palermo"
    assert (plan.scale, plan.status, plan.dimensions) == ("neighbourhood", "ended", ["social", "governance"])
    link = PracticeOrganisation.objects.get(practice=plan)
    assert link.organisation.name == "City of Palermo"


def test_the_reti_programme_is_in_italian_with_an_english_translation_and_no_invented_place(demo):
    reti = Practice.objects.get(source=SEEDS_SOURCE, source_id="reti-solidali-e-competenti")
    assert reti.original_language == "it"
    assert reti.localised("en").language == "en"
    assert reti.location is None
    assert list(reti.sdgs.values_list("number", flat=True)) == [12]


def test_loading_the_demo_twice_writes_no_new_version_of_the_seed_practices(demo):
    versions = Practice.history.count()
    load_demo(with_imports=False)
    assert Practice.history.count() == versions
    assert Practice.objects.filter(source=SEEDS_SOURCE).count() == 2

"""Open Referral HSDS 3.0 at /hsds/: responses valid against the vendored HSDS schemas, published rows only."""

import pytest

from labs.moderation import ModerationState
from networks.models import PracticeOrganisation
from opendata.hsds import hsds_id, pk_of
from practices.models import Theme
from tests.factories import make_organisation, make_practice, make_space
from tests.opendata.standards import hsds_page_validator, hsds_validator

pytestmark = pytest.mark.django_db


def valid(data, validator) -> None:
    assert [error.message for error in validator.iter_errors(data)] == []


def get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.fixture
def published(lab):
    organisation = make_organisation(name="Acasă", website="https://acasa.example.org")
    space = make_space(name="Casa", address="Via Roma 1", city="Palermo")
    practice = make_practice(lab=lab, title="Orto", themes=["food"], status="ended")
    practice.spaces.add(space)
    PracticeOrganisation.objects.create(practice=practice, organisation=organisation)
    return practice, organisation, space


def test_api_says_it_speaks_hsds_3(client):
    assert get(client, "/hsds/")["version"] == "3.0"


def test_ids_are_uuids_that_name_their_kind():
    assert pk_of("service", hsds_id("service", 42)) == 42
    assert pk_of("organization", hsds_id("service", 42)) is None
    assert pk_of("service", "not-a-uuid") is None


def test_partner_lists_services_with_their_organization_as_an_hsds_page(client, published):
    practice, organisation, _space = published
    page = get(client, "/hsds/services")
    valid(page, hsds_page_validator("compiled/service_list"))
    assert page["total_items"] == 1 and page["first_page"] and page["last_page"]
    service = page["contents"][0]
    assert service["id"] == hsds_id("service", practice.pk)
    assert service["organization_id"] == hsds_id("organization", organisation.pk)
    assert service["status"] == "inactive"


def test_partner_reads_a_service_with_its_locations_and_themes_valid_against_the_service_schema(client, published):
    practice, _organisation, space = published
    service = get(client, f"/hsds/services/{hsds_id('service', practice.pk)}")
    valid(service, hsds_validator("service"))
    location = service["service_at_locations"][0]["location"]
    assert location["id"] == hsds_id("location", space.pk)
    assert location["latitude"] == pytest.approx(38.11)
    assert location["addresses"][0]["address_1"] == "Via Roma 1"
    assert service["attributes"][0]["taxonomy_term"]["code"] == "food"


def test_partner_lists_and_reads_organizations(client, published):
    _practice, organisation, _space = published
    page = get(client, "/hsds/organizations")
    valid(page, hsds_page_validator("compiled/organization_list"))
    detail = get(client, f"/hsds/organizations/{hsds_id('organization', organisation.pk)}")
    valid(detail, hsds_validator("organization"))
    assert detail["website"] == "https://acasa.example.org"
    assert [service["name"] for service in detail["services"]] == ["Orto"]


def test_partner_reads_service_at_locations(client, published):
    page = get(client, "/hsds/service_at_locations")
    valid(page, hsds_page_validator("compiled/service_at_location_list"))
    detail = get(client, f"/hsds/service_at_locations/{page['contents'][0]['id']}")
    valid(detail, hsds_validator("service_at_location"))


def test_themes_are_the_taxonomy_terms_of_one_taxonomy(client, published):
    taxonomies = get(client, "/hsds/taxonomies")
    valid(taxonomies["contents"][0], hsds_validator("taxonomy"))
    terms = get(client, "/hsds/taxonomy_terms?per_page=100")
    assert terms["total_items"] == Theme.objects.count()
    for term in terms["contents"]:
        valid(term, hsds_validator("taxonomy_term"))
    food = Theme.objects.get(slug="food")
    one = get(client, f"/hsds/taxonomy_terms/{hsds_id('taxonomy_term', food.pk)}")
    assert one["code"] == "food"
    filtered = get(client, f"/hsds/services?taxonomy_term_id={one['id']}")
    assert filtered["total_items"] == 1


def test_services_filter_by_organization(client, published):
    _practice, organisation, _space = published
    other = make_organisation()
    assert get(client, f"/hsds/services?organization_id={hsds_id('organization', organisation.pk)}")["total_items"] == 1
    assert get(client, f"/hsds/services?organization_id={hsds_id('organization', other.pk)}")["total_items"] == 0


def test_drafts_appear_nowhere(client, lab, published):
    practice, organisation, _space = published
    draft = make_practice(lab=lab, title="Hidden practice", state=ModerationState.DRAFT)
    draft_space = make_space(lab=lab, name="Hidden space", state=ModerationState.DRAFT)
    practice.spaces.add(draft_space)
    draft_organisation = make_organisation(lab=lab, name="Hidden organisation", state=ModerationState.DRAFT)
    PracticeOrganisation.objects.create(practice=practice, organisation=draft_organisation)
    everything = "".join(
        client.get(url).text
        for url in (
            "/hsds/services",
            "/hsds/organizations",
            "/hsds/service_at_locations",
            f"/hsds/services/{hsds_id('service', practice.pk)}",
            f"/hsds/organizations/{hsds_id('organization', organisation.pk)}",
        )
    )
    assert "Hidden" not in everything
    get(client, f"/hsds/services/{hsds_id('service', draft.pk)}", status=404)
    get(client, f"/hsds/organizations/{hsds_id('organization', draft_organisation.pk)}", status=404)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("page=0", "page"),
        ("page=two", "page"),
        ("per_page=1000", "per_page"),
        ("organization_id=nope", "organization_id"),
        ("modified_after=yesterday", "modified_after"),
    ],
)
def test_bad_parameters_answer_400_saying_which(client, query, parameter):
    body = get(client, f"/hsds/services?{query}", status=400)
    assert body["parameter"] == parameter


def test_a_page_past_the_end_is_empty(client, published):
    page = get(client, "/hsds/services?page=5")
    assert page["empty"] and page["contents"] == []


def test_service_list_costs_the_same_queries_for_one_row_and_thirty(client, lab, django_assert_num_queries):
    make_practice(lab=lab)
    with django_assert_num_queries(4):
        client.get("/hsds/services")
    for _ in range(29):
        make_practice(lab=lab)
    with django_assert_num_queries(4):
        assert len(client.get("/hsds/services").json()["contents"]) == 30


def test_service_list_pages_hold_at_most_per_page(client, lab):
    for _ in range(3):
        make_practice(lab=lab)
    page = get(client, "/hsds/services?per_page=2&page=2")
    assert (page["size"], page["total_pages"], page["last_page"]) == (1, 2, True)

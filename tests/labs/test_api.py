"""/api/v1/labs/: public figures in JSON, territories in GeoJSON, never names; read-only."""

import jsonschema
import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from tests.conftest import client_for
from tests.factories import make_activity, make_lab, make_member, make_practice

SQUARE = ((13.3, 38.1), (13.4, 38.1), (13.4, 38.2), (13.3, 38.2), (13.3, 38.1))


@pytest.mark.parametrize("who", ["visitor", "outsider", "member", "facilitator", "coordinator"])
def test_everyone_reads_the_labs_with_counts_and_no_names(request, lab, member, who):
    user = None if who == "visitor" else request.getfixturevalue(who)
    make_practice(lab=lab)
    make_practice(lab=lab, state="draft")
    make_activity(lab=lab)
    response = client_for(user).get("/api/v1/labs/")
    assert response.status_code == 200
    row = next(row for row in response.json() if row["slug"] == lab.slug)
    assert row["member_count"] == lab.memberships.count()
    assert "Mara Member" not in response.text and member.email not in response.text


def test_one_lab_by_its_slug(client, lab):
    response = client.get(f"/api/v1/labs/{lab.slug}/")
    assert response.json()["name"] == "Lab Alba Iulia"
    assert response.json()["url"].endswith(f"/labs/{lab.slug}/")


def test_territories_in_geojson(client, db):
    lab = make_lab(territory=MultiPolygon(Polygon(SQUARE), srid=4326))
    for url in ("/api/v1/labs/?format=geojson", "/api/v1/labs.geojson"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/geo+json")
        feature = response.json()["features"][0]
        assert feature["id"] == lab.slug
        assert feature["geometry"]["type"] == "MultiPolygon"


@pytest.mark.parametrize("who", ["visitor", "facilitator", "coordinator"])
def test_the_api_does_not_change_labs(request, lab, who):
    user = None if who == "visitor" else request.getfixturevalue(who)
    client = client_for(user)
    assert client.post("/api/v1/labs/", {"name": "X"}, content_type="application/json").status_code in (403, 405)
    assert client.patch(f"/api/v1/labs/{lab.slug}/", {"name": "X"}, content_type="application/json").status_code in (
        403,
        405,
    )


@pytest.mark.parametrize("rows", [1, 50])
def test_the_lab_list_api_runs_the_same_queries_for_1_or_50_labs(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        lab = make_lab()
        make_member(lab)
    with django_assert_num_queries(1):
        assert client.get("/api/v1/labs/").status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/labs/", "/api/v1/labs/{slug}/"])
def test_a_partner_asking_for_an_unknown_language_gets_the_400_the_schema_describes(client, lab, path):
    response = client.get(path.format(slug=lab.slug), {"lang": "xx"})
    assert response.status_code == 400 and "lang" in response.json()
    schema = client.get("/api/schema/", {"format": "json"}).json()
    error = schema["paths"][path]["get"]["responses"]["400"]["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), error)  # it was {"detail"} required: the field errors contradicted it

"""Organisations and relationships for partners: the fast pages say what the serializers say, CSV cells are
formula-guarded, and a sync reports what went away without naming what was never public."""

import csv
import datetime
import io
import json

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from networks.api import OrganisationGeoSerializer, OrganisationSerializer
from networks.models import Organisation, OrganisationPerson
from tests.factories import make_organisation, make_relationship

API = "/api/v1/"


def normalised(row: dict) -> dict:
    row = dict(row)
    for key in ("created_at", "updated_at"):
        if row.get(key):
            row[key] = datetime.datetime.fromisoformat(row[key].replace("Z", "+00:00"))
    if isinstance(row.get("properties"), dict):
        row["properties"] = normalised(row["properties"])
    return row


def serialized(serializer_class, items) -> list[dict]:
    request = Request(APIRequestFactory().get(f"{API}organisations/"))
    rows = [serializer_class(item, context={"request": request}).data for item in items]
    return [normalised(row) for row in json.loads(json.dumps(rows))]


@pytest.fixture
def organisations(lab):
    one = make_organisation(
        name="Casa", city="Cluj", location=Point(23.6, 46.77, srid=4326), descriptions={"ro": "Casa noastră"}, lab=lab
    )
    OrganisationPerson.objects.create(
        organisation=one, name="Ana", role="coordinator", consent_date=datetime.date(2025, 1, 1)
    )
    make_organisation(name="No place")
    make_organisation(name="Hidden", state="draft", lab=lab)
    return one


def test_a_partner_reads_organisations_as_the_serializer_describes_them(client, organisations):
    items = Organisation.objects.visible_to(None).prefetch_related("people").order_by("pk")
    body = client.get(f"{API}organisations/").json()
    assert [normalised(row) for row in body["results"]] == serialized(OrganisationSerializer, items)
    geo = client.get(f"{API}organisations/", {"format": "geojson"}).json()
    assert geo["licence"] and geo["attribution"]
    assert [normalised(f) for f in geo["features"]] == serialized(OrganisationGeoSerializer, items)
    one = client.get(f"{API}organisations/{organisations.slug}/")
    assert normalised(one.json()) == serialized(OrganisationSerializer, [organisations])[0]
    assert (
        client.get(f"{API}organisations/{organisations.slug}/", HTTP_IF_MODIFIED_SINCE=one["Last-Modified"]).status_code
        == 304
    )


def test_organisation_and_relationship_csv_cells_never_run_as_formulas(client, db):
    evil = make_organisation(name='=HYPERLINK("http://x")', city="+cmd")
    make_relationship(evil, make_organisation(name="@SUM(1)"), description="-2+3")
    for path in ("organisations", "relationships"):
        response = client.get(f"{API}{path}/", {"format": "csv"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), path
    rows = list(csv.DictReader(io.StringIO(client.get(f"{API}organisations/", {"format": "csv"}).content.decode())))
    assert '\'=HYPERLINK("http://x")' in [row["name"] for row in rows]


def test_a_visitor_never_sees_a_draft_organisation_in_csv_or_geojson(client, organisations):
    for form in ("csv", "geojson", "json"):
        assert "Hidden" not in client.get(f"{API}organisations/", {"format": form}).content.decode()


def test_an_organisation_sync_reports_the_archived_and_never_the_unpublished(client, lab):
    shown = make_organisation(name="Shown")
    since = timezone.now()
    shown.state = "archived"
    shown.save()
    secret = make_organisation(name="Secret", state="draft", lab=lab)
    secret.state = "archived"
    secret.save()
    rows = client.get(f"{API}organisations/", {"modified_since": since.isoformat()}).json()["results"]
    assert [(row["slug"], row["gone"]) for row in rows] == [(shown.slug, True)]


def test_a_relationship_sync_reports_an_archived_one_as_gone(client, db):
    relationship = make_relationship(make_organisation(), make_organisation())
    since = timezone.now()
    relationship.state = "archived"
    relationship.save()
    rows = client.get(f"{API}relationships/", {"modified_since": since.isoformat()}).json()["results"]
    assert [(row["id"], row["gone"]) for row in rows] == [(relationship.pk, True)]


@pytest.mark.parametrize("rows", [1, 30])
def test_every_networks_list_costs_the_same_queries_for_1_or_30_rows(client, db, django_assert_num_queries, rows):
    for _ in range(rows):
        make_relationship(make_organisation(), make_organisation())
    since = {"modified_since": "2000-01-01T00:00:00Z"}
    with django_assert_num_queries(1):
        client.get(f"{API}organisations/", since)
    with django_assert_num_queries(1):
        client.get(f"{API}relationships/", since)


def test_a_page_size_beyond_1000_is_a_400(client, db):
    for path in ("organisations", "relationships", "networks"):
        response = client.get(f"{API}{path}/", {"page_size": "100000"})
        assert response.status_code == 400 and "page_size" in response.json()

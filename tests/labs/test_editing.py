"""Editing a Lab: who may, its translations, cover image and territory (drawn or uploaded), nothing half-saved."""

import io
import json

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from labs.models import Lab, LogAction, LogEntry
from tests.conftest import client_for

SQUARE = [[[13.3, 38.1], [13.4, 38.1], [13.4, 38.2], [13.3, 38.2], [13.3, 38.1]]]
BOWTIE = [[[13.3, 38.1], [13.4, 38.2], [13.4, 38.1], [13.3, 38.2], [13.3, 38.1]]]


def _form(lab: Lab | None = None, **overrides) -> dict:
    data = {
        "name": lab.name if lab else "Lab Lecce",
        "country": str(lab.country) if lab else "IT",
        "city": lab.city if lab else "Lecce",
        "description": "A Lab in the south.",
        "start_date": "",
        "end_date": "",
        "cover_description": "",
        "territory": "",
    }
    return data | overrides


def _geojson(document) -> SimpleUploadedFile:
    return SimpleUploadedFile("territory.geojson", json.dumps(document).encode(), "application/geo+json")


def _jpeg(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="JPEG")
    return SimpleUploadedFile("cover.jpg", buffer.getvalue(), "image/jpeg")


@pytest.mark.parametrize(("who", "status"), [("visitor", 302), ("contributor", 404), ("outsider", 404),
                                             ("member", 404), ("facilitator", 200), ("coordinator", 200)])  # fmt: skip
def test_only_the_labs_facilitators_and_coordinators_open_its_edit_page(request, lab, who, status):
    user = None if who == "visitor" else request.getfixturevalue(who)
    assert client_for(user).get(f"/en/labs/{lab.slug}/edit/").status_code == status


@pytest.mark.parametrize(("who", "status"), [("visitor", 302), ("outsider", 404), ("member", 404),
                                             ("facilitator", 404), ("coordinator", 200)])  # fmt: skip
def test_only_coordinators_create_labs(request, lab, who, status):
    user = None if who == "visitor" else request.getfixturevalue(who)
    assert client_for(user).get("/en/labs/new/").status_code == status


def test_coordinator_creates_a_lab(coordinator):
    response = client_for(coordinator).post("/en/labs/new/", _form())
    assert response.status_code == 302
    lab = Lab.objects.get(name="Lab Lecce")
    assert LogEntry.objects.filter(lab=lab, action=LogAction.CREATED).exists()


def test_facilitator_edits_name_and_translations(lab, facilitator):
    response = client_for(facilitator).post(
        f"/en/labs/{lab.slug}/edit/", _form(lab, name="Lab Alba Iulia Nord", description_it="Un Lab del nord.")
    )
    assert response.status_code == 302
    lab.refresh_from_db()
    assert lab.name == "Lab Alba Iulia Nord"
    assert lab.descriptions == {"it": "Un Lab del nord."}
    assert LogEntry.objects.filter(lab=lab, action=LogAction.EDITED).count() == 1


def test_an_end_before_the_start_is_refused_at_the_end_date(lab, facilitator):
    response = client_for(facilitator).post(
        f"/en/labs/{lab.slug}/edit/", _form(lab, name="Changed", start_date="2024-05-01", end_date="2024-01-01")
    )
    assert response.status_code == 400
    assert "The end date cannot come before the start date." in response.text
    lab.refresh_from_db()
    assert lab.name == "Lab Alba Iulia"


def test_a_territory_drawn_on_the_map_is_saved_as_a_multipolygon(lab, facilitator):
    drawn = json.dumps({"type": "MultiPolygon", "coordinates": [SQUARE]})
    client_for(facilitator).post(f"/en/labs/{lab.slug}/edit/", _form(lab, territory=drawn))
    lab.refresh_from_db()
    assert lab.territory.geom_type == "MultiPolygon"


@pytest.mark.parametrize(
    "document",
    [
        {"type": "Polygon", "coordinates": SQUARE},
        {"type": "MultiPolygon", "coordinates": [SQUARE]},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": SQUARE}},
        {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": SQUARE}}]},
    ],
)  # fmt: skip
def test_a_territory_uploaded_as_geojson_is_saved(lab, facilitator, document):
    data = _form(lab) | {"territory_file": _geojson(document)}
    response = client_for(facilitator).post(f"/en/labs/{lab.slug}/edit/", data)
    assert response.status_code == 302
    lab.refresh_from_db()
    assert lab.territory == MultiPolygon(Polygon(SQUARE[0]), srid=4326)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not json", "cannot be read as JSON"),
        (json.dumps({"type": "Point", "coordinates": [13, 38]}).encode(), "must be made of polygons"),
        (json.dumps({"type": "Polygon", "coordinates": BOWTIE}).encode(), "edges of the area cross each other"),
        (json.dumps({"hello": "world"}).encode(), "holds no geometry"),
    ],
)
def test_a_bad_territory_file_is_refused_at_its_field_and_nothing_is_saved(lab, facilitator, content, message):
    upload = SimpleUploadedFile("t.geojson", content, "application/geo+json")
    response = client_for(facilitator).post(
        f"/en/labs/{lab.slug}/edit/", _form(lab, name="Half saved?") | {"territory_file": upload}
    )
    assert response.status_code == 400
    assert message in response.text
    lab.refresh_from_db()
    assert lab.name == "Lab Alba Iulia" and lab.territory is None


def test_a_cover_is_saved_re_encoded_and_served_to_everyone(client, lab, facilitator):
    data = _form(lab, cover_description="The market of Alba Iulia") | {"cover_file": _jpeg()}
    assert client_for(facilitator).post(f"/en/labs/{lab.slug}/edit/", data).status_code == 302
    response = client.get(f"/en/labs/{lab.slug}/cover.jpg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert 'alt="The market of Alba Iulia"' in client.get(lab.get_absolute_url()).text


def test_a_cover_without_its_description_is_refused(lab, facilitator):
    data = _form(lab) | {"cover_file": _jpeg()}
    response = client_for(facilitator).post(f"/en/labs/{lab.slug}/edit/", data)
    assert response.status_code == 400
    lab.refresh_from_db()
    assert not lab.cover


def test_a_file_that_is_not_an_image_is_refused_as_cover(lab, facilitator):
    fake = SimpleUploadedFile("cover.jpg", b"<svg onload=alert(1)></svg>", "image/jpeg")
    data = _form(lab, cover_description="x") | {"cover_file": fake}
    response = client_for(facilitator).post(f"/en/labs/{lab.slug}/edit/", data)
    assert response.status_code == 400
    assert "not an image that can be read" in response.text


def test_a_lab_without_cover_answers_404_for_it(client, lab):
    assert client.get(f"/en/labs/{lab.slug}/cover.jpg").status_code == 404


def test_the_admin_page_of_a_lab_with_a_cover_opens(lab, facilitator, admin_user):
    data = _form(lab, cover_description="The market") | {"cover_file": _jpeg()}
    client_for(facilitator).post(f"/en/labs/{lab.slug}/edit/", data)
    assert client_for(admin_user).get(f"/en/admin/labs/lab/{lab.pk}/change/").status_code == 200


def test_two_overlapping_shapes_drawn_for_a_territory_are_merged_into_one(lab, facilitator):
    first = Polygon(((13.0, 38.0), (13.2, 38.0), (13.2, 38.2), (13.0, 38.2), (13.0, 38.0)))
    second = Polygon(((13.1, 38.1), (13.3, 38.1), (13.3, 38.3), (13.1, 38.3), (13.1, 38.1)))
    drawn = MultiPolygon(first, second, srid=4326)
    response = client_for(facilitator).post(f"/en/labs/{lab.slug}/edit/", _form(lab) | {"territory": drawn.geojson})
    assert response.status_code == 302
    lab.refresh_from_db()
    assert lab.territory.valid and len(lab.territory) == 1
    assert abs(lab.territory.area - first.union(second).area) < 1e-9

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core import mail

from labs.moderation import ModerationState
from practices.models import Practice, Space, Theme
from tests.conftest import client_for
from tests.factories import make_lab, make_practice

S = ModerationState


def form_data(**overrides) -> dict:
    data = {
        "title": "Emporio solidale",
        "summary": "Un market gratuito per famiglie in difficoltà",
        "description": "Aperto **tre giorni** a settimana.",
        "original_language": "it",
        "primary_theme": "",
        "themes": [],
        "status": "active",
        "country": "IT",
        "city": "Palermo",
        "latitude": "38.1157",
        "longitude": "13.3615",
        "location": "",
    }
    return data | overrides


def test_a_member_adds_a_practice_placed_by_typed_coordinates(lab, member):
    response = client_for(member).post("/en/practices/new/", form_data(lab=lab.pk))
    practice = Practice.objects.get()
    assert response["Location"] == practice.get_absolute_url()
    assert (practice.state, practice.lab, practice.created_by) == (S.DRAFT, lab, member)
    assert practice.location.coords == (13.3615, 38.1157)
    assert practice.history.get().history_user == member


def test_a_practice_can_be_placed_by_the_map_widget(lab, member):
    geojson = '{"type": "Point", "coordinates": [13.36, 38.12]}'
    client_for(member).post("/en/practices/new/", form_data(lab=lab.pk, latitude="", longitude="", location=geojson))
    assert Practice.objects.get().location.coords == (13.36, 38.12)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", "100", "Longitude must be within -180..180 and latitude within -90..90."),
        ("title", "<img src=x onerror=alert(1)>", "HTML tags and script links are not allowed"),
        ("title", "", "This field is required."),
        ("end_date", "2001-01-01", "The end date cannot come before the start date."),
    ],
)
def test_bad_input_shows_the_error_at_the_field_and_saves_nothing(lab, member, field, value, message):
    response = client_for(member).post(
        "/en/practices/new/", form_data(lab=lab.pk, start_date="2020-01-01", **{field: value})
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Practice.objects.exists()


def test_errors_are_in_the_readers_language(lab, member):
    response = client_for(member).post("/it/practices/new/", form_data(lab=lab.pk, title="<b>Emporio</b>"))
    assert "Scrivi testo semplice" in response.text


def test_half_a_coordinate_pair_is_refused(lab, member):
    response = client_for(member).post("/en/practices/new/", form_data(lab=lab.pk, longitude=""))
    assert "Give both latitude and longitude, or neither." in response.text


def test_preview_renders_the_description_and_saves_nothing(lab, member):
    response = client_for(member).post("/en/practices/new/", form_data(lab=lab.pk, preview="1"))
    assert "<strong>tre giorni</strong>" in response.text
    assert not Practice.objects.exists()


def test_a_member_cannot_add_to_another_lab_through_the_form(member, other_lab):
    response = client_for(member).post("/en/practices/new/", form_data(lab=other_lab.pk))
    assert response.status_code == 200
    assert not Practice.objects.exists()


def test_a_signed_in_user_without_a_lab_is_sent_to_suggest(contributor):
    assert client_for(contributor).get("/en/practices/new/")["Location"] == "/en/practices/suggest/"


def test_a_visitor_is_asked_to_sign_in(client, db):
    assert "/accounts/login/" in client.get("/en/practices/new/")["Location"]


@pytest.mark.parametrize(
    ("who", "status"), [("outsider", 404), ("contributor", 404), ("member", 200), ("coordinator", 200)]
)
def test_who_may_open_the_edit_form(request, lab, who, status):
    practice = make_practice(lab=lab, state=S.DRAFT)
    assert client_for(request.getfixturevalue(who)).get(f"/en/practices/{practice.slug}/edit/").status_code == status


def test_an_outsider_cannot_change_a_practice_by_posting_the_form(lab, outsider):
    practice = make_practice(lab=lab, title="Orto")
    client_for(outsider).post(f"/en/practices/{practice.slug}/edit/", form_data(lab=lab.pk, title="Hacked"))
    practice.refresh_from_db()
    assert practice.title == "Orto"


def test_a_member_submits_and_the_facilitator_publishes_with_an_email_to_the_author(
    lab, member, facilitator, django_capture_on_commit_callbacks
):
    practice = make_practice(lab=lab, state=S.DRAFT, created_by=member)
    client_for(member).post(f"/en/practices/{practice.slug}/submit/")
    queue = client_for(facilitator).get("/en/moderation/")
    assert practice.title in queue.text
    with django_capture_on_commit_callbacks(execute=True):
        client_for(facilitator).post(
            f"/en/practices/{practice.slug}/moderate/", {f"practices-{practice.pk}-action": "publish"}
        )
    practice.refresh_from_db()
    assert practice.state == S.PUBLISHED
    assert mail.outbox[0].to == [member.email]
    assert practice.title in mail.outbox[0].subject


def test_rejecting_without_a_reason_is_refused(lab, member, facilitator):
    practice = make_practice(lab=lab, state=S.SUBMITTED, created_by=member)
    client_for(facilitator).post(
        f"/en/practices/{practice.slug}/moderate/", {f"practices-{practice.pk}-action": "reject"}
    )
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED
    assert mail.outbox == []


def test_asking_for_changes_sends_the_reason_to_the_author(
    lab, member, facilitator, django_capture_on_commit_callbacks
):
    practice = make_practice(lab=lab, state=S.SUBMITTED, created_by=member)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(facilitator).post(
            f"/en/practices/{practice.slug}/moderate/",
            {f"practices-{practice.pk}-action": "request_changes", f"practices-{practice.pk}-reason": "Add a photo"},
        )
    practice.refresh_from_db()
    assert practice.state == S.DRAFT
    assert "Add a photo" in mail.outbox[0].body


@pytest.mark.parametrize("who", ["member", "outsider", "contributor"])
def test_only_facilitators_and_coordinators_moderate(request, lab, who):
    practice = make_practice(lab=lab, state=S.SUBMITTED)
    user = request.getfixturevalue(who)
    response = client_for(user).post(
        f"/en/practices/{practice.slug}/moderate/", {f"practices-{practice.pk}-action": "publish"}
    )
    assert response.status_code == 404
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED


def test_a_suggestion_goes_to_the_lab_whose_territory_contains_it(contributor, facilitator, lab):
    lab.territory = MultiPolygon(Polygon.from_bbox((13.2, 38.0, 13.5, 38.3)), srid=4326)
    lab.save()
    client_for(contributor).post("/en/practices/suggest/", form_data())
    practice = Practice.objects.get()
    assert (practice.lab, practice.state, practice.created_by) == (lab, S.SUBMITTED, contributor)
    assert practice.title in client_for(facilitator).get("/en/moderation/").text


def test_a_suggestion_outside_every_territory_goes_to_the_coordinators(contributor, coordinator, facilitator, lab):
    client_for(contributor).post("/en/practices/suggest/", form_data(latitude="60.17", longitude="24.94"))
    practice = Practice.objects.get()
    assert practice.lab is None
    assert practice.title in client_for(coordinator).get("/en/moderation/").text
    assert practice.title not in client_for(facilitator).get("/en/moderation/").text


def test_history_shows_who_changed_what_and_a_facilitator_restores_a_version(lab, member, facilitator):
    c = client_for(member)
    c.post("/en/practices/new/", form_data(lab=lab.pk, title="Emporio"))
    practice = Practice.objects.get()
    c.post(f"/en/practices/{practice.slug}/edit/", form_data(lab=lab.pk, title="Emporio rinnovato"))
    page = client_for(facilitator).get(f"/en/practices/{practice.slug}/history/")
    assert "title" in page.text and "Mara Member" in page.text
    first = practice.history.order_by("history_date").first()
    client_for(facilitator).post(f"/en/practices/{practice.slug}/history/{first.history_id}/restore/")
    practice.refresh_from_db()
    assert practice.title == "Emporio"


def test_a_member_reads_the_history_but_cannot_restore(lab, member):
    practice = make_practice(lab=lab, state=S.DRAFT)
    c = client_for(member)
    assert c.get(f"/en/practices/{practice.slug}/history/").status_code == 200
    record = practice.history.first()
    assert c.post(f"/en/practices/{practice.slug}/history/{record.history_id}/restore/").status_code == 404


def test_an_outsider_sees_no_history(lab, outsider):
    practice = make_practice(lab=lab)
    assert client_for(outsider).get(f"/en/practices/{practice.slug}/history/").status_code == 404


def test_the_place_finder_knows_cities_by_their_local_name(client, db):
    places = client.get("/en/places/?q=Torino").json()["places"]
    assert places[0]["name"] == "Turin"
    assert round(places[0]["latitude"], 2) == 45.07


def test_a_space_needs_a_location(lab, member):
    data = {"name": "Orto", "kind": "community_garden", "country": "IT", "lab": lab.pk, "location": "", "area": ""}
    response = client_for(member).post("/en/spaces/new/", data)
    assert "Place the space on the map" in response.text


def test_a_space_with_a_self_intersecting_area_is_refused(lab, member):
    bowtie = '{"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]]}'
    data = {
        "name": "Orto",
        "kind": "community_garden",
        "country": "IT",
        "lab": lab.pk,
        "latitude": "0.5",
        "longitude": "0.5",
        "location": "",
        "area": bowtie,
    }
    response = client_for(member).post("/en/spaces/new/", data)
    assert "The edges of the area cross each other, or two of its shapes overlap: redraw it." in response.text


def test_reserved_words_never_become_slugs(db):
    assert make_practice(title="New").slug == "new-2"
    assert make_lab(name="Suggest").slug == "suggest-2"


def test_without_a_nominatim_url_the_place_finder_asks_nobody(client, db, settings):
    settings.NOMINATIM_URL = ""
    assert client.get("/en/places/?q=Via Maqueda").json()["places"] == []


def test_with_a_nominatim_url_the_place_finder_adds_its_answers(client, db, settings):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    class Geocoder(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b'[{"lat": "38.117", "lon": "13.364", "name": "Via Maqueda", "address": {"country_code": "it"}}]'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Geocoder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.NOMINATIM_URL = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        [place] = client.get("/en/places/?q=Via Maqueda").json()["places"]
    finally:
        server.shutdown()
    assert (place["name"], place["country"], place["latitude"]) == ("Via Maqueda", "IT", 38.117)


def translation_data(**fields) -> dict:
    data = {"translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "0", "translations-MIN_NUM_FORMS": "0",
            "translations-MAX_NUM_FORMS": "1000"}  # fmt: skip
    return data | {f"translations-0-{k}": v for k, v in fields.items()}


def test_a_facilitator_adds_a_translation_and_readers_see_it(client, lab, facilitator):
    practice = make_practice(lab=lab, title="Spesa sospesa", original_language="it")
    url = f"/en/practices/{practice.slug}/translations/"
    response = client_for(facilitator).post(url, translation_data(language="en", title="Suspended groceries"))
    assert response.status_code == 302
    assert "Suspended groceries" in client.get(practice.get_absolute_url()).content.decode()


def test_a_translation_with_markup_is_refused_at_its_field(lab, member):
    practice = make_practice(lab=lab, original_language="it")
    url = f"/en/practices/{practice.slug}/translations/"
    response = client_for(member).post(url, translation_data(language="en", title="<script>x</script>"))
    assert "HTML tags and script links are not allowed" in response.content.decode()
    assert not practice.translations.exists()


def test_an_outsider_cannot_translate_another_labs_practice(lab, outsider):
    practice = make_practice(lab=lab)
    url = f"/en/practices/{practice.slug}/translations/"
    assert client_for(outsider).post(url, translation_data(language="fr", title="X")).status_code == 404


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ('{"type": "Point", "coordinates": [13.3, 38.1, 5]}', "without a height"),
        ('{"type": "Point", "coordinates": [1e308, 38.1]}', "Longitude must be within"),
    ],
)
def test_an_odd_place_from_the_map_is_a_field_error(lab, member, location, message):
    response = client_for(member).post(
        "/en/practices/new/", form_data(lab=lab.pk, latitude="", longitude="", location=location)
    )
    assert response.status_code == 200
    assert message in response.text
    assert not Practice.objects.exists()


def test_a_member_who_leaves_the_lab_empty_sends_the_practice_to_the_moderators(lab, member):
    response = client_for(member).post("/en/practices/new/", form_data(lab=""))
    assert response.status_code == 302
    practice = Practice.objects.get()
    assert (practice.state, practice.lab) == (S.SUBMITTED, None)


def test_the_main_theme_is_always_among_the_themes(lab, member):
    food, energy = Theme.objects.get(slug="food"), Theme.objects.get(slug="energy")
    client_for(member).post("/en/practices/new/", form_data(lab=lab.pk, primary_theme=food.pk, themes=[energy.pk]))
    assert sorted(Practice.objects.get().themes.values_list("slug", flat=True)) == ["energy", "food"]


def test_the_country_of_a_place_far_from_any_big_city_comes_from_the_gazetteer(lab, member):
    # Sarek, in Swedish Lapland, lies about 100 km from Kiruna: the form and the importer use one radius.
    client_for(member).post("/en/practices/new/", form_data(lab=lab.pk, country="", latitude="67.3", longitude="17.7"))
    assert Practice.objects.get().country == "SE"


def test_a_space_with_an_empty_area_is_refused(lab, member):
    data = {
        "name": "Orto", "kind": "community_garden", "lab": lab.pk, "country": "IT", "latitude": "38.1",
        "longitude": "13.3", "location": "", "area": '{"type": "MultiPolygon", "coordinates": []}',
    }  # fmt: skip
    response = client_for(member).post("/en/spaces/new/", data)
    assert response.status_code == 200
    assert "The shape is empty." in response.text
    assert not Space.objects.exists()


def test_a_markdown_autolink_is_accepted_and_rendered_as_a_link(lab, member):
    description = "Write to <info@example.org> or see <https://example.org/orto>."
    client_for(member).post("/en/practices/new/", form_data(lab=lab.pk, description=description))
    practice = Practice.objects.get()
    page = client_for(member).get(practice.get_absolute_url())
    assert 'href="mailto:info@example.org"' in page.text
    assert 'href="https://example.org/orto"' in page.text


def test_a_typed_coordinate_out_of_range_is_said_once(lab, member):
    response = client_for(member).post("/en/practices/new/", form_data(lab=lab.pk, latitude="123", longitude="13"))
    assert response.text.count("Longitude must be within -180..180 and latitude within -90..90.") == 1


def test_a_member_cannot_take_a_practice_out_of_their_lab_in_the_form(lab, member):
    practice = make_practice(lab=lab, state=S.DRAFT, title="Orto")
    response = client_for(member).post(f"/en/practices/{practice.slug}/edit/", form_data(lab="", title="Orto"))
    assert response.status_code == 200
    assert "It can move only to a Lab you belong to." in response.text
    practice.refresh_from_db()
    assert practice.lab == lab


def test_a_members_translation_of_a_published_practice_goes_to_review_before_visitors_read_it(client, lab, member):
    practice = make_practice(lab=lab, title="Orto", original_language="en")
    url = f"/en/practices/{practice.slug}/translations/"
    response = client_for(member).post(url, translation_data(language="it", title="DEFACED"))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.state == S.SUBMITTED
    assert client.get(f"/it/practices/{practice.slug}/").status_code == 404


def test_a_translation_in_the_original_language_is_refused_at_its_field(lab, member):
    practice = make_practice(lab=lab, state=S.DRAFT, original_language="it")
    url = f"/en/practices/{practice.slug}/translations/"
    response = client_for(member).post(url, translation_data(language="it", title="Orto"))
    assert response.status_code == 200
    assert "The original language needs no translation." in response.text
    assert not practice.translations.exists()

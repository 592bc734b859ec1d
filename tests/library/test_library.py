"""The library from the outside: browse, search, pages, downloads, forms, moderation, history, API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from labs.models import MembershipRole
from library.files import MAX_UPLOAD_SIZE
from library.models import Extraction, Resource
from tests.conftest import client_for
from tests.factories import make_member
from tests.library.helpers import DOCX, PDF, docx_bytes, encrypted_pdf_bytes, make_resource, pdf_bytes

pytestmark = pytest.mark.django_db

LIST = reverse("library:list")


def _detail(resource):
    return resource.get_absolute_url()


def _with_pdf(django_capture_on_commit_callbacks, *texts, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        resource = make_resource(content=("report.pdf", pdf_bytes(*texts), PDF), **kwargs)
    resource.refresh_from_db()
    return resource


# --- Visibility: drafts are nowhere for the public ------------------------------------------------------------------


@pytest.fixture
def draft(lab, django_capture_on_commit_callbacks):
    return _with_pdf(django_capture_on_commit_callbacks, "Quokka draft words", title="Draft guide", lab=lab,
                     state="draft")  # fmt: skip


@pytest.mark.parametrize("who", ["visitor", "outsider", "contributor"])
def test_draft_is_invisible_outside_its_lab_in_list_search_detail_download_and_api(who, draft, request):
    client = client_for(None if who == "visitor" else request.getfixturevalue(who))
    assert "Draft guide" not in client.get(LIST).content.decode()
    assert "Draft guide" not in client.get(LIST, {"q": "quokka"}).content.decode()
    assert client.get(_detail(draft)).status_code == 404
    assert client.get(reverse("library:download", args=[draft.slug])).status_code == 404
    assert client.get(reverse("library:preview", args=[draft.slug])).status_code == 404
    assert client.get(f"/api/v1/resources/{draft.slug}/").status_code == 404
    assert client.get("/api/v1/resources/").json()["results"] == []


@pytest.mark.parametrize("who", ["member", "facilitator", "coordinator"])
def test_lab_people_and_coordinators_see_the_draft(who, draft, request):
    client = client_for(request.getfixturevalue(who))
    assert client.get(_detail(draft)).status_code == 200
    assert "Draft guide" in client.get(LIST, {"q": "quokka"}).content.decode()
    assert client.get(reverse("library:download", args=[draft.slug])).status_code == 200


@pytest.mark.parametrize("who", [None, "outsider", "member", "facilitator", "coordinator"])
def test_everyone_reads_a_published_resource_and_downloads_its_file(
    who, lab, request, django_capture_on_commit_callbacks
):
    resource = _with_pdf(django_capture_on_commit_callbacks, "Public words", title="Public guide", lab=lab)
    client = client_for(request.getfixturevalue(who) if who else None)
    page = client.get(_detail(resource))
    assert page.status_code == 200 and "Public guide" in page.content.decode()
    assert client.get(reverse("library:download", args=[resource.slug])).status_code == 200


# --- Search ---------------------------------------------------------------------------------------------------------


def test_search_finds_words_only_inside_the_pdf_and_shows_the_passage(client, django_capture_on_commit_callbacks):
    resource = _with_pdf(
        django_capture_on_commit_callbacks, "Introduction", "The zanzibarian allotments of Ballaro", title="A guide"
    )
    assert resource.extraction == Extraction.DONE and resource.page_count == 2
    body = client.get(LIST, {"q": "zanzibarian"}).content.decode()
    assert "A guide" in body
    assert "<mark>zanzibarian</mark> allotments" in body


def test_search_reads_the_words_of_a_docx(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_resource(title="Toolkit", content=("kit.docx", docx_bytes("Ricette della cucina condivisa"), DOCX))
    assert "Toolkit" in client.get(LIST, {"q": "cucina condivisa"}).content.decode()


def test_search_stems_each_language_of_the_description(client):
    make_resource(title="Guida", description="Housing together.", descriptions={"it": "Abitare collaborativo."})
    assert "Guida" in client.get(LIST, {"q": "collaborativi"}).content.decode()
    assert "Guida" in client.get(LIST, {"q": "house"}).content.decode()


def test_search_leaves_out_an_excluded_word_in_every_language(client):
    """Excluded in every language: "-kitchen" is !'kitchen' in English and !'kitch' in German, ANDed."""
    make_resource(title="Kitchen guide", description="Cooking in the kitchen.")
    make_resource(title="Seed guide", description="Seeds to borrow.")
    page = client.get(LIST, {"q": "guide -kitchen"}).content.decode()
    assert "Seed guide" in page
    assert "Kitchen guide" not in page


def test_search_finds_authors(client):
    make_resource(title="Report", authors="Robert Jungk")
    assert "Report" in client.get(LIST, {"q": "Jungk"}).content.decode()


def test_a_passage_escapes_markup_from_the_file(client, django_capture_on_commit_callbacks):
    _with_pdf(django_capture_on_commit_callbacks, "<script>alert-1</script> okapi", title="Odd")
    body = client.get(LIST, {"q": "okapi"}).content.decode()
    assert "<script>alert" not in body and "okapi</mark>" in body


@pytest.mark.parametrize("pdf", [encrypted_pdf_bytes("Secret okapi"), b"%PDF-1.4\nnot really a pdf"])
def test_an_encrypted_or_malformed_pdf_fails_with_a_reason_and_the_pages_still_work(
    pdf, client, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = make_resource(title="Locked", content=("locked.pdf", pdf, PDF))
    resource.refresh_from_db()
    assert resource.extraction == Extraction.FAILED
    assert resource.extraction_error in ("The PDF is protected by a password.", "The PDF is damaged or not a PDF.")
    assert client.get(LIST, {"q": "locked"}).status_code == 200
    assert "Locked" in client.get(LIST, {"q": "locked"}).content.decode()
    page = client_for(coordinator).get(_detail(resource)).content.decode()
    assert "Could not be read" in page and resource.extraction_error in page


def test_extraction_state_is_shown_to_editors_only(client, facilitator, lab, django_capture_on_commit_callbacks):
    resource = _with_pdf(django_capture_on_commit_callbacks, "words", lab=lab)
    assert "Text extracted" in client_for(facilitator).get(_detail(resource)).content.decode()
    assert "Text extracted" not in client.get(_detail(resource)).content.decode()


# --- Facets and lists -----------------------------------------------------------------------------------------------


def test_facets_count_the_results_and_filter_them(client, lab):
    make_resource(title="G1", kind="guide", language="it", published_year=2010, lab=lab, themes=["housing"])
    make_resource(title="G2", kind="guide", language="en", published_year=2010, licence="CC-BY-4.0")
    make_resource(title="R1", kind="report", language="it", published_year=2022)
    response = client.get(LIST)
    facets = dict(response.context["facets"])
    assert {f.value: f.count for f in facets["kind"]} == {"guide": 2, "report": 1}
    assert {f.value: f.count for f in facets["language"]} == {"it": 2, "en": 1}
    assert {f.value: f.count for f in facets["year"]} == {"2010": 2, "2022": 1}
    assert {f.value: f.count for f in facets["theme"]} == {"housing": 1}
    assert {f.value: f.count for f in facets["lab"]} == {lab.slug: 1}
    assert {f.value: f.count for f in facets["licence"]} == {"CC-BY-4.0": 1}
    filtered = client.get(LIST, {"kind": "guide", "language": "it"})
    assert [r.title for r in filtered.context["resources"]] == ["G1"]
    assert [r.title for r in client.get(LIST, {"theme": "housing"}).context["resources"]] == ["G1"]
    assert [r.title for r in client.get(LIST, {"year": "2022"}).context["resources"]] == ["R1"]


@pytest.mark.parametrize("params", [{}, {"q": "cohesion"}])
def test_list_and_search_take_the_same_queries_for_1_and_50_resources(params, client, lab, django_assert_num_queries):
    def make(n):
        for i in range(n):
            make_resource(title=f"Cohesion {i}", lab=lab, themes=["housing"], published_year=2000 + i % 5)

    make(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(LIST, params)
    make(49)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(LIST, params)
    assert len(response.context["resources"]) == 20


def test_api_list_takes_the_same_queries_for_1_and_50_resources(client, lab, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_resource(lab=lab, themes=["housing"])
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/resources/")
    for _ in range(49):
        make_resource(lab=lab, themes=["housing"])
    with django_assert_num_queries(len(one.captured_queries)):
        assert len(client.get("/api/v1/resources/").json()["results"]) == 50


# --- Downloads and previews -----------------------------------------------------------------------------------------


def test_download_is_an_attachment_with_a_safe_type_and_counts(client, django_capture_on_commit_callbacks):
    resource = _with_pdf(django_capture_on_commit_callbacks, "words")
    response = client.get(reverse("library:download", args=[resource.slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    b"".join(response.streaming_content)
    client.get(reverse("library:download", args=[resource.slug]))
    resource.refresh_from_db()
    assert resource.download_count == 2
    assert "2 downloads" in client.get(_detail(resource)).content.decode()


def test_a_pdf_is_previewed_as_its_text_and_served_inline_only_in_a_sandbox(client, django_capture_on_commit_callbacks):
    resource = _with_pdf(django_capture_on_commit_callbacks, "words")
    response = client.get(reverse("library:preview", args=[resource.slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    page = client.get(_detail(resource)).content.decode()
    assert "The beginning of the document, as text" in page and "words" in page


@pytest.mark.parametrize(
    ("name", "data", "stored_type"),
    [("evil.html", b"<html><script>alert(1)</script></html>", "text/html"),
     ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml")],
)  # fmt: skip
def test_html_or_svg_that_reached_the_storage_is_never_served_inline_nor_as_itself(client, name, data, stored_type):
    resource = make_resource(content=(name, data, stored_type))
    response = client.get(reverse("library:download", args=[resource.slug]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(reverse("library:preview", args=[resource.slug])).status_code == 404


def test_text_files_are_served_as_plain_text(client):
    resource = make_resource(content=("notes.md", b"# <b>Notes</b>", "text/markdown"))
    response = client.get(reverse("library:download", args=[resource.slug]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"


# --- Forms ----------------------------------------------------------------------------------------------------------


def _form_data(lab, **extra):
    data = {"title": "Kit for housing", "kind": "toolkit", "language": "it", "licence": "CC-BY-4.0", "lab": lab.pk,
            "description": "A kit.", "description_it": "Un kit.", "published_year": "2023"}  # fmt: skip
    return data | extra


def test_member_adds_a_pdf_and_its_text_is_read_on_the_queue(lab, member, django_capture_on_commit_callbacks):
    client = client_for(member)
    upload = SimpleUploadedFile("kit.pdf", pdf_bytes("Okapi cooperative"), content_type="text/html")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("library:create"), _form_data(lab, file=upload))
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert (resource.state, resource.lab, resource.file_type) == ("draft", lab, PDF)
    assert resource.descriptions == {"it": "Un kit."}
    assert resource.extraction == Extraction.DONE and "Okapi" in resource.extracted_text


def test_member_adds_a_link(lab, member):
    response = client_for(member).post(reverse("library:create"), _form_data(lab, url="https://example.org/kit"))
    assert response.status_code == 302
    assert Resource.objects.get().url == "https://example.org/kit"


def test_form_needs_a_file_or_a_link(lab, member):
    response = client_for(member).post(reverse("library:create"), _form_data(lab))
    assert response.status_code == 200
    assert "Upload a file or give a link." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [("page.html", b"<html><body>hi</body></html>"), ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
     ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00"), ("fake.pdf", b"<html>not a pdf</html>")],
)  # fmt: skip
def test_form_refuses_other_kinds_of_file_by_their_content(name, data, lab, member):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    response = client_for(member).post(reverse("library:create"), _form_data(lab, file=upload))
    assert response.status_code == 200
    assert "This kind of file is not accepted" in response.content.decode()
    assert not Resource.objects.exists()


def test_form_refuses_a_file_over_the_size_limit(lab, member, monkeypatch):
    monkeypatch.setattr("library.files.MAX_UPLOAD_SIZE", 100)
    upload = SimpleUploadedFile("big.pdf", pdf_bytes("x" * 200), content_type="application/pdf")
    response = client_for(member).post(reverse("library:create"), _form_data(lab, file=upload))
    assert "the limit is 100" in response.content.decode()
    assert MAX_UPLOAD_SIZE == 25 * 1024 * 1024


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("contributor", 404), ("outsider", 200), ("member", 200),
                                             ("coordinator", 200)])  # fmt: skip
def test_who_may_open_the_new_resource_form(who, status, request):
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(reverse("library:create")).status_code == status


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("member", 200), ("facilitator", 200),
                                             ("coordinator", 200)])  # fmt: skip
def test_only_the_lab_and_coordinators_edit_a_resource(who, status, lab, request):
    resource = make_resource(lab=lab)
    response = client_for(request.getfixturevalue(who)).get(reverse("library:edit", args=[resource.slug]))
    assert response.status_code == status


def test_members_edit_of_a_published_resource_goes_to_review(lab, member):
    resource = make_resource(lab=lab, title="Old title")
    data = _form_data(lab, title="New title", url=resource.url, version=resource.version)
    client_for(member).post(reverse("library:edit", args=[resource.slug]), data)
    resource.refresh_from_db()
    assert (resource.title, resource.state) == ("New title", "submitted")


def test_facilitator_publishes_a_submitted_resource(lab, member, facilitator):
    resource = make_resource(lab=lab, state="submitted")
    data = {"action": "publish", "version": resource.version}
    assert client_for(member).post(reverse("library:moderate", args=[resource.slug]), data).status_code == 404
    client_for(facilitator).post(reverse("library:moderate", args=[resource.slug]), data)
    resource.refresh_from_db()
    assert resource.state == "published"


def test_member_submits_a_draft(lab, member):
    resource = make_resource(lab=lab, state="draft")
    client_for(member).post(reverse("library:submit", args=[resource.slug]))
    resource.refresh_from_db()
    assert resource.state == "submitted"


# --- History and restore --------------------------------------------------------------------------------------------


def test_history_lists_changes_and_a_facilitator_restores_an_old_version(lab, facilitator):
    client = client_for(facilitator)
    client.post(reverse("library:create"), _form_data(lab, title="First", url="https://example.org/a"))
    resource = Resource.objects.get()
    client.post(reverse("library:edit", args=[resource.slug]),
                _form_data(lab, title="Second", url="https://example.org/a", version=resource.version))  # fmt: skip
    page = client.get(reverse("library:history", args=[resource.slug]))
    assert page.status_code == 200 and "Title" in page.content.decode()
    first = resource.history.order_by("history_id").first()
    client.post(reverse("library:restore", args=[resource.slug, first.history_id]))
    resource.refresh_from_db()
    assert resource.title == "First"


@pytest.mark.parametrize(("who", "status"), [(None, 302), ("outsider", 404), ("member", 200), ("coordinator", 200)])
def test_who_sees_the_history(who, status, lab, request):
    resource = make_resource(lab=lab)
    client = client_for(request.getfixturevalue(who) if who else None)
    assert client.get(reverse("library:history", args=[resource.slug])).status_code == status


def test_a_member_cannot_restore(lab, member):
    resource = make_resource(lab=lab)
    record = resource.history.first()
    response = client_for(member).post(reverse("library:restore", args=[resource.slug, record.history_id]))
    assert response.status_code == 404


# --- API ------------------------------------------------------------------------------------------------------------


def test_api_gives_the_public_download_address_never_the_storage_path(client, django_capture_on_commit_callbacks):
    resource = _with_pdf(django_capture_on_commit_callbacks, "words", title="Api guide")
    data = client.get("/api/v1/resources/").json()["results"][0]
    assert data["file_url"] == f"http://testserver{reverse('library:download', args=[resource.slug])}"
    assert "library/" + resource.file.name.split("/")[1] not in str(data)
    assert client.get(data["file_url"]).status_code == 200


def test_api_filters_by_kind_and_words(client):
    make_resource(title="Guide one", kind="guide")
    make_resource(title="Report two", kind="report")

    def titles(params):
        return [row["title"] for row in client.get("/api/v1/resources/", params).json()["results"]]

    assert titles({"kind": "report"}) == ["Report two"]
    assert titles({"q": "guide"}) == ["Guide one"]


def test_member_of_two_labs_sees_drafts_of_both(lab, other_lab):
    person = make_member(lab, MembershipRole.MEMBER)
    other_lab.add_member(person, MembershipRole.MEMBER)
    make_resource(lab=lab, state="draft", title="One")
    make_resource(lab=other_lab, state="draft", title="Two")
    assert len(client_for(person).get("/api/v1/resources/").json()["results"]) == 2


# --- Demo -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    from conect.management.commands.load_demo import load_demo

    load_demo(with_imports=False)


def test_demo_library_holds_the_seeds_items_as_described_records_in_six_languages(demo, client):
    resources = Resource.objects.published()
    assert set(resources.values_list("slug", flat=True)) == {
        "conet-guide-to-social-cohesion", "local-action-plan-palermo",
        "netco-good-local-practices-collaborative-housing", "empowering-disadvantaged-deprived-urban-areas",
    }  # fmt: skip
    for resource in resources:
        assert resource.reference_only and not resource.file and not resource.url
        assert set(resource.descriptions) == {"it", "ro", "fr", "de", "es"}
    plan = Resource.objects.get(slug="local-action-plan-palermo")
    assert plan.lab.slug == "palermo" and plan.practices.get().title == "Local Action Plan for Ballarò"
    assert "Ballarò" in client.get(LIST, {"q": "governance Ballarò"}).content.decode()
    assert (
        "abitare collaborativo"
        in client.get("/it/library/netco-good-local-practices-collaborative-housing/").content.decode()
    )


def test_loading_the_library_demo_twice_changes_nothing(demo):
    from library import demo as library_demo

    before = list(Resource.objects.order_by("pk").values())
    library_demo.load(with_imports=False)
    assert list(Resource.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("query", ["year=abc", "lab=no-such-lab", "theme=zzz", "kind=poem"])
def test_a_visitor_with_a_filter_that_names_nothing_gets_the_library_without_it(client, query):
    response = client.get(f"/en/library/?{query}")
    assert response.status_code == 400
    assert "Some filters were not understood and are left out." in response.text

"""The OpenAPI schema at /api/schema/: valid OpenAPI 3, and complete enough for a partner to rely on it (errors,
GeoJSON, the token, the parameters of every list)."""

import json

import pytest
from django.core.management import call_command
from openapi_spec_validator import validate

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_blocker) -> dict:
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        if path.startswith("/api/v1/"):
            for method, operation in item.items():
                if method in METHODS:
                    yield path, method, operation


def lists(schema: dict):
    for path, method, operation in operations(schema):
        if method == "get" and not path.rstrip("/").endswith("}") and path.count("/") == 4:
            yield path, operation


def query_parameters(operation: dict) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_is_generated_without_a_warning(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_partner_token_is_declared_as_a_bearer_scheme(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["partnerToken"].items()
    practices = schema["paths"]["/api/v1/practices/"]["get"]
    assert {"partnerToken": []} in practices["security"]


def test_every_operation_says_a_bad_token_is_a_401_and_too_many_requests_a_429_with_retry_after(schema):
    for path, method, operation in operations(schema):
        assert "401" in operation["responses"], (method, path)
        assert "Retry-After" in operation["responses"]["429"]["headers"], (method, path)


def test_every_operation_with_parameters_documents_its_400_and_every_row_its_404(schema):
    for path, method, operation in operations(schema):
        if query_parameters(operation) or method in ("post", "put", "patch"):
            assert "400" in operation["responses"], (method, path)
        if "{" in path:
            assert "404" in operation["responses"], (method, path)


def test_an_error_is_described_as_json_with_its_detail(schema):
    error = schema["paths"]["/api/v1/practices/"]["get"]["responses"]["401"]["content"]["application/json"]
    assert "detail" in error["schema"]["properties"]


def test_geojson_answers_are_described_as_application_geo_json(schema):
    for path in ("/api/v1/practices/", "/api/v1/spaces/", "/api/v1/organisations/", "/api/v1/practices/{slug}/"):
        assert "application/geo+json" in schema["paths"][path]["get"]["responses"]["200"]["content"], path


# The yearly indicator values (a plain ViewSet, not on conect.apibase) do not read ?lang= yet: said, not hidden.
NOT_YET_TRANSLATED = pytest.mark.xfail(reason="indicator-values does not read ?lang= yet", strict=True)
LISTS = [
    "activities", "composites", "frameworks", "indicators", "labs", "measurements", "networks", "organisations",
    "practices", "programmes", "registrations", "relationships", "resources", "spaces",
    pytest.param("indicator-values", marks=NOT_YET_TRANSLATED),
]  # fmt: skip


@pytest.mark.parametrize("name", LISTS)
def test_every_list_documents_its_language(schema, name):
    assert "lang" in query_parameters(schema["paths"][f"/api/v1/{name}/"]["get"])


def test_every_list_is_in_the_list_above(schema):
    names = {path.split("/")[3] for path, _operation in lists(schema)}
    assert names == {getattr(name, "values", [name])[0] for name in LISTS}


@pytest.mark.parametrize(
    "path", ["/api/v1/practices/", "/api/v1/spaces/", "/api/v1/organisations/", "/api/v1/relationships/"]
)
def test_the_big_lists_document_their_cursor_and_incremental_sync(schema, path):
    names = query_parameters(schema["paths"][path]["get"])
    assert {"cursor", "page_size", "modified_since"} <= names


def test_the_practices_list_documents_the_filters_of_the_map(schema):
    names = query_parameters(schema["paths"]["/api/v1/practices/"]["get"])
    assert {"bbox", "country", "lab", "theme", "sdg", "q", "format"} <= names


def test_the_schema_is_served_in_the_language_asked_for(client, db):
    schema = client.get("/api/schema/", {"format": "json", "lang": "it"}).json()
    lang = next(p for p in schema["paths"]["/api/v1/practices/"]["get"]["parameters"] if p["name"] == "lang")
    assert set(lang["schema"]["enum"]) >= {"en", "it"}

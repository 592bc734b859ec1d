"""One answer of the API checked against what /api/schema/ documents for it (OpenAPI 3.0: nullable, oneOf, $ref)."""

import copy
from urllib.parse import urlsplit

from django.test import Client
from openapi_schema_validator import OAS30Validator, oas30_format_checker

# As Schemathesis reads "uri" (no checker for it otherwise: an empty string would pass, and match oneOf twice).
FORMATS = copy.deepcopy(oas30_format_checker)
FORMATS.checks("uri")(lambda value: not isinstance(value, str) or bool(urlsplit(value).scheme))


def assert_conforms(response, path: str, method: str = "get") -> None:
    """`response` (a test client's) is one the schema documents for `method` on `path` (the template, e.g.
    "/api/v1/labs/{slug}/"): its status code, its media type, and its body against that media type's schema."""
    document = Client().get("/api/schema/", {"format": "json"}).json()
    documented = document["paths"][path][method]["responses"][str(response.status_code)]
    media_type = response["Content-Type"].split(";")[0]
    assert media_type in documented.get("content", {}), f"{media_type} is not documented for {response.status_code}"
    schema = documented["content"][media_type]["schema"]
    validator = OAS30Validator({**schema, "components": document["components"]}, format_checker=FORMATS)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(response.json())]
    assert not errors, errors

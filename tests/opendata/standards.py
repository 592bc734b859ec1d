"""The vendored schemas of the open standards (opendata/schemas/, scripts/vendor-schemas.sh), read offline."""

import json
import re
from functools import cache
from pathlib import Path

from jsonschema import Draft7Validator, Draft202012Validator
from pyld import jsonld
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7, DRAFT202012

SCHEMAS = Path(__file__).resolve().parents[2] / "opendata" / "schemas"
MURMURATIONS_BASE = "https://test-library.murmurations.network/v2/"
HSDS_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


@cache
def schemaorg_context() -> dict:
    return json.loads((SCHEMAS / "schemaorg" / "schemaorgcontext.jsonld").read_text())


def offline_loader(url: str, options=None) -> dict:
    """pyld's document loader: schema.org's context from the vendored copy, nothing from the network."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"JSON-LD tried to load {url}")
    return {"contextUrl": None, "documentUrl": url, "document": schemaorg_context()}


def expand(document: dict) -> list:
    return jsonld.expand(document, {"documentLoader": offline_loader})


def json_ld_of(html: str) -> list[dict]:
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(script) for script in scripts]


@cache
def murmurations_validator() -> Draft7Validator:
    resources = []
    for folder in ("schemas", "fields"):
        for path in (SCHEMAS / "murmurations" / folder).glob("*.json"):
            uri = f"{MURMURATIONS_BASE}{folder}/{path.name}"
            resources.append((uri, Resource(json.loads(path.read_text()), specification=DRAFT7)))
    schema = json.loads((SCHEMAS / "murmurations" / "schemas" / "organizations_schema-v1.0.0.json").read_text())
    # The schema's $id names it without ".json" and in another folder: its "../fields/x.json" resolve from there.
    schema["$id"] = f"{MURMURATIONS_BASE}schemas/organizations_schema-v1.0.0"
    return Draft7Validator(schema, registry=Registry().with_resources(resources))


@cache
def _hsds_registry() -> Registry:
    resources = []
    for path in (SCHEMAS / "hsds").rglob("*.json"):
        uri = HSDS_BASE + str(path.relative_to(SCHEMAS / "hsds"))
        resources.append((uri, Resource(json.loads(path.read_text()), specification=DRAFT202012)))
    return Registry().with_resources(resources)


def hsds_validator(name: str) -> Draft202012Validator:
    """A validator of one HSDS schema ("service", "compiled/service_list", ...), its $refs resolved offline."""
    schema = json.loads((SCHEMAS / "hsds" / f"{name}.json").read_text())
    schema["$id"] = f"{HSDS_BASE}{name}.json"
    return Draft202012Validator(schema, registry=_hsds_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def hsds_openapi() -> dict:
    return json.loads((SCHEMAS / "hsds" / "openapi.json").read_text())


def hsds_page_validator(item_schema: str) -> Draft202012Validator:
    """The reference's list response: its Page schema, with `contents` of the given item schema."""
    page = hsds_openapi()["components"]["schemas"]["Page"]
    schema = {
        "$id": f"{HSDS_BASE}page.json",
        "allOf": [page],
        "required": [*page["properties"], "contents"],
        "properties": {"contents": {"type": "array", "items": {"$ref": f"{item_schema}.json"}}},
    }
    return Draft202012Validator(schema, registry=_hsds_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)

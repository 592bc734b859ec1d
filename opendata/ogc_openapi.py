"""The OpenAPI 3.0 definition of /ogc/ (the OpenAPI 3.0 conformance class): small enough to write as a dict."""

from typing import Any

from django.utils.translation import gettext as _


def _ref(name: str, kind: str = "parameters") -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _answers(description: str, schema: dict, *, json_type: str = "application/json") -> dict:
    return {
        "200": {
            "description": description,
            "content": {json_type: {"schema": schema}, "text/html": {"schema": {"type": "string"}}},
        },
        "400": _ref("BadRequest", "responses"),
    }


def openapi_document(root: str, collections: dict) -> dict[str, Any]:
    """`root` is the absolute address of the landing page without its final slash (e.g. https://host/ogc)."""
    link = {
        "type": "object",
        "required": ["href"],
        "properties": {
            "href": {"type": "string"},
            "rel": {"type": "string"},
            "type": {"type": "string"},
            "title": {"type": "string"},
        },
    }
    links = {"type": "array", "items": _ref("link", "schemas")}
    feature = {
        "type": "object",
        "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"type": "string", "enum": ["Feature"]},
            "id": {"type": "string"},
            "geometry": {"type": "object", "nullable": True},
            "properties": {"type": "object", "nullable": True},
            "links": links,
        },
    }
    feature_collection = {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": _ref("featureGeoJSON", "schemas")},
            "links": links,
            "timeStamp": {"type": "string", "format": "date-time"},
            "numberMatched": {"type": "integer", "minimum": 0},
            "numberReturned": {"type": "integer", "minimum": 0},
            "licence": {"type": "string"},
            "attribution": {"type": "string"},
        },
    }
    collection = {
        "type": "object",
        "required": ["id", "links"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "itemType": {"type": "string"},
            "crs": {"type": "array", "items": {"type": "string"}},
            "extent": {"type": "object"},
            "links": links,
        },
    }
    exception = {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
    }
    collection_id = {
        "name": "collectionId",
        "in": "path",
        "required": True,
        "description": _("The collection's identifier."),
        "schema": {"type": "string", "enum": list(collections)},
    }
    feature_id = {
        "name": "featureId",
        "in": "path",
        "required": True,
        "description": _("The feature's identifier: its slug, which does not change."),
        "schema": {"type": "string"},
    }
    parameters = {
        "f": {
            "name": "f",
            "in": "query",
            "required": False,
            "description": _("The format of the answer (else the Accept header chooses; JSON by default)."),
            "schema": {"type": "string", "enum": ["json", "html"]},
        },
        "bbox": {
            "name": "bbox",
            "in": "query",
            "required": False,
            "description": _("west,south,east,north in degrees of longitude and latitude (CRS84), west before east."),
            "style": "form",
            "explode": False,
            "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        },
        "bbox-crs": {
            "name": "bbox-crs",
            "in": "query",
            "required": False,
            "description": _("The CRS of bbox: only CRS84 is offered."),
            "schema": {"type": "string", "enum": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]},
        },
        "limit": {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": _("Features per page: 10 by default, at most 10,000 (a larger limit gives 10,000)."),
            "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 10},
        },
        "offset": {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": _("How many features to skip (the next links carry it)."),
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
        "datetime": {
            "name": "datetime",
            "in": "query",
            "required": False,
            "description": _("An RFC 3339 date-time or date, or an interval of two (a/b, ../b, a/..)."),
            "schema": {"type": "string"},
        },
        "collectionId": collection_id,
        "featureId": feature_id,
    }
    exception_json = {"application/json": {"schema": _ref("exception", "schemas")}}
    not_found = {"description": _("Not found."), "content": exception_json}
    bad_request = {
        "description": _("A parameter was not understood."),
        "content": exception_json,
    }
    items_answers = _answers(
        _("The features of the collection, one page."), _ref("featureCollectionGeoJSON", "schemas"),
        json_type="application/geo+json",
    )  # fmt: skip
    feature_answers = _answers(_("One feature."), _ref("featureGeoJSON", "schemas"), json_type="application/geo+json")
    return {
        "openapi": "3.0.3",
        "info": {
            "title": _("CoNECT: OGC API - Features"),
            "version": "1.0.0",
            "description": _("Published practices, spaces, organisations and Labs of the CoNECT platform."),
            "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        },
        "servers": [{"url": root}],
        "paths": {
            "/": {
                "get": {
                    "summary": _("Landing page"),
                    "operationId": "getLandingPage",
                    "parameters": [_ref("f")],
                    "responses": _answers(_("The landing page."), {"type": "object"}),
                }
            },
            "/conformance": {
                "get": {
                    "summary": _("The conformance classes this API implements"),
                    "operationId": "getConformanceDeclaration",
                    "parameters": [_ref("f")],
                    "responses": _answers(
                        _("The conformance classes."),
                        {
                            "type": "object",
                            "required": ["conformsTo"],
                            "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}},
                        },
                    ),
                }
            },
            "/api": {
                "get": {
                    "summary": _("This API definition"),
                    "operationId": "getAPIDefinition",
                    "parameters": [_ref("f")],
                    "responses": _answers(
                        _("The API definition."),
                        {"type": "object"},
                        json_type="application/vnd.oai.openapi+json;version=3.0",
                    ),
                }
            },
            "/collections": {
                "get": {
                    "summary": _("The collections"),
                    "operationId": "getCollections",
                    "parameters": [_ref("f")],
                    "responses": _answers(
                        _("The collections."),
                        {
                            "type": "object",
                            "required": ["collections", "links"],
                            "properties": {"links": links, "collections": {"type": "array", "items": collection}},
                        },
                    ),
                }
            },
            "/collections/{collectionId}": {
                "get": {
                    "summary": _("One collection"),
                    "operationId": "describeCollection",
                    "parameters": [_ref("collectionId"), _ref("f")],
                    "responses": {**_answers(_("The collection."), collection), "404": _ref("NotFound", "responses")},
                }
            },
            "/collections/{collectionId}/items": {
                "get": {
                    "summary": _("The features of a collection"),
                    "operationId": "getFeatures",
                    "parameters": [
                        _ref("collectionId"),
                        _ref("bbox"),
                        _ref("bbox-crs"),
                        _ref("datetime"),
                        _ref("limit"),
                        _ref("offset"),
                        _ref("f"),
                    ],
                    "responses": {**items_answers, "404": _ref("NotFound", "responses")},
                }
            },
            "/collections/{collectionId}/items/{featureId}": {
                "get": {
                    "summary": _("One feature"),
                    "operationId": "getFeature",
                    "parameters": [_ref("collectionId"), _ref("featureId"), _ref("f")],
                    "responses": {**feature_answers, "404": _ref("NotFound", "responses")},
                }
            },
        },
        "components": {
            "parameters": parameters,
            "responses": {"NotFound": not_found, "BadRequest": bad_request},
            "schemas": {
                "link": link,
                "exception": exception,
                "featureGeoJSON": feature,
                "featureCollectionGeoJSON": feature_collection,
            },
        },
    }

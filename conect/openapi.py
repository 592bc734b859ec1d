"""The OpenAPI schema's common parts, added to every operation once instead of in each viewset:

- `lang` on every operation of an APIBase viewset, `modified_since` on their lists (conect.apibase reads both);
- the errors any operation can answer, whatever its own view says: 401 (a bad, expired or revoked partner token, on
  any address), 429 (too many requests, with Retry-After), 400 where the operation reads query parameters, 404 where
  its address names a row.

Set as REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]; a viewset's own extend_schema responses are kept as they are."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from conect.apibase import APIBase

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": {},
    "description": 'What is wrong: {"detail": "..."}, or the errors of each field by its name.',
}
COMMON_ERRORS = {
    "401": (_("The partner token is unknown, expired or revoked (WWW-Authenticate: Bearer)."), None),
    "429": (
        _("Too many requests for this token or address: try again after Retry-After seconds."),
        {"Retry-After": {"schema": {"type": "integer"}, "description": _("Seconds to wait before trying again.")}},
    ),
}


class AutoSchema(BaseAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        if isinstance(self.view, APIBase):
            self._add_query_parameters(operation)
        self._add_errors(operation)
        return operation

    def _add_query_parameters(self, operation: dict) -> None:
        parameters = operation.setdefault("parameters", [])
        names = {(p["name"], p["in"]) for p in parameters}
        languages = [code for code, _name in settings.LANGUAGES]
        extra = [
            {
                "name": "lang",
                "in": "query",
                "schema": {"type": "string", "enum": languages},
                "description": str(
                    _("The language of translated fields (else Accept-Language; Content-Language says it).")
                ),
            }
        ]
        if self._is_list_view() and self.view.sync_id_field is not None and self.method == "GET":
            extra.append(
                {
                    "name": "modified_since",
                    "in": "query",
                    "schema": {"type": "string", "format": "date-time"},
                    "description": str(
                        _(
                            "Only the rows changed since this ISO 8601 date-time, oldest change first; rows gone since "
                            'then come back as {"id" (or "slug"): ..., "gone": true}.'
                        )
                    ),
                }
            )
        parameters.extend(p for p in extra if (p["name"], p["in"]) not in names)
        parameters.sort(key=lambda p: (p["in"], p["name"]))

    def _add_errors(self, operation: dict) -> None:
        responses = operation.setdefault("responses", {})
        types = [t for code, r in responses.items() if code.startswith("2") for t in r.get("content", {})]
        types = [t for t in dict.fromkeys(types) if t in ("application/json", "application/geo+json")]
        content = {t: {"schema": ERROR} for t in types or ["application/json"]}
        errors = dict(COMMON_ERRORS)
        if any(p["in"] == "query" for p in operation.get("parameters", [])):
            errors["400"] = (_("A query parameter is wrong: the answer names it."), None)
        if any(p["in"] == "path" for p in operation.get("parameters", [])):
            errors["404"] = (_("Missing, or not yours to see or change: the same answer."), None)
        for code, (description, headers) in errors.items():
            if code not in responses:
                responses[code] = {"content": content, "description": str(description)}
                if headers:
                    responses[code]["headers"] = {
                        k: v | {"description": str(v["description"])} for k, v in headers.items()
                    }
        operation["responses"] = dict(sorted(responses.items()))

"""Practices and spaces as schema.org (conect.jsonld): a practice is a Project, a space a Place."""

from django.http import HttpRequest

from conect import jsonld

from .models import Practice, Space


@jsonld.register(Practice)
def practice(practice: Practice, request: HttpRequest) -> dict:
    text = practice.localised()
    return {
        "@type": "Project",
        "name": text.title,
        "description": text.summary,
        "inLanguage": text.language,
        "keywords": [theme.name for theme in practice.themes.all()],
        "sameAs": practice.website,
        "foundingDate": practice.start_date.isoformat() if practice.start_date else None,
        "dissolutionDate": practice.end_date.isoformat() if practice.end_date else None,
        "location": jsonld.place(city=practice.city, country=practice.country.code, point=practice.location),
        "parentOrganization": _lab(practice, request),
    }


@jsonld.register(Space)
def space(space: Space, request: HttpRequest) -> dict:
    where = jsonld.place(street=space.address, city=space.city, country=space.country.code, point=space.location)
    return {
        **where,
        "name": space.name,
        "description": space.description,
        "additionalType": space.get_kind_display(),
    }


def _lab(row, request: HttpRequest) -> dict | None:
    if row.lab_id is None:
        return None
    url = request.build_absolute_uri(row.lab.get_absolute_url())
    return {"@type": "Organization", "@id": url, "name": row.lab.name, "url": url}

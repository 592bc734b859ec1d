"""Labs as schema.org (conect.jsonld): an Organization with its place."""

from django.http import HttpRequest
from django.urls import reverse

from conect import jsonld

from .models import Lab


@jsonld.register(Lab)
def lab(lab: Lab, request: HttpRequest) -> dict:
    return {
        "@type": "Organization",
        "name": lab.name,
        "description": lab.localised_description.text,
        "location": jsonld.place(city=lab.city, country=lab.country.code, point=lab.location),
        "areaServed": lab.city,
        "foundingDate": lab.start_date.isoformat() if lab.start_date else None,
        "logo": request.build_absolute_uri(reverse("labs:cover", kwargs={"slug": lab.slug})) if lab.cover else None,
    }

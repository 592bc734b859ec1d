"""Library resources as schema.org (conect.jsonld): a CreativeWork (or the subtype its kind names), with its own
licence rather than the platform's."""

from django.http import HttpRequest

from conect import jsonld

from .models import LICENCE_DEEDS, Resource, ResourceKind

TYPES = {
    ResourceKind.REPORT: "Report",
    ResourceKind.VIDEO: "VideoObject",
    ResourceKind.DATASET: "Dataset",
    ResourceKind.TRAINING: "LearningResource",
    ResourceKind.GUIDE: "HowTo",
}


@jsonld.register(Resource)
def resource(resource: Resource, request: HttpRequest) -> dict:
    description = resource.localised_description
    return {
        "@type": TYPES.get(resource.kind, "CreativeWork"),
        "name": resource.title,
        "description": description.text,
        "inLanguage": resource.language or None,
        "genre": resource.get_kind_display(),
        "author": resource.authors or None,
        "datePublished": str(resource.published_year) if resource.published_year else None,
        "license": LICENCE_DEEDS.get(resource.licence) or (resource.get_licence_display() or None),
        "keywords": [theme.name for theme in resource.themes.all()],
        "sameAs": resource.url or None,
    }

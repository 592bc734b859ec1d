"""Organisations and networks as schema.org (conect.jsonld): Organizations (an NGO for associations)."""

from django.http import HttpRequest

from conect import jsonld

from .models import Network, Organisation, OrganisationKind

TYPES = {
    OrganisationKind.NGO: "NGO",
    OrganisationKind.MUNICIPALITY: "GovernmentOrganization",
    OrganisationKind.UNIVERSITY: "EducationalOrganization",
    OrganisationKind.BUSINESS: "Corporation",
    OrganisationKind.FUNDER: "FundingScheme",
}


@jsonld.register(Organisation)
def organisation(organisation: Organisation, request: HttpRequest) -> dict:
    description = organisation.localised_description
    return {
        "@type": TYPES.get(organisation.kind, "Organization"),
        "name": organisation.name,
        "description": description.text,
        "sameAs": organisation.website,
        "location": jsonld.place(
            city=organisation.city, country=organisation.country.code, point=organisation.location
        ),
    }


@jsonld.register(Network)
def network(network: Network, request: HttpRequest) -> dict:
    return {
        "@type": "Organization",
        "name": network.name,
        "description": network.localised_description.text,
        "sameAs": network.website,
        "areaServed": network.country.code or None,
        "foundingDate": network.start_date.isoformat() if network.start_date else None,
        "dissolutionDate": network.end_date.isoformat() if network.end_date else None,
        "parentOrganization": _network(network.parent, request) if network.parent_id else None,
    }


def _network(network: Network, request: HttpRequest) -> dict:
    url = request.build_absolute_uri(network.get_absolute_url())
    return {"@type": "Organization", "@id": url, "name": network.name, "url": url}

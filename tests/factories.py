"""Plain functions that make rows for tests: every argument has a default, any can be overridden."""

import itertools

from django.contrib.gis.geos import Point
from django.db import connection

from activities.models import Activity, ActivityKind, Programme
from conect.models import User
from labs.models import Lab, MembershipRole
from networks.models import (
    Network,
    NetworkMembership,
    NetworkRole,
    NetworkScope,
    Organisation,
    OrganisationKind,
    Relationship,
    RelationshipKind,
)

PASSWORD = "a-long-test-password"
_counter = itertools.count(1)


def make_user(**kwargs) -> User:
    n = next(_counter)
    kwargs.setdefault("email", f"user{n}@example.org")
    kwargs.setdefault("display_name", f"User {n}")
    password = kwargs.pop("password", PASSWORD)
    user = User.objects.create_user(password=password, **kwargs)
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def make_lab(**kwargs) -> Lab:
    n = next(_counter)
    kwargs.setdefault("name", f"Lab {n}")
    kwargs.setdefault("country", "IT")
    kwargs.setdefault("city", "Palermo")
    kwargs.setdefault("location", Point(13.3636, 38.1166, srid=4326))
    return Lab.objects.create(**kwargs)


def make_member(lab: Lab, role: str = MembershipRole.MEMBER, **kwargs) -> User:
    user = make_user(**kwargs)
    lab.add_member(user, role)
    return user


def make_organisation(**kwargs) -> Organisation:
    n = next(_counter)
    kwargs.setdefault("name", f"Organisation {n}")
    kwargs.setdefault("kind", OrganisationKind.NGO)
    kwargs.setdefault("country", "RO")
    kwargs.setdefault("state", "published")
    _suggestion_unless_member(kwargs)
    return Organisation.objects.create(**kwargs)


def make_relationship(source: Organisation, target: Organisation, **kwargs) -> Relationship:
    kwargs.setdefault("kind", RelationshipKind.PARTNERSHIP)
    kwargs.setdefault("state", "published")
    _suggestion_unless_member(kwargs)
    return Relationship.objects.create(source=source, target=target, **kwargs)


def as_if_committed() -> None:
    """Run what a commit runs: deferred triggers (the graph version's bump), inside a test's transaction that never
    commits."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def make_network(**kwargs) -> Network:
    n = next(_counter)
    kwargs.setdefault("name", f"Network {n}")
    kwargs.setdefault("scope", NetworkScope.EUROPEAN)
    return Network.objects.create(**kwargs)


def add_to_network(network: Network, organisation: Organisation, role: str = NetworkRole.PARTNER) -> NetworkMembership:
    return NetworkMembership.objects.create(network=network, organisation=organisation, role=role)


def make_activity(**kwargs) -> Activity:
    n = next(_counter)
    kwargs.setdefault("title", f"Activity {n}")
    kwargs.setdefault("kind", ActivityKind.WORKSHOP)
    kwargs.setdefault("state", "published")
    network = kwargs.pop("network", None)
    _suggestion_unless_member(kwargs)
    activity = Activity.objects.create(**kwargs)
    if network is not None:
        activity.networks.add(network)
    return activity


def make_programme(**kwargs) -> Programme:
    n = next(_counter)
    kwargs.setdefault("title", f"Programme {n}")
    return Programme.objects.create(**kwargs)


def _suggestion_unless_member(kwargs: dict) -> None:
    """Rows made with an author outside their Lab are suggestions, as save_new() would have made them."""
    author, lab = kwargs.get("created_by"), kwargs.get("lab")
    member = author is not None and lab is not None and lab.memberships.filter(user=author).exists()
    kwargs.setdefault("is_suggestion", author is not None and not member)


def make_space(**kwargs):
    from practices.models import Space
    from practices.vocabularies import SpaceKind

    n = next(_counter)
    kwargs.setdefault("name", f"Space {n}")
    kwargs.setdefault("kind", SpaceKind.SOCIAL_CENTRE)
    kwargs.setdefault("country", "IT")
    kwargs.setdefault("location", Point(13.36, 38.11, srid=4326))
    kwargs.setdefault("state", "published")
    _suggestion_unless_member(kwargs)
    return Space.objects.create(**kwargs)


def make_practice(themes=(), **kwargs):
    from practices.models import Practice, Theme

    n = next(_counter)
    kwargs.setdefault("title", f"Practice {n}")
    kwargs.setdefault("summary", f"Summary of practice {n}")
    kwargs.setdefault("country", "IT")
    kwargs.setdefault("city", "Palermo")
    kwargs.setdefault("location", Point(13.3636, 38.1166, srid=4326))
    kwargs.setdefault("state", "published")
    _suggestion_unless_member(kwargs)
    practice = Practice.objects.create(**kwargs)
    practice.themes.set(Theme.objects.filter(slug__in=themes))
    return practice


# --- Indicators -------------------------------------------------------------------------------------------------------


def make_framework(**kwargs):
    from indicators.models import Framework

    n = next(_counter)
    kwargs.setdefault("code", f"framework-{n}")
    kwargs.setdefault("name", f"Framework {n}")
    kwargs.setdefault("published", True)
    return Framework.objects.create(**kwargs)


def make_dimension(framework, **kwargs):
    n = next(_counter)
    kwargs.setdefault("code", f"D{n}")
    kwargs.setdefault("name", f"Dimension {n}")
    return framework.dimensions.create(**kwargs)


def make_indicator(framework=None, **kwargs):
    """A yearly count per Lab, unless told otherwise."""
    n = next(_counter)
    kwargs.setdefault("code", f"I{n}")
    kwargs.setdefault("name", f"Indicator {n}")
    kwargs.setdefault("type", "count")
    kwargs.setdefault("level", "lab")
    kwargs.setdefault("frequency", "year")
    return (framework or make_framework()).indicators.create(**kwargs)


def make_measurement(indicator, *, lab=None, period: str = "2024", state: str = "draft", by=None, **kwargs):
    """A value saved through the write path, then put in `state` as the review flow would (rollups included)."""
    from indicators import services
    from indicators.models import Measurement
    from indicators.periods import Period

    parsed = Period.parse(period)
    if indicator.level != "country" and lab is None and "practice" not in kwargs:
        lab = make_lab()
    if "value" not in kwargs and indicator.type != "percentage" and indicator.type != "narrative":
        kwargs["value"] = 1
    measurement = Measurement(
        indicator=indicator,
        lab=lab,
        period_type=parsed.type,
        period_start=parsed.start,
        period_end=parsed.end,
        **kwargs,
    )
    services.save_measurement(measurement, by=by)
    if state != "draft":
        measurement.state = state
        measurement.save()
        services.refresh_rollups(measurement)
    return measurement

import datetime

import pytest
from django.utils import timezone

from tests.factories import make_activity

ROLES = ["visitor", "outsider", "member", "facilitator", "coordinator"]


def user_for(request, who: str):
    return None if who == "visitor" else request.getfixturevalue(who)


def soon(days: int = 10) -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=days)).replace(microsecond=0)


def make_network_activity(network, **kwargs):
    """make_activity(network=...) adds from the network's side, which the activity's history cannot record."""
    activity = make_activity(**kwargs)
    activity.networks.add(network)
    return activity


@pytest.fixture
def upcoming(lab):
    """A published workshop of the Lab in ten days, open to registrations, with two places."""
    start = soon()
    return make_activity(
        title="Workshop on mutual aid",
        lab=lab,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        time_zone="Europe/Bucharest",
        registration_open=True,
        capacity=2,
        online_url="https://meet.example.org/mutual-aid",
        mode="hybrid",
        city="Alba Iulia",
        country="RO",
    )


@pytest.fixture
def draft(lab):
    return make_activity(title="Secret draft meeting", lab=lab, state="draft", starts_at=soon(5), time_zone="UTC")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call something as if its transaction committed: what waits for the commit (the e-mails' tasks) runs."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run

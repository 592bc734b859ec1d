"""The networks' demo data: the ties the seeds state (each network's lead to each partner), and nothing invented."""

import pytest

from conect.management.commands.load_demo import load_demo
from networks.models import Network, NetworkRole, Relationship

CONET_SEED = "CoNECT seed document 003"
NETCO_SEED = "CoNECT seed document 002"


@pytest.fixture
def demo(db):
    load_demo(with_imports=False)


def _ties(slug_start: str):
    network = Network.objects.get(slug__startswith=slug_start)
    return network, Relationship.objects.filter(network=network)


def test_conets_coordinator_berlin_is_tied_to_each_of_its_ten_partner_cities(demo):
    network, ties = _ties("conet")
    partners = set(network.memberships.filter(role=NetworkRole.PARTNER).values_list("organisation__name", flat=True))
    assert {tie.source.name for tie in ties} == {"City of Berlin"}
    assert {tie.target.name for tie in ties} == partners
    assert len(partners) == 10


def test_netcos_lead_barcelona_is_tied_to_each_of_its_fifteen_partners(demo):
    network, ties = _ties("netco")
    assert {tie.source.name for tie in ties} == {"City of Barcelona"}
    assert ties.count() == 15


def test_the_ties_say_only_what_the_seeds_state(demo):
    for slug, seed in (("conet", CONET_SEED), ("netco", NETCO_SEED)):
        network, ties = _ties(slug)
        for tie in ties:
            assert (tie.kind, tie.direction, tie.state) == ("partnership", "directed", "published")
            assert (tie.start_date, tie.end_date) == (network.start_date, network.end_date)
            assert tie.strength is None  # the seeds give none
            assert tie.lab is None
            assert seed in tie.evidence


def test_no_tie_is_invented_for_the_italian_programme_whose_hubs_the_seeds_do_not_name(demo):
    assert Relationship.objects.count() == 25
    assert not Relationship.objects.filter(network__slug__startswith="reti").exists()


def test_loading_the_demo_again_adds_no_tie_and_no_history(demo):
    rows = list(Relationship.objects.order_by("pk").values_list("pk", "version"))
    history = Relationship.history.count()
    load_demo(with_imports=False)
    assert list(Relationship.objects.order_by("pk").values_list("pk", "version")) == rows
    assert Relationship.history.count() == history

"""A network's page shows its members and relationships a page at a time (a 2,000-organisation network, issue 11)."""

import pytest

from tests.factories import add_to_network, make_network, make_organisation, make_relationship


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr("networks.views.NETWORK_PAGE_SIZE", 2)


def network_of(size: int):
    network = make_network(name="Rete")
    organisations = [make_organisation(name=f"Org {n:02}") for n in range(size)]
    for organisation in organisations:
        add_to_network(network, organisation)
    for source, target in zip(organisations, organisations[1:], strict=False):
        make_relationship(source, target, network=network)
    return network


def test_a_visitor_reads_the_first_page_of_members_and_a_pager_to_the_next(client, db, small_pages):
    text = client.get(network_of(5).get_absolute_url()).text
    assert "Org 00" in text
    assert "Org 04" not in text
    assert "?members=2#members-title" in text


def test_a_visitor_reads_a_later_page_of_relationships(client, db, small_pages):
    network = network_of(5)
    text = client.get(f"{network.get_absolute_url()}?relationships=2").text
    assert "Page 2" in text
    assert "?relationships=1#relationships-title" in text
    assert "?relationships=3" not in text


@pytest.mark.parametrize("size", [3, 30])
def test_the_network_page_runs_the_same_queries_for_3_or_30_members(client, db, size, django_assert_num_queries):
    network = network_of(size)
    client.get(network.get_absolute_url())
    with django_assert_num_queries(5):
        client.get(network.get_absolute_url())


@pytest.mark.parametrize("number", ["100000000000000000000", "99", "-5", "abc", "", "1e3"])
def test_a_visitor_asking_for_any_page_number_gets_a_page_never_an_error(client, db, small_pages, number):
    network = network_of(5)  # 5 members: pages 1 to 3; 4 relationships: pages 1 and 2
    response = client.get(f"{network.get_absolute_url()}?members={number}&relationships={number}")
    assert response.status_code == 200
    last = number.isdigit() and int(number) > 1
    assert ("Org 04" in response.text) == last  # the members' last page, or the first
    assert ("Page 3" in response.text) == last


def test_the_pager_of_one_table_keeps_the_page_of_the_other(client, db, small_pages):
    network = network_of(5)
    text = client.get(f"{network.get_absolute_url()}?members=2&relationships=2").text
    assert "?relationships=2&amp;members=3#members-title" in text
    assert "?members=2&amp;relationships=1#relationships-title" in text

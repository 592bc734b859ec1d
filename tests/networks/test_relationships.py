import pytest

from networks.models import Relationship
from tests.conftest import client_for
from tests.factories import make_network, make_organisation, make_relationship

NEW = "/en/networks/relationships/new/"


@pytest.fixture
def ends(db):
    return make_organisation(name="Casa Comune"), make_organisation(name="City of Palermo")


def relationship_data(source, target, lab=None, **overrides) -> dict:
    data = {"source": source.pk, "target": target.pk, "kind": "funding", "direction": "directed", "strength": "3",
            "start_date": "2021-01-01", "end_date": "", "evidence": "Annual report 2021"}  # fmt: skip
    if lab is not None:
        data["lab"] = lab.pk
    return data | overrides


def test_member_records_a_relationship_as_a_draft_of_their_lab(ends, lab, member):
    response = client_for(member).post(NEW, relationship_data(*ends, lab=lab))
    relationship = Relationship.objects.get()
    assert response.status_code == 302
    assert response.url == relationship.get_absolute_url()
    assert (relationship.lab, relationship.state, relationship.strength) == (lab, "draft", 3)


def test_the_form_starts_from_the_organisation_it_was_opened_on(ends, member):
    source, _target = ends
    form = client_for(member).get(NEW, {"source": source.slug}).context["form"]
    assert form.initial["source"] == source.pk


def test_the_form_offers_only_organisations_the_person_may_see(ends, lab, other_lab, outsider):
    hidden = make_organisation(name="Draft of Lab A", lab=lab, state="draft")
    form = client_for(outsider).get(NEW).context["form"]
    assert hidden not in form.fields["source"].queryset
    assert set(ends) <= set(form.fields["target"].queryset)


def test_a_relationship_to_an_organisation_one_may_not_see_is_refused(ends, lab, other_lab, outsider):
    hidden = make_organisation(lab=lab, state="draft")
    response = client_for(outsider).post(NEW, relationship_data(ends[0], hidden, lab=other_lab))
    assert response.status_code == 400
    assert "target" in response.context["form"].errors
    assert not Relationship.objects.exists()


def test_a_self_loop_is_refused_at_the_second_organisation(ends, lab, member):
    source, _target = ends
    response = client_for(member).post(NEW, relationship_data(source, source, lab=lab))
    assert response.status_code == 400
    assert response.context["form"].errors["target"] == ["A relationship links two different organisations."]


def test_an_end_before_the_start_is_refused_at_the_end_date_in_italian(ends, lab, member):
    data = relationship_data(*ends, lab=lab, start_date="2022-01-01", end_date="2021-01-01")
    response = client_for(member).post(NEW.replace("/en/", "/it/"), data)
    assert response.status_code == 400
    assert "La data di fine non può precedere quella di inizio." in response.text
    assert response.context["form"].has_error("end_date")


def test_the_same_relationship_twice_is_refused(ends, lab, member):
    make_relationship(*ends, kind="funding", direction="directed", lab=lab, start_date="2021-01-01")
    response = client_for(member).post(NEW, relationship_data(*ends, lab=lab))
    assert response.status_code == 400
    assert "This relationship is already recorded" in response.text
    assert Relationship.objects.count() == 1


def test_a_mutual_relationship_is_the_same_read_either_way(ends, lab, member):
    source, target = ends
    make_relationship(source, target, kind="partnership", direction="mutual", lab=lab)
    data = relationship_data(target, source, lab=lab, kind="partnership", direction="mutual", start_date="")
    assert client_for(member).post(NEW, data).status_code == 400


def test_relationship_page_shows_both_ends_kind_source_and_lab(client, ends, lab):
    network = make_network(name="NETCO")
    relationship = make_relationship(*ends, kind="funding", direction="directed", strength=4, network=network,
                                     lab=lab, evidence="Annual report 2021")  # fmt: skip
    text = client.get(relationship.get_absolute_url()).text
    assert "Funding: Casa Comune and City of Palermo" in text
    assert "4 of 5" in text and "Annual report 2021" in text and "NETCO" in text
    assert lab.name in text


def test_a_relationship_to_a_draft_organisation_is_hidden_from_visitors(client, ends, lab):
    draft = make_organisation(lab=lab, state="draft")
    relationship = make_relationship(ends[0], draft)
    assert client.get(relationship.get_absolute_url()).status_code == 404


def test_member_submits_and_facilitator_publishes_a_relationship(client, ends, lab, member, facilitator):
    relationship = make_relationship(*ends, lab=lab, state="draft")
    client_for(member).post(f"/en/networks/relationships/{relationship.pk}/submit/")
    relationship.refresh_from_db()
    client_for(facilitator).post(
        f"/en/networks/relationships/{relationship.pk}/decide/",
        {"action": "publish", "reason": "", "version": relationship.version},
    )
    relationship.refresh_from_db()
    assert relationship.state == "published"
    assert client.get(relationship.get_absolute_url()).status_code == 200


def test_a_rejection_without_a_reason_is_refused(ends, lab, facilitator):
    relationship = make_relationship(*ends, lab=lab, state="submitted")
    client_for(facilitator).post(
        f"/en/networks/relationships/{relationship.pk}/decide/", {"action": "reject", "version": relationship.version}
    )
    relationship.refresh_from_db()
    assert relationship.state == "submitted"


def test_member_edits_a_relationship_and_its_history_shows_the_change(ends, lab, member):
    relationship = make_relationship(*ends, lab=lab, state="draft", kind="funding", direction="directed")
    data = relationship_data(*ends, lab=lab, strength="5", version=relationship.version)
    client_for(member).post(f"/en/networks/relationships/{relationship.pk}/edit/", data)
    relationship.refresh_from_db()
    assert relationship.strength == 5
    text = client_for(member).get(f"/en/networks/relationships/{relationship.pk}/history/").text
    assert "Strength" in text


def test_facilitator_restores_an_earlier_version(ends, lab, member, facilitator):
    relationship = make_relationship(*ends, lab=lab, state="draft", kind="funding", direction="directed", strength=2)
    data = relationship_data(*ends, lab=lab, strength="5", version=relationship.version)
    client_for(member).post(f"/en/networks/relationships/{relationship.pk}/edit/", data)
    first = relationship.history.order_by("history_id").first()
    url = f"/en/networks/relationships/{relationship.pk}/history/{first.history_id}/restore/"
    client_for(facilitator).post(url)
    relationship.refresh_from_db()
    assert relationship.strength == 2

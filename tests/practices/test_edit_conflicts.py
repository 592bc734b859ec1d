"""Two people edit the same practice or space: the second save on an old version is a conflict, and nothing is lost."""

import re

from practices.models import Practice
from tests.conftest import client_for
from tests.factories import make_practice, make_space
from tests.practices.test_forms import form_data


def edit_url(item, language: str = "en") -> str:
    return f"/{language}/{item._meta.model_name}s/{item.slug}/edit/"


def new_practice(lab, member) -> Practice:
    """A draft made with the form, so that later posts of the same form change only what they say."""
    client_for(member).post("/en/practices/new/", form_data(lab=lab.pk))
    return Practice.objects.get()


def version_in(page) -> str:
    return re.search(r'name="version" value="(\d+)"', page.content.decode()).group(1)


def test_the_edit_form_carries_the_version_it_shows(lab, member):
    practice = make_practice(lab=lab, state="draft")
    assert version_in(client_for(member).get(edit_url(practice))) == "1"


def test_an_edit_on_the_version_it_started_from_is_saved_and_the_version_goes_up(lab, member):
    practice = make_practice(lab=lab, state="draft")
    response = client_for(member).post(edit_url(practice), form_data(lab=lab.pk, title="Emporio", version="1"))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.version) == ("Emporio", 2)


def test_the_second_editor_of_an_old_version_sees_what_changed_and_keeps_their_input(lab, member, facilitator):
    practice = new_practice(lab, member)
    started_on = version_in(client_for(facilitator).get(edit_url(practice)))
    client_for(member).post(edit_url(practice), form_data(lab=lab.pk, title="Emporio", version=started_on))

    mine = form_data(lab=lab.pk, title="Practice", summary="My careful summary", version=started_on)
    response = client_for(facilitator).post(edit_url(practice), mine)

    assert response.status_code == 409
    assert response.context["conflict"] == {"changed": ["Title"], "people": ["Mara Member"]}
    assert "My careful summary" in response.content.decode()
    assert version_in(response) == "2"
    practice.refresh_from_db()
    assert (practice.title, practice.summary, practice.version) == ("Emporio", form_data()["summary"], 2)


def test_after_a_conflict_saving_again_keeps_the_second_editors_choice(lab, member, facilitator):
    practice = make_practice(lab=lab, state="draft")
    client_for(member).post(edit_url(practice), form_data(lab=lab.pk, title="Emporio", version="1"))
    conflict = client_for(facilitator).post(edit_url(practice), form_data(lab=lab.pk, summary="Mine", version="1"))
    again = form_data(lab=lab.pk, title="Emporio", summary="Mine", version=version_in(conflict))
    assert client_for(facilitator).post(edit_url(practice), again).status_code == 302
    practice.refresh_from_db()
    assert (practice.title, practice.summary, practice.version) == ("Emporio", "Mine", 3)


def test_the_conflict_names_the_changed_fields_in_the_readers_language(lab, member, facilitator):
    practice = new_practice(lab, member)
    client_for(member).post(edit_url(practice), form_data(lab=lab.pk, title="Emporio", version="1"))
    response = client_for(facilitator).post(edit_url(practice, "it"), form_data(lab=lab.pk, version="1"))
    assert response.context["conflict"]["changed"] == ["Titolo"]


def test_moderation_moves_the_version_too_so_an_editor_learns_of_a_publication(lab, member, facilitator):
    practice = make_practice(lab=lab, state="submitted")
    practice.publish(by=facilitator)
    response = client_for(member).post(edit_url(practice), form_data(lab=lab.pk, version="1"))
    assert response.status_code == 409
    assert response.context["conflict"]["changed"] == ["State: Published"]


def test_two_editors_of_a_space_cannot_overwrite_each_other(lab, member, facilitator):
    space = make_space(lab=lab, state="draft", name="Orto")
    data = {"name": "Orto urbano", "kind": space.kind, "lab": lab.pk, "country": "IT", "latitude": "38.11",
            "longitude": "13.36", "location": "", "version": "1"}  # fmt: skip
    assert client_for(member).post(edit_url(space), data).status_code == 302
    response = client_for(facilitator).post(edit_url(space), data | {"name": "Orto comune"})
    assert response.status_code == 409
    space.refresh_from_db()
    assert (space.name, space.version) == ("Orto urbano", 2)


def test_the_history_does_not_list_the_version_as_a_change(lab, member):
    practice = make_practice(lab=lab, state="draft")
    client_for(member).post(edit_url(practice), form_data(lab=lab.pk, title="Emporio", version="1"))
    page = client_for(member).get(f"/en/practices/{practice.slug}/history/").content.decode()
    assert "Title" in page
    assert "Version" not in page
    assert Practice.objects.get().history.count() == 2

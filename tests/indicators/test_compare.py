"""The Labs comparison page (/labs/compare/) and its downloads, from the outside."""

import csv
import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from library.models import Resource, ResourceKind
from networks.models import PracticeOrganisation
from tests.conftest import client_for
from tests.factories import (
    add_to_network,
    make_activity,
    make_lab,
    make_network,
    make_organisation,
    make_practice,
)

URL = "/en/labs/compare/"


def compare_url(*labs, path: str = URL) -> str:
    return path + "?" + "&".join(f"labs={lab.slug}" for lab in labs)


def table(response, key: str) -> dict[str, list[int]]:
    """One section's numbers as the page gives them to the chart: {category: [Lab 1, Lab 2...]}."""
    data = response.context["sections"]
    section = next(s for s in data if s.key == key)
    return {str(category): values for category, values in section.table()}


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def make_resource(**kwargs) -> Resource:
    kwargs.setdefault("title", "A guide")
    kwargs.setdefault("kind", ResourceKind.GUIDE)
    kwargs.setdefault("url", "https://example.org/guide")
    kwargs.setdefault("state", "published")
    return Resource.objects.create(**kwargs)


# The page


def test_visitor_sees_the_first_labs_side_by_side_without_choosing(client, lab, other_lab):
    make_practice(lab=lab, themes=["food"])
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["labs"] == [lab, other_lab]
    assert "Practices by theme" in response.text
    assert '<caption id="themes-caption">Practices by theme</caption>' in response.text


def test_visitor_chooses_two_labs_and_sees_only_those(client, lab, other_lab):
    third = make_lab(name="Lab Lecce")
    make_practice(lab=third, themes=["food"])
    response = client.get(compare_url(lab, third))
    assert response.status_code == 200
    assert response.context["labs"] == [lab, third]
    assert '<th scope="col">Lab Lecce</th>' in response.text
    assert '<th scope="col">Lab Gijón</th>' not in response.text


def test_before_any_choice_nothing_is_ticked(client, lab, other_lab):
    response = client.get(URL)
    assert f'value="{lab.slug}" id="lab-{lab.slug}">' in response.text


def test_the_chosen_labs_stay_ticked_in_the_form(client, lab, other_lab):
    make_lab(name="Lab Lecce")
    response = client.get(compare_url(lab, other_lab))
    assert f'value="{lab.slug}" id="lab-{lab.slug}" checked' in response.text
    assert 'value="lab-lecce" id="lab-lab-lecce">' in response.text


def test_each_chart_gets_its_numbers_from_the_page_and_a_table_beside_it(client, lab, other_lab):
    make_practice(lab=lab, themes=["food"])
    response = client.get(compare_url(lab, other_lab))
    assert 'data-chart="chart-data-themes"' in response.text
    assert '<script id="chart-data-themes" type="application/json">' in response.text
    assert "vendor/chartjs/chart.umd.min.js" in response.text
    assert '<th scope="row">Food</th>' in response.text


def test_download_links_carry_the_chosen_labs(client, lab, other_lab):
    make_practice(lab=lab)
    response = client.get(compare_url(lab, other_lab))
    query = f"labs={lab.slug}&amp;labs={other_lab.slug}"
    assert f'href="/en/labs/compare/comparison.csv?{query}"' in response.text
    assert f'href="/en/labs/compare/comparison.xlsx?{query}"' in response.text


def test_chart_labels_are_in_the_readers_language(client, lab, other_lab):
    make_practice(lab=lab, dimensions=["social"])
    response = client.get(compare_url(lab, other_lab, path="/it/labs/compare/"))
    assert response.status_code == 200
    assert "Sociale" in table(response, "dimensions")


@pytest.mark.parametrize("who", ["visitor", "contributor", "outsider", "member", "facilitator", "coordinator"])
def test_everyone_sees_the_same_public_numbers(request, lab, other_lab, member, who):
    make_practice(lab=lab, themes=["food"])
    make_practice(lab=lab, themes=["food"], state="draft")
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = client_for(user).get(compare_url(lab, other_lab))
    assert response.status_code == 200
    assert table(response, "themes")["Food"] == [1, 0]


def test_the_page_counts_members_but_never_names_them(client, lab, other_lab, member, facilitator):
    response = client.get(compare_url(lab, other_lab))
    assert table(response, "network")["Members"] == [2, 0]
    assert "Mara Member" not in response.text
    assert member.email not in response.text


def test_a_section_with_nothing_published_says_so_instead_of_drawing_zeros(client, lab, other_lab):
    response = client.get(compare_url(lab, other_lab))
    assert 'data-chart="chart-data-resources"' not in response.text
    assert "none of these Labs has published anything of this kind" in response.text


def test_with_a_single_lab_the_page_shows_it_and_says_more_are_needed(client, lab):
    make_practice(lab=lab, themes=["food"])
    response = client.get(URL)
    assert response.status_code == 200
    assert "There is only one Lab so far" in response.text
    assert table(response, "themes")["Food"] == [1]


def test_with_no_lab_at_all_the_page_says_so(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "No Lab has been set up yet." in response.text


# Bad input answers a page that says what is wrong, never a 500


def test_an_unknown_lab_is_named_in_a_friendly_error(client, lab):
    response = client.get(URL + f"?labs={lab.slug}&labs=atlantis")
    assert response.status_code == 400
    assert "There is no Lab called “atlantis”" in response.text
    assert f'value="{lab.slug}" id="lab-{lab.slug}" checked' in response.text


def test_choosing_no_lab_asks_for_two(client, lab, other_lab):
    response = client.get(URL + "?labs=")
    assert response.status_code == 400
    assert "Choose at least two Labs to compare." in response.text


def test_choosing_one_lab_asks_for_two(client, lab, other_lab):
    response = client.get(compare_url(lab))
    assert response.status_code == 400
    assert "Choose at least two Labs to compare." in response.text


def test_a_lab_given_twice_counts_once(client, lab, other_lab):
    response = client.get(compare_url(lab, lab, other_lab))
    assert response.status_code == 200
    assert response.context["labs"] == [lab, other_lab]


def test_a_hundred_unknown_labs_answer_a_friendly_page(client, lab):
    response = client.get(URL + "?" + "&".join(f"labs=lab-{n}" for n in range(100)))
    assert response.status_code == 400
    assert "There is no Lab called" in response.text


def test_more_labs_than_the_page_can_hold_are_refused_kindly(client, db):
    labs = [make_lab(name=f"Lab {n:03}") for n in range(51)]
    response = client.get(compare_url(*labs))
    assert response.status_code == 400
    assert "Choose at most 50 Labs at a time." in response.text


def test_a_download_with_bad_input_answers_the_friendly_page(client, lab):
    response = client.get(URL + "comparison.csv?labs=atlantis")
    assert response.status_code == 400
    assert "There is no Lab called “atlantis”" in response.text


# What is counted


def test_practices_count_by_theme_dimension_and_target_group(client, lab, other_lab):
    make_practice(lab=lab, themes=["food", "care"], dimensions=["social", "economic"], target_groups=["elderly"])
    make_practice(lab=lab, themes=["food"], dimensions=["social"])
    make_practice(lab=other_lab, themes=["housing"], target_groups=["elderly", "youth"])
    response = client.get(compare_url(lab, other_lab))
    assert table(response, "themes")["Food"] == [2, 0]
    assert table(response, "themes")["Collaborative housing"] == [0, 1]
    assert table(response, "dimensions")["Social"] == [2, 0]
    assert table(response, "dimensions")["Economic"] == [1, 0]
    assert table(response, "target_groups")["Older people"] == [1, 1]
    assert table(response, "target_groups")["Young people"] == [0, 1]


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected", "archived"])
def test_unpublished_items_are_never_counted(client, lab, other_lab, state):
    make_practice(lab=lab, themes=["food"], dimensions=["social"], target_groups=["youth"], state=state)
    make_activity(lab=lab, starts_at=datetime(2024, 5, 1, tzinfo=UTC), time_zone="UTC", state=state)
    make_resource(lab=lab, state=state)
    response = client.get(compare_url(lab, other_lab))
    assert table(response, "themes")["Food"] == [0, 0]
    assert table(response, "dimensions")["Social"] == [0, 0]
    assert table(response, "target_groups")["Young people"] == [0, 0]
    assert table(response, "activities") == {}
    assert table(response, "resources")["Guide"] == [0, 0]


def test_an_activity_shared_by_two_labs_counts_in_each(client, lab, other_lab):
    shared = make_activity(lab=lab, starts_at=datetime(2023, 3, 1, 10, tzinfo=UTC), time_zone="Europe/Rome")
    shared.other_labs.add(other_lab)
    make_activity(lab=lab, starts_at=datetime(2025, 3, 1, 10, tzinfo=UTC), time_zone="Europe/Rome")
    response = client.get(compare_url(lab, other_lab))
    assert table(response, "activities") == {"2023": [1, 1], "2024": [0, 0], "2025": [1, 0]}


def test_people_reached_sum_the_closed_reports_only(client, lab, other_lab):
    when = datetime(2024, 6, 1, 10, tzinfo=UTC)
    make_activity(lab=lab, starts_at=when, time_zone="UTC", attendance_total=40, closed_at=when)
    make_activity(lab=lab, starts_at=when, time_zone="UTC", attendance_total=25)  # report not closed
    response = client.get(compare_url(lab, other_lab))
    assert table(response, "people") == {"2024": [40, 0]}
    assert table(response, "activities") == {"2024": [2, 0]}


def test_an_activity_counts_in_the_year_of_its_own_time_zone(client, lab, other_lab):
    # 23:30 UTC on New Year's Eve is already the new year in Berlin.
    make_activity(lab=lab, starts_at=datetime(2023, 12, 31, 23, 30, tzinfo=UTC), time_zone="Europe/Berlin")
    response = client.get(compare_url(lab, other_lab))
    assert table(response, "activities") == {"2024": [1, 0]}


def test_resources_count_by_kind(client, lab, other_lab):
    make_resource(lab=lab, kind=ResourceKind.ACTION_PLAN)
    make_resource(lab=other_lab, kind=ResourceKind.GUIDE)
    make_resource(lab=other_lab, kind=ResourceKind.GUIDE)
    response = client.get(compare_url(lab, other_lab))
    assert table(response, "resources")["Local Action Plan"] == [1, 0]
    assert table(response, "resources")["Guide"] == [0, 2]


def test_network_counts_the_organisations_of_practices_and_activities_and_their_networks(client, lab, other_lab):
    ngo, city, unrelated = make_organisation(), make_organisation(), make_organisation()
    practice = make_practice(lab=lab)
    PracticeOrganisation.objects.create(practice=practice, organisation=ngo)
    activity = make_activity(lab=lab)
    activity.organisations.add(ngo, city)
    network = make_network()
    add_to_network(network, city)
    add_to_network(make_network(), unrelated)
    draft = make_practice(lab=other_lab, state="draft")
    PracticeOrganisation.objects.create(practice=draft, organisation=unrelated)
    response = client.get(compare_url(lab, other_lab))
    assert table(response, "network")["Organisations"] == [2, 0]
    assert table(response, "network")["Networks"] == [1, 0]


# Downloads


def test_csv_download_holds_the_whole_comparison(client, lab, other_lab):
    make_practice(lab=lab, themes=["food"])
    response = client.get(compare_url(lab, other_lab, path=URL + "comparison.csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="conect-labs-comparison-')
    rows = csv_rows(response)
    assert rows[0] == ["Comparison", "Category", "Lab Alba Iulia", "Lab Gijón"]
    assert ["Practices by theme", "Food", "1", "0"] in rows
    assert ["Members and network", "Members", "0", "0"] in rows


def test_csv_keeps_a_lab_name_that_looks_like_a_formula_as_text(client, lab):
    evil = make_lab(name='=HYPERLINK("http://evil.example","click")')
    response = client.get(compare_url(lab, evil, path=URL + "comparison.csv"))
    header = csv_rows(response)[0]
    assert '\'=HYPERLINK("http://evil.example","click")' in header


def test_xlsx_download_has_one_sheet_per_section_laid_out_as_the_tables(client, lab, other_lab):
    make_practice(lab=lab, themes=["food"])
    response = client.get(compare_url(lab, other_lab, path=URL + "comparison.xlsx"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "1. Practices by theme"
    rows = list(workbook["1. Practices by theme"].values)
    assert rows[1] == ("Category", "Lab Alba Iulia", "Lab Gijón")
    assert ("Food", 1, 0) in rows


def test_xlsx_keeps_a_lab_name_that_looks_like_a_formula_as_text(client, lab):
    evil = make_lab(name="=1+2")
    response = client.get(compare_url(lab, evil, path=URL + "comparison.xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value and "1+2" in str(cell.value)]
    assert [(cell.value, cell.data_type) for cell in cells] == [("'=1+2", "s")]


# Queries


@pytest.mark.parametrize("rows", [2, 50])
def test_the_comparison_runs_the_same_queries_for_2_or_50_labs(client, db, django_assert_num_queries, rows):
    labs = [make_lab(name=f"Lab {n:03}") for n in range(rows)]
    for lab in labs:
        make_practice(lab=lab, themes=["food"], dimensions=["social"])
        make_activity(lab=lab, starts_at=datetime(2024, 1, 10, tzinfo=UTC), time_zone="UTC")
        make_resource(lab=lab)
    with django_assert_num_queries(7):
        response = client.get(compare_url(*labs))
    assert response.status_code == 200
    assert table(response, "themes")["Food"] == [1] * rows


@pytest.mark.parametrize("rows", [2, 50])
def test_the_csv_runs_the_same_queries_for_2_or_50_labs(client, db, django_assert_num_queries, rows):
    labs = [make_lab(name=f"Lab {n:03}") for n in range(rows)]
    with django_assert_num_queries(7):
        response = client.get(compare_url(*labs, path=URL + "comparison.csv"))
    assert response.status_code == 200

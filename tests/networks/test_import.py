"""The network import: Kumu workbook, CSV files and GraphML; a dry run row by row, then all or nothing."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from labs.models import MembershipRole
from networks.models import Direction, GraphImportJob, Organisation, Relationship, RelationshipKind
from tests.conftest import client_for
from tests.factories import add_to_network, make_member, make_network, make_organisation, make_relationship

UPLOAD = "/en/networks/import/"
ELEMENTS = [
    ["Label", "Type", "Tags", "Sector", "Country", "City"],
    ["Casa Comune", "ngo", "civic", "", "IT", "Palermo"],
    ["Comune di Palermo", "Municipality or public body", "", "public", "Italia", "Palermo"],
]
CONNECTIONS = [
    ["From", "To", "Type", "Direction", "Strength", "Start", "End"],
    ["Comune di Palermo", "Casa Comune", "funding", "directed", 3, "2023-01-01", "2023-12-31"],
]


def workbook(elements=ELEMENTS, connections=CONNECTIONS) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("Elements", elements), ("Connections", connections)):
        if rows is not None:
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(rows) -> bytes:
    return "\n".join(",".join(str(cell) for cell in row) for row in rows).encode()


def start(user, lab, name: str, content: bytes, *, connections: bytes | None = None, publish=False):
    data = {"file": SimpleUploadedFile(name, content), "lab": lab.pk}
    if connections is not None:
        data["connections"] = SimpleUploadedFile("connections.csv", connections)
    if publish:
        data["publish"] = "on"
    response = client_for(user).post(UPLOAD, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response["Location"]


def run(user, job_url: str):
    return client_for(user).post(job_url, {"import": "1"})


def reasons(job_url: str) -> list[str]:
    job = GraphImportJob.objects.get(pk=int(job_url.rstrip("/").rsplit("/", 1)[1]))
    return [reason for row in job.rows.all() for reason in row.reasons] + ([job.error] if job.error else [])


def test_the_dry_run_says_what_each_row_will_do_and_saves_nothing(lab, facilitator):
    job_url = start(facilitator, lab, "kumu.xlsx", workbook())
    page = client_for(facilitator).get(job_url)
    assert page.context["counts"] == {"create": 3, "update": 0, "unchanged": 0, "reject": 0}
    assert "Casa Comune" in page.text and "Connections" in page.text
    assert not Organisation.objects.exists()


def test_importing_a_kumu_workbook_creates_the_labs_drafts(lab, facilitator, client):
    job_url = start(facilitator, lab, "kumu.xlsx", workbook())
    assert run(facilitator, job_url).status_code == 302
    casa, comune = Organisation.objects.order_by("name")
    assert (casa.lab, casa.state, casa.sector, casa.country.code) == (lab, "draft", "civic", "IT")
    assert comune.kind == "municipality" and comune.country.code == "IT"
    relationship = Relationship.objects.get()
    assert (relationship.source, relationship.target, relationship.lab) == (comune, casa, lab)
    assert (relationship.strength, relationship.end_date, relationship.direction) == (3, date(2023, 12, 31), "directed")
    assert client.get(casa.get_absolute_url()).status_code == 404  # a visitor sees no draft
    assert "Casa Comune" in client_for(facilitator).get(job_url).text


def test_a_facilitator_may_publish_what_they_import(lab, facilitator, client):
    run(facilitator, start(facilitator, lab, "kumu.xlsx", workbook(), publish=True))
    assert set(Organisation.objects.values_list("state", flat=True)) == {"published"}
    assert Relationship.objects.get().state == "published"
    assert client.get(Organisation.objects.first().get_absolute_url()).status_code == 200


def test_elements_and_connections_csv_import_together(lab, facilitator):
    run(facilitator, start(facilitator, lab, "elements.csv", csv_text(ELEMENTS), connections=csv_text(CONNECTIONS)))
    assert Organisation.objects.count() == 2
    assert Relationship.objects.count() == 1


def test_a_connections_csv_alone_links_organisations_already_on_the_platform(lab, facilitator):
    make_organisation(name="Comune di Palermo", kind="municipality")
    make_organisation(name="Casa Comune", slug="casa-comune")
    rows = [CONNECTIONS[0], ["Comune di Palermo", "casa-comune", "partnership", "mutual", "", "", ""]]
    run(facilitator, start(facilitator, lab, "connections.csv", csv_text(rows)))
    relationship = Relationship.objects.get()
    assert (relationship.kind, relationship.direction, relationship.lab) == ("partnership", "mutual", lab)


@pytest.mark.parametrize(
    ("connection", "reason"),
    [
        (["Comune di Palermo", "Nowhere", "funding", "directed"], "To: no element of the file and no organisation"),
        (["Casa Comune", "Casa Comune", "funding", "directed"], "A relationship links two different organisations."),
        (["Comune di Palermo", "Casa Comune", "friendship", "directed"], "Unknown Type “friendship”"),
        (["Comune di Palermo", "Casa Comune", "funding", "sideways"], "Unknown Direction “sideways”"),
        (["Comune di Palermo", "Casa Comune", "funding", "directed", "", "2024-01-01", "2023-01-01"],
         "The end date cannot come before the start date."),
        (["Comune di Palermo", "Casa Comune", "funding", "directed", "9"], "Strength must be a whole number"),
    ],
)  # fmt: skip
def test_a_bad_connection_is_refused_with_its_reason_and_nothing_is_imported(lab, facilitator, connection, reason):
    header = ["From", "To", "Type", "Direction", "Strength", "Start", "End"]
    job_url = start(facilitator, lab, "kumu.xlsx", workbook(connections=[header, connection]))
    page = client_for(facilitator).get(job_url)
    assert reason in page.text
    assert "Nothing will be imported: 1 row is refused." in page.text
    assert run(facilitator, job_url).status_code == 302
    assert not Organisation.objects.exists()
    assert GraphImportJob.objects.get().status == "refused"


def test_the_report_names_the_sheet_and_row_of_each_refusal(lab, facilitator):
    elements = [*ELEMENTS, ["Mystery", "alien", "", "", "", ""]]
    job_url = start(facilitator, lab, "kumu.xlsx", workbook(elements=elements))
    row = GraphImportJob.objects.get().rows.get(action="reject")
    assert (row.sheet, row.number, row.title) == ("Elements", 4, "Mystery")
    assert row.reasons[0].startswith("Unknown Type “alien”: use one of ngo, municipality")
    assert reasons(job_url)


def test_missing_columns_refuse_the_file_naming_them(lab, facilitator):
    job_url = start(facilitator, lab, "kumu.xlsx", workbook(connections=[["From", "Kind"], ["a", "b"]]))
    assert reasons(job_url) == ["The sheet “Connections” has no column “To”, “Type”."]
    assert "The sheet “Connections” has no column “To”, “Type”." in client_for(facilitator).get(job_url).text


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="a"><data key="label">&lol9;</data></node></graph></graphml>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE graphml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">
<node id="a"><data key="label">&secret;</data></node></graph></graphml>"""


def graphml(keys: str = '<key id="kind" for="edge" attr.name="kind" attr.type="string"/>') -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
<key id="label" for="node" attr.name="label" attr.type="string"/>
<key id="nkind" for="node" attr.name="kind" attr.type="string"/>
{keys}
<graph edgedefault="directed">
<node id="a"><data key="label">Alpha</data><data key="nkind">ngo</data></node>
<node id="b"><data key="label">Beta</data><data key="nkind">funder</data></node>
<edge source="b" target="a"><data key="kind">funding</data></edge>
</graph></graphml>""".encode()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (BILLION_LAUGHS, "This file declares a DTD or entities: they are refused for safety."),
        (EXTERNAL_ENTITY, "This file declares a DTD or entities: they are refused for safety."),
        (b"<graphml><graph>", "This is not well-formed XML"),
        (graphml('<key id="kind" for="edge" attr.name="kind" attr.type="complex"/>'),
         "The GraphML attribute “kind” has the unknown type “complex”"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "This XML file is not GraphML."),
    ],
)  # fmt: skip
def test_unsafe_or_bad_graphml_is_refused_whole_with_the_reason(lab, facilitator, content, reason):
    job_url = start(facilitator, lab, "network.graphml", content)
    assert reason in reasons(job_url)[0]
    assert GraphImportJob.objects.get().status == "refused"
    assert not Organisation.objects.exists()


def test_the_billion_laughs_are_refused_before_any_entity_is_expanded(monkeypatch):
    import networkx

    from networks import exchange

    def never(*args, **kwargs):
        raise AssertionError("networkx must not see the file")

    monkeypatch.setattr(networkx, "parse_graphml", never)
    with pytest.raises(exchange.GraphFileError):
        exchange.read_graph_file(BILLION_LAUGHS, "lol.graphml")


def test_a_graphml_file_imports_its_nodes_and_edges(lab, facilitator):
    run(facilitator, start(facilitator, lab, "network.graphml", graphml()))
    relationship = Relationship.objects.get()
    assert (relationship.source.name, relationship.target.name, relationship.kind) == ("Beta", "Alpha", "funding")


def test_a_file_of_another_kind_is_a_field_error_of_the_upload(lab, facilitator):
    response = client_for(facilitator).post(UPLOAD, {"file": SimpleUploadedFile("a.pdf", b"%PDF"), "lab": lab.pk})
    assert "Choose an XLSX, CSV or GraphML file." in response.text
    assert not GraphImportJob.objects.exists()


def test_a_file_larger_than_the_practices_import_limit_is_refused(lab, facilitator, monkeypatch):
    monkeypatch.setattr("networks.exchange_views.MAX_UPLOAD", 10)
    response = client_for(facilitator).post(UPLOAD, {"file": SimpleUploadedFile("a.csv", b"x" * 11), "lab": lab.pk})
    assert "The file is larger than 20 MB: split it." in response.text


# --- Who may import ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["facilitator", "coordinator"])
def test_facilitators_and_coordinators_import_into_the_lab(request, lab, who):
    user = request.getfixturevalue(who)
    run(user, start(user, lab, "kumu.xlsx", workbook()))
    assert Organisation.objects.filter(lab=lab).count() == 2


def test_a_visitor_is_asked_to_sign_in(client, lab):
    assert client.get(UPLOAD).status_code == 302


@pytest.mark.parametrize("who", ["contributor", "member"])
def test_contributors_and_members_find_no_import_page(request, lab, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(UPLOAD).status_code == 404
    response = client_for(user).post(UPLOAD, {"file": SimpleUploadedFile("k.xlsx", workbook()), "lab": lab.pk})
    assert response.status_code == 404
    assert not GraphImportJob.objects.exists()


def test_a_facilitator_of_another_lab_cannot_import_into_this_one(lab, outsider):
    assert client_for(outsider).get(f"{UPLOAD}?lab={lab.slug}").status_code == 404
    response = client_for(outsider).post(UPLOAD, {"file": SimpleUploadedFile("k.xlsx", workbook()), "lab": lab.pk})
    assert "Select a valid choice" in response.text
    assert not GraphImportJob.objects.exists()


@pytest.mark.parametrize("who", [None, "contributor", "member", "outsider"])
def test_an_import_job_is_missing_for_everyone_but_its_owner_and_the_coordinators(request, lab, facilitator, who):
    job_url = start(facilitator, lab, "kumu.xlsx", workbook())
    user = request.getfixturevalue(who) if who else None
    for url in (job_url, f"{job_url}progress/"):
        assert client_for(user).get(url).status_code == (302 if user is None else 404)
    assert client_for(user).post(job_url, {"import": "1"}).status_code == (302 if user is None else 404)
    assert not Organisation.objects.exists()


def test_a_coordinator_sees_a_facilitators_import_but_only_its_owner_runs_it(lab, facilitator, coordinator):
    job_url = start(facilitator, lab, "kumu.xlsx", workbook())
    assert client_for(coordinator).get(job_url).status_code == 200
    assert run(coordinator, job_url).status_code == 404
    assert not Organisation.objects.exists()


def test_a_facilitator_demoted_after_the_dry_run_imports_nothing(lab, other_lab):
    user = make_member(lab, MembershipRole.FACILITATOR)
    other_lab.add_member(user, MembershipRole.FACILITATOR)
    job_url = start(user, lab, "kumu.xlsx", workbook())
    lab.add_member(user, MembershipRole.MEMBER)
    assert run(user, job_url).status_code == 404
    assert not Organisation.objects.exists()


# --- Matching and round trips ------------------------------------------------------------------------------------


def test_importing_the_same_workbook_twice_changes_nothing_the_second_time(lab, facilitator):
    run(facilitator, start(facilitator, lab, "kumu.xlsx", workbook()))
    job_url = start(facilitator, lab, "kumu.xlsx", workbook())
    assert client_for(facilitator).get(job_url).context["counts"]["unchanged"] == 3
    run(facilitator, job_url)
    assert (Organisation.objects.count(), Relationship.objects.count()) == (2, 1)


def test_an_organisation_of_another_lab_is_linked_but_never_changed(lab, facilitator, other_lab):
    make_organisation(name="Casa Comune", lab=other_lab, city="Cefalù")
    run(facilitator, start(facilitator, lab, "kumu.xlsx", workbook()))
    assert Organisation.objects.get(name="Casa Comune").city == "Cefalù"
    assert Relationship.objects.get().target.lab == other_lab


def network_in_db():
    network = make_network(name="NETCO", slug="netco")
    barcelona = make_organisation(name="City of Barcelona", kind="municipality", sector="public", country="ES",
                                  city="Barcelona", location="POINT(2.17 41.39)")  # fmt: skip
    lyon = make_organisation(name="=Habitat Lyon", kind="cooperative", sector="civic", country="FR")
    twin = make_organisation(name="=Habitat Lyon", kind="ngo", country="FR")
    for organisation in (barcelona, lyon, twin):
        add_to_network(network, organisation)
    make_relationship(barcelona, lyon, kind=RelationshipKind.FUNDING, direction=Direction.DIRECTED, strength=4,
                      start_date=date(2022, 5, 1), end_date=date(2024, 4, 30), evidence="CERV")  # fmt: skip
    make_relationship(twin, barcelona, kind=RelationshipKind.KNOWLEDGE_EXCHANGE)
    make_relationship(lyon, twin, kind=RelationshipKind.PARTNERSHIP, direction=Direction.DIRECTED)


def snapshot():
    organisations = sorted(Organisation.objects.values_list("name", "kind", "sector", "country", "city"))
    relationships = sorted(
        Relationship.objects.values_list(
            "source__name", "source__kind", "target__name", "target__kind", "kind", "direction", "strength",
            "start_date", "end_date", "evidence",
        )
    )  # fmt: skip
    return organisations, relationships


@pytest.mark.parametrize("fmt", ["kumu-xlsx", "csv", "graphml"])
def test_export_then_import_into_an_empty_platform_gives_the_same_network(lab, facilitator, fmt, django_db_blocker):
    network_in_db()
    files = {
        f: client_for(None).get(f"/en/networks/export/?format={f}&network=netco")
        for f in ("kumu-xlsx", "csv-elements", "csv-connections", "graphml")
    }
    content = {f: b"".join(r.streaming_content) if r.streaming else r.content for f, r in files.items()}
    before = snapshot()
    Relationship.objects.all().delete()
    Organisation.objects.all().delete()
    if fmt == "kumu-xlsx":
        job_url = start(facilitator, lab, "netco.xlsx", content["kumu-xlsx"], publish=True)
    elif fmt == "csv":
        job_url = start(facilitator, lab, "e.csv", content["csv-elements"], connections=content["csv-connections"])
    else:
        job_url = start(facilitator, lab, "netco.graphml", content["graphml"])
    assert client_for(facilitator).get(job_url).context["counts"]["reject"] == 0, reasons(job_url)
    run(facilitator, job_url)
    assert snapshot() == before


def test_the_report_page_costs_the_same_queries_for_few_or_many_rows(lab, facilitator, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = start(facilitator, lab, "kumu.xlsx", workbook(), publish=True)
    run(facilitator, small)
    many = [*ELEMENTS, *[[f"Org {n}", "ngo", "", "", "", ""] for n in range(40)]]
    large = start(facilitator, lab, "kumu.xlsx", workbook(elements=many))
    run(facilitator, large)
    c = client_for(facilitator)
    with CaptureQueriesContext(connection) as queries:
        c.get(f"{small}?show=all")
    with django_assert_num_queries(len(queries)):
        c.get(f"{large}?show=all")

"""A network in and out of the platform: the spreadsheet layout Kumu users know (XLSX, or two CSV files), GraphML,
GEXF for Gephi's timeline and a JSON feed; and the import of the first three, planned row by row (the dry run) and
then applied all at once.

Every export starts from networks.graph (the scope as its requester may see it: a visitor gets published data only).
The columns, and how they round-trip, are described in the README ("Networks: import and export").
"""

import csv
import datetime
import io
import itertools
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from conect.validators import validate_period
from labs.moderation import IMPORTED, ModerationState
from networks.graph import Scope, organisations_and_relationships
from networks.models import (
    Direction,
    Network,
    Organisation,
    OrganisationKind,
    Relationship,
    RelationshipKind,
    Sector,
)
from practices.import_views import _cell as formula_safe
from practices.importers import MAX_ROWS, MAX_XLSX_UNPACKED, country_code

ELEMENTS, CONNECTIONS = "Elements", "Connections"
ELEMENT_COLUMNS = ["Label", "Type", "Tags", "Description", "ID", "Sector", "Country", "City", "Latitude", "Longitude",
                   "Website"]  # fmt: skip
CONNECTION_COLUMNS = ["From", "To", "Type", "Direction", "Strength", "Start", "End", "Source", "Network", "Description"]
REQUIRED = {ELEMENTS: ["Label", "Type"], CONNECTIONS: ["From", "To", "Type"]}
TAG_SEPARATOR = "|"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What GraphML declares as an attribute's type (attr.type); anything else is refused before networkx reads it.
GRAPHML_TYPES = {"boolean", "int", "long", "float", "double", "string"}
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


# --- Export ----------------------------------------------------------------------------------------------------------


@dataclass
class Tables:
    """A graph as the two sheets of the Kumu layout: one dict per element and per connection, keyed by column."""

    elements: list[dict[str, Any]]
    connections: list[dict[str, Any]]


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""


def tables(scope: Scope, user) -> Tables:
    """The scope's organisations and relationships that `user` may see, in two queries."""
    organisations, relationships = organisations_and_relationships(scope, user)
    nodes = list(
        organisations.only(
            "pk", "name", "slug", "kind", "sector", "country", "city", "location", "website", "description"
        ).order_by("name", "pk")
    )
    edges = relationships.select_related("network").only(
        "source_id", "target_id", "kind", "direction", "strength", "start_date", "end_date", "evidence",
        "description", "network__slug",
    ).order_by("source__name", "target__name", "kind", "pk")  # fmt: skip
    ids = {node.slug for node in nodes}
    names = Counter(node.name for node in nodes)
    # From/To name an element by its Label, as Kumu does; by its ID when its Label is shared or is another's ID.
    refs = {node.pk: node.name if names[node.name] == 1 and node.name not in ids else node.slug for node in nodes}
    elements = [
        {
            "Label": node.name,
            "Type": node.kind,
            "Tags": TAG_SEPARATOR.join(tag for tag in (node.sector, node.country.code) if tag),
            "Description": node.description,
            "ID": node.slug,
            "Sector": node.sector,
            "Country": node.country.code,
            "City": node.city,
            "Latitude": round(node.location.y, 6) if node.location else None,
            "Longitude": round(node.location.x, 6) if node.location else None,
            "Website": node.website,
        }
        for node in nodes
    ]
    connections = [
        {
            "From": refs[edge.source_id],
            "To": refs[edge.target_id],
            "Type": edge.kind,
            "Direction": edge.direction,
            "Strength": edge.strength,
            "Start": _day(edge.start_date),
            "End": _day(edge.end_date),
            "Source": edge.evidence,
            "Network": edge.network.slug if edge.network else "",
            "Description": edge.description,
        }
        for edge in edges
        if edge.source_id in refs and edge.target_id in refs
    ]
    return Tables(elements, connections)


def _row(record: dict[str, Any], columns: list[str]) -> list[Any]:
    return [formula_safe(record[column]) for column in columns]


def write_xlsx(graph: Tables) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, columns, records in (
        (ELEMENTS, ELEMENT_COLUMNS, graph.elements),
        (CONNECTIONS, CONNECTION_COLUMNS, graph.connections),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append(columns)
        for record in records:
            sheet.append(_row(record, columns))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(records: list[dict[str, Any]], columns: list[str]) -> Iterator[str]:
    """A CSV file line by line (for a streaming response), with a byte order mark so spreadsheets read UTF-8."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for record in records:
        yield writer.writerow(["" if value is None else value for value in _row(record, columns)])


def to_networkx(graph: Tables) -> nx.MultiDiGraph:
    """The graph for GraphML and GEXF: nodes named by their ID (slug), every relationship an edge (mutual ones keep
    their direction attribute; GraphML has one edge default for the whole file)."""
    labels = {element["Label"]: element["ID"] for element in graph.elements}
    ids = {element["ID"] for element in graph.elements}
    result = nx.MultiDiGraph()
    for element in graph.elements:
        attributes = {
            "label": element["Label"], "kind": element["Type"], "sector": element["Sector"],
            "country": element["Country"], "city": element["City"], "website": element["Website"],
            "description": element["Description"], "latitude": element["Latitude"], "longitude": element["Longitude"],
        }  # fmt: skip
        result.add_node(element["ID"], **{k: v for k, v in attributes.items() if v is not None})
    for number, connection in enumerate(graph.connections):
        source, target = (ref if ref in ids else labels[ref] for ref in (connection["From"], connection["To"]))
        attributes = {
            "kind": connection["Type"], "direction": connection["Direction"], "strength": connection["Strength"],
            "start": connection["Start"] or None, "end": connection["End"] or None, "evidence": connection["Source"],
            "network": connection["Network"], "description": connection["Description"],
        }  # fmt: skip
        result.add_edge(source, target, key=number, **{k: v for k, v in attributes.items() if v is not None})
    return result


def write_graphml(graph: Tables) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def write_gexf(graph: Tables) -> bytes:
    """GEXF 1.2 for Gephi: dynamic, each edge with its start and end for the timeline, its strength as weight and
    its direction as the edge type ("directed" or "mutual")."""
    result = to_networkx(graph)
    for _source, _target, data in result.edges(data=True):
        data["type"] = data.pop("direction")
        if "strength" in data:
            data["weight"] = data["strength"]
    result.graph["mode"] = "dynamic"
    buffer = io.BytesIO()
    nx.write_gexf(result, buffer, encoding="utf-8")
    return buffer.getvalue()


def feed(scope: Scope, user, *, absolute: Callable[[str], str], title: str) -> dict:
    """The JSON feed: JSON Graph Format (version 2), nodes keyed by their ID, everything else in metadata."""
    graph = tables(scope, user)
    ids = {element["Label"]: element["ID"] for element in graph.elements}
    known = {element["ID"] for element in graph.elements}
    nodes = {
        element["ID"]: {
            "label": element["Label"],
            "metadata": {
                "kind": element["Type"], "sector": element["Sector"], "country": element["Country"],
                "city": element["City"], "latitude": element["Latitude"], "longitude": element["Longitude"],
                "website": element["Website"], "description": element["Description"],
                "url": absolute(Organisation(slug=element["ID"]).get_absolute_url()),
            },
        }
        for element in graph.elements
    }  # fmt: skip
    edges = [
        {
            "source": connection["From"] if connection["From"] in known else ids[connection["From"]],
            "target": connection["To"] if connection["To"] in known else ids[connection["To"]],
            "relation": connection["Type"],
            "directed": connection["Direction"] == Direction.DIRECTED,
            "metadata": {
                "direction": connection["Direction"], "strength": connection["Strength"],
                "start": connection["Start"] or None, "end": connection["End"] or None,
                "source": connection["Source"], "network": connection["Network"] or None,
                "description": connection["Description"],
            },
        }
        for connection in graph.connections
    ]  # fmt: skip
    return {
        "graph": {
            "label": title,
            "directed": True,
            "metadata": {"generated_at": timezone.now().isoformat(timespec="seconds")},
            "nodes": nodes,
            "edges": edges,
        }
    }


# --- Reading files ---------------------------------------------------------------------------------------------------


class GraphFileError(ValueError):
    """The file cannot be read as a network: said in one translated sentence."""


@dataclass
class Row:
    sheet: str
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, Any]  # keyed by the column names above, in lower case


@dataclass
class GraphFile:
    elements: list[Row] = field(default_factory=list)
    connections: list[Row] = field(default_factory=list)


SUFFIXES = (".xlsx", ".csv", ".graphml", ".xml")


def read_graph_file(data: bytes, filename: str, *, connections: bytes | None = None) -> GraphFile:
    """An XLSX workbook (Elements and Connections sheets), GraphML, or an elements CSV (with its connections CSV),
    or a connections CSV alone."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return _checked(_read_xlsx(data))
    if suffix in (".graphml", ".xml"):
        return _checked(_read_graphml(data))
    if suffix == ".csv":
        first = _read_csv(data)
        if connections is not None:
            if first.sheet != ELEMENTS:
                raise GraphFileError(_("The first file must be the elements, with a Label column."))
            second = _read_csv(connections, name=CONNECTIONS)
            return _checked(GraphFile(first.rows, second.rows))
        return _checked(GraphFile(first.rows, []) if first.sheet == ELEMENTS else GraphFile([], first.rows))
    raise GraphFileError(_("Choose an XLSX, CSV or GraphML file."))


def _checked(graph: GraphFile) -> GraphFile:
    if not graph.elements and not graph.connections:
        raise GraphFileError(_("This file has no rows."))
    if len(graph.elements) + len(graph.connections) > MAX_ROWS:
        raise GraphFileError(_("This file has more than %(max)s rows: split it.") % {"max": MAX_ROWS})
    return graph


def _cell_text(value: Any) -> str:
    """A cell as text: dates as ISO dates, whole numbers without ".0", a formula guard written by an export
    (a leading apostrophe) taken off again."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\x00", "").strip()
    if text.startswith("'") and text[1:2] and formula_safe(text[1:]) != text[1:]:
        return text[1:]
    return text


def _table(sheet: str, header: list[Any], rows: Iterator[list[Any]], *, first: int = 2) -> list[Row]:
    names = [_cell_text(name).lower() for name in header]
    missing = [column for column in REQUIRED[sheet] if column.lower() not in names]
    if missing:
        raise GraphFileError(
            _("The sheet “%(sheet)s” has no column %(columns)s.")
            % {"sheet": sheet, "columns": ", ".join(f"“{column}”" for column in missing)}
        )
    result = []
    for number, row in enumerate(itertools.islice(rows, MAX_ROWS + 1), start=first):
        values = {name: _cell_text(cell) for name, cell in zip(names, row, strict=False) if name}
        if any(values.values()):
            result.append(Row(sheet, number, values))
    if len(result) > MAX_ROWS:
        raise GraphFileError(_("This file has more than %(max)s rows: split it.") % {"max": MAX_ROWS})
    return result


@dataclass
class _Csv:
    sheet: str
    rows: list[Row]


def _read_csv(data: bytes, *, name: str = "") -> _Csv:
    try:
        text = data.replace(b"\x00", b"").decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GraphFileError(_("This CSV file is not in UTF-8: save it again as CSV UTF-8.")) from None
    try:  # only the delimiter: a sniffed quote character would be the apostrophe that guards formula cells
        delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader, [])
        lowered = {column.strip().lower() for column in header}
        sheet = name or (CONNECTIONS if {"from", "to"} <= lowered else ELEMENTS)
        return _Csv(sheet, _table(sheet, header, reader))
    except csv.Error as error:  # a cell longer than the csv module's limit, a stray NUL...
        raise GraphFileError(
            _("This CSV file cannot be read (line %(line)s): check that its quotes are closed.")
            % {"line": reader.line_num}
        ) from error


def _read_xlsx(data: bytes) -> GraphFile:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise GraphFileError(_("This is not a valid XLSX workbook.")) from None
    if unpacked > MAX_XLSX_UNPACKED:  # a zip bomb is refused before openpyxl unpacks it
        raise GraphFileError(
            _("This workbook unpacks to more than %(size)s MB: split it.") % {"size": MAX_XLSX_UNPACKED // 2**20}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise GraphFileError(_("This is not a valid XLSX workbook.")) from None
    sheets = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
    if ELEMENTS.lower() not in sheets and CONNECTIONS.lower() not in sheets:
        raise GraphFileError(_("This workbook has no sheet called “Elements” or “Connections”."))
    result = GraphFile()
    for name in (ELEMENTS, CONNECTIONS):
        sheet = sheets.get(name.lower())
        if sheet is not None:
            values = sheet.iter_rows(values_only=True)
            rows = _table(name, list(next(values, ())), values)
            setattr(result, name.lower(), rows)
    return result


# GraphML attribute names (any case) and the column each stands for.
_NODE_ATTRIBUTES = {"label": "label", "name": "label", "kind": "type", "type": "type", "sector": "sector",
                    "country": "country", "city": "city", "latitude": "latitude", "lat": "latitude",
                    "longitude": "longitude", "lon": "longitude", "lng": "longitude", "website": "website",
                    "description": "description", "tags": "tags"}  # fmt: skip
_EDGE_ATTRIBUTES = {"kind": "type", "type": "type", "direction": "direction", "strength": "strength",
                    "weight": "strength", "start": "start", "end": "end", "evidence": "source", "source": "source",
                    "network": "network", "description": "description"}  # fmt: skip


def _read_graphml(data: bytes) -> GraphFile:
    # defusedxml first: no DTD at all (so no entity, internal or external, is ever expanded), and well-formed XML.
    try:
        root = SafeElementTree.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise GraphFileError(_("This file declares a DTD or entities: they are refused for safety.")) from None
    except SafeElementTree.ParseError as error:
        raise GraphFileError(_("This is not well-formed XML (%(error)s).") % {"error": error}) from None
    if root.tag not in (f"{GRAPHML_NS}graphml", "graphml"):
        raise GraphFileError(_("This XML file is not GraphML."))
    for key in root.iter(f"{GRAPHML_NS}key"):
        kind = key.get("attr.type", "string")
        if kind not in GRAPHML_TYPES:
            raise GraphFileError(
                _("The GraphML attribute “%(name)s” has the unknown type “%(type)s” (known: %(types)s).")
                % {"name": key.get("attr.name", key.get("id")), "type": kind, "types": ", ".join(sorted(GRAPHML_TYPES))}
            )
    try:
        graph = nx.parse_graphml(data, force_multigraph=True)
    except (nx.NetworkXError, ValueError, TypeError, KeyError) as error:
        raise GraphFileError(_("This GraphML file cannot be read (%(error)s).") % {"error": error}) from None
    default = Direction.DIRECTED if graph.is_directed() else Direction.MUTUAL
    result = GraphFile()
    for number, (node, data) in enumerate(graph.nodes(data=True), start=1):
        values = {_NODE_ATTRIBUTES[k.lower()]: _cell_text(v) for k, v in data.items() if k.lower() in _NODE_ATTRIBUTES}
        values.setdefault("label", str(node))
        values["id"] = str(node)
        result.elements.append(Row("node", number, values))
    for number, (source, target, data) in enumerate(graph.edges(data=True), start=1):
        values = {_EDGE_ATTRIBUTES[k.lower()]: _cell_text(v) for k, v in data.items() if k.lower() in _EDGE_ATTRIBUTES}
        values.setdefault("direction", default)
        values |= {"from": str(source), "to": str(target)}
        result.connections.append(Row("edge", number, values))
    missing = [row for row in result.connections if not row.values.get("type")]
    if missing:
        raise GraphFileError(_("Some edges have no “kind” attribute: the kind of each relationship is needed."))
    return result


# --- The dry run and the import --------------------------------------------------------------------------------------


@dataclass
class PlannedRow:
    sheet: str
    number: int
    title: str
    action: str = "create"  # create, update, unchanged, reject
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)  # the fields to write
    existing_id: int | None = None
    ends: tuple[Any, Any] = (None, None)  # a connection's two organisations: an id, or the PlannedRow of an element
    organisation_id: int | None = None
    relationship_id: int | None = None


def _choice(value: str, choices) -> str | None:
    """A machine value ("ngo") or its English or translated label, in any case."""
    wanted = value.strip().casefold()
    for choice in choices:
        with translation.override("en"):
            english = str(choice.label).casefold()
        if wanted in (choice.value, english, str(choice.label).casefold()):
            return choice.value
    return None


def _unknown(column: str, value: str, choices) -> str:
    return _("Unknown %(column)s “%(value)s”: use one of %(known)s.") % {
        "column": column,
        "value": value,
        "known": ", ".join(choices.values),
    }


def _messages(error: ValidationError, model=None) -> list[str]:
    """A validation error's messages, each after the name of its field as the reader calls it (“Name: …”)."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    result = []
    for name, messages in error.message_dict.items():
        label = ""
        if model is not None and name != "__all__":
            label = capfirst(str(model._meta.get_field(name).verbose_name))
        result.extend(f"{label}: {message}" if label else message for message in messages)
    return result


class _Planner:
    """Plans every row against the organisations and relationships `user` may see, as they are now."""

    ORGANISATION_FIELDS = ("name", "kind", "sector", "country", "city", "location", "website", "description")

    def __init__(self, *, lab, user):
        self.lab, self.user = lab, user
        self.visible = Organisation.objects.visible_to(user)
        self.editable = set(Organisation.objects.editable_by(user).values_list("pk", flat=True))
        self.by_id: dict[str, PlannedRow] = {}  # elements of the file, by their ID
        self.by_label: dict[str, list[PlannedRow]] = {}
        self.networks = {n.slug: n.pk for n in Network.objects.visible_to(user).only("slug")}

    def element(self, row: Row) -> PlannedRow:
        get = row.values.get
        label = get("label", "")
        plan = PlannedRow(row.sheet, row.number, label[:250])
        if not label:
            plan.reasons.append(_("No label."))
        kind = _choice(get("type", ""), OrganisationKind)
        if kind is None:
            plan.reasons.append(_unknown("Type", get("type", ""), OrganisationKind))
        sector = ""
        if get("sector"):
            sector = _choice(get("sector"), Sector)
            if sector is None:
                plan.reasons.append(_unknown("Sector", get("sector"), Sector))
        else:  # a Kumu map may keep the sector among its tags
            tags = [_choice(tag, Sector) for tag in get("tags", "").split(TAG_SEPARATOR) if tag.strip()]
            sector = next((tag for tag in tags if tag), "")
        country = ""
        if get("country"):
            country = country_code(get("country")) or ""
            if not country:
                plan.reasons.append(_("Unknown country “%(value)s”.") % {"value": get("country")})
        location = self._location(get("latitude", ""), get("longitude", ""), plan)
        plan.values = {"name": label, "kind": kind, "sector": sector or "", "country": country,
                       "city": get("city", ""), "location": location, "website": get("website", ""),
                       "description": get("description", "")}  # fmt: skip
        self._check_fields(plan, Organisation(**plan.values), exclude=["slug", "lab", "kind", "sector"])
        present = {"name", "kind"} | {
            name for name, column in (("sector", "sector"), ("sector", "tags"), ("country", "country"),
                                      ("city", "city"), ("website", "website"), ("description", "description"),
                                      ("location", "latitude"), ("location", "longitude"))
            if column in row.values
        }  # fmt: skip
        plan.values = {name: value for name, value in plan.values.items() if name in present}
        self._match_element(plan, get("id", ""))
        return plan

    def _location(self, latitude: str, longitude: str, plan: PlannedRow) -> Point | None:
        if not latitude and not longitude:
            return None
        try:
            lat, lon = float(latitude), float(longitude)
        except ValueError:
            plan.reasons.append(_("Latitude and longitude must both be numbers."))
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            plan.reasons.append(_("Latitude and longitude are out of range."))
            return None
        return Point(lon, lat, srid=4326)

    def _check_fields(self, plan: PlannedRow, instance, *, exclude: list[str]) -> None:
        try:
            instance.clean_fields(exclude=exclude)
        except ValidationError as error:
            plan.reasons.extend(_messages(error, type(instance)))

    def _match_element(self, plan: PlannedRow, identifier: str) -> None:
        label = plan.values["name"]
        earlier = self.by_id.get(identifier) if identifier else None
        if earlier is None and not identifier:
            earlier = next(iter(self.by_label.get(label, [])), None)
        if earlier is not None:
            plan.reasons.append(_("Already in row %(number)s.") % {"number": earlier.number})
            return
        if identifier:
            self.by_id[identifier] = plan
        self.by_label.setdefault(label, []).append(plan)
        existing = self.visible.filter(slug=identifier).first() if identifier else None
        if existing is None and label:
            same_name = list(self.visible.filter(name=label)[:2])
            if len(same_name) > 1:
                plan.reasons.append(
                    _("Several organisations are called “%(name)s”: give the ID of the one you mean.") % {"name": label}
                )
                return
            existing = same_name[0] if same_name else None
        if existing is None or plan.reasons:
            return
        plan.existing_id = plan.organisation_id = existing.pk
        changed = {name: value for name, value in plan.values.items() if getattr(existing, name) != value}
        moved = changed.get("location")
        if moved and existing.location and existing.location.equals_exact(moved, 1e-6):
            del changed["location"]
        if not changed:
            plan.action = "unchanged"
        elif existing.pk in self.editable:
            plan.action, plan.values = "update", changed
        else:
            plan.action = "unchanged"
            plan.warnings.append(_("Recorded by another Lab: kept as it is."))

    def end(self, reference: str, column: str, plan: PlannedRow):
        """A connection's From or To: an element of the file (by ID, then Label), else an organisation the
        importer may see (by ID, then exact name)."""
        if reference in self.by_id:
            return self.by_id[reference]
        same_label = self.by_label.get(reference, [])
        if len(same_label) == 1:
            return same_label[0]
        if len(same_label) > 1:
            plan.reasons.append(
                _("%(column)s: several elements are called “%(name)s”: give its ID.")
                % {"column": column, "name": reference}
            )
            return None
        found = list(self.visible.filter(Q(slug=reference) | Q(name=reference)).values_list("pk", "slug")[:3])
        by_slug = [pk for pk, slug in found if slug == reference]
        if by_slug or len(found) == 1:
            return (by_slug or [found[0][0]])[0]
        if found:
            plan.reasons.append(
                _("%(column)s: several organisations are called “%(name)s”: give its ID.")
                % {"column": column, "name": reference}
            )
            return None
        plan.reasons.append(
            _("%(column)s: no element of the file and no organisation you can see is called “%(name)s”.")
            % {"column": column, "name": reference}
        )
        return None

    def connection(self, row: Row, seen: dict) -> PlannedRow:
        get = row.values.get
        plan = PlannedRow(row.sheet, row.number, f"{get('from', '')} → {get('to', '')}"[:250])
        source = self.end(get("from", ""), "From", plan)
        target = self.end(get("to", ""), "To", plan)
        for end in (source, target):
            if isinstance(end, PlannedRow) and end.action == "reject":
                plan.reasons.append(_("Its organisation in row %(number)s is refused.") % {"number": end.number})
        kind = _choice(get("type", ""), RelationshipKind)
        if kind is None:
            plan.reasons.append(_unknown("Type", get("type", ""), RelationshipKind))
        direction = get("direction", "") or Direction.DIRECTED  # Kumu's default
        direction = Direction.MUTUAL if direction.casefold() == "undirected" else _choice(direction, Direction)
        if direction is None:
            plan.reasons.append(_unknown("Direction", get("direction", ""), Direction))
        strength = self._strength(get("strength", ""), plan)
        start, end = self._date(get("start", ""), "Start", plan), self._date(get("end", ""), "End", plan)
        try:
            validate_period(start, end)
        except ValidationError as error:
            plan.reasons.extend(_messages(error))
        network = None
        if get("network"):
            network = self.networks.get(get("network"))
            if network is None:
                plan.reasons.append(_("Unknown network “%(value)s”.") % {"value": get("network")})
        source_id = source.existing_id if isinstance(source, PlannedRow) else source
        target_id = target.existing_id if isinstance(target, PlannedRow) else target
        if source is not None and (source is target or (source_id is not None and source_id == target_id)):
            plan.reasons.append(_("A relationship links two different organisations."))
        plan.values = {"kind": kind, "direction": direction, "strength": strength, "start_date": start,
                       "end_date": end, "network_id": network, "evidence": get("source", ""),
                       "description": get("description", "")}  # fmt: skip
        self._check_fields(
            plan, Relationship(**plan.values), exclude=["source", "target", "lab", "kind", "direction", "strength"]
        )
        plan.ends = (source, target)
        if plan.reasons:
            return plan
        key = (id(source) if isinstance(source, PlannedRow) else source,
               id(target) if isinstance(target, PlannedRow) else target, kind, network, start)  # fmt: skip
        if key in seen:
            plan.reasons.append(_("Already in row %(number)s.") % {"number": seen[key].number})
            return plan
        seen[key] = plan
        if source_id is not None and target_id is not None:
            self._match_connection(plan, source_id, target_id)
        return plan

    def _strength(self, value: str, plan: PlannedRow) -> int | None:
        if not value:
            return None
        try:
            strength = int(float(value))
        except ValueError:
            strength = 0
        if not 1 <= strength <= 5:
            plan.reasons.append(_("Strength must be a whole number from 1 to 5."))
            return None
        return strength

    def _date(self, value: str, column: str, plan: PlannedRow) -> datetime.date | None:
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            plan.reasons.append(
                _("%(column)s: “%(value)s” is not a date (write it as 2024-05-31).")
                % {"column": column, "value": value}
            )
            return None

    def _match_connection(self, plan: PlannedRow, source_id: int, target_id: int) -> None:
        values = plan.values
        candidate = Relationship(
            source_id=source_id,
            target_id=target_id,
            kind=values["kind"],
            direction=values["direction"],
            network_id=values["network_id"],
            start_date=values["start_date"],
        )
        existing = candidate.twins(self.user).first()
        if existing is None:
            return
        plan.existing_id = plan.relationship_id = existing.pk
        changed = {name: value for name, value in values.items() if getattr(existing, name) != value}
        if not changed:
            plan.action = "unchanged"
        elif Relationship.objects.editable_by(self.user).filter(pk=existing.pk).exists():
            plan.action, plan.values = "update", changed
        else:
            plan.action = "unchanged"
            plan.warnings.append(_("Recorded by another Lab: kept as it is."))


def plan(graph: GraphFile, *, lab, user, progress: Callable[[int], None] | None = None) -> list[PlannedRow]:
    """What the import would do with each row (the dry run): writes nothing."""
    planner = _Planner(lab=lab, user=user)
    rows: list[PlannedRow] = []
    seen: dict = {}
    for index, row in enumerate(graph.elements, start=1):
        planned = planner.element(row)
        planned.action = "reject" if planned.reasons else planned.action
        rows.append(planned)
        if progress:
            progress(index)
    for index, row in enumerate(graph.connections, start=len(graph.elements) + 1):
        planned = planner.connection(row, seen)
        planned.action = "reject" if planned.reasons else planned.action
        rows.append(planned)
        if progress:
            progress(index)
    return rows


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


class RowsRefused(Exception):
    """Some rows are refused: nothing is imported (the network would be imported in part)."""


def apply(
    rows: list[PlannedRow], *, lab, by, publish: bool, progress: Callable[[int], None] | None = None
) -> ImportSummary:
    """Write every planned row in one transaction, or nothing: new organisations and relationships go through their
    one write path (save_new) as the Lab's drafts, or published when asked by someone who may publish them."""
    if any(row.action == "reject" for row in rows):
        raise RowsRefused
    summary = ImportSummary()
    with transaction.atomic():
        for index, row in enumerate(rows, start=1):
            if row.action == "unchanged":
                summary.unchanged += 1
            elif row.sheet in (ELEMENTS, "node"):
                row.organisation_id = _write(Organisation, row, row.values, lab=lab, by=by, publish=publish)
                row.existing_id = row.organisation_id  # the connections after it point to it
            else:
                source, target = (end.existing_id if isinstance(end, PlannedRow) else end for end in row.ends)
                values = row.values if row.existing_id else {**row.values, "source_id": source, "target_id": target}
                row.relationship_id = _write(Relationship, row, values, lab=lab, by=by, publish=publish)
            if row.action == "create":
                summary.created += 1
            elif row.action == "update":
                summary.updated += 1
            if progress:
                progress(index)
    return summary


def _write(model, row: PlannedRow, values: dict, *, lab, by, publish: bool) -> int:
    if row.existing_id is not None:
        item = model.objects.get(pk=row.existing_id)
        for name, value in values.items():
            setattr(item, name, value)
        item._change_reason = IMPORTED
        item.save_edit(by=by)
        return item.pk
    item = model(lab=lab, **values)
    if publish:
        item._set_state(ModerationState.PUBLISHED, by=by)
    item._change_reason = IMPORTED
    item.save_new(by=by)
    return item.pk

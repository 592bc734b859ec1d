"""Importing practices from CSV, XLSX and GeoJSON: read, map columns, plan (the dry run), apply all at once.

plan() writes nothing and says, row by row, what apply() will do: create, update (a row imported before from the
same source into the same Lab, found by its source id, or by title, city and country when it has none) or reject,
with the reasons. apply() runs in one transaction: either every planned row lands or none does. Both run on the task
queue for the import pages, and in `manage.py import_practices`, through practices.services.
"""

import csv
import functools
import io
import itertools
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from conect.gazetteer import country_at, nearest_city
from conect.history import recorded_once
from conect.parsers import UnsafeJSON, load_json
from labs.moderation import IMPORTED, ModerationState
from practices import languages
from practices.models import SDG, Practice, PracticeTranslation, Theme
from practices.vocabularies import TEXT_LANGUAGES

MAX_ROWS = 50_000
# An XLSX file is a zip of XML: a few MB can unpack to gigabytes. Refused before openpyxl reads any of it.
MAX_XLSX_UNPACKED = 256 * 1024 * 1024


class ImportFileError(ValueError):
    """The file cannot be read as the format it claims: said in one translated sentence."""


@dataclass
class Table:
    columns: list[str]
    rows: list[dict[str, str]]
    source_hint: str = ""


# What a row can give, in the order of the mapping form.
TARGETS = {
    "source_id": gettext_lazy("Identifier at the source (re-imports update instead of duplicating)"),
    "title": gettext_lazy("Title"),
    "summary": gettext_lazy("Summary"),
    "description": gettext_lazy("Description"),
    "original_language": gettext_lazy("Language of the texts"),
    "themes": gettext_lazy("Themes (names or codes, separated by ;)"),
    "categories": gettext_lazy("Categories in free words, matched to themes"),
    "sdgs": gettext_lazy("SDGs (numbers 1 to 17, separated by ;)"),
    "country": gettext_lazy("Country"),
    "city": gettext_lazy("City"),
    "latitude": gettext_lazy("Latitude"),
    "longitude": gettext_lazy("Longitude"),
    "website": gettext_lazy("Website"),
    "contact_email": gettext_lazy("Contact e-mail (kept private)"),
    "contact_phone": gettext_lazy("Contact phone (kept private)"),
}
GUESSES = {
    "source_id": ["source_id", "_id", "id", "identifier", "uuid"],
    "title": ["title", "name", "nome", "titolo", "titre", "nom", "titel", "nombre", "nume"],
    "summary": ["summary", "sintesi", "résumé", "resumen", "zusammenfassung", "rezumat"],
    "description": ["description", "descrizione", "beschreibung", "descripción", "descriere"],
    "original_language": ["language", "lang", "lingua", "langue", "sprache", "idioma", "limba"],
    "themes": ["themes", "theme", "temi", "thèmes", "themen", "temas"],
    "categories": ["type_of_initiative", "categories", "category", "type", "tags", "free_keywords"],
    "sdgs": ["sdgs", "sdg", "sustainable development goals"],
    "country": ["country", "addr:country", "paese", "pays", "land", "país", "țară"],
    "city": ["city", "addr:city", "città", "ville", "stadt", "ciudad", "oraș", "town"],
    "latitude": ["latitude", "lat", "y", "geometry:latitude"],
    "longitude": ["longitude", "lon", "lng", "long", "x", "geometry:longitude"],
    "website": ["website", "contact:website", "url", "web", "sito"],
    "contact_email": ["contact_email", "email", "contact:email", "e-mail", "mail"],
    "contact_phone": ["contact_phone", "phone", "contact:phone", "telephone", "tel", "telefono"],
}
# The columns of the template file offered on the upload page, with the example row it holds (names the guess knows).
TEMPLATE = {
    "source_id": ("id", "palermo-001"),
    "title": ("title", "Emporio solidale"),
    "summary": ("summary", "Un market gratuito per le famiglie in difficoltà."),
    "description": ("description", "Le famiglie scelgono la spesa con una tessera a punti; volontari al banco."),
    "original_language": ("language", "it"),
    "themes": ("themes", "food;solidarity"),
    "categories": ("categories", "food bank"),
    "sdgs": ("sdgs", "1;2"),
    "country": ("country", "IT"),
    "city": ("city", "Palermo"),
    "latitude": ("latitude", "38.1157"),
    "longitude": ("longitude", "13.3615"),
    "website": ("website", "https://emporio.example.org"),
    "contact_email": ("contact_email", "info@emporio.example.org"),
    "contact_phone": ("contact_phone", "+39 091 000 0000"),
}
TEMPLATE_TRANSLATION = ("description:en", "Families choose their groceries with a points card; volunteers at the desk.")
TRANSLATION_COLUMN = re.compile(r"^description:([a-z]{2})$")
LANGUAGE_FIXES = {"gr": "el", "cz": "cs", "dk": "da", "se": "sv", "si": "sl", "ee": "et", "ua": "uk"}
COUNTRY_ALIASES = {
    "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "great britain": "GB",
    "frace": "FR", "italu": "IT", "cypres": "CY", "sr": "RS", "el": "GR",
}  # fmt: skip
COUNTRY_LANGUAGES = ["en", "de", "fr", "it", "es", "ro", "el", "pt", "nl", "sl", "hr", "lv", "lt", "et", "hu", "pl",
                     "cs", "sk", "bg", "fi", "sv", "da", "mt"]  # fmt: skip
# Free-word categories (as other mapping platforms write them) and the theme they point to.
CATEGORY_KEYWORDS = [
    ("food", "food"), ("agro", "food"), ("farm", "food"), ("garden", "food"), ("organic", "food"),
    ("energy", "energy"), ("solar", "energy"), ("housing", "housing"), ("cohousing", "housing"),
    ("repair", "ecology"), ("recycl", "ecology"), ("waste", "ecology"), ("bicycle", "ecology"),
    ("mobility", "ecology"), ("environment", "ecology"), ("climate", "ecology"),
    ("care", "care"), ("health", "care"), ("educat", "education"), ("school", "education"), ("learn", "education"),
    ("cultur", "culture"), ("art", "culture"), ("fair", "economy"), ("trade", "economy"), ("financ", "economy"),
    ("money", "economy"), ("currenc", "economy"), ("cooperat", "economy"), ("econom", "economy"),
    ("solidar", "solidarity"), ("social", "solidarity"), ("communit", "solidarity"), ("sharing", "solidarity"),
]  # fmt: skip
# Where the Labs are: a point outside is refused when the import is limited to Europe.
EUROPE = (-32.0, 27.0, 45.0, 72.0)
LANGUAGE_CODES = set(TEXT_LANGUAGES)


def _in_europe(lng: float, lat: float) -> bool:
    return EUROPE[0] <= lng <= EUROPE[2] and EUROPE[1] <= lat <= EUROPE[3]


def _swapped_fits(lng: float, lat: float, country: str) -> bool:
    """Whether the swapped point lies in Europe, near a city, and in the stated country when there is one."""
    if not (_in_europe(lng, lat) and -90 <= lat <= 90):
        return False
    near = nearest_city(Point(lng, lat, srid=4326), within_km=50)
    stated = country_code(country) if country else None
    return near is not None and (stated is None or near.country == stated)


SUFFIXES = (".csv", ".txt", ".xlsx", ".geojson", ".json")  # what read_table() reads


def read_table(data: bytes, filename: str) -> Table:
    suffix = Path(filename).suffix.lower()
    if suffix != ".xlsx":
        data = data.replace(b"\x00", b"")  # PostgreSQL text cannot hold NUL
    if suffix in (".geojson", ".json"):
        return _read_geojson(data)
    if suffix == ".xlsx":
        return _read_xlsx(data)
    if suffix in (".csv", ".txt"):
        return _read_csv(data)
    raise ImportFileError(_("Choose a CSV, XLSX or GeoJSON file."))


def _read_csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("This CSV file is not in UTF-8: save it again as CSV UTF-8.")) from None
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames or len(reader.fieldnames) < 2:
        raise ImportFileError(_("This file has no header row with column names."))
    # One row past the limit is enough to refuse the file: the rest is never parsed.
    rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in itertools.islice(reader, MAX_ROWS + 1)]
    return _checked(Table([c for c in reader.fieldnames if c], rows))


def _read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    # A workbook too large, or a table far too long, is refused before openpyxl reads it (without a <dimension>,
    # openpyxl parses the whole sheet as it opens it: 6 s for 600,000 rows). Its rows are counted in the XML instead.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            size = _rows_in_first_sheet(archive) if unpacked <= MAX_XLSX_UNPACKED else 0
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(_("This is not a valid XLSX workbook.")) from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise ImportFileError(
            _("This workbook unpacks to more than %(size)s MB: split it.") % {"size": MAX_XLSX_UNPACKED // 2**20}
        )
    if size > MAX_ROWS + 1:
        raise ImportFileError(
            _("This sheet has %(rows)s rows, more than %(max)s: split it, or delete the empty rows below the table.")
            % {"rows": size, "max": MAX_ROWS}
        )
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise ImportFileError(_("This is not a valid XLSX workbook.")) from None
    values = sheet.iter_rows(values_only=True)
    # Every column keeps its place, named or not, so no value slides into its neighbour's column.
    header = [str(h).strip() if h is not None else "" for h in next(values, ())]
    header = [name or f"column {i + 1}" for i, name in enumerate(header)]
    if sum(1 for name in header if not name.startswith("column ")) < 2:
        raise ImportFileError(_("This file has no header row with column names."))
    filled = (row for row in values if any(cell is not None for cell in row))
    rows = [
        {name: ("" if cell is None else str(cell).replace("\x00", "").strip())
         for name, cell in zip(header, row, strict=False)}
        for row in itertools.islice(filled, MAX_ROWS + 1)
    ]  # fmt: skip
    return _checked(Table(header, rows))


_SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet"
_RELATION_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _rows_in_first_sheet(archive: zipfile.ZipFile) -> int:
    """The <row> elements of the first sheet's XML, counted as it unzips, without parsing it (600,000 rows: 0.15 s).
    0 when the workbook is laid out otherwise: reading it then stops at the row past the limit."""
    from openpyxl.xml.functions import fromstring  # the parser openpyxl reads the rest with

    try:
        sheet = next(fromstring(archive.read("xl/workbook.xml")).iter(_SHEET))
        relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target", "") for r in relations if r.get("Id") == sheet.get(_RELATION_ID))
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        count, tail = 0, b""
        with archive.open(path) as xml:
            while chunk := xml.read(1 << 20):
                window = tail + chunk
                count += window.count(b"<row ") + window.count(b"<row>")
                tail = window[-4:]  # shorter than the pattern: a row split between two chunks is counted once
    except (KeyError, StopIteration, SyntaxError):  # ParseError is a SyntaxError, in ElementTree as in lxml
        return 0
    return count


def _read_geojson(data: bytes) -> Table:
    try:
        document = load_json(data)  # nesting limited: a deep document would exhaust the stack
    except UnsafeJSON as error:
        raise ImportFileError(str(error)) from None
    except ValueError:  # malformed JSON or UTF-8
        raise ImportFileError(_("This is not valid GeoJSON.")) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportFileError(_("This GeoJSON is not a FeatureCollection."))
    rows, columns = [], {}
    features = document.get("features")
    if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
        raise ImportFileError(_("This GeoJSON is not a FeatureCollection."))
    if len(features) > MAX_ROWS:
        raise _too_many_rows()
    for feature in features:
        properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
        geometry = feature.get("geometry") if isinstance(feature.get("geometry"), dict) else {}
        coordinates = geometry.get("coordinates")
        if geometry.get("type") == "Point" and isinstance(coordinates, list) and len(coordinates) >= 2:
            properties = dict(properties)
            properties["geometry:longitude"], properties["geometry:latitude"] = coordinates[:2]
        row = {k: "" if v is None else str(v).strip() for k, v in properties.items()}
        columns.update(dict.fromkeys(row))
        rows.append(row)
    return _checked(Table(list(columns), rows, source_hint=str(document.get("source", ""))))


def _too_many_rows() -> ImportFileError:
    return ImportFileError(_("This file has more than %(max)s rows: split it.") % {"max": MAX_ROWS})


def _checked(table: Table) -> Table:
    if not table.rows:
        raise ImportFileError(_("This file has no rows."))
    if len(table.rows) > MAX_ROWS:
        raise _too_many_rows()
    return table


def template_rows() -> list[list[str]]:
    """The template file offered for download: a header the column guess recognises and one example row."""
    columns = [*TEMPLATE.values(), TEMPLATE_TRANSLATION]
    return [[name for name, _example in columns], [example for _name, example in columns]]


def guess_mapping(table: Table) -> dict[str, str]:
    """For each target, the candidate column that is filled in most rows."""
    by_lower = {c.lower(): c for c in table.columns}
    mapping = {}
    for target, names in GUESSES.items():
        candidates = [by_lower[name] for name in names if name in by_lower]
        if candidates:
            filled = {c: sum(1 for row in table.rows if row.get(c)) for c in candidates}
            best = max(candidates, key=lambda c: filled[c])
            if filled[best]:
                mapping[target] = best
    return mapping


@dataclass
class RowPlan:
    number: int
    action: str  # create, update or reject; apply() turns an update that changes nothing into unchanged
    title: str
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)
    themes: list[int] = field(default_factory=list)
    sdgs: list[int] = field(default_factory=list)
    translations: dict[str, str] = field(default_factory=dict)
    existing_id: int | None = None
    mapped: set[str] = field(default_factory=set)
    practice_id: int | None = None  # set by apply(): the practice created or updated


class _Vocabulary:
    def __init__(self):
        self.themes = {}
        for theme in Theme.objects.all():
            for name in [theme.slug, theme.name, *theme.names.values()]:
                self.themes[name.casefold()] = theme
        self.sdgs = set(SDG.objects.values_list("number", flat=True))


@functools.lru_cache(maxsize=4096)  # a file writes its few countries on every row: by_name() reads every name of them
def country_code(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if len(value) == 2 and value.upper() in dict(countries):
        return value.upper()
    if value.casefold() in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[value.casefold()]
    for language in COUNTRY_LANGUAGES:
        code = countries.by_name(value, language=language) or countries.by_name(value.title(), language=language)
        if code:
            return code
    return None


def _split(value: str) -> list[str]:
    return [token.strip() for token in re.split(r"[;,|]", value) if token.strip()]


def plan(
    table: Table,
    mapping: dict[str, str],
    *,
    source: str,
    lab=None,
    europe_only: bool = True,
    progress: Callable[[int], None] | None = None,
) -> list[RowPlan]:
    """The dry run: what apply() would do with each row. Writes nothing.

    A row updates a practice imported before from the same source into the same Lab; never one of another Lab."""
    vocabulary = _Vocabulary()
    previous = Practice.objects.filter(source=source, lab=lab) if source else Practice.objects.none()
    existing = dict(previous.exclude(source_id="").values_list("source_id", "pk"))
    seen_ids: set[str] = set()
    translation_columns = {
        c: TRANSLATION_COLUMN.match(c).group(1) for c in table.columns if TRANSLATION_COLUMN.match(c)
    }
    rows = []
    for index, row in enumerate(table.rows, start=1):
        number = index + (1 if not table.source_hint else 0)
        rows.append(_plan_row(number, row, mapping, vocabulary, existing, seen_ids, translation_columns, europe_only))
        if progress:
            progress(index)
    _match_rows_without_id(rows, previous.filter(source_id=""))
    return rows


def _match_key(title: str, country: str, city: str) -> tuple[str, str, str]:
    return (" ".join(title.split()).casefold(), country, " ".join(city.split()).casefold())


def _match_rows_without_id(rows: list[RowPlan], previous) -> None:
    """Rows without a source id update the practice imported before with the same title, city and country; a row
    that cannot be matched to one practice says why, before anything is written."""
    loose = [row for row in rows if row.action != "reject" and not row.values["source_id"]]
    if not loose:
        return
    earlier: dict[tuple, list[int]] = {}
    for pk, title, country, city in previous.values_list("pk", "title", "country", "city"):
        earlier.setdefault(_match_key(title, country, city), []).append(pk)
    in_file: dict[tuple, list[int]] = {}
    for row in loose:
        in_file.setdefault(_match_key(row.title, row.values["country"], row.values["city"]), []).append(row.number)
    for row in loose:
        key = _match_key(row.title, row.values["country"], row.values["city"])
        twins, matches = in_file[key], earlier.get(key, [])
        same = {"rows": ", ".join(map(str, twins)), "count": len(matches)}
        if len(twins) > 1 and matches:
            row.action = "reject"
            row.reasons.append(
                _("Rows %(rows)s have no identifier and the same title, city and country: which practice each one "
                  "updates cannot be told. Add an identifier column.") % same
            )  # fmt: skip
        elif len(twins) > 1:
            row.warnings.append(
                _("Rows %(rows)s have no identifier and the same title, city and country: a later import of this "
                  "file could not update them. Add an identifier column.") % same
            )  # fmt: skip
        elif len(matches) > 1:
            row.action = "reject"
            row.reasons.append(
                _("%(count)s practices imported before from this source have this title, city and country: which "
                  "one to update cannot be told. Add an identifier column.") % same
            )  # fmt: skip
        elif matches:
            row.action, row.existing_id = "update", matches[0]


def _plan_row(number, row, mapping, vocabulary, existing, seen_ids, translation_columns, europe_only) -> RowPlan:
    def get(target: str) -> str:
        column = mapping.get(target)
        return row.get(column, "").strip() if column else ""

    result = RowPlan(number=number, action="create", title=get("title")[:250], mapped=set(mapping))
    values: dict = {"title": result.title, "summary": get("summary")[:500], "description": get("description"),
                    "city": get("city").strip(" ,;")[:200], "website": get("website"),
                    "contact_email": get("contact_email"), "contact_phone": get("contact_phone")[:50]}  # fmt: skip
    language = get("original_language").lower()
    language = LANGUAGE_FIXES.get(language, language)
    if language and language not in LANGUAGE_CODES:
        result.warnings.append(_("Language %(value)s not recognised: English assumed.") % {"value": language})
        language = ""
    if not get("original_language"):  # no language given: the texts tell which (practices.languages)
        named = {LANGUAGE_FIXES.get(code, code): row.get(column, "") for column, code in translation_columns.items()}
        language, values["description"] = languages.original_text(
            values["description"], {k: v for k, v in named.items() if k in LANGUAGE_CODES}, summary=values["summary"]
        )
    values["original_language"] = language or "en"
    if not result.title:
        result.reasons.append(_("No title."))

    source_id = get("source_id")[:200]
    if source_id:
        if source_id in seen_ids:
            result.reasons.append(_("The identifier %(id)s appears twice in the file.") % {"id": source_id})
        seen_ids.add(source_id)
        result.existing_id = existing.get(source_id)
    values["source_id"] = source_id

    location = None
    lat, lng = get("latitude"), get("longitude")
    if lat or lng:
        try:
            lat_f, lng_f = float(lat.replace(",", ".")), float(lng.replace(",", "."))
        except ValueError:
            result.reasons.append(_("The coordinates %(lat)s, %(lng)s are not numbers.") % {"lat": lat, "lng": lng})
        else:
            if not _in_europe(lng_f, lat_f) and _swapped_fits(lat_f, lng_f, get("country")):
                # A common slip of other platforms' exports: [lat, lon] written for [lon, lat].
                lat_f, lng_f = lng_f, lat_f
                result.warnings.append(_("Latitude and longitude were swapped in the file: corrected."))
            if not (-90 <= lat_f <= 90 and -180 <= lng_f <= 180):
                result.reasons.append(
                    _("The coordinates %(lat)s, %(lng)s are out of range.") % {"lat": lat, "lng": lng}
                )
            elif europe_only and not _in_europe(lng_f, lat_f):
                result.reasons.append(_("The place lies outside Europe, where the Labs are."))
            else:
                location = Point(lng_f, lat_f, srid=4326)
    else:
        result.warnings.append(_("No coordinates: it will not appear on the map."))
    values["location"] = location

    code = country_code(get("country"))
    if code is None and location is not None:
        code = country_at(location)
        if code is not None and get("country"):
            result.warnings.append(
                _("Country %(value)s not recognised: %(code)s taken from the location.")
                % {"value": get("country"), "code": code}
            )
    if code is None:
        result.reasons.append(_("Unknown country %(value)s.") % {"value": get("country") or "—"})
    values["country"] = code or ""

    for token in _split(get("themes")):
        theme = vocabulary.themes.get(token.casefold())
        if theme is None:
            result.reasons.append(_("Unknown theme %(value)s.") % {"value": token})
        elif theme.pk not in result.themes:
            result.themes.append(theme.pk)
    for token in _split(get("categories")):
        lowered = token.casefold()
        for keyword, slug in CATEGORY_KEYWORDS:
            theme = vocabulary.themes.get(slug)
            if keyword in lowered and theme is not None and theme.pk not in result.themes:
                result.themes.append(theme.pk)
    for token in _split(get("sdgs")):
        if token.isdigit() and int(token) in vocabulary.sdgs:
            result.sdgs.append(int(token))
        else:
            result.reasons.append(_("Unknown SDG code %(value)s.") % {"value": token})

    for column, language in translation_columns.items():
        text = row.get(column, "").strip()
        language = LANGUAGE_FIXES.get(language, language)
        if text and language not in LANGUAGE_CODES:
            result.warnings.append(_("Language %(value)s not recognised: English assumed.") % {"value": language})
            continue
        if text and language != values["original_language"]:
            result.translations[language] = text

    # A malformed contact or website is dropped with a warning: it is no reason to lose the practice.
    for name in ("website", "contact_email", "contact_phone"):
        if values[name]:
            try:
                Practice._meta.get_field(name).clean(values[name], None)
            except ValidationError:
                result.warnings.append(
                    _("%(field)s %(value)s is not valid: left out.")
                    % {"field": Practice._meta.get_field(name).verbose_name, "value": values[name]}
                )
                values[name] = ""

    practice = Practice(**values)
    try:
        # The country was checked above, with a clearer reason than "cannot be blank".
        # The language too, against the same codes: building the field's translated choices for each row would
        # take most of the dry run's time (10 of 13 s for 5,000 rows).
        practice.clean_fields(
            exclude=["slug", "lab", "created_by", "state_changed_by", "primary_theme", "search_vector", "country",
                     "original_language"]
        )  # fmt: skip
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = str(Practice._meta.get_field(name).verbose_name)
            result.reasons.extend(f"{label}: {message}" for message in messages)
    for language, text in result.translations.items():
        try:
            PracticeTranslation(title=result.title or "-", description=text, language=language).clean_fields(
                exclude=["practice", "language"]  # one of LANGUAGE_CODES, checked above
            )
        except ValidationError as error:
            for messages in error.message_dict.values():
                result.reasons.extend(f"{language}: {message}" for message in messages)
    result.values = values
    if result.reasons:
        result.action = "reject"
    elif result.existing_id:
        result.action = "update"
    return result


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


class StrictImportRefused(Exception):
    pass


def apply(
    rows: list[RowPlan],
    *,
    source: str,
    lab,
    by,
    publish: bool,
    strict: bool,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Write the planned rows, all in one transaction: any failure leaves the database as it was."""
    summary = ImportSummary(rejected=sum(1 for r in rows if r.action == "reject"))
    if strict and summary.rejected:
        raise StrictImportRefused
    state = ModerationState.PUBLISHED if publish else ModerationState.DRAFT
    with transaction.atomic():
        for index, row in enumerate(rows, start=1):
            if row.action != "reject":
                row.practice_id, changed = _write(row, source=source, lab=lab, by=by, state=state)
                if row.action == "create":
                    summary.created += 1
                elif changed:
                    summary.updated += 1
                else:
                    summary.unchanged += 1
                    row.action = "unchanged"
            if progress:
                progress(index)
    return summary


# Which mapped targets fill which fields: on an update only these change, so hand edits of the rest survive.
_FIELDS_OF = {
    "title": ["title"], "summary": ["summary"], "description": ["description"],
    "original_language": ["original_language"], "city": ["city"], "website": ["website"],
    "contact_email": ["contact_email"], "contact_phone": ["contact_phone"], "source_id": ["source_id"],
    "latitude": ["location"], "longitude": ["location"], "country": ["country"],
}  # fmt: skip


def _write(row: RowPlan, *, source: str, lab, by, state: str) -> tuple[int, bool]:
    """Create or update one practice: its id, and False when an update would change nothing (no save, no version).

    An update never moves a practice to another Lab nor takes it off the site: it publishes a draft when asked to,
    and otherwise keeps the moderation state (an archived or rejected practice stays so)."""
    if row.existing_id is None:
        practice = Practice(created_by=by, source=source, lab=lab, state=state)
        wanted = dict(row.values)
    else:
        practice = Practice.objects.get(pk=row.existing_id)
        names = {name for target in row.mapped for name in _FIELDS_OF.get(target, [])}
        if "location" in names:
            names.add("country")  # the country may come from the location
        wanted = {name: value for name, value in row.values.items() if name in names}
        if state == ModerationState.PUBLISHED and practice.state in (ModerationState.DRAFT, ModerationState.SUBMITTED):
            wanted["state"] = state
    themes_mapped = row.existing_id is None or {"themes", "categories"} & row.mapped
    sdgs_mapped = row.existing_id is None or "sdgs" in row.mapped
    if themes_mapped:
        wanted["primary_theme_id"] = row.themes[0] if row.themes else None
    if (
        practice.pk
        and all(getattr(practice, k) == v for k, v in wanted.items())
        and (not themes_mapped or sorted(practice.themes.values_list("pk", flat=True)) == sorted(row.themes))
        and (not sdgs_mapped or sorted(practice.sdgs.values_list("pk", flat=True)) == sorted(row.sdgs))
        and all(
            practice.translations.filter(language=language, description=text).exists()
            for language, text in row.translations.items()
        )
    ):
        return practice.pk, False
    for name, value in wanted.items():
        setattr(practice, name, value)
    practice._history_user = by
    practice._change_reason = IMPORTED
    with recorded_once(practice):  # one history row for the row and its themes and SDGs
        practice.save()
        if themes_mapped:
            practice.set_themes(row.themes)
        if sdgs_mapped:
            practice.sdgs.set(row.sdgs)
    for language, text in row.translations.items():
        # A translation keeps its own title: the file only brings the description in that language.
        translation, created = PracticeTranslation.objects.get_or_create(
            practice=practice, language=language, defaults={"title": practice.title, "description": text}
        )
        if not created and translation.description != text:
            translation.description = text
            translation.save()
    return practice.pk, True

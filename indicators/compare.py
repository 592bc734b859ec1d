"""Labs compared side by side (goal 2 of the seeds): the read side of the comparison page and its downloads.

Public aggregates only: published practices, activities and resources, and member counts (never names). Each
section is a table of numbers, categories down and Labs across; the page draws it as a chart and prints it as a
table, the downloads write it as CSV and XLSX. The whole comparison costs the same few queries for 2 Labs or 50.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from labs.models import Lab
from library.models import Resource, ResourceKind
from networks.models import NetworkMembership, Organisation, PracticeOrganisation
from practices.models import Practice, Theme
from practices.vocabularies import ResilienceDimension, TargetGroup

# Without a choice the page compares the first Labs by name; more than MAX_LABS are refused (a chart of 50 Labs is
# already at the edge of legibility; the tables and downloads still hold every number).
DEFAULT_LABS = 6
MAX_LABS = 50
PUBLISHED = "published"


@dataclass
class Section:
    """One comparison: `rows[i][j]` is the number for category i in Lab j."""

    key: str
    title: str
    explanation: str
    categories: list[str]
    rows: list[list[int]]
    chart: str = "bar"
    labs: list[Lab] = field(default_factory=list)

    def chart_data(self) -> dict:
        """What static/js/compare.js draws: every label already in the reader's language."""
        return {
            "type": self.chart,
            "title": str(self.title),
            "labels": [str(c) for c in self.categories],
            "datasets": [{"label": lab.name, "data": [row[j] for row in self.rows]} for j, lab in enumerate(self.labs)],
        }

    @property
    def has_data(self) -> bool:
        return any(any(row) for row in self.rows)

    def table(self) -> list[tuple[str, list[int]]]:
        return list(zip(self.categories, self.rows, strict=True))


def all_labs() -> list[Lab]:
    """Every Lab, with its member count: the form's choices and the members' numbers in one query."""
    # An annotated query drops the model's ordering: name it again.
    labs = Lab.objects.annotate(member_count=Count("memberships")).only("name", "slug", "city", "country")
    return list(labs.order_by("name", "pk"))


def compare(labs: list[Lab]) -> list[Section]:
    ids = [lab.pk for lab in labs]
    activities, people = _activities_by_year(labs, ids)
    sections = [
        _practices_by_theme(labs, ids),
        *_practices_by_vocabulary(labs, ids),
        activities,
        people,
        _resources_by_kind(labs, ids),
        _members_and_network(labs, ids),
    ]
    for section in sections:
        section.labs = labs
    return sections


def _matrix(categories: list, labs: list[Lab], counts: dict[tuple, int]) -> list[list[int]]:
    return [[counts.get((category, lab.pk), 0) for lab in labs] for category in categories]


def _practices_by_theme(labs: list[Lab], ids: list[int]) -> Section:
    themes = list(Theme.objects.all())
    counts = (
        Practice.objects.published()
        .filter(lab_id__in=ids, themes__isnull=False)
        .values_list("themes", "lab_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_key = {(theme, lab): n for theme, lab, n in counts}
    return Section(
        key="themes",
        title=_("Practices by theme"),
        explanation=_("Published practices of each Lab by theme; a practice with several themes counts in each."),
        categories=[theme.label for theme in themes],
        rows=_matrix([theme.pk for theme in themes], labs, by_key),
    )


# Dimensions and target groups are arrays on the practice: one pass over the Lab's practices unnests both.
VOCABULARY_SQL = """
SELECT 'dimension', d, p.lab_id, count(*) FROM {practice} p CROSS JOIN LATERAL unnest(p.dimensions) d
 WHERE p.state = %(published)s AND p.lab_id = ANY(%(ids)s) GROUP BY d, p.lab_id
UNION ALL
SELECT 'target_group', t, p.lab_id, count(*) FROM {practice} p CROSS JOIN LATERAL unnest(p.target_groups) t
 WHERE p.state = %(published)s AND p.lab_id = ANY(%(ids)s) GROUP BY t, p.lab_id
"""


def _practices_by_vocabulary(labs: list[Lab], ids: list[int]) -> list[Section]:
    counts = {}
    for vocabulary, value, lab_id, n in _fetch(VOCABULARY_SQL, ids, practice=Practice._meta.db_table):
        counts[(vocabulary, value), lab_id] = n
    dimensions = Section(
        key="dimensions",
        title=_("Practices by resilience dimension"),
        explanation=_("Published practices of each Lab by the dimensions of resilience they strengthen."),
        categories=[label for _value, label in ResilienceDimension.choices],
        rows=_matrix([("dimension", value) for value in ResilienceDimension.values], labs, counts),
    )
    groups = Section(
        key="target_groups",
        title=_("Practices by target group"),
        explanation=_("Published practices of each Lab by the people they are for."),
        categories=[label for _value, label in TargetGroup.choices],
        rows=_matrix([("target_group", value) for value in TargetGroup.values], labs, counts),
    )
    return [dimensions, groups]


# An activity counts for its own Lab and for each other Lab taking part (entered once, shown in each). Its year is
# the one on the calendar where it took place.
ACTIVITIES_SQL = """
SELECT pairs.lab_id,
       extract(year FROM a.starts_at AT TIME ZONE coalesce(nullif(a.time_zone, ''), 'UTC'))::int AS year,
       count(*),
       coalesce(sum(a.attendance_total) FILTER (WHERE a.closed_at IS NOT NULL), 0)
  FROM (SELECT id AS activity_id, lab_id FROM {activity} WHERE lab_id = ANY(%(ids)s)
        UNION
        SELECT activity_id, lab_id FROM {other_labs} WHERE lab_id = ANY(%(ids)s)) pairs
  JOIN {activity} a ON a.id = pairs.activity_id
 WHERE a.state = %(published)s AND a.starts_at IS NOT NULL
 GROUP BY pairs.lab_id, year
"""


def _activities_by_year(labs: list[Lab], ids: list[int]) -> tuple[Section, Section]:
    tables = {"activity": Activity._meta.db_table, "other_labs": Activity.other_labs.through._meta.db_table}
    activities, people = {}, {}
    for lab_id, year, n, reached in _fetch(ACTIVITIES_SQL, ids, **tables):
        activities[year, lab_id] = n
        people[year, lab_id] = reached
    years = list(range(min(y for y, _lab in activities), max(y for y, _lab in activities) + 1)) if activities else []
    common = {"categories": [str(year) for year in years], "chart": "line"}
    return (
        Section(
            key="activities",
            title=_("Activities per year"),
            explanation=_(
                "Published activities with a date, by the year they start, for the Lab that organised them and "
                "for each other Lab that took part."
            ),
            rows=_matrix(years, labs, activities),
            **common,
        ),
        Section(
            key="people",
            title=_("People reached per year"),
            explanation=_(
                "People who took part in each Lab's published activities, as counted in their closing reports; "
                "activities not closed yet count nothing."
            ),
            rows=_matrix(years, labs, people),
            **common,
        ),
    )


def _resources_by_kind(labs: list[Lab], ids: list[int]) -> Section:
    counts = (
        Resource.objects.published()
        .filter(lab_id__in=ids)
        .values_list("kind", "lab_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Section(
        key="resources",
        title=_("Library resources by kind"),
        explanation=_("Published resources of each Lab's library: guides, reports, Local Action Plans…"),
        categories=[label for _value, label in ResourceKind.choices],
        rows=_matrix(ResourceKind.values, labs, {(kind, lab): n for kind, lab, n in counts}),
    )


# The Lab's network: the organisations involved in its published practices or present at its published activities
# (its own and those it took part in), and the networks those organisations belong to.
NETWORK_SQL = """
WITH lab_organisations AS (
  SELECT p.lab_id, po.organisation_id FROM {practice_organisation} po JOIN {practice} p ON p.id = po.practice_id
    JOIN {organisation} o ON o.id = po.organisation_id AND o.state = %(published)s
   WHERE p.state = %(published)s AND p.lab_id = ANY(%(ids)s)
  UNION
  SELECT pairs.lab_id, ao.organisation_id
    FROM (SELECT id AS activity_id, lab_id FROM {activity} WHERE lab_id = ANY(%(ids)s)
          UNION
          SELECT activity_id, lab_id FROM {other_labs} WHERE lab_id = ANY(%(ids)s)) pairs
    JOIN {activity} a ON a.id = pairs.activity_id AND a.state = %(published)s
    JOIN {activity_organisations} ao ON ao.activity_id = a.id
    JOIN {organisation} o ON o.id = ao.organisation_id AND o.state = %(published)s
)
SELECT lo.lab_id, count(DISTINCT lo.organisation_id), count(DISTINCT nm.network_id)
  FROM lab_organisations lo LEFT JOIN {network_membership} nm ON nm.organisation_id = lo.organisation_id
 GROUP BY lo.lab_id
"""


def _members_and_network(labs: list[Lab], ids: list[int]) -> Section:
    tables = {
        "practice": Practice._meta.db_table,
        "practice_organisation": PracticeOrganisation._meta.db_table,
        "activity": Activity._meta.db_table,
        "other_labs": Activity.other_labs.through._meta.db_table,
        "activity_organisations": Activity.organisations.through._meta.db_table,
        "network_membership": NetworkMembership._meta.db_table,
        "organisation": Organisation._meta.db_table,
    }
    counts = {}
    for lab_id, organisations, networks in _fetch(NETWORK_SQL, ids, **tables):
        counts["organisations", lab_id] = organisations
        counts["networks", lab_id] = networks
    for lab in labs:
        counts["members", lab.pk] = lab.member_count
    return Section(
        key="network",
        title=_("Members and network"),
        explanation=_(
            "Members: people who belong to the Lab (facilitators included). Organisations: the published ones "
            "involved in the Lab's published practices or present at its published activities. Networks: the "
            "networks those organisations belong to."
        ),
        categories=[_("Members"), _("Organisations"), _("Networks")],
        rows=_matrix(["members", "organisations", "networks"], labs, counts),
    )


def _fetch(sql: str, ids: list[int], **tables: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(**tables), {"ids": ids, "published": PUBLISHED})
        return cursor.fetchall()

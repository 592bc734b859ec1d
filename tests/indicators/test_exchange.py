"""A framework as a file: JSON and COINr's iMeta table (CSV, XLSX) round trips, every bad input refused with its
reason and nothing saved, and a newer version keeping the values of the old one."""

import io

import pytest

from indicators import exchange
from indicators.exchange import FrameworkImportError, export_framework, import_framework
from indicators.models import Dimension, Framework, Indicator, Measurement
from tests.factories import make_dimension, make_framework, make_indicator, make_measurement


@pytest.fixture
def framework(db):
    framework = make_framework(
        code="resilience", name="Community resilience", names={"it": "Resilienza di comunità"},
        description="What makes a community hold.", index_name="Resilience index", source="CoNECT",
        disaggregations={"gender": {"name": "Gender", "names": {}, "categories": [{"code": "women", "name": "Women",
                                                                                  "names": {}}]}},
        method={"normalisation": "goalposts", "aggregation": {"dimension": "arithmetic", "index": "geometric"}},
    )  # fmt: skip
    social = make_dimension(framework, code="SOC", name="Social", weight=2, position=0)
    inner = make_dimension(framework, code="TRUST", name="Trust", parent=social, position=1)
    make_indicator(framework, code="PEOPLE", name="People reached", dimension=inner, goal_min=0, goal_max=2160,
                   definitions={"it": "Persone raggiunte"}, unit="people", cumulative=True)  # fmt: skip
    make_indicator(framework, code="SHARE", name="Share of women", type="percentage", dimension=social, factor=100,
                   direction="lower", scale_labels=[])  # fmt: skip
    make_indicator(framework, code="DOUBLE", name="Twice the people", formula="PEOPLE * 2", dimension=social)
    make_indicator(framework, code="STORY", name="A story", type="narrative", data_source="=cmd|' /C calc'!A0")
    return framework


def _without_version(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "version"}


class Named(io.BytesIO):
    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name


def test_a_framework_exported_as_json_imports_as_an_equal_framework(framework):
    exported = export_framework(framework)
    imported = import_framework(exported, by=None)
    assert _without_version(export_framework(imported)) == _without_version(exported)


def test_a_framework_exported_as_csv_imports_as_an_equal_framework(framework):
    imported = import_framework(Named(exchange.framework_csv(framework).encode(), "f.csv"), by=None)
    assert _without_version(export_framework(imported)) == _without_version(export_framework(framework))


def test_a_framework_exported_as_xlsx_imports_as_an_equal_framework(framework):
    imported = import_framework(Named(exchange.framework_xlsx(framework), "f.xlsx"), by=None)
    assert _without_version(export_framework(imported)) == _without_version(export_framework(framework))


def test_a_new_code_keeps_the_version_number_of_its_file(framework):
    data = export_framework(framework) | {"code": "adopted", "version": 3}
    assert import_framework(data, by=None).version == 3


def test_the_table_follows_coinr_imeta_levels_and_directions(framework):
    rows = {row["iCode"]: row for row in exchange.table_rows(framework)}
    assert (rows["PEOPLE"]["Level"], rows["PEOPLE"]["Parent"], rows["PEOPLE"]["Type"]) == (1, "TRUST", "Indicator")
    assert (rows["TRUST"]["Level"], rows["SOC"]["Level"], rows["resilience"]["Level"]) == (2, 3, 4)
    assert rows["SHARE"]["Direction"] == -1
    assert rows["STORY"]["Type"] == "Other"  # outside the index


def test_the_csv_table_guards_cells_a_spreadsheet_would_run(framework):
    assert "'=cmd" in exchange.framework_csv(framework)


def test_importing_a_known_code_makes_its_next_version_and_keeps_old_values_with_the_old_one(framework):
    value = make_measurement(framework.indicators.get(code="PEOPLE"), state="approved", value=12)
    newer = import_framework(export_framework(framework), by=None)
    assert (newer.version, newer.previous) == (2, framework)
    assert Measurement.objects.get(pk=value.pk).indicator.framework == framework
    assert not Measurement.objects.filter(indicator__framework=newer).exists()


def _refused(data: dict) -> list[str]:
    before = (Framework.objects.count(), Dimension.objects.count(), Indicator.objects.count())
    with pytest.raises(FrameworkImportError) as refused:
        import_framework(data, by=None)
    assert (Framework.objects.count(), Dimension.objects.count(), Indicator.objects.count()) == before
    return refused.value.errors


def _with_indicator(framework, code: str, **fields) -> dict:
    data = export_framework(framework)
    for item in data["indicators"]:
        if item["code"] == code:
            item.update(fields)
    return data


def test_a_formula_with_an_unknown_code_is_refused_and_nothing_saved(framework):
    errors = _refused(_with_indicator(framework, "DOUBLE", formula="PEOPLE + GHOST"))
    assert errors == ["Indicator “DOUBLE”, formula: Unknown code(s) in the formula: GHOST."]


def test_a_formula_that_refers_to_itself_is_refused(framework):
    assert "its own indicator" in _refused(_with_indicator(framework, "DOUBLE", formula="DOUBLE + 1"))[0]


def test_formulas_in_a_cycle_are_refused(framework):
    data = _with_indicator(framework, "DOUBLE", formula="SHARE * 2")
    data = data | {"indicators": [i | ({"formula": "DOUBLE / 2"} if i["code"] == "SHARE" else {})
                                  for i in data["indicators"]]}  # fmt: skip
    errors = _refused(data)
    assert len(errors) == 2
    assert all("depends on itself" in error for error in errors)


def test_goalposts_with_the_minimum_at_the_maximum_are_refused(framework):
    errors = _refused(_with_indicator(framework, "PEOPLE", goal_min=10, goal_max=10))
    assert errors == ["Indicator “PEOPLE”, goal_max: The goalposts' maximum must be above their minimum."]


def test_an_unknown_type_is_refused(framework):
    assert "type" in _refused(_with_indicator(framework, "PEOPLE", type="colour"))[0]


def test_a_negative_weight_is_refused(framework):
    assert "weight" in _refused(_with_indicator(framework, "PEOPLE", weight=-1))[0]


def test_a_missing_parent_dimension_is_refused(framework):
    data = export_framework(framework)
    data["dimensions"][1]["parent"] = "NOWHERE"
    assert _refused(data) == ["Dimension “TRUST”, parent: There is no dimension “NOWHERE”."]


def test_an_indicator_in_a_missing_dimension_is_refused(framework):
    assert "There is no dimension" in _refused(_with_indicator(framework, "PEOPLE", dimension="NOWHERE"))[0]


def test_a_code_used_twice_is_refused(framework):
    data = export_framework(framework)
    data["indicators"].append(dict(data["indicators"][0]))
    assert any("more than once" in error for error in _refused(data))


def test_a_file_of_another_format_is_refused(db):
    assert _refused({"nodes": []}) == ["This file is not a CoNECT framework export."]


def test_every_problem_of_a_file_is_listed_at_once(framework):
    data = _with_indicator(framework, "PEOPLE", goal_min=5, goal_max=1, type="colour")
    assert len(_refused(data)) == 2


def test_a_bad_table_row_names_its_row_and_column(framework):
    table = exchange.framework_csv(framework).replace("0.0,2160.0", "0.0,lots")
    with pytest.raises(FrameworkImportError) as refused:
        import_framework(Named(table.encode(), "f.csv"), by=None)
    assert refused.value.errors == ["Row 3 (PEOPLE), GoalMax: “lots” is not a number."]
    assert Framework.objects.count() == 1


def test_a_table_row_with_a_bad_formula_names_its_row(framework):
    table = exchange.framework_csv(framework).replace("PEOPLE * 2", "PEOPLE * GHOST")
    with pytest.raises(FrameworkImportError) as refused:
        import_framework(Named(table.encode(), "f.csv"), by=None)
    assert refused.value.errors == ["Row 2 (DOUBLE), Formula: Unknown code(s) in the formula: GHOST."]


def test_a_table_without_an_index_row_is_refused(framework):
    lines = [line for line in exchange.framework_csv(framework).splitlines() if not line.startswith("resilience,")]
    with pytest.raises(FrameworkImportError) as refused:
        import_framework(Named("\n".join(lines).encode(), "f.csv"), by=None)
    assert "the index" in refused.value.errors[0]


def test_a_table_without_its_required_columns_is_refused(db):
    with pytest.raises(FrameworkImportError) as refused:
        import_framework(Named(b"Code,Name\nA,B\n", "f.csv"), by=None)
    assert "iCode, iName, Type" in refused.value.errors[0]


def test_a_new_version_keeps_its_indicators_links_to_programmes(framework):
    from activities.models import Programme

    programme = Programme.objects.create(title="Four residencies", planned_participants=120)
    framework.indicators.filter(code="PEOPLE").update(feed="attendance", feed_programme=programme)
    newer = exchange.new_version(framework, by=None)
    assert newer.indicators.get(code="PEOPLE").feed_programme == programme


def test_the_demo_framework_imports_with_its_five_dimensions_and_no_values(db):
    from indicators.demo import resilience_framework

    framework = import_framework(resilience_framework(), by=None, publish=True)
    assert list(framework.dimensions.values_list("code", flat=True)) == [
        "SOCIAL", "ECONOMIC", "ENVIRONMENTAL", "GOVERNANCE", "CULTURAL"
    ]  # fmt: skip
    assert all(set(i.names) == {"it", "ro", "fr", "de", "es"} for i in framework.indicators.all())
    assert not Measurement.objects.exists()

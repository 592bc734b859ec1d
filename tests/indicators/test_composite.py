"""The composite engine against values computed by hand: each normalisation (direction honoured), the weights, the
arithmetic and geometric means at each level, missing values excluded or imputed, ranks with ties, and the
sensitivity of ranks. Pure NumPy: no database."""

import math

import numpy as np
import pytest

from indicators.composite import (
    Method,
    MethodError,
    Spec,
    aggregate,
    alternatives,
    change_label,
    compute,
    describe_missing,
    normalise,
    ranks,
    sensitivity,
)

nan = np.nan


def spec(*indicators, dimensions=None) -> Spec:
    """A framework export of indicators given as (code, dimension, options)."""
    dims = dimensions or [{"code": "d", "name": "D", "weight": 1, "parent": None}]
    return Spec.from_export(
        {
            "dimensions": dims,
            "indicators": [
                {"code": code, "name": code, "dimension": dim, "type": "amount", "weight": 1, **options}
                for code, dim, options in indicators
            ],
        }
    )


UP = spec(("a", "d", {}))
DOWN = spec(("a", "d", {"direction": "lower"}))
X = np.array([[2.0], [4.0], [6.0], [10.0]])


def norm(s: Spec, name: str, x=X, **options) -> list[float]:
    return normalise(x, s, Method(normalisation=name, **options)).ravel().round(6).tolist()


def test_min_max_on_the_sample_maps_the_lowest_to_0_and_the_highest_to_1():
    assert norm(UP, "minmax") == [0.0, 0.25, 0.5, 1.0]
    assert norm(DOWN, "minmax") == [1.0, 0.75, 0.5, 0.0]


def test_goalposts_are_capped_unless_told_otherwise():
    s = spec(("a", "d", {"goal_min": 4, "goal_max": 8}))
    assert norm(s, "goalposts") == [0.0, 0.0, 0.5, 1.0]
    assert norm(s, "goalposts", cap=False) == [-0.5, 0.0, 0.5, 1.5]
    lower = spec(("a", "d", {"goal_min": 4, "goal_max": 8, "direction": "lower"}))
    assert norm(lower, "goalposts") == [1.0, 1.0, 0.5, 0.0]


def test_z_scores_use_the_sample_standard_deviation():
    sd = math.sqrt(((2 - 5.5) ** 2 + (4 - 5.5) ** 2 + (6 - 5.5) ** 2 + (10 - 5.5) ** 2) / 3)
    assert norm(UP, "zscore") == [round((v - 5.5) / sd, 6) for v in (2, 4, 6, 10)]
    assert norm(DOWN, "zscore") == [round((5.5 - v) / sd, 6) for v in (2, 4, 6, 10)]


def test_ranks_and_percentiles_give_ties_the_lowest_rank():
    x = np.array([[3.0], [1.0], [3.0], [7.0]])
    assert norm(UP, "rank", x) == [2.0, 1.0, 2.0, 4.0]
    assert norm(DOWN, "rank", x) == [2.0, 4.0, 2.0, 1.0]
    assert norm(UP, "percentile", x) == [round(1 / 3, 6), 0.0, round(1 / 3, 6), 1.0]


def test_ratios_to_the_mean_the_best_and_the_worst():
    assert norm(UP, "ratio_mean") == [round(v / 5.5, 6) for v in (2, 4, 6, 10)]
    assert norm(UP, "ratio_best") == [0.2, 0.4, 0.6, 1.0]
    assert norm(UP, "ratio_worst") == [1.0, 2.0, 3.0, 5.0]
    assert norm(DOWN, "ratio_best") == [1.0, 0.5, round(2 / 6, 6), 0.2]
    assert norm(DOWN, "ratio_worst") == [5.0, 2.5, round(10 / 6, 6), 1.0]


def test_relative_differences_to_the_mean_and_the_worst():
    assert norm(UP, "reldiff_mean") == [round((v - 5.5) / 5.5, 6) for v in (2, 4, 6, 10)]
    assert norm(UP, "reldiff_worst") == [0.0, 1.0, 2.0, 4.0]
    assert norm(DOWN, "reldiff_worst") == [0.8, 0.6, 0.4, 0.0]


def test_above_or_below_the_mean_within_a_threshold_is_0():
    # mean 5.5: 2 and 4 below 0.9 x mean, 6 within 10%, 10 above.
    assert norm(UP, "above_below_mean") == [-1.0, -1.0, 0.0, 1.0]
    assert norm(DOWN, "above_below_mean") == [1.0, 1.0, 0.0, -1.0]
    assert norm(UP, "above_below_mean", threshold=0.3) == [-1.0, 0.0, 0.0, 1.0]


def test_bands_count_from_the_bottom_a_cut_point_going_up():
    assert norm(UP, "bands", bands=(4, 8)) == [1.0, 2.0, 2.0, 3.0]
    assert norm(DOWN, "bands", bands=(4, 8)) == [3.0, 2.0, 2.0, 1.0]


def test_distance_to_target_is_capped_at_1():
    targets = np.array([[4.0], [8.0], [6.0], [5.0]])
    up = normalise(X, UP, Method(normalisation="target"), targets=targets).ravel().tolist()
    assert up == [0.5, 0.5, 1.0, 1.0]
    down = normalise(X, DOWN, Method(normalisation="target"), targets=targets).ravel().tolist()
    assert down == [1.0, 1.0, 1.0, 0.5]


def test_a_missing_value_stays_missing_through_normalisation():
    x = np.array([[2.0], [nan], [10.0]])
    assert np.isnan(norm(UP, "minmax", x)[1]) and norm(UP, "minmax", x)[2] == 1.0


def test_weighted_arithmetic_and_geometric_means():
    scores = np.array([[0.25, 1.0], [0.5, 0.5]])
    arithmetic, _ = aggregate(scores, np.array([3.0, 1.0]), "arithmetic")
    assert arithmetic.tolist() == [0.25 * 0.75 + 0.25, 0.5]
    geometric, _ = aggregate(scores, np.array([1.0, 1.0]), "geometric")
    assert geometric.round(12).tolist() == [0.5, 0.5]


def test_a_zero_makes_a_geometric_mean_zero_and_a_negative_leaves_no_score():
    geometric, negative = aggregate(np.array([[0.0, 1.0], [-1.0, 1.0]]), np.ones(2), "geometric")
    assert geometric[0] == 0.0 and np.isnan(geometric[1])
    assert negative.tolist() == [False, True]


def test_missing_values_are_excluded_and_the_other_weights_rescaled():
    mean, _ = aggregate(np.array([[nan, 0.8, 0.2]]), np.array([5.0, 1.0, 3.0]), "arithmetic")
    assert mean.tolist() == pytest.approx([(0.8 * 1 + 0.2 * 3) / 4])


TREE = spec(
    ("a", "social", {"weight": 1}),
    ("b", "social", {"weight": 3}),
    ("c", "green", {"weight": 1}),
    dimensions=[
        {"code": "social", "name": "Social", "weight": 2, "parent": None},
        {"code": "green", "name": "Green", "weight": 1, "parent": None},
    ],
)
VALUES = np.array([[0.0, 0.0, 0.0], [10.0, 10.0, 5.0], [5.0, 10.0, 10.0]])


def test_the_index_weights_indicators_into_dimensions_and_dimensions_into_the_index():
    result = compute(VALUES, ["p", "q", "r"], TREE, Method(normalisation="minmax"))
    # minmax: a 0, 1, .5; b 0, 1, 1; c 0, .5, 1. social = (a + 3b) / 4; index = (2 social + green) / 3.
    assert result.dimensions["social"].tolist() == [0.0, 1.0, 0.875]
    assert result.dimensions["green"].tolist() == [0.0, 0.5, 1.0]
    assert result.index.round(12).tolist() == [0.0, round(2.5 / 3, 12), round(2.75 / 3, 12)]
    assert result.ranks.tolist() == [3.0, 2.0, 1.0]


def test_equal_weights_ignore_the_frameworks():
    result = compute(VALUES, ["p", "q", "r"], TREE, Method(normalisation="minmax", weights="equal"))
    assert result.dimensions["social"].tolist() == [0.0, 1.0, 0.75]
    assert result.index.round(12).tolist() == [0.0, 0.75, 0.875]


def test_chosen_weights_replace_the_frameworks_for_the_codes_named():
    method = Method(normalisation="minmax", weights="custom", custom_weights={"b": 1, "green": 2})
    result = compute(VALUES, ["p", "q", "r"], TREE, method)
    assert result.dimensions["social"].tolist() == [0.0, 1.0, 0.75]
    assert result.index.tolist() == pytest.approx([0.0, (2 * 1 + 2 * 0.5) / 4, (2 * 0.75 + 2 * 1) / 4])


def test_the_geometric_mean_of_dimensions():
    method = Method(normalisation="minmax", aggregation_index="geometric")
    result = compute(VALUES, ["p", "q", "r"], TREE, method)
    assert result.index.round(12).tolist() == [0.0, round(0.5 ** (1 / 3), 12), round(0.875 ** (2 / 3), 12)]


def test_the_geometric_mean_of_raw_values_inverts_lower_is_better():
    s = spec(("a", "d", {}), ("b", "d", {"direction": "lower"}))
    method = Method(normalisation="minmax", aggregation_dimension="geometric", geometric_on="raw")
    result = compute(np.array([[4.0, 0.25], [9.0, 1.0]]), ["p", "q"], s, method)
    assert result.index.tolist() == pytest.approx([4.0, 3.0])  # sqrt(4 / 0.25), sqrt(9 / 1)


def test_a_subject_missing_a_whole_dimension_is_reported_and_ranked_on_the_others():
    values = np.array([[0.0, 0.0, 0.0], [10.0, 10.0, nan], [5.0, 10.0, 10.0]])
    result = compute(values, ["p", "q", "r"], TREE, Method(normalisation="minmax"))
    assert result.index[1] == 1.0  # social alone
    entry = next(e for e in result.missing if e["subject"] == "q")
    assert entry["indicators"] == ["c"] and entry["dimensions"] == ["green"] and entry["done"] == "excluded"
    assert describe_missing(entry) == "missing c, excluded; no value in dimension(s) green"


@pytest.mark.parametrize(("how", "filled"), [("mean", 7.5), ("median", 7.5), ("minimum", 5.0), ("zero", 0.0)])
def test_missing_values_are_imputed_by_a_named_method(how, filled):
    s = spec(("a", "d", {"goal_min": 0, "goal_max": 100}))
    result = compute(
        np.array([[nan], [5.0], [10.0]]), ["p", "q", "r"], s, Method(normalisation="goalposts", missing=how)
    )
    assert result.index[0] == pytest.approx(filled / 100)
    assert result.missing[0]["done"] == f"imputed:{how}"


def test_ranks_go_by_three_decimals_and_ties_share_the_best_rank():
    assert ranks(np.array([0.9, 0.8004, 0.8, 0.5, nan])).tolist()[:4] == [1.0, 2.0, 2.0, 4.0]
    assert np.isnan(ranks(np.array([nan]))[0])


def test_a_method_names_what_is_wrong_with_it():
    with pytest.raises(MethodError, match="Unknown normalisation"):
        Method.from_json({"normalisation": "magic"})
    with pytest.raises(MethodError, match="no geometric mean"):
        Method.from_json({"normalisation": "zscore", "aggregation": {"index": "geometric"}})
    with pytest.raises(MethodError, match="bands"):
        Method.from_json({"normalisation": "bands", "bands": [5, 1]})
    with pytest.raises(MethodError, match="no goalposts"):
        Method(normalisation="goalposts").check(UP)
    with pytest.raises(MethodError, match="targets"):
        Method(normalisation="target").check(UP)


def test_a_method_round_trips_through_json_and_is_described_in_words():
    data = {
        "normalisation": "goalposts",
        "cap": True,
        "weights": "framework",
        "aggregation": {"dimension": "arithmetic", "index": "geometric"},
        "geometric_on": "normalised",
        "missing": "exclude",
    }
    method = Method.from_json(data)
    assert method.to_json() == data
    text = method.describe()
    assert "Min-max against the goalposts, capped to 0 and 1" in text
    assert "index: Weighted geometric mean of the dimensions" in text
    assert "ties sharing a rank" in text


def test_the_sensitivity_shows_ranks_under_each_alternative_and_how_far_they_move():
    base_method = Method(normalisation="minmax")
    base = compute(VALUES, ["p", "q", "r"], TREE, base_method)
    others = alternatives(TREE, base_method)
    labels = [change_label(base_method, other) for other in others]
    assert "Rank" in labels and "Weights: Equal" in labels and "Goalposts" not in " ".join(labels)
    result = sensitivity(VALUES, ["p", "q", "r"], TREE, base, others)
    assert result.ranks.shape == (3, len(others))
    assert result.max_shift[0] == 0  # p is last whatever the method
    assert (result.max_shift >= result.median_shift).all()


def test_derived_indicators_are_computed_from_their_formula():
    s = Spec.from_export(
        {
            "dimensions": [{"code": "d", "name": "D"}],
            "indicators": [
                {"code": "gni", "dimension": None},
                {"code": "ln_gni", "dimension": "d", "formula": "ln(gni)", "factor": 1},
            ],
        }
    )
    assert s.codes == ("ln_gni",)
    assert s.derive({"gni": np.array([math.e])})["ln_gni"].tolist() == [1.0]

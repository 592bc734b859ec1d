"""Properties of the composite engine (Hypothesis): min-max scores stay in [0, 1]; ranks do not change when an
indicator is rescaled by an increasing function where the normalisation only looks at order (rank, percentile) or at
positions between the extremes (min-max, under an increasing affine map), nor under a positive affine map for
z-scores; ties always share a rank."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from indicators.composite import Method, Spec, compute, normalise, ranks

SPEC = Spec.from_export(
    {
        "dimensions": [{"code": "d", "name": "D"}],
        "indicators": [
            {"code": "a", "dimension": "d"},
            {"code": "b", "dimension": "d", "direction": "lower"},
        ],
    }
)
# Values on a grid of quarters keep ties exact (the engine ranks at 3 decimals, as UNDP does).
values = st.integers(min_value=2, max_value=30).flatmap(
    lambda n: arrays(np.float64, (n, 2), elements=st.integers(-400, 400).map(lambda v: v / 4))
)
with_gaps = st.integers(min_value=2, max_value=30).flatmap(
    lambda n: arrays(
        np.float64, (n, 2), elements=st.one_of(st.just(np.nan), st.integers(-400, 400).map(lambda v: v / 4))
    )
)


@given(with_gaps)
def test_min_max_scores_stay_between_0_and_1(x):
    scores = normalise(x, SPEC, Method(normalisation="minmax"))
    present = scores[~np.isnan(scores)]
    assert ((present >= 0) & (present <= 1)).all()
    assert np.array_equal(np.isnan(scores), np.isnan(x))


def _order_ranks(x: np.ndarray, method: Method) -> np.ndarray:
    """Ranks of the subjects by the normalised first indicator alone (the one that is rescaled)."""
    return ranks(normalise(x, SPEC, method)[:, 0], decimals=9)


@settings(max_examples=60)
@given(values, st.sampled_from(["rank", "percentile"]))
def test_order_normalisations_ignore_any_increasing_rescaling(x, name):
    method = Method(normalisation=name)
    rescaled = x.copy()
    rescaled[:, 0] = np.exp(x[:, 0] / 50) * 3 + 7  # strictly increasing
    assert np.array_equal(_order_ranks(x, method), _order_ranks(rescaled, method))


@settings(max_examples=60)
@given(
    values,
    st.sampled_from(["minmax", "zscore"]),
    st.floats(min_value=0.5, max_value=20),
    st.floats(min_value=-100, max_value=100),
)
def test_min_max_and_z_scores_ignore_a_positive_affine_rescaling(x, name, scale, shift):
    method = Method(normalisation=name)
    rescaled = x.copy()
    rescaled[:, 0] = x[:, 0] * scale + shift
    before = normalise(x, SPEC, method)[:, 0]
    after = normalise(rescaled, SPEC, method)[:, 0]
    assert np.allclose(before, after, atol=1e-9)


@settings(max_examples=60)
@given(values)
def test_the_whole_index_keeps_its_ranks_when_an_indicator_is_rescaled_for_rank_normalisation(x):
    method = Method(normalisation="rank")
    subjects = list(range(len(x)))
    rescaled = x.copy()
    rescaled[:, 1] = x[:, 1] ** 3  # increasing on the whole line
    assert np.array_equal(compute(x, subjects, SPEC, method).ranks, compute(rescaled, subjects, SPEC, method).ranks)


@given(st.lists(st.integers(0, 1000).map(lambda v: v / 1000), min_size=1, max_size=40))
def test_equal_values_share_a_rank_and_the_next_rank_skips(index):
    index = np.array(index)
    result = ranks(index)
    for value in np.unique(index):
        tied = result[index == value]
        assert (tied == tied[0]).all()
        assert tied[0] == 1 + (index > value).sum()

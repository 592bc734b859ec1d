"""The composite index engine: pure NumPy, no database (indicators.composite_services feeds it from approved values,
the `composite` command from a framework export and a spreadsheet). It follows COINr and the OECD/JRC Handbook on
Constructing Composite Indicators (2008): normalise each indicator, weight, aggregate indicators into dimensions and
dimensions into the index, rank. Every step is vectorised over subjects (rows); Python loops only run over
indicators and dimensions.

Definitions (x one indicator's values over the subjects; "best" and "worst" as the indicator's direction says; every
normalisation makes higher better, so a lower-is-better indicator is flipped):

- minmax: (x - min) / (max - min) on the sample, in [0, 1] (COINr n_minmax); all equal: 0.5 each.
- goalposts: (x - lo) / (hi - lo) against the indicator's goalposts, capped to [0, 1] unless cap is false (UNDP HDI,
  COINr n_goalposts); lower is better: (hi - x) / (hi - lo).
- zscore: (x - mean) / sd with the sample standard deviation (ddof 1; COINr n_zscore); flipped by sign.
- rank: the rank with ties at their minimum rank (COINr n_rank, ties.method "min"), lowest value 1.
- percentile: (rank - 1) / (n - 1) with ties at their minimum rank, in [0, 1] (the share of subjects below).
- ratio_mean, ratio_best, ratio_worst: x / reference (Handbook "distance to a reference"); lower is better:
  reference / x.
- reldiff_mean, reldiff_worst: (x - reference) / reference; lower is better: (reference - x) / reference.
- above_below_mean: 1 when x / mean > 1 + threshold, -1 when below 1 - threshold, else 0 (Handbook); flipped by sign.
- bands: the band a value falls in, 1 up to len(bands) + 1, cut points ascending (a value on a cut point goes
  up); lower is better: counted from the top.
- target: x / target capped at 1 (COINr n_dist2targ with cap_max), target per subject and indicator; lower is
  better: target / x capped at 1. Without a target the value is missing.

Aggregation: weighted arithmetic mean, or weighted geometric mean prod(x ** w) (weights summing to 1). The geometric
mean needs positive values: a zero component makes the subject's group zero (no compensation, said in the report), a
negative one leaves the subject's group without a score (reported). Normalisations that make negatives by design
(zscore, reldiff_*, above_below_mean) are refused with the geometric mean on normalised values. `geometric_on: raw`
aggregates the raw values (a lower-is-better value as 1 / x) of each dimension's indicators, UNDP's old practice.

Missing values: "exclude" drops a missing component from its group and rescales the other weights (a subject missing
a whole dimension is reported, its index made of the others); "mean", "median", "minimum", "zero" impute the raw
value (the indicator's mean, median, lowest observed value, or 0) before normalising, and say so.

Ranks: highest index first, by the index rounded to 3 decimals as UNDP ranks the HDI; ties share the best rank
(1, 2, 2, 4).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from django.utils.translation import gettext as _

from indicators import formula as formulas

NORMALISATIONS = (
    "goalposts",
    "minmax",
    "zscore",
    "rank",
    "percentile",
    "ratio_mean",
    "ratio_best",
    "ratio_worst",
    "reldiff_mean",
    "reldiff_worst",
    "above_below_mean",
    "bands",
    "target",
)
WEIGHTS = ("equal", "framework", "custom")
AGGREGATIONS = ("arithmetic", "geometric")
GEOMETRIC_ON = ("normalised", "raw")
MISSING = ("exclude", "mean", "median", "minimum", "zero")
# Normalisations whose scores are negative by design: no geometric mean over them.
SIGNED = frozenset({"zscore", "reldiff_mean", "reldiff_worst", "above_below_mean"})
NUMERIC_TYPES = frozenset({"count", "amount", "percentage", "scale", "yes_no"})
RANK_DECIMALS = 3


class MethodError(ValueError):
    """A method that cannot be used (translated message)."""


def normalisation_labels() -> dict[str, str]:
    return {
        "goalposts": _("Min-max against the goalposts"),
        "minmax": _("Min-max on the sample"),
        "zscore": _("Z-score"),
        "rank": _("Rank"),
        "percentile": _("Percentile rank"),
        "ratio_mean": _("Ratio to the mean"),
        "ratio_best": _("Ratio to the best"),
        "ratio_worst": _("Ratio to the worst"),
        "reldiff_mean": _("Relative difference to the mean"),
        "reldiff_worst": _("Relative difference to the worst"),
        "above_below_mean": _("Above or below the mean"),
        "bands": _("Categorical bands"),
        "target": _("Distance to target"),
    }


def weights_labels() -> dict[str, str]:
    return {"equal": _("Equal"), "framework": _("The framework's"), "custom": _("Chosen")}


def aggregation_labels() -> dict[str, str]:
    return {"arithmetic": _("Weighted arithmetic mean"), "geometric": _("Weighted geometric mean")}


def missing_labels() -> dict[str, str]:
    return {
        "exclude": _("Excluded, the other weights rescaled"),
        "mean": _("Imputed with the indicator's mean"),
        "median": _("Imputed with the indicator's median"),
        "minimum": _("Imputed with the indicator's lowest value"),
        "zero": _("Imputed with zero"),
    }


# --- The framework as the engine sees it ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Dimension:
    code: str
    name: str
    parent: str | None
    weight: float
    position: int = 0


@dataclasses.dataclass(frozen=True)
class Spec:
    """The index's structure: its indicators (in a dimension, weight above 0, numeric), their direction, goalposts
    and weights, and the tree of dimensions. `formulas` holds every derived indicator of the framework (code ->
    (formula, factor)) so values can be derived before computing."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    higher: np.ndarray  # bool per indicator
    goal_min: np.ndarray  # NaN without goalposts
    goal_max: np.ndarray
    weights: np.ndarray  # the framework's
    dimension_of: tuple[str, ...]  # the indicator's dimension code
    dimensions: tuple[Dimension, ...]  # only those holding indicators of the index, parents before children
    formulas: Mapping[str, tuple[str, float]] = dataclasses.field(default_factory=dict)
    name: str = ""
    index_name: str = ""

    @classmethod
    def from_export(cls, data: Mapping[str, Any]) -> Spec:
        """The spec of a framework export (indicators.exchange's JSON format)."""
        indicators = sorted(data.get("indicators", []), key=lambda i: (i.get("position") or 0, i["code"]))
        dims = {d["code"]: d for d in data.get("dimensions", [])}
        chosen = [
            i
            for i in indicators
            if i.get("dimension") in dims
            and float(i.get("weight", 1) or 0) > 0
            and i.get("type", "count") in NUMERIC_TYPES
        ]
        used: set[str] = set()
        for indicator in chosen:
            code = indicator["dimension"]
            while code and code not in used:
                used.add(code)
                code = dims[code].get("parent")

        def depth(code: str, seen: frozenset = frozenset()) -> int:
            if code in seen:
                raise MethodError(_("The framework's dimensions are nested in a circle."))
            parent = dims[code].get("parent")
            return 0 if not parent else 1 + depth(parent, seen | {code})

        ordered = sorted(used, key=lambda c: (depth(c), dims[c].get("position") or 0, c))
        return cls(
            codes=tuple(i["code"] for i in chosen),
            names=tuple(i.get("name") or i["code"] for i in chosen),
            higher=np.array([i.get("direction", "higher") != "lower" for i in chosen], dtype=bool),
            goal_min=np.array([_float(i.get("goal_min")) for i in chosen], dtype=float),
            goal_max=np.array([_float(i.get("goal_max")) for i in chosen], dtype=float),
            weights=np.array([float(i.get("weight", 1)) for i in chosen], dtype=float),
            dimension_of=tuple(i["dimension"] for i in chosen),
            dimensions=tuple(
                Dimension(
                    code=c,
                    name=dims[c].get("name") or c,
                    parent=dims[c].get("parent") or None,
                    weight=float(dims[c].get("weight", 1)),
                    position=dims[c].get("position") or 0,
                )
                for c in ordered
            ),
            formulas={i["code"]: (i["formula"], float(i.get("factor") or 1)) for i in indicators if i.get("formula")},
            name=data.get("name", ""),
            index_name=data.get("index_name", "") or data.get("name", ""),
        )

    @property
    def top(self) -> list[Dimension]:
        return [d for d in self.dimensions if d.parent is None]

    def children(self, code: str) -> list[Dimension]:
        return [d for d in self.dimensions if d.parent == code]

    def derive(self, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Values of the derived indicators computed from the others' (arrays over subjects), as values.yearly does."""
        values = dict(values)
        for code in formulas.evaluation_order({c: f for c, (f, _factor) in self.formulas.items()}):
            text, factor = self.formulas[code]
            used = formulas.codes(text)
            if used <= set(values):
                values[code] = formulas.evaluate(text, {c: values[c] for c in used}) * factor
        return values


def _float(value) -> float:
    return float("nan") if value is None or value == "" else float(value)


# --- The method -------------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Method:
    normalisation: str = "minmax"
    threshold: float = 0.1
    bands: tuple[float, ...] = ()
    cap: bool = True
    weights: str = "framework"
    custom_weights: Mapping[str, float] = dataclasses.field(default_factory=dict)
    aggregation_dimension: str = "arithmetic"
    aggregation_index: str = "arithmetic"
    geometric_on: str = "normalised"
    missing: str = "exclude"

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Method:
        """The method of its JSON form (Framework.method, Composite.method, the API); MethodError if it is not one."""
        data = dict(data or {})
        aggregation = data.get("aggregation") or {}
        if not isinstance(aggregation, Mapping):
            raise MethodError(_("The aggregation names a mean for the dimensions and one for the index."))
        try:
            method = cls(
                normalisation=str(data.get("normalisation", cls.normalisation)),
                threshold=float(data.get("threshold", cls.threshold)),
                bands=tuple(float(b) for b in (data.get("bands") or ())),
                cap=bool(data.get("cap", True)),
                weights=str(data.get("weights", cls.weights)),
                custom_weights={str(k): float(v) for k, v in (data.get("custom_weights") or {}).items()},
                aggregation_dimension=str(aggregation.get("dimension", cls.aggregation_dimension)),
                aggregation_index=str(aggregation.get("index", cls.aggregation_index)),
                geometric_on=str(data.get("geometric_on", cls.geometric_on)),
                missing=str(data.get("missing", cls.missing)),
            )
        except (TypeError, ValueError, AttributeError):
            raise MethodError(_("The threshold, the bands and the weights are numbers.")) from None
        method.validate()
        return method

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "normalisation": self.normalisation,
            "weights": self.weights,
            "aggregation": {"dimension": self.aggregation_dimension, "index": self.aggregation_index},
            "geometric_on": self.geometric_on,
            "missing": self.missing,
        }
        if self.normalisation == "goalposts":
            data["cap"] = self.cap
        if self.normalisation == "above_below_mean":
            data["threshold"] = self.threshold
        if self.normalisation == "bands":
            data["bands"] = list(self.bands)
        if self.weights == "custom":
            data["custom_weights"] = dict(sorted(self.custom_weights.items()))
        return data

    def replace(self, **changes) -> Method:
        return dataclasses.replace(self, **changes)

    @property
    def geometric(self) -> bool:
        return "geometric" in (self.aggregation_dimension, self.aggregation_index)

    def validate(self) -> None:
        if self.normalisation not in NORMALISATIONS:
            raise MethodError(_("Unknown normalisation “%(name)s”.") % {"name": self.normalisation})
        if self.weights not in WEIGHTS:
            raise MethodError(_("Weights are equal, the framework's or chosen."))
        if self.aggregation_dimension not in AGGREGATIONS or self.aggregation_index not in AGGREGATIONS:
            raise MethodError(_("Aggregation is an arithmetic or a geometric mean."))
        if self.geometric_on not in GEOMETRIC_ON:
            raise MethodError(_("The geometric mean is taken on normalised or raw values."))
        if self.missing not in MISSING:
            raise MethodError(_("Unknown way of handling missing values “%(name)s”.") % {"name": self.missing})
        if not math.isfinite(self.threshold) or not 0 <= self.threshold < 1:
            raise MethodError(_("The threshold is a share from 0 to 1, e.g. 0.1 for 10%."))
        if self.normalisation == "bands" and (
            not self.bands or list(self.bands) != sorted(set(self.bands)) or not all(map(math.isfinite, self.bands))
        ):
            raise MethodError(_("Give the bands' cut points, ascending, each once."))
        if any(not math.isfinite(w) or w < 0 for w in self.custom_weights.values()):
            raise MethodError(_("A weight is a number, zero or more."))
        raw = self.geometric_on == "raw" and self.aggregation_dimension == "geometric"
        if self.geometric and self.normalisation in SIGNED and not raw:
            raise MethodError(
                _(
                    "“%(name)s” gives negative scores, which have no geometric mean: choose the arithmetic mean or "
                    "another normalisation."
                )
                % {"name": normalisation_labels()[self.normalisation]}
            )

    def check(self, spec: Spec, *, targets: np.ndarray | None = None) -> None:
        """MethodError if the method cannot be used on this framework (goalposts or targets lacking, unknown codes)."""
        if not spec.codes:
            raise MethodError(_("No indicator of this framework enters the index (a dimension and a weight)."))
        if self.normalisation == "goalposts":
            lacking = [c for c, lo, hi in zip(spec.codes, spec.goal_min, spec.goal_max, strict=True) if not lo < hi]
            if lacking:
                raise MethodError(_("These indicators have no goalposts: %(codes)s.") % {"codes": ", ".join(lacking)})
        if self.normalisation == "target" and targets is None:
            raise MethodError(_("Distance to target needs the targets of the subjects."))
        if self.weights == "custom":
            known = set(spec.codes) | {d.code for d in spec.dimensions}
            if unknown := sorted(set(self.custom_weights) - known):
                raise MethodError(_("Weights of unknown codes: %(codes)s.") % {"codes": ", ".join(unknown)})

    def describe(self) -> str:
        """The method in words, printed beside every index."""
        parts = [_("Normalisation: %(name)s") % {"name": normalisation_labels()[self.normalisation]}]
        if self.normalisation == "goalposts":
            parts[-1] += _(", capped to 0 and 1") if self.cap else _(", not capped")
        elif self.normalisation == "above_below_mean":
            parts[-1] += _(" (threshold %(share)s%%)") % {"share": _number(self.threshold * 100)}
        elif self.normalisation == "bands":
            parts[-1] += _(" (cut points %(cuts)s)") % {"cuts": ", ".join(_number(b) for b in self.bands)}
        parts.append(
            _("lower-is-better indicators flipped; weights: %(weights)s, rescaled to sum 1 in each group")
            % {"weights": weights_labels()[self.weights]}
        )
        on_raw = self.geometric_on == "raw" and self.aggregation_dimension == "geometric"
        parts.append(
            _("dimensions: %(dimension)s of their %(values)s; index: %(index)s of the dimensions")
            % {
                "dimension": aggregation_labels()[self.aggregation_dimension],
                "values": _("raw values") if on_raw else _("normalised indicators"),
                "index": aggregation_labels()[self.aggregation_index],
            }
        )
        parts.append(_("missing values: %(how)s") % {"how": missing_labels()[self.missing]})
        parts.append(_("ranks by the index rounded to 3 decimals, ties sharing a rank"))
        return "; ".join(parts) + "."


def _number(value: float) -> str:
    return f"{value:g}"


# --- Normalisation ----------------------------------------------------------------------------------------------------


def _nan_stat(function, x: np.ndarray) -> np.ndarray:
    """A column statistic ignoring NaN, NaN for an all-missing column (without NumPy's warning)."""
    with np.errstate(all="ignore"):
        present = ~np.isnan(x).all(axis=0)
        out = np.full(x.shape[1], np.nan)
        if present.any():
            out[present] = function(x[:, present], axis=0)
    return out


def min_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks of each column, lowest value 1, ties at their minimum rank, NaN kept (vectorised by sorting)."""
    x = np.atleast_2d(x.T).T if x.ndim == 1 else x
    ranks = np.full(x.shape, np.nan)
    for j in range(x.shape[1]):
        column = x[:, j]
        ok = ~np.isnan(column)
        present = np.sort(column[ok])
        ranks[ok, j] = np.searchsorted(present, column[ok], side="left") + 1
    return ranks


def normalise(values: np.ndarray, spec: Spec, method: Method, *, targets: np.ndarray | None = None) -> np.ndarray:
    """Each column normalised as the method says, higher always better; NaN stays NaN."""
    x = np.asarray(values, dtype=float)
    sign = np.where(spec.higher, 1.0, -1.0)
    kind = method.normalisation
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "goalposts":
            span = spec.goal_max - spec.goal_min
            out = np.where(spec.higher, (x - spec.goal_min) / span, (spec.goal_max - x) / span)
            return np.clip(out, 0.0, 1.0) if method.cap else out
        if kind == "minmax":
            low, high = _nan_stat(np.nanmin, x), _nan_stat(np.nanmax, x)
            span = high - low
            out = np.where(spec.higher, x - low, high - x) / span
            return np.where(span > 0, out, np.where(np.isnan(x), np.nan, 0.5))
        if kind == "zscore":
            mean, sd = _nan_stat(np.nanmean, x), _nan_stat(lambda a, axis: np.nanstd(a, axis=axis, ddof=1), x)
            out = sign * (x - mean) / sd
            return np.where(sd > 0, out, np.where(np.isnan(x), np.nan, 0.0))
        if kind == "rank":
            return min_ranks(sign * x)
        if kind == "percentile":
            n = (~np.isnan(x)).sum(axis=0)
            ranks = min_ranks(sign * x)
            return np.where(n > 1, (ranks - 1) / (n - 1), np.where(np.isnan(x), np.nan, 1.0))
        if kind in ("ratio_mean", "reldiff_mean", "above_below_mean"):
            reference = _nan_stat(np.nanmean, x)
        elif kind in ("ratio_best",):
            reference = np.where(spec.higher, _nan_stat(np.nanmax, x), _nan_stat(np.nanmin, x))
        elif kind in ("ratio_worst", "reldiff_worst"):
            reference = np.where(spec.higher, _nan_stat(np.nanmin, x), _nan_stat(np.nanmax, x))
        if kind.startswith("ratio_"):
            out = np.where(spec.higher, x / reference, reference / x)
        elif kind.startswith("reldiff_"):
            out = sign * (x - reference) / reference
        elif kind == "above_below_mean":
            ratio = x / reference
            out = sign * np.select([ratio > 1 + method.threshold, ratio < 1 - method.threshold], [1.0, -1.0], 0.0)
            out = np.where(np.isnan(x), np.nan, out)
        elif kind == "bands":
            band = np.searchsorted(np.asarray(method.bands), x, side="right") + 1.0
            out = np.where(spec.higher, band, len(method.bands) + 2.0 - band)
            out = np.where(np.isnan(x), np.nan, out)
        else:  # target
            t = np.asarray(targets, dtype=float)
            out = np.minimum(np.where(spec.higher, x / t, t / x), 1.0)
    return np.where(np.isfinite(out), out, np.nan)


# --- Weights and aggregation ------------------------------------------------------------------------------------------


def indicator_weights(spec: Spec, method: Method) -> np.ndarray:
    if method.weights == "equal":
        return np.ones(len(spec.codes))
    if method.weights == "custom":
        return np.array([method.custom_weights.get(c, w) for c, w in zip(spec.codes, spec.weights, strict=True)])
    return spec.weights.copy()


def dimension_weight(dimension: Dimension, method: Method) -> float:
    if method.weights == "equal":
        return 1.0
    if method.weights == "custom":
        return float(method.custom_weights.get(dimension.code, dimension.weight))
    return dimension.weight


def aggregate(scores: np.ndarray, weights: np.ndarray, how: str) -> tuple[np.ndarray, np.ndarray]:
    """The weighted mean of each row's present scores, weights rescaled to sum 1 over what is present (missing values
    excluded, the others reweighted). Also returns, per row, whether a geometric mean met a negative value (no score
    then). A row with nothing present has no score."""
    scores = np.asarray(scores, dtype=float)
    w = np.broadcast_to(np.asarray(weights, dtype=float), scores.shape)
    present = ~np.isnan(scores) & (w > 0)
    w = np.where(present, w, 0.0)
    total = w.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = w / total[:, None]
        if how == "geometric":
            negative = (present & (scores < 0)).any(axis=1)
            logs = np.log(np.where(present, scores, 1.0))  # log(0) = -inf: the mean is 0
            result = np.exp((share * np.where(present, logs, 0.0)).sum(axis=1))
            result = np.where(negative, np.nan, result)
        else:
            negative = np.zeros(scores.shape[0], dtype=bool)
            result = (share * np.where(present, scores, 0.0)).sum(axis=1)
    return np.where(total > 0, result, np.nan), negative


def ranks(index: np.ndarray, *, decimals: int = RANK_DECIMALS) -> np.ndarray:
    """Highest first, by the value rounded to `decimals`; ties share the best rank (1, 2, 2, 4); NaN has no rank."""
    rounded = np.round(np.asarray(index, dtype=float), decimals)
    ok = ~np.isnan(rounded)
    ordered = np.sort(rounded[ok])
    out = np.full(rounded.shape, np.nan)
    out[ok] = len(ordered) - np.searchsorted(ordered, rounded[ok], side="right") + 1
    return out


# --- Missing values ---------------------------------------------------------------------------------------------------


def impute(values: np.ndarray, how: str) -> np.ndarray:
    """Missing raw values filled by the indicator's mean, median, lowest value or zero (`exclude` leaves them)."""
    x = np.array(values, dtype=float)
    if how == "exclude":
        return x
    fill = {
        "mean": lambda: _nan_stat(np.nanmean, x),
        "median": lambda: _nan_stat(np.nanmedian, x),
        "minimum": lambda: _nan_stat(np.nanmin, x),
        "zero": lambda: np.zeros(x.shape[1]),
    }[how]()
    return np.where(np.isnan(x), fill, x)


# --- Computing --------------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    subjects: list[Any]
    codes: list[str]
    index: np.ndarray
    dimensions: dict[str, np.ndarray]  # code -> score per subject, every level of the tree
    normalised: np.ndarray
    ranks: np.ndarray
    missing: list[dict[str, Any]]  # one entry per subject with something missing or not computed
    method: Method
    method_text: str
    notes: list[str]

    def rows(self, spec: Spec) -> list[dict[str, Any]]:
        """One plain dict per subject (index, dimension scores, rank), in rank order, subjects without a rank last."""
        order = np.lexsort((np.arange(len(self.subjects)), np.nan_to_num(self.ranks, nan=np.inf)))
        missing = {entry["subject"]: entry for entry in self.missing}
        return [
            {
                "subject": self.subjects[i],
                "index": _plain(self.index[i]),
                "rank": None if np.isnan(self.ranks[i]) else int(self.ranks[i]),
                "dimensions": {d.code: _plain(self.dimensions[d.code][i]) for d in spec.dimensions},
                "missing": missing.get(self.subjects[i]),
            }
            for i in order
        ]


def _plain(value: float) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def compute(
    values: np.ndarray,
    subjects: Sequence[Any],
    spec: Spec,
    method: Method,
    *,
    targets: np.ndarray | None = None,
) -> Result:
    """The index of each subject (rows of `values`, one column per spec.codes, NaN where missing)."""
    method.check(spec, targets=targets)
    raw = np.asarray(values, dtype=float).reshape(len(subjects), len(spec.codes))
    filled = impute(raw, method.missing)
    normalised = normalise(filled, spec, method, targets=targets)
    on_raw = method.geometric_on == "raw" and method.aggregation_dimension == "geometric"
    if on_raw:
        with np.errstate(divide="ignore"):
            components = np.where(spec.higher, filled, 1.0 / filled)
        # A zero of a lower-is-better indicator has no inverse: that value is missing, never infinite.
        components = np.where(np.isfinite(components), components, np.nan)
    else:
        components = normalised
    weights = indicator_weights(spec, method)
    scores: dict[str, np.ndarray] = {}
    negative: dict[str, np.ndarray] = {}
    for dimension in reversed(spec.dimensions):  # children before their parents
        own = [j for j, code in enumerate(spec.dimension_of) if code == dimension.code]
        kids = spec.children(dimension.code)
        parts = [components[:, own]] + [scores[k.code][:, None] for k in kids]
        part_weights = [weights[own]] + [np.array([dimension_weight(k, method)]) for k in kids]
        scores[dimension.code], negative[dimension.code] = aggregate(
            np.hstack(parts), np.concatenate(part_weights), method.aggregation_dimension
        )
    top = spec.top
    index, index_negative = aggregate(
        np.column_stack([scores[d.code] for d in top]),
        np.array([dimension_weight(d, method) for d in top]),
        method.aggregation_index,
    )
    result_ranks = ranks(index)
    missing = _missing_report(raw, subjects, spec, method, scores, negative, index, index_negative)
    notes = []
    zero_parts = (components == 0).any() and method.aggregation_dimension == "geometric"
    zero_dimensions = any((scores[d.code] == 0).any() for d in top) and method.aggregation_index == "geometric"
    if zero_parts or zero_dimensions:
        notes.append(_("A component of zero makes a geometric mean zero: it does not compensate."))
    return Result(
        subjects=list(subjects),
        codes=list(spec.codes),
        index=index,
        dimensions={d.code: scores[d.code] for d in spec.dimensions},
        normalised=normalised,
        ranks=result_ranks,
        missing=missing,
        method=method,
        method_text=method.describe(),
        notes=notes,
    )


def _missing_report(raw, subjects, spec, method, scores, negative, index, index_negative) -> list[dict[str, Any]]:
    """Per subject: the indicators missing, what was done, whole dimensions missing, scores not computed."""
    absent = np.isnan(raw)
    lacking_dims = {d.code: np.isnan(scores[d.code]) for d in spec.dimensions}
    trouble = absent.any(axis=1) | np.isnan(index) | index_negative
    for d in spec.dimensions:
        trouble |= negative[d.code]
    report = []
    for i in np.flatnonzero(trouble):  # only the subjects with something to say
        codes = [spec.codes[j] for j in np.flatnonzero(absent[i])]
        report.append(
            {
                "subject": subjects[i],
                "indicators": codes,
                "done": ("excluded" if method.missing == "exclude" else f"imputed:{method.missing}") if codes else "",
                "dimensions": [d.code for d in spec.dimensions if lacking_dims[d.code][i]],
                "negative": [d.code for d in spec.dimensions if negative[d.code][i]]
                + (["index"] if index_negative[i] else []),
                "no_index": bool(np.isnan(index[i])),
            }
        )
    return report


def describe_missing(entry: Mapping[str, Any]) -> str:
    """One line of the missing report in words."""
    parts = []
    if entry["indicators"]:
        how = entry["done"]
        if how == "excluded":
            parts.append(_("missing %(codes)s, excluded") % {"codes": ", ".join(entry["indicators"])})
        else:
            label = missing_labels().get(how.partition(":")[2], how)
            parts.append(_("missing %(codes)s: %(how)s") % {"codes": ", ".join(entry["indicators"]), "how": label})
    if entry["dimensions"]:
        parts.append(_("no value in dimension(s) %(codes)s") % {"codes": ", ".join(entry["dimensions"])})
    if entry["negative"]:
        parts.append(_("a negative value has no geometric mean (%(codes)s)") % {"codes": ", ".join(entry["negative"])})
    if entry["no_index"]:
        parts.append(_("no index"))
    return "; ".join(parts)


# --- Sensitivity ------------------------------------------------------------------------------------------------------


def alternatives(spec: Spec, method: Method, *, targets: np.ndarray | None = None) -> list[Method]:
    """The other choices a sensitivity analysis tries, one change at a time: every normalisation that applies (with
    arithmetic means when the method's geometric mean cannot take its negative scores), the other weights, the other
    aggregations."""
    options: list[Method] = []
    for name in NORMALISATIONS:
        if name == method.normalisation or name == "bands" and not method.bands:
            continue
        candidate = method.replace(normalisation=name)
        if name in SIGNED and method.geometric and method.geometric_on != "raw":
            candidate = candidate.replace(aggregation_dimension="arithmetic", aggregation_index="arithmetic")
        try:
            candidate.validate()
            candidate.check(spec, targets=targets)
        except MethodError:
            continue
        options.append(candidate)
    for weights in ("equal", "framework"):
        if weights != method.weights:
            options.append(method.replace(weights=weights))
    for dimension in AGGREGATIONS:
        for index in AGGREGATIONS:
            if (dimension, index) == (method.aggregation_dimension, method.aggregation_index):
                continue
            candidate = method.replace(aggregation_dimension=dimension, aggregation_index=index)
            try:
                candidate.validate()
            except MethodError:
                continue
            options.append(candidate)
    return options


def change_label(base: Method, other: Method) -> str:
    """What an alternative changes from the base method, in words (translated when shown)."""
    parts = []
    if other.normalisation != base.normalisation:
        parts.append(normalisation_labels()[other.normalisation])
    if other.weights != base.weights:
        parts.append(_("weights: %(name)s") % {"name": weights_labels()[other.weights]})
    if (other.aggregation_dimension, other.aggregation_index) != (base.aggregation_dimension, base.aggregation_index):
        means = {"arithmetic": _("arithmetic"), "geometric": _("geometric")}
        parts.append(
            _("%(dimension)s mean in dimensions, %(index)s mean for the index")
            % {"dimension": means[other.aggregation_dimension], "index": means[other.aggregation_index]}
        )
    text = "; ".join(parts) or _("the same method")
    return text[:1].upper() + text[1:]


@dataclasses.dataclass
class Sensitivity:
    methods: list[Method]
    ranks: np.ndarray  # subjects x alternatives, NaN without a rank
    median_shift: np.ndarray  # per subject, absolute rank shifts from the base ranks
    max_shift: np.ndarray


def sensitivity(
    values: np.ndarray,
    subjects: Sequence[Any],
    spec: Spec,
    base: Result,
    methods: Sequence[Method],
    *,
    targets: np.ndarray | None = None,
) -> Sensitivity:
    """Ranks under each alternative method, and how far each subject's rank moves from the base result's."""
    columns = [compute(values, subjects, spec, m, targets=targets).ranks for m in methods]
    table = np.column_stack(columns) if columns else np.empty((len(subjects), 0))
    shifts = np.abs(table - base.ranks[:, None])
    with np.errstate(all="ignore"):
        has = (~np.isnan(shifts)).any(axis=1)
        median = np.full(len(subjects), np.nan)
        largest = np.full(len(subjects), np.nan)
        if has.any():
            median[has] = np.nanmedian(shifts[has], axis=1)
            largest[has] = np.nanmax(shifts[has], axis=1)
    return Sensitivity(
        methods=list(methods),
        ranks=table,
        median_shift=median,
        max_shift=largest,
    )

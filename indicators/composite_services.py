"""The composite index from the database: approved values (indicators.values.yearly, derived indicators included)
into the engine (indicators.composite), a run per framework, level, year, method and state of the data, computed on
the task queue and stored with its results. The page, the API and the demo all request runs here."""

import hashlib
import json
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import composite
from indicators.exchange import export_framework
from indicators.models import Composite, CompositeStatus, Framework, Level, Rollup, Target, TargetKind
from indicators.values import yearly
from labs.models import Lab

# The levels an index is computed at: Labs (their practices' values rolled up into them) or countries.
LEVELS = (Level.LAB, Level.COUNTRY)
KIND = {Level.LAB: "lab", Level.COUNTRY: "country"}


def visible_composites(user) -> QuerySet[Composite]:
    """The runs a person may read: those of the frameworks they see (values in them are approved only)."""
    return Composite.objects.filter(framework__in=Framework.objects.visible_to(user))


def spec_of(framework: Framework) -> composite.Spec:
    return composite.Spec.from_export(export_framework(framework))


def default_method(framework: Framework) -> composite.Method:
    """The framework's own method, or the engine's defaults if it has none (or an unusable one)."""
    try:
        return composite.Method.from_json(framework.method)
    except composite.MethodError:
        return composite.Method()


def years_with_data(framework: Framework) -> list[int]:
    """The years with approved values of the framework's indicators, newest first."""
    years = Rollup.objects.filter(indicator__framework=framework).values_list("year", flat=True).distinct()
    return sorted(set(years), reverse=True)


def matrix(
    framework: Framework, *, level: str, year: int, labs: list[int] | None = None
) -> tuple[np.ndarray, list[tuple], composite.Spec]:
    """The index's values (subjects x indicators, NaN where missing) of one year at one level, from approved values
    only, with the subjects (("lab", id) or ("country", code)) that have at least one of them."""
    spec = spec_of(framework)
    indicators = list(framework.indicators.all())
    by_code = {indicator.code: indicator.pk for indicator in indicators}
    values = yearly(indicators, labs=labs, years=[year])
    kind = KIND[level]
    subjects = sorted(
        {
            s
            for code in spec.codes
            for s, per_year in values[by_code[code]].items()
            if s[0] == kind and year in per_year
        },
        key=lambda s: str(s[1]),
    )
    table = np.array(
        [[values[by_code[code]].get(s, {}).get(year, np.nan) for code in spec.codes] for s in subjects], dtype=float
    ).reshape(len(subjects), len(spec.codes))
    return table, subjects, spec


def targets_matrix(framework: Framework, *, spec: composite.Spec, subjects: list[tuple], year: int) -> np.ndarray:
    """The targets of the year's index (subjects x indicators, NaN without one)."""
    position = {s: i for i, s in enumerate(subjects)}
    column = {code: j for j, code in enumerate(spec.codes)}
    out = np.full((len(subjects), len(spec.codes)), np.nan)
    rows = Target.objects.filter(
        indicator__framework=framework, kind=TargetKind.TARGET, period_start__year=year, practice__isnull=True
    ).values_list("indicator__code", "lab_id", "country", "value")
    for code, lab_id, country, value in rows:
        subject = ("lab", lab_id) if lab_id else ("country", str(country))
        if subject in position and code in column:
            out[position[subject], column[code]] = value
    return out


def fingerprint(table: np.ndarray, subjects: list[tuple]) -> str:
    """What the values were: the same approved values give the same fingerprint."""
    digest = hashlib.sha256(json.dumps([list(s) for s in subjects]).encode())
    digest.update(np.ascontiguousarray(table).tobytes())
    return digest.hexdigest()


def run_key(framework: Framework, *, level: str, year: int, method: composite.Method, data_version: str) -> str:
    text = json.dumps(
        [framework.pk, framework.version, level, year, method.to_json(), data_version], sort_keys=True
    ).encode()
    return hashlib.sha256(text).hexdigest()


def request_composite(*, framework: Framework, level: str, year: int, method: composite.Method, by) -> Composite:
    """The run of this index on the data as it is now: an existing one when the same request was made on the same
    values, or a new one queued. A failed run is queued again."""
    from indicators import tasks

    table, subjects, spec = matrix(framework, level=level, year=year)
    targets = targets_matrix(framework, spec=spec, subjects=subjects, year=year)
    method.check(spec, targets=None if np.isnan(targets).all() else targets)  # MethodError now, not in the task
    data_version = fingerprint(table, subjects)
    key = run_key(framework, level=level, year=year, method=method, data_version=data_version)
    with transaction.atomic():
        run, created = Composite.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "framework": framework,
                "level": level,
                "year": year,
                "method": method.to_json(),
                "data_version": data_version,
                "requested_by": by if by is not None and by.is_authenticated else None,
            },
        )
        if not created and run.status != CompositeStatus.FAILED:
            return run
        if not created:
            run.status, run.error, run.started_at, run.finished_at = CompositeStatus.WAITING, "", None, None
            run.save(update_fields=["status", "error", "started_at", "finished_at"])
        transaction.on_commit(lambda: tasks.run_composite.enqueue(run.pk))
    return run


def run_composite(composite_id: int) -> None:
    """Compute a waiting run and store its results (or its failure, said in words)."""
    claimed = Composite.objects.filter(pk=composite_id, status=CompositeStatus.WAITING).update(
        status=CompositeStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # done, or taken by another worker
    run = Composite.objects.select_related("framework").get(pk=composite_id)
    try:
        results = compute_results(run.framework, level=run.level, year=run.year, method=run.method)
        with transaction.atomic():
            _finish(run, status=CompositeStatus.DONE, results=results)
    except composite.MethodError as error:
        _finish(run, status=CompositeStatus.FAILED, error=str(error))
    except Exception:
        # Never left "running": the failure is stored (and the same request is queued again), then raised for the
        # task's own record.
        _finish(run, status=CompositeStatus.FAILED, error=_("The index could not be computed."))
        raise


def _finish(run: Composite, *, status: str, error: str = "", results: dict | None = None) -> None:
    run.status, run.error, run.finished_at = status, error, timezone.now()
    run.results = results or {}
    run.save(update_fields=["status", "error", "finished_at", "results"])


def compute_results(framework: Framework, *, level: str, year: int, method: dict) -> dict[str, Any]:
    """The index, its dimensions, ranks, the missing report and the sensitivity of ranks, as plain JSON."""
    chosen = composite.Method.from_json(method)
    table, subjects, spec = matrix(framework, level=level, year=year)
    targets = targets_matrix(framework, spec=spec, subjects=subjects, year=year) if subjects else None
    if targets is not None and np.isnan(targets).all():
        targets = None  # no target set: distance to target is not an alternative
    if not subjects:
        return {"subjects": [], "dimensions": _dimensions(spec), "method_text": chosen.describe(), "notes": []}
    result = composite.compute(table, subjects, spec, chosen, targets=targets)
    others = composite.alternatives(spec, chosen, targets=targets)
    shifts = composite.sensitivity(table, subjects, spec, result, others, targets=targets)
    names = _names(subjects)
    position = {s: i for i, s in enumerate(subjects)}
    rows = []
    for row in result.rows(spec):
        i = position[row["subject"]]
        kind, ident = row["subject"]
        rows.append(
            {
                "kind": kind,
                "id": ident,
                "name": names.get(row["subject"], str(ident)),
                "index": row["index"],
                "rank": row["rank"],
                "dimensions": row["dimensions"],
                "values": {code: _plain(table[i, j]) for j, code in enumerate(spec.codes)},
                "missing": row["missing"],
                "ranks": [_plain(v) for v in shifts.ranks[i]],
                "median_shift": _plain(shifts.median_shift[i]),
                "max_shift": _plain(shifts.max_shift[i]),
            }
        )
    return {
        "subjects": rows,
        "dimensions": _dimensions(spec),
        "indicators": [{"code": c, "name": n} for c, n in zip(spec.codes, spec.names, strict=True)],
        "method_text": chosen.describe(),
        "notes": result.notes,
        "alternatives": [m.to_json() for m in others],
    }


def _dimensions(spec: composite.Spec) -> list[dict]:
    return [{"code": d.code, "name": d.name, "parent": d.parent} for d in spec.dimensions]


def _plain(value) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def _names(subjects: list[tuple]) -> dict[tuple, str]:
    from django_countries import countries

    labs = dict(Lab.objects.filter(pk__in=[i for k, i in subjects if k == "lab"]).values_list("pk", "name"))
    return {s: labs.get(s[1], "") if s[0] == "lab" else countries.name(s[1]) or s[1] for s in subjects}

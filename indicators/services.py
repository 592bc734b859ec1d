"""The one write path of measurements and their rollups: forms, the spreadsheet import, the API, the admin and the
demo all save and move values through these functions, inside a transaction."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from indicators import tasks
from indicators.models import (
    MEASUREMENT_TRANSITIONS,
    Composite,
    IndicatorType,
    Measurement,
    MeasurementError,
    MeasurementState,
    Rollup,
)
from labs.models import LogAction, LogEntry

M = MeasurementState

LOG_ACTIONS = {
    M.SUBMITTED: LogAction.SUBMITTED,
    M.APPROVED: LogAction.APPROVED,
    M.RETURNED: LogAction.RETURNED,
}


def prepare(measurement: Measurement) -> None:
    """Derive what is stored but never typed: a percentage's value from its numerator and denominator."""
    indicator = measurement.indicator
    if indicator.type == IndicatorType.PERCENTAGE and measurement.numerator is not None and measurement.denominator:
        measurement.value = measurement.numerator / measurement.denominator * indicator.factor


@transaction.atomic
def save_measurement(measurement: Measurement, *, by, validate: bool = True) -> Measurement:
    """Create or edit a value (checked whole, then saved, with its history and a line in the Lab's log). An approved
    value is returned before it can change, so saving never touches the rollups."""
    creating = measurement.pk is None
    prepare(measurement)
    if validate:
        measurement.full_clean()
    if creating:
        measurement.created_by = by if by is not None and by.is_authenticated else None
    elif measurement.state == M.APPROVED:
        raise ValueError("an approved measurement is returned before it is edited")
    measurement.save()
    _log(measurement, LogAction.CREATED if creating else LogAction.EDITED, by=by)
    return measurement


# Who may make each move, and what a refusal says.
MOVERS = {
    M.SUBMITTED: (Measurement.objects.submittable_by, gettext_lazy("Only the Lab's facilitators submit its values.")),
    M.APPROVED: (Measurement.objects.approvable_by, gettext_lazy("Only coordinators approve values.")),
    M.RETURNED: (Measurement.objects.approvable_by, gettext_lazy("Only coordinators return values.")),
}
# Above this many values, one move rebuilds the indicators' rollups in SQL instead of row by row.
BULK = 50


@transaction.atomic
def save_imported(measurements: list[Measurement], *, by) -> None:
    """Save the values of an import, already checked whole by its dry run (the database's constraints still hold),
    with their history and one line per Lab in the log."""
    for measurement in measurements:
        if measurement.pk is None:
            measurement.created_by = by if by is not None and by.is_authenticated else None
        measurement.save()
    _log_many(measurements, LogAction.IMPORTED, by=by)


def move_measurements(measurements: list[Measurement], *, to: str, by, note: str = "") -> None:
    """Move values along the review flow (one, or a whole import): every value's transition and the mover's rights
    checked first (MeasurementError, nothing moved), then saved with history, the rollups they enter or leave
    refreshed, logged, and each author told by e-mail once it is saved."""
    if not measurements:
        return
    allowed, refusal = MOVERS[to]
    ids = {m.pk for m in measurements}
    if allowed(by).filter(pk__in=ids).count() != len(ids):
        raise MeasurementError(refusal)
    if to == M.RETURNED and not note.strip():
        raise MeasurementError(_("Say what needs to change."))
    for measurement in measurements:
        if to not in MEASUREMENT_TRANSITIONS[measurement.state]:
            raise MeasurementError(
                _("A value that is “%(state)s” cannot move to “%(to)s”.")
                % {"state": measurement.get_state_display(), "to": M(to).label}
            )
    with transaction.atomic():
        touches_rollups = to == M.APPROVED or any(m.state == M.APPROVED for m in measurements)
        now = timezone.now()
        for measurement in measurements:
            measurement.state, measurement.state_changed_by, measurement.state_changed_at = to, by, now
            measurement.updated_at = now
            if to in (M.RETURNED, M.APPROVED):
                measurement.review_note = note if to == M.RETURNED else ""
        if len(measurements) == 1:
            measurements[0].save()
            if touches_rollups:
                refresh_rollups(measurements[0])
            _log(measurements[0], LOG_ACTIONS[to], by=by)
        else:
            fields = ["state", "state_changed_by", "state_changed_at", "review_note", "updated_at"]
            bulk_update_with_history(measurements, Measurement, fields, batch_size=500, default_user=by)
            if touches_rollups:
                _refresh_many(measurements)
            _log_many(measurements, LOG_ACTIONS[to], by=by)
        if touches_rollups:
            # Indices computed from the values before this move would keep a returned value public: computed anew.
            Composite.objects.filter(framework__indicators__in={m.indicator_id for m in measurements}).delete()
        for measurement in measurements:
            _notify_author(measurement, to=to, by=by, note=note)


def _refresh_many(measurements: list[Measurement]) -> None:
    if len(measurements) > BULK:
        rebuild_rollups(sorted({m.indicator_id for m in measurements}))
        return
    keys = {}
    for measurement in measurements:
        keys.setdefault((measurement.indicator_id, measurement.lab_id, measurement.country,
                         measurement.period_start.year), measurement)  # fmt: skip
    for measurement in keys.values():
        refresh_rollups(measurement)


def _log_many(measurements: list[Measurement], action: str, *, by) -> None:
    """One line per Lab for a move of many values (an import), not one per value."""
    per_lab: dict[int, int] = {}
    for measurement in measurements:
        if measurement.lab_id:
            per_lab[measurement.lab_id] = per_lab.get(measurement.lab_id, 0) + 1
    for lab_id, count in per_lab.items():
        subject = ngettext("%(count)s value", "%(count)s values", count) % {"count": count}
        LogEntry.objects.record(lab=lab_id, actor=by, action=action, subject=subject)


def _log(measurement: Measurement, action: str, *, by) -> None:
    if measurement.lab_id:
        subject = f"{measurement.indicator.code} {measurement.period.code}"
        LogEntry.objects.record(
            lab=measurement.lab_id, actor=by, action=action, subject=subject, url=measurement.get_absolute_url()
        )


def _notify_author(measurement: Measurement, *, to: str, by, note: str) -> None:
    author = measurement.created_by
    if to not in (M.APPROVED, M.RETURNED) or author is None or not author.email or author == by:
        return
    email = {
        "to": author.email,
        "measurement_id": measurement.pk,
        "state": to,
        "note": note,
        "reviewer": by.public_name if by is not None else "",
        "language": get_language() or settings.LANGUAGE_CODE,
    }
    transaction.on_commit(partial(tasks.send_review_email.enqueue, **email))


def send_review_email(*, to: str, measurement_id: int, state: str, note: str, reviewer: str, language: str) -> None:
    """Tell the author of a value that it was approved or returned (run by a worker, after the decision)."""
    measurement = Measurement.objects.select_related("indicator", "lab").filter(pk=measurement_id).first()
    if measurement is None:
        return
    with translation.override(language):
        title = f"{measurement.indicator.code} {measurement.period.label()}"
        subject = {M.APPROVED: _("Approved: %(title)s"), M.RETURNED: _("Returned for changes: %(title)s")}[state] % {
            "title": title
        }
        context = {"measurement": measurement, "title": title, "state": state, "note": note, "reviewer": reviewer}
        body = render_to_string("indicators/email/review.txt", context)
    # Not silent: a failure is stored with the task's result (and logged) for the operators to see.
    send_mail(subject, body, None, [to])


def refresh_rollups(measurement: Measurement) -> None:
    """Recompute the rollup row of the measurement's indicator, subject and year from the approved values."""
    year = measurement.period_start.year
    rows = Measurement.objects.approved().filter(
        indicator_id=measurement.indicator_id,
        lab_id=measurement.lab_id,
        country=measurement.country,
        period_start__year=year,
    )
    totals = rows.aggregate(
        count=Count("pk"), total=Sum("value"), numerator=Sum("numerator"), denominator=Sum("denominator")
    )
    key = {"indicator_id": measurement.indicator_id, "lab_id": measurement.lab_id, "country": measurement.country}
    if not totals["count"]:
        Rollup.objects.filter(**key, year=year).delete()
        return
    latest_end = rows.aggregate(end=Max("period_end"))["end"]
    latest = rows.filter(period_end=latest_end).aggregate(value=Sum("value"))["value"]
    Rollup.objects.update_or_create(**key, year=year, defaults={**totals, "latest": latest, "latest_end": latest_end})


REBUILD_SQL = """
DELETE FROM indicators_rollup WHERE indicator_id = ANY(%(indicators)s);
INSERT INTO indicators_rollup (indicator_id, lab_id, country, year, count, total, numerator, denominator, latest,
                               latest_end)
SELECT indicator_id, lab_id, country, year, count(*), sum(value), sum(numerator), sum(denominator),
       sum(value) FILTER (WHERE period_end = latest_end), max(latest_end)
FROM (
    SELECT m.*, extract(year FROM period_start)::int AS year,
           max(period_end) OVER (PARTITION BY indicator_id, lab_id, country, extract(year FROM period_start))
             AS latest_end
    FROM indicators_measurement m
    WHERE state = 'approved' AND indicator_id = ANY(%(indicators)s)
) approved
GROUP BY indicator_id, lab_id, country, year;
"""


@transaction.atomic
def rebuild_rollups(indicator_ids: list[int]) -> None:
    """Rebuild every rollup row of these indicators in two statements (after a bulk load, or to check the rows)."""
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_SQL, {"indicators": list(indicator_ids)})

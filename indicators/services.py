"""The one write path of measurements and their rollups: forms, the spreadsheet import, the API, the admin and the
demo all save and move values through these functions, inside a transaction."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators import tasks
from indicators.models import IndicatorType, Measurement, MeasurementState, Rollup
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


def move_measurement(measurement: Measurement, *, to: str, by, note: str = "") -> None:
    """Move a value along the review flow (the checks are Measurement.submit/approve/return_for_changes'), refresh the
    rollups it enters or leaves, log it, and tell the author by e-mail once it is saved."""
    with transaction.atomic():
        was = measurement.state
        measurement.state = to
        measurement.state_changed_by = by
        measurement.state_changed_at = timezone.now()
        if to == M.RETURNED:
            measurement.review_note = note
        elif to == M.APPROVED:
            measurement.review_note = ""
        measurement.save()
        if M.APPROVED in (was, to):
            refresh_rollups(measurement)
        _log(measurement, LOG_ACTIONS[to], by=by)
        _notify_author(measurement, to=to, by=by, note=note)


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

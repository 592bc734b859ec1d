"""Periods of values, as DHIS2 names them: fixed types written as codes ("2024", "2024S1", "2024Q3", "2024-03") or a
free range ("2024-03-01/2024-06-30"). Forms, imports, the API and exports all read and write periods through here."""

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from indicators.models import PeriodType

_YEAR = re.compile(r"^(\d{4})$")
_HALF = re.compile(r"^(\d{4})S([12])$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})/(\d{4}-\d{2}-\d{2})$")

BAD_PERIOD = gettext_lazy(
    "Write the period as a year (2024), a half-year (2024S1), a quarter (2024Q3), a month (2024-03) or a range of "
    "dates (2024-03-01/2024-06-30)."
)


# A period type as a word inside a sentence ("measured per quarter"): its own translation, never a label lowercased
# (German nouns keep their capital).
PER_TYPE = {
    PeriodType.MONTH: pgettext_lazy("frequency", "month"),
    PeriodType.QUARTER: pgettext_lazy("frequency", "quarter"),
    PeriodType.HALF_YEAR: pgettext_lazy("frequency", "half-year"),
    PeriodType.YEAR: pgettext_lazy("frequency", "year"),
    PeriodType.RANGE: pgettext_lazy("frequency", "range of dates"),
}


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Period:
    type: str
    start: datetime.date
    end: datetime.date

    @classmethod
    def parse(cls, code: str) -> "Period":
        """The period a code names; ValidationError (translated) when it names none."""
        code = (code or "").strip()
        try:
            if match := _YEAR.match(code):
                year = int(match[1])
                return cls(PeriodType.YEAR, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            if match := _HALF.match(code):
                year, half = int(match[1]), int(match[2])
                first = 1 + 6 * (half - 1)
                return cls(PeriodType.HALF_YEAR, datetime.date(year, first, 1), _month_end(year, first + 5))
            if match := _QUARTER.match(code):
                year, quarter = int(match[1]), int(match[2])
                first = 1 + 3 * (quarter - 1)
                return cls(PeriodType.QUARTER, datetime.date(year, first, 1), _month_end(year, first + 2))
            if match := _MONTH.match(code):
                year, month = int(match[1]), int(match[2])
                return cls(PeriodType.MONTH, datetime.date(year, month, 1), _month_end(year, month))
            if match := _RANGE.match(code):
                start, end = datetime.date.fromisoformat(match[1]), datetime.date.fromisoformat(match[2])
                if end < start:
                    raise ValidationError(_("A period cannot end before it starts."), code="order")
                return cls(PeriodType.RANGE, start, end)
        except ValueError:
            pass
        raise ValidationError(BAD_PERIOD, code="period")

    @classmethod
    def of(cls, period_type: str, start: datetime.date) -> "Period":
        """The fixed period of a type that starts on `start` (for a range, use the constructor)."""
        codes = {
            PeriodType.YEAR: f"{start.year}",
            PeriodType.HALF_YEAR: f"{start.year}S{1 + (start.month - 1) // 6}",
            PeriodType.QUARTER: f"{start.year}Q{1 + (start.month - 1) // 3}",
            PeriodType.MONTH: f"{start.year}-{start.month:02d}",
        }
        return cls.parse(codes[period_type])

    @property
    def code(self) -> str:
        if self.type == PeriodType.YEAR:
            return f"{self.start.year}"
        if self.type == PeriodType.HALF_YEAR:
            return f"{self.start.year}S{1 + (self.start.month - 1) // 6}"
        if self.type == PeriodType.QUARTER:
            return f"{self.start.year}Q{1 + (self.start.month - 1) // 3}"
        if self.type == PeriodType.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def year(self) -> int:
        """The year a period counts in on dashboards and in rollups: the year it starts."""
        return self.start.year

    def label(self) -> str:
        """The period as a reader of the active language says it."""
        if self.type == PeriodType.YEAR:
            return str(self.start.year)
        if self.type == PeriodType.HALF_YEAR:
            return _("%(year)s, half %(half)s") % {"year": self.start.year, "half": 1 + (self.start.month - 1) // 6}
        if self.type == PeriodType.QUARTER:
            return _("%(year)s, quarter %(quarter)s") % {
                "year": self.start.year,
                "quarter": 1 + (self.start.month - 1) // 3,
            }
        if self.type == PeriodType.MONTH:
            return date_format(self.start, "YEAR_MONTH_FORMAT")
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "SHORT_DATE_FORMAT"),
            "end": date_format(self.end, "SHORT_DATE_FORMAT"),
        }

    def __str__(self) -> str:
        return self.code

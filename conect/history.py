"""django-simple-history, with one history row per edit: a save and its many-to-many changes made inside
`recorded_once(item)` are written as one row at the end, instead of one row for the save and one per relation."""

from collections.abc import Iterator
from contextlib import contextmanager

from simple_history.models import HistoricalRecords


class History(HistoricalRecords):
    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if getattr(sender._meta, "simple_history_manager_attribute", None) and "_history_records" not in vars(sender):
            sender._history_records = self  # what recorded_once() writes through


@contextmanager
def recorded_once(item) -> Iterator[None]:
    """Saves and relation changes of `item` inside the block make one history row, written when the block ends."""
    created = item.pk is None
    item.skip_history_when_saving = True
    try:
        yield
    finally:
        del item.skip_history_when_saving
    type(item)._history_records.create_historical_record(item, "+" if created else "~")

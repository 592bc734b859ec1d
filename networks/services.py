"""Writes of the networks app that span models: the people of an organisation and the organisations involved in a
practice. Each goes through the owning item's write path (save_edit): one history row, one line in its Lab's log,
and review again when someone who may not publish changes published content."""

from django.forms import BaseInlineFormSet

from networks.models import Organisation
from practices.models import Practice


def _save_rows(formset: BaseInlineFormSet) -> None:
    formset.save(commit=False)
    for row in formset.deleted_objects:
        row.delete()
    for row in [*formset.new_objects, *(row for row, _changed in formset.changed_objects)]:
        row.save()


def save_people(organisation: Organisation, *, formset: BaseInlineFormSet, by) -> bool:
    """Save the valid `formset` of the organisation's people; True when the organisation goes back to review."""
    return organisation.save_edit(by=by, related=lambda: _save_rows(formset))


def save_involvement(practice: Practice, *, formset: BaseInlineFormSet, by) -> bool:
    """Save the valid `formset` of organisations involved in the practice; True when the practice goes to review."""
    return practice.save_edit(by=by, related=lambda: _save_rows(formset))

"""The editors' side of organisations and relationships: forms, people, submission, decisions, archive, history and
restore, through the write path and the moderation steps every moderated model shares; and the organisations
involved in a practice, edited by those who may edit the practice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, UpdateView

from networks import services
from networks.forms import InvolvementFormSet, OrganisationForm, PersonFormSet, RelationshipForm
from networks.models import Organisation, Relationship
from practices import moderation_steps
from practices.edit_views import ModeratedFormMixin
from practices.forms import ModerationForm
from practices.models import Practice

# The moderated models of this app, by the name their URLs use; each URL names its item by slug or by pk.
MODELS = {"organisation": Organisation, "relationship": Relationship}


def _review_message(to_review: bool, done: str) -> str:
    if to_review:
        return _("Saved: your changes go to the facilitators for review before they are public.")
    return done


class _FormMixin(ModeratedFormMixin):
    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class OrganisationCreateView(_FormMixin, CreateView):
    template_name = "networks/organisation_form.html"
    form_class = OrganisationForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("New organisation")}


class OrganisationUpdateView(_FormMixin, UpdateView):
    template_name = "networks/organisation_form.html"
    form_class = OrganisationForm

    def get_queryset(self):
        return Organisation.objects.editable_by(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("Edit the organisation")}


class RelationshipCreateView(_FormMixin, CreateView):
    template_name = "networks/relationship_form.html"
    form_class = RelationshipForm

    def get_initial(self):
        initial = super().get_initial()
        slug = self.request.GET.get("source", "")
        source = Organisation.objects.visible_to(self.request.user).filter(slug=slug).first() if slug else None
        if source is not None:
            initial["source"] = source.pk
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("New relationship")}


class RelationshipUpdateView(_FormMixin, UpdateView):
    template_name = "networks/relationship_form.html"
    form_class = RelationshipForm

    def get_queryset(self):
        return Relationship.objects.editable_by(self.request.user).filter(
            pk__in=Relationship.objects.between_visible(self.request.user).values("pk")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("Edit the relationship")}


@login_required
@require_POST
def submit(request, kind: str, **lookup):
    item = get_object_or_404(MODELS[kind].objects.editable_by(request.user), **lookup)
    moderation_steps.submit(request, item)
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def decide(request, kind: str, **lookup):
    item = get_object_or_404(MODELS[kind].objects.moderatable_by(request.user), **lookup)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(item.get_absolute_url())
    moderation_steps.decide(request, item, form.cleaned_data)
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def archive(request, kind: str, **lookup):
    """Archive instead of delete: the row stays, with its history, out of every public view."""
    item = get_object_or_404(MODELS[kind].objects.moderatable_by(request.user), **lookup)
    moderation_steps.archive(request, item)
    return redirect(item.get_absolute_url())


def _history_item(request, kind: str, lookup: dict):
    model = MODELS[kind]
    item = get_object_or_404(model.objects.visible_to(request.user), **lookup)
    editable = model.objects.editable_by(request.user).filter(pk=item.pk).exists()
    if not (editable or item.can_moderate(request.user)):
        raise Http404
    return item


@login_required
def history(request, kind: str, **lookup):
    item = _history_item(request, kind, lookup)
    rows = moderation_steps.history_rows(
        item, lambda pk: reverse(f"networks:{kind}_restore", kwargs=lookup | {"history_id": pk})
    )
    context = {
        "item": item,
        "rows": rows,
        "can_restore": item.can_moderate(request.user),
        "section": {"url": reverse("networks:organisations"), "name": _("Organisations")},
    }
    return render(request, "practices/history.html", context)


@login_required
@require_POST
def restore(request, kind: str, history_id: int, **lookup):
    item = _history_item(request, kind, lookup)
    if not item.can_moderate(request.user):
        raise Http404
    record = get_object_or_404(item.history, history_id=history_id)
    item.restore(record, by=request.user)
    messages.success(request, _("The version of %(date)s is back.") % {"date": record.history_date})
    return redirect(reverse(f"networks:{kind}_history", kwargs=lookup))


@login_required
def organisation_people(request, slug: str):
    """The people named in an organisation, their roles, contacts (never public) and recorded consent."""
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), slug=slug)
    formset = PersonFormSet(request.POST or None, instance=organisation, prefix="people")
    if request.method == "POST" and formset.is_valid():
        to_review = services.save_people(organisation, formset=formset, by=request.user)
        messages.success(request, _review_message(to_review, _("The people are saved.")))
        return redirect(organisation.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"organisation": organisation, "formset": formset}
    return render(request, "networks/organisation_people.html", context, status=status)


@login_required
def practice_organisations(request, slug: str):
    """The organisations involved in a practice and their roles, for those who may edit the practice."""
    practice = get_object_or_404(Practice.objects.editable_by(request.user), slug=slug)
    formset = InvolvementFormSet(request.POST or None, instance=practice, user=request.user, prefix="involved")
    if request.method == "POST" and formset.is_valid():
        to_review = services.save_involvement(practice, formset=formset, by=request.user)
        messages.success(request, _review_message(to_review, _("The organisations involved are saved.")))
        return redirect(practice.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    context = {"practice": practice, "formset": formset}
    return render(request, "networks/practice_organisations.html", context, status=status)

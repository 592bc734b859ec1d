"""The Lab members' side of the library: add and edit resources, submit them, moderation decisions, history and
restore, through the write path every moderated model shares (labs.moderation)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, UpdateView

from library.forms import ResourceForm
from library.models import Resource
from practices import moderation_steps
from practices.edit_views import ModeratedFormMixin
from practices.forms import ModerationForm


class ResourceFormMixin(ModeratedFormMixin):
    template_name = "library/resource_form.html"
    form_class = ResourceForm


class ResourceCreateView(ResourceFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not Resource.can_add(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("New library resource")}


class ResourceUpdateView(ResourceFormMixin, UpdateView):
    def get_queryset(self):
        return Resource.objects.editable_by(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("Edit the resource")}


@login_required
@require_POST
def submit(request, slug: str):
    resource = get_object_or_404(Resource.objects.editable_by(request.user), slug=slug)
    moderation_steps.submit(request, resource)
    return redirect(resource.get_absolute_url())


@login_required
@require_POST
def moderate(request, slug: str):
    resource = get_object_or_404(Resource.objects.moderatable_by(request.user), slug=slug)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(resource.get_absolute_url())
    moderation_steps.decide(request, resource, form.cleaned_data)
    return redirect(resource.get_absolute_url())


@login_required
@require_POST
def archive(request, slug: str):
    """Archive instead of delete: the row stays, with its history, out of every public view."""
    resource = get_object_or_404(Resource.objects.moderatable_by(request.user), slug=slug)
    moderation_steps.archive(request, resource)
    return redirect(resource.get_absolute_url())


def _history_resource(request, slug: str) -> Resource:
    resource = get_object_or_404(Resource.objects.visible_to(request.user), slug=slug)
    editable = Resource.objects.editable_by(request.user).filter(pk=resource.pk).exists()
    if not (editable or resource.can_moderate(request.user)):
        raise Http404
    return resource


@login_required
def history(request, slug: str):
    resource = _history_resource(request, slug)
    rows = moderation_steps.history_rows(resource, lambda pk: reverse("library:restore", args=[resource.slug, pk]))
    context = {
        "item": resource,
        "rows": rows,
        "can_restore": resource.can_moderate(request.user),
        "section": {"url": reverse("library:list"), "name": _("Library")},
    }
    return render(request, "practices/history.html", context)


@login_required
@require_POST
def restore(request, slug: str, history_id: int):
    resource = _history_resource(request, slug)
    if not resource.can_moderate(request.user):
        raise Http404
    record = get_object_or_404(resource.history, history_id=history_id)
    resource.restore(record, by=request.user)
    messages.success(request, _("The version of %(date)s is back.") % {"date": record.history_date})
    return redirect("library:history", slug=resource.slug)

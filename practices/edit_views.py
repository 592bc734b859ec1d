"""The facilitators' side: forms for practices and spaces, submission, the moderation queue, history and restore."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, UpdateView

from conect.gazetteer import search_nominatim, search_places
from conect.markdown import render_markdown
from conect.text import no_markup
from conect.versioning import EditConflict
from labs.models import Lab
from labs.moderation import ModerationState, moderates
from practices import images, moderation_steps
from practices.forms import ModerationForm, PracticeForm, SpaceForm
from practices.models import Practice, PracticeTranslation, Space

MODELS = {"practices": Practice, "spaces": Space}


class ModeratedFormMixin(LoginRequiredMixin):
    """Shared by the forms of every moderated model (practices, spaces, activities, library resources): preview,
    the write path (save_new/save_edit), edit conflicts, messages."""

    template_name = "practices/practice_form.html"
    suggestion = False

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def form_valid(self, form):
        if "preview" in self.request.POST:
            preview = render_markdown(form.cleaned_data.get("description", ""))
            return self.render_to_response(self.get_context_data(form=form, preview=preview))
        item = form.save(commit=False)
        if item.pk:
            try:
                to_review = item.save_edit(
                    by=self.request.user, related=form.save_m2m, version=form.cleaned_data.get("version")
                )
            except EditConflict as conflict:
                return self.edit_conflict(form, conflict)
            self.edited(item)
        else:
            item.save_new(by=self.request.user, related=form.save_m2m)
            to_review = False
            if item.state == ModerationState.SUBMITTED:
                messages.success(self.request, _("Thank you: your suggestion is now with the moderators."))
                return redirect(item.get_absolute_url())
        if to_review:
            messages.success(
                self.request, _("Saved: your changes go to the facilitators for review before they are public.")
            )
        elif item.is_published:
            messages.success(self.request, _("Saved and public."))
        else:
            messages.success(self.request, _("Saved as a draft. Submit it for review when it is ready."))
        return redirect(item.get_absolute_url())

    def edited(self, item) -> None:
        """Called once an edit is saved: what else the edit sets going (for the models that need it)."""

    def edit_conflict(self, form, conflict: EditConflict):
        """Someone else saved meanwhile: the form again, with the person's input, what the other changed, and the
        newer version to save on once they have compared (409, like the API)."""
        changed, people = conflict.item.changes_since(conflict.since)
        form.continue_from(conflict.version)
        context = self.get_context_data(form=form, conflict={"changed": changed, "people": people})
        return self.render_to_response(context, status=409)


class PracticeCreateView(ModeratedFormMixin, CreateView):
    form_class = PracticeForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not Lab.objects.addable_by(request.user).exists():
            return redirect("practices:suggest")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("New practice")}


class PracticeSuggestView(PracticeCreateView):
    suggestion = True

    def dispatch(self, request, *args, **kwargs):
        return super(PracticeCreateView, self).dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"suggestion": True}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("Suggest a practice"), "suggestion": True}


class PracticeUpdateView(ModeratedFormMixin, UpdateView):
    form_class = PracticeForm

    def get_queryset(self):
        return Practice.objects.editable_by(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("Edit the practice")}


class SpaceCreateView(ModeratedFormMixin, CreateView):
    form_class = SpaceForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("New space")}


class SpaceUpdateView(ModeratedFormMixin, UpdateView):
    form_class = SpaceForm

    def get_queryset(self):
        return Space.objects.editable_by(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("Edit the space")}


@login_required
@require_POST
def submit(request, kind: str, slug: str):
    item = get_object_or_404(_model(kind).objects.editable_by(request.user), slug=slug)
    moderation_steps.submit(request, item)
    return redirect(item.get_absolute_url())


def _queue(request, bound: ModerationForm | None = None):
    """The items waiting for this person's decision, each with its form (`bound` keeps a refused decision)."""
    if not moderates(request.user):
        raise Http404
    items = []
    for kind, model in MODELS.items():
        waiting = (
            model.objects.moderatable_by(request.user)
            .filter(state=ModerationState.SUBMITTED)
            .select_related("lab", "created_by")
            .order_by("state_changed_at")
        )
        for item in waiting:
            prefix = f"{kind}-{item.pk}"
            fresh = ModerationForm(prefix=prefix, initial={"version": item.version})
            form = bound if bound is not None and bound.prefix == prefix else fresh
            items.append((kind, item, form))
    status = 400 if bound is not None else 200
    return render(request, "practices/moderation_queue.html", {"items": items}, status=status)


@login_required
def moderation_queue(request):
    return _queue(request)


@login_required
@require_POST
def moderate(request, kind: str, slug: str):
    item = get_object_or_404(_model(kind).objects.moderatable_by(request.user), slug=slug)
    form = ModerationForm(request.POST, prefix=f"{kind}-{item.pk}")
    if not form.is_valid():
        # Shown again with the decision taken and the field to complete, not lost in a redirect.
        return _queue(request, bound=form)
    moderation_steps.decide(request, item, form.cleaned_data)
    return redirect("practices:moderation")


def _model(kind: str):
    if kind not in MODELS:
        raise Http404
    return MODELS[kind]


def _history_item(request, kind: str, slug: str):
    model = _model(kind)
    item = get_object_or_404(model.objects.visible_to(request.user), slug=slug)
    editable = model.objects.editable_by(request.user).filter(pk=item.pk).exists()
    if not (editable or item.can_moderate(request.user)):
        raise Http404
    return item


@login_required
def history(request, kind: str, slug: str):
    item = _history_item(request, kind, slug)
    rows = moderation_steps.history_rows(item, lambda pk: reverse("practices:restore", args=[kind, item.slug, pk]))
    return render(
        request, "practices/history.html", {"item": item, "rows": rows, "can_restore": item.can_moderate(request.user)}
    )


@login_required
@require_POST
def restore(request, kind: str, slug: str, history_id: int):
    item = _history_item(request, kind, slug)
    if not item.can_moderate(request.user):
        raise Http404
    record = get_object_or_404(item.history, history_id=history_id)
    item.restore(record, by=request.user)
    messages.success(request, _("The version of %(date)s is back.") % {"date": record.history_date})
    return redirect(reverse("practices:history", kwargs={"kind": kind, "slug": item.slug}))


def places(request):
    """Place finder of the forms: the offline gazetteer, plus Nominatim when NOMINATIM_URL is set."""
    text = request.GET.get("q", "").strip()[:200]
    found = [
        {"label": f"{p.name} ({p.country})", "name": p.name, "country": p.country,
         "latitude": p.latitude, "longitude": p.longitude}
        for p in search_places(text)
    ]  # fmt: skip
    if settings.NOMINATIM_URL and len(text) >= 3:
        found += search_nominatim(text, settings.NOMINATIM_URL)
    return JsonResponse({"places": found})


class ImageForm(forms.Form):
    image = forms.FileField(label=gettext_lazy("Photo (JPEG, PNG or WebP, up to 10 MB)"))
    alt_text = forms.CharField(
        label=gettext_lazy("What it shows, for people who cannot see it"), max_length=250, validators=[no_markup]
    )
    credit = forms.CharField(label=gettext_lazy("Credit"), max_length=200, required=False, validators=[no_markup])

    def clean_image(self):
        upload = self.cleaned_data["image"]
        images.clean_upload(upload)
        upload.seek(0)
        return upload


def _review_message(to_review: bool, done: str) -> str:
    if to_review:
        return _("Saved: your changes go to the facilitators for review before they are public.")
    return done


@login_required
def practice_images(request, slug: str):
    practice = get_object_or_404(Practice.objects.editable_by(request.user), slug=slug)
    form = ImageForm()
    if request.method == "POST" and "remove" in request.POST:
        remove = request.POST.get("remove", "")
        image = get_object_or_404(practice.images, pk=int(remove) if remove.isdigit() else 0)
        # Photos are part of the practice: changing them is an edit like any other (review, history, version).
        to_review = practice.save_edit(by=request.user, related=image.remove)
        messages.success(request, _review_message(to_review, _("The photo is removed.")))
        return redirect("practices:images", slug=practice.slug)
    if request.method == "POST":
        form = ImageForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            to_review = practice.save_edit(by=request.user, related=lambda: images.add_image(
                practice, data["image"], alt_text=data["alt_text"], credit=data["credit"], by=request.user
            ))  # fmt: skip
            messages.success(request, _review_message(to_review, _("The photo is added.")))
            return redirect("practices:images", slug=practice.slug)
    return render(request, "practices/practice_images.html", {"practice": practice, "form": form})


@login_required
@require_POST
def archive(request, kind: str, slug: str):
    """Archive instead of delete: the row stays, with its history, out of every public view."""
    item = get_object_or_404(_model(kind).objects.moderatable_by(request.user), slug=slug)
    moderation_steps.archive(request, item)
    return redirect(item.get_absolute_url())


TranslationFormSet = forms.inlineformset_factory(
    Practice,
    PracticeTranslation,
    fields=["language", "title", "summary", "description"],
    extra=1,
    can_delete=True,
    can_delete_extra=False,
    widgets={"summary": forms.Textarea(attrs={"rows": 2}), "description": forms.Textarea(attrs={"rows": 6})},
)


@login_required
def practice_translations(request, slug: str):
    """Translations of the title, summary and description, one language each (not the original's)."""
    practice = get_object_or_404(Practice.objects.editable_by(request.user), slug=slug)
    formset = TranslationFormSet(request.POST or None, instance=practice)
    if request.method == "POST" and formset.is_valid():

        def save_translations():
            for translation in formset.save(commit=False):
                translation._history_user = request.user
                translation.save()
            for translation in formset.deleted_objects:
                translation.delete()

        # The texts in other languages are the practice's public text too: an edit like any other.
        to_review = practice.save_edit(by=request.user, related=save_translations)
        messages.success(request, _review_message(to_review, _("Translations saved.")))
        return redirect("practices:translations", slug=practice.slug)
    return render(request, "practices/practice_translations.html", {"practice": practice, "formset": formset})

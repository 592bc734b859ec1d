"""The activity pages: list, month view, detail, programme; forms, closing report, moderation, registrations."""

import calendar
import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, UpdateView

from activities import services
from activities.filters import ActivityFilter
from activities.forms import ActivityForm, RegistrationForm, ReportForm
from activities.models import Activity, Programme, RegistrationStatus
from conect.markdown import render_markdown
from conect.versioning import EditConflict
from labs.models import Lab
from labs.moderation import ModerationState
from networks.models import Organisation
from practices import moderation_steps
from practices.edit_views import ModeratedFormMixin
from practices.forms import ModerationForm
from practices.import_views import _cell as spreadsheet_cell

PAGE_SIZE = 30


def _listed(request):
    """The activities this person may see, filtered as the URL says (the list, the month view)."""
    queryset = Activity.objects.visible_to(request.user).select_related("lab", "programme")
    return ActivityFilter(request.GET or None, queryset=queryset, request=request)


def _kept_filters(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def activity_list(request):
    filters = _listed(request)
    activities = filters.qs
    if request.GET.get("when") == "upcoming":
        activities = activities.order_by(F("starts_at").asc(nulls_last=True), "title")
    else:
        activities = activities.order_by(F("starts_at").desc(nulls_last=True), "title")
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    context = {"filters": filters, "page": page, "query": _kept_filters(request), "today": today}
    return render(request, "activities/activity_list.html", context, status=400 if filters.errors else 200)


def calendar_now(request):
    today = timezone.localdate()
    url = reverse("activities:calendar", kwargs={"year": today.year, "month": today.month})
    query = _kept_filters(request)
    return redirect(f"{url}?{query}" if query else url)


def activity_calendar(request, year: int, month: int):
    if not (1 <= month <= 12 and 1900 <= year <= 2200):
        raise Http404
    first = datetime.date(year, month, 1)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(year, month)
    grid_start, grid_end = weeks[0][0], weeks[-1][-1]
    filters = _listed(request)
    # A day either side of the grid: the grid is in each activity's own zone, the query in UTC.
    since = datetime.datetime.combine(grid_start - datetime.timedelta(days=1), datetime.time(0), datetime.UTC)
    until = datetime.datetime.combine(grid_end + datetime.timedelta(days=2), datetime.time(0), datetime.UTC)
    activities = filters.qs.filter(starts_at__lt=until).filter(
        Q(ends_at__gte=since) | Q(ends_at__isnull=True, starts_at__gte=since)
    ).order_by("starts_at", "title")  # fmt: skip
    by_day: dict[datetime.date, list] = {}
    for activity in activities:
        start = activity.local_starts_at.date()
        end = activity.local_ends_at.date() if activity.ends_at else start
        day = max(start, grid_start)
        while day <= min(end, grid_end):
            by_day.setdefault(day, []).append(activity)
            day += datetime.timedelta(days=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "filters": filters,
        "month": first,
        "weeks": [[(day, by_day.get(day, []), day.month == month) for day in week] for week in weeks],
        "weekdays": [weeks[0][i] for i in range(7)],
        "previous": previous,
        "following": following,
        "query": _kept_filters(request),
        "today": timezone.localdate(),
    }
    return render(request, "activities/activity_calendar.html", context, status=400 if filters.errors else 200)


def _detail_queryset(user):
    return Activity.objects.visible_to(user).select_related("lab", "programme", "space")


class ActivityDetailView(DetailView):
    template_name = "activities/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self):
        organisations = Organisation.objects.visible_to(self.request.user).only("name", "slug")
        return _detail_queryset(self.request.user).prefetch_related(
            "other_labs", "networks", Prefetch("organisations", queryset=organisations), "practices"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity, user = self.object, self.request.user
        # Someone without an account sees their registration in the session it was made in.
        own = Q(user=user) if user.is_authenticated else Q(pk__in=self.request.session.get(SESSION_REGISTRATIONS, []))
        mine = activity.registrations.active().filter(own).first()
        is_member = activity.lab_id is not None and Lab.objects.addable_by(user).filter(pk=activity.lab_id).exists()
        can_edit = Activity.objects.editable_by(user).filter(pk=activity.pk).exists()
        can_moderate = user.is_authenticated and activity.can_moderate(user)
        place = activity.location or (activity.public_space.location if activity.public_space else None)
        context |= {
            "description": activity.localised_description,
            # One line per item, as the form asks: each line break kept (Markdown would join the lines of a paragraph).
            "agenda": render_markdown(activity.agenda.replace("\r\n", "\n").replace("\n", "  \n"))
            if activity.agenda
            else "",
            "my_registration": mine,
            "shows_online_link": bool(activity.online_url)
            and (is_member or (mine is not None and mine.status == RegistrationStatus.CONFIRMED)),
            "can_edit": can_edit,
            "can_report": can_edit and activity.starts_at is not None and activity.starts_at <= timezone.now(),
            "can_moderate": can_moderate,
            "sees_registrations": Activity.objects.moderatable_by(user).filter(pk=activity.pk).exists(),
            "map_place": {"lat": place.y, "lng": place.x, "zoom": 14} if place else None,
        }
        if activity.accepts_registrations and mine is None:
            context["registration_form"] = kwargs.get("registration_form") or RegistrationForm(user=user)
        if can_moderate and activity.state == ModerationState.SUBMITTED:
            context["moderation_form"] = kwargs.get("moderation_form") or ModerationForm(
                initial={"version": activity.version}
            )
        return context


class ProgrammeDetailView(DetailView):
    template_name = "activities/programme_detail.html"
    context_object_name = "programme"
    queryset = Programme.objects.select_related("lab", "network")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = self.object
        # Planned against reached: counted over published activities only, whoever reads the page.
        published = programme.activities.published()
        context |= {
            "activities": Activity.objects.visible_to(self.request.user)
            .filter(programme=programme)
            .select_related("lab", "programme")
            .order_by(F("starts_at").asc(nulls_last=True), "title"),
            "reached_activities": published.count(),
            "reached_people": published.people_reached(),
            "description": programme.localised_description,
        }
        return context


class ActivityFormMixin(ModeratedFormMixin):
    template_name = "activities/activity_form.html"
    form_class = ActivityForm

    def edited(self, item) -> None:
        # More places (or none limited any more): the waiting list moves up first, before any newcomer.
        services.fill_places_of(item, base_url=_base_url(self.request))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ActivityCreateView(ActivityFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not Lab.objects.addable_by(request.user).exists():
            raise Http404  # activities are entered by the Labs' people
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("New activity")}


class ActivityUpdateView(ActivityFormMixin, UpdateView):
    def get_queryset(self):
        return Activity.objects.editable_by(self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"heading": _("Edit the activity")}


@login_required
def report(request, slug: str):
    """Close an activity that has started with its report (Lab members)."""
    activity = get_object_or_404(
        Activity.objects.editable_by(request.user).filter(starts_at__lte=timezone.now()), slug=slug
    )
    form = ReportForm(request.POST or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        activity = form.save(commit=False)
        activity.closed_at = activity.closed_at or timezone.now()
        try:
            to_review = activity.save_edit(
                by=request.user, related=form.save_m2m, version=form.cleaned_data.get("version")
            )
        except EditConflict as conflict:
            form.continue_from(conflict.version)
            messages.error(request, _("Someone else saved this activity meanwhile: check the figures and save again."))
            return render(request, "activities/activity_report.html", {"form": form, "activity": activity}, status=409)
        if to_review:
            messages.success(request, _("Report saved: it goes to the facilitators for review before it is public."))
        else:
            messages.success(request, _("Report saved."))
        return redirect(activity.get_absolute_url())
    status = 400 if form.errors else 200
    return render(request, "activities/activity_report.html", {"form": form, "activity": activity}, status=status)


@login_required
@require_POST
def submit(request, slug: str):
    activity = get_object_or_404(Activity.objects.editable_by(request.user), slug=slug)
    moderation_steps.submit(request, activity)
    return redirect(activity.get_absolute_url())


@login_required
@require_POST
def moderate(request, slug: str):
    activity = get_object_or_404(Activity.objects.moderatable_by(request.user), slug=slug)
    form = ModerationForm(request.POST)
    if not form.is_valid():
        view = ActivityDetailView(request=request, kwargs={"slug": slug}, object=activity)
        context = view.get_context_data(object=activity, moderation_form=form)
        return render(request, view.template_name, context, status=400)
    moderation_steps.decide(request, activity, form.cleaned_data)
    return redirect(activity.get_absolute_url())


@login_required
def moderation_queue(request):
    """The activities waiting for this person's decision."""
    waiting = (
        Activity.objects.moderatable_by(request.user)
        .filter(state=ModerationState.SUBMITTED)
        .select_related("lab", "programme")
        .order_by("state_changed_at")
    )
    return render(request, "activities/moderation_queue.html", {"activities": waiting})


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


SESSION_REGISTRATIONS = "activity_registrations"


@require_POST
def register(request, slug: str):
    activity = get_object_or_404(_detail_queryset(request.user), slug=slug)
    if not activity.accepts_registrations:
        raise Http404
    user = request.user
    form = RegistrationForm(request.POST, user=user)
    if form.is_valid():
        data = form.cleaned_data
        # A signed-in person registers with the address of their account.
        email = user.email if user.is_authenticated else data["email"]
        try:
            registration = services.register(
                activity, name=data["name"], email=email, user=user, base_url=_base_url(request)
            )
        except ValidationError as error:
            form.add_error(None, error)  # at the e-mail field when it is registered already
        else:
            if not user.is_authenticated:
                request.session[SESSION_REGISTRATIONS] = [
                    *request.session.get(SESSION_REGISTRATIONS, [])[-49:],
                    registration.pk,
                ]
            if registration.status == RegistrationStatus.WAITING:
                full = _("The activity is full: you are on the waiting list. We will write to you if a place frees up.")
                messages.warning(request, full)
            else:
                messages.success(request, _("You are registered. A confirmation is on its way to %(email)s.") % {
                    "email": registration.email})  # fmt: skip
            return redirect(activity.get_absolute_url())
    view = ActivityDetailView(request=request, kwargs={"slug": slug}, object=activity)
    context = view.get_context_data(object=activity, registration_form=form)
    return render(request, view.template_name, context, status=400)


@login_required
@require_POST
def cancel(request, slug: str):
    activity = get_object_or_404(_detail_queryset(request.user), slug=slug)
    registration = get_object_or_404(activity.registrations.active(), user=request.user)
    services.cancel(registration, base_url=_base_url(request))
    messages.success(request, _("Your registration is cancelled."))
    return redirect(activity.get_absolute_url())


def cancel_link(request, token: str):
    """The link of the registrant's e-mail: a page that asks, then cancels (a GET never changes anything)."""
    registration = services.registration_for_token(token)
    if registration is None:
        raise Http404
    cancelled = registration.status == RegistrationStatus.CANCELLED
    if request.method == "POST" and not cancelled:
        services.cancel(registration, base_url=_base_url(request))
        messages.success(request, _("Your registration is cancelled."))
        return redirect(request.path)
    context = {"registration": registration, "activity": registration.activity, "cancelled": cancelled}
    return render(request, "activities/registration_cancel.html", context)


def _registrations(request, slug: str):
    """Who registered: the Lab's facilitators and the coordinators only; 404 to everyone else."""
    activity = get_object_or_404(Activity.objects.moderatable_by(request.user), slug=slug)
    return activity, activity.registrations.order_by("status", "created_at", "id")


@login_required
def registrations(request, slug: str):
    activity, rows = _registrations(request, slug)
    return render(request, "activities/registration_list.html", {"activity": activity, "registrations": rows})


@login_required
def registrations_csv(request, slug: str):
    activity, rows = _registrations(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registrations-{activity.slug}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("E-mail address"), _("Status"), _("Registered at")])
    for registration in rows:
        writer.writerow(
            [spreadsheet_cell(registration.name), spreadsheet_cell(registration.email),
             registration.get_status_display(), registration.created_at.isoformat()]
        )  # fmt: skip
    return response

"""Lab pages: the public list and page, the cover image, editing, the members' workspace and invitations."""

import json

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import DetailView, ListView

from labs import services
from labs.forms import AcceptSignUpForm, InvitationForm, LabForm, RoleForm
from labs.models import Lab, LogAction, Membership, MembershipRole
from labs.roles import Role, has_role

LOG_PAGE_SIZE = 25


class LabListView(ListView):
    template_name = "labs/lab_list.html"
    context_object_name = "labs"

    def get_queryset(self):
        return Lab.objects.visible_to(self.request.user).with_counts()


class LabDetailView(DetailView):
    template_name = "labs/lab_detail.html"
    context_object_name = "lab"

    def get_queryset(self):
        return Lab.objects.visible_to(self.request.user).with_counts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lab, user = self.object, self.request.user
        context["memberships"] = Membership.objects.visible_to(user).filter(lab=lab).select_related("user")
        context["is_member"] = Lab.objects.addable_by(user).filter(pk=lab.pk).exists()
        context["can_edit"] = Lab.objects.editable_by(user).filter(pk=lab.pk).exists()
        if lab.territory:
            context["territory"] = json.loads(lab.territory.json)
        return context


@require_safe
def cover(request, slug: str):
    """A Lab's cover image: Labs are public, so it answers everyone; always the JPEG we re-encoded on upload."""
    lab = get_object_or_404(Lab.objects.visible_to(request.user), slug=slug)
    if not lab.cover:
        raise Http404
    try:
        response = FileResponse(lab.cover.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
    response["Content-Disposition"] = 'inline; filename="cover.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, public=True, max_age=3600)
    return response


def _lab_form(request, lab: Lab | None):
    form = LabForm(request.POST or None, request.FILES or None, instance=lab)
    if request.method == "POST" and form.is_valid():
        services.save_lab(
            form.instance,
            by=request.user,
            cover=form.cover_image,
            remove_cover=bool(form.cleaned_data.get("remove_cover")) and form.cover_image is None,
        )
        messages.success(request, _("The Lab is saved."))
        return redirect(form.instance.get_absolute_url())
    heading = _("Edit %(lab)s") % {"lab": lab.name} if lab else _("New Lab")
    status = 400 if form.errors else 200
    return render(request, "labs/lab_form.html", {"form": form, "lab": lab, "heading": heading}, status=status)


@login_required
def lab_create(request):
    if not has_role(request.user, Role.COORDINATOR):
        raise Http404
    return _lab_form(request, None)


@login_required
def lab_edit(request, slug: str):
    return _lab_form(request, get_object_or_404(Lab.objects.editable_by(request.user), slug=slug))


@login_required
def my_labs(request):
    """The menu's "My Labs": straight to the workspace when the person is in one Lab, else the list of theirs."""
    labs = list(Lab.objects.filter(memberships__user=request.user).order_by("name"))
    if len(labs) == 1:
        return redirect(_workspace_url(labs[0]))
    return render(request, "labs/my_labs.html", {"labs": labs})


@login_required
def workspace(request, slug: str):
    """The Lab's members' page: their drafts, the queue, members and invitations, the activity log."""
    lab = get_object_or_404(Lab.objects.addable_by(request.user), slug=slug)
    manages = Lab.objects.moderatable_by(request.user).filter(pk=lab.pk).exists()
    entries = lab.log_entries.select_related("actor")
    if not manages:
        # Invitations name people who have not joined (their e-mail addresses): only those who manage them see them.
        entries = entries.exclude(action__in=[LogAction.INVITED, LogAction.INVITATION_WITHDRAWN])
    log = Paginator(entries, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "lab": lab,
        "manages": manages,
        "memberships": lab.memberships.select_related("user").order_by("role", "user__display_name", "user__email"),
        "invitations": lab.invitations.pending().select_related("invited_by") if manages else [],
        "invite_form": InvitationForm(lab=lab) if manages else None,
        "log": log,
        "roles": MembershipRole.choices,
    }
    return render(request, "labs/lab_workspace.html", context)


def _managed_lab(request, slug: str) -> Lab:
    return get_object_or_404(Lab.objects.moderatable_by(request.user), slug=slug)


def _workspace_url(lab: Lab, anchor: str = "") -> str:
    return reverse("labs:workspace", kwargs={"slug": lab.slug}) + (f"#{anchor}" if anchor else "")


@login_required
@require_POST
def invite(request, slug: str):
    lab = _managed_lab(request, slug)
    form = InvitationForm(request.POST, lab=lab)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_workspace_url(lab, "invite"))
    data = form.cleaned_data
    services.invite(
        lab=lab, email=data["email"], role=data["role"], message=data["message"], by=request.user,
        link_for=lambda invitation: request.build_absolute_uri(invitation.get_absolute_url()),
        language=services.default_language(),
    )  # fmt: skip
    messages.success(request, _("The invitation to %(email)s is on its way.") % {"email": data["email"]})
    return redirect(_workspace_url(lab, "invitations"))


@login_required
@require_POST
def withdraw(request, slug: str, pk: int):
    lab = _managed_lab(request, slug)
    invitation = get_object_or_404(lab.invitations, pk=pk)
    try:
        services.withdraw(invitation=invitation, by=request.user)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email})
    return redirect(_workspace_url(lab, "invitations"))


@login_required
@require_POST
def change_role(request, slug: str, pk: int):
    lab = _managed_lab(request, slug)
    membership = get_object_or_404(lab.memberships.select_related("user"), pk=pk)
    form = RoleForm(request.POST)
    try:
        if not form.is_valid():
            raise services.MembershipError(_("Choose member or facilitator."))
        services.change_role(membership=membership, role=form.cleaned_data["role"], by=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s.")
            % {"name": membership.user.public_name, "role": membership.get_role_display()},
        )
    return redirect(_workspace_url(lab, "members"))


@login_required
@require_POST
def remove_member(request, slug: str, pk: int):
    lab = _managed_lab(request, slug)
    membership = get_object_or_404(lab.memberships.select_related("user"), pk=pk)
    try:
        services.remove_member(membership=membership, by=request.user)
    except services.MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is no longer a member of the Lab. What they wrote stays with it.")
            % {"name": membership.user.public_name},
        )
    if membership.user == request.user and not Lab.objects.addable_by(request.user).filter(pk=lab.pk).exists():
        return redirect(lab.get_absolute_url())
    return redirect(_workspace_url(lab, "members"))


def invitation(request, token: str):
    """The link of an invitation e-mail: signed-in people accept it; others create their account here."""
    try:
        found = services.invitation_for(token)
    except services.InvitationError as error:
        return render(request, "labs/invitation_accept.html", {"error": str(error)}, status=410)
    form = None
    if request.user.is_authenticated:
        try:
            services.check_account(found, request.user)
        except services.InvitationError as error:
            return render(request, "labs/invitation_accept.html", {"invitation": found, "wrong_account": str(error)})
        if request.method == "POST":
            return _accepted(request, token, request.user)
    else:
        form = AcceptSignUpForm(request.POST or None, email=found.email)
        if request.method == "POST" and form.is_valid():
            try:
                user = services.sign_up_and_accept(
                    token=token, password=form.cleaned_data["password1"], display_name=form.cleaned_data["display_name"]
                )
            except services.InvitationError as error:
                messages.error(request, str(error))
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome to %(lab)s.") % {"lab": found.lab.name})
                return redirect(_workspace_url(found.lab))
    has_account = form is not None and _account_exists(found.email)
    context = {"invitation": found, "form": form, "has_account": has_account}
    return render(request, "labs/invitation_accept.html", context, status=400 if form and form.errors else 200)


def _account_exists(email: str) -> bool:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(email__iexact=email).exists()


def _accepted(request, token: str, user):
    try:
        membership = services.accept(token=token, user=user)
    except services.InvitationError as error:
        return render(request, "labs/invitation_accept.html", {"error": str(error)}, status=410)
    messages.success(request, _("Welcome to %(lab)s.") % {"lab": membership.lab.name})
    return redirect(_workspace_url(membership.lab))

from django.db.models import Case, Count, IntegerField, Value, When
from django.views.generic import DetailView, ListView

from networks.models import Network, NetworkMembership, NetworkRole, Organisation

# Lead partners first, then partners, then members.
_ROLE_ORDER = Case(
    When(role=NetworkRole.LEAD, then=Value(0)),
    When(role=NetworkRole.PARTNER, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class NetworkListView(ListView):
    template_name = "networks/network_list.html"
    context_object_name = "networks"

    def get_queryset(self):
        return (
            Network.objects.visible_to(self.request.user)
            .filter(parent__isnull=True)
            .annotate(member_count=Count("memberships", distinct=True), part_count=Count("parts", distinct=True))
        )


class NetworkDetailView(DetailView):
    template_name = "networks/network_detail.html"
    context_object_name = "network"

    def get_queryset(self):
        return Network.objects.visible_to(self.request.user).select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = self.object
        user = self.request.user
        context["memberships"] = (
            NetworkMembership.objects.visible_to(user)
            .filter(network=network)
            .select_related("organisation")
            .order_by(_ROLE_ORDER, "organisation__name")
        )
        context["parts"] = Network.objects.visible_to(user).filter(parent=network)
        return context


class OrganisationDetailView(DetailView):
    template_name = "networks/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user)

from django.views.generic import DetailView, ListView

from labs.models import Lab, Membership


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
        lab = self.object
        context["memberships"] = Membership.objects.visible_to(self.request.user).filter(lab=lab).select_related("user")
        return context

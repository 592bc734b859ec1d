from django.views.generic import DetailView

from activities.models import Activity, Programme


class ActivityDetailView(DetailView):
    template_name = "activities/activity_detail.html"

    def get_queryset(self):
        return Activity.objects.visible_to(self.request.user)


class ProgrammeDetailView(DetailView):
    template_name = "activities/programme_detail.html"
    queryset = Programme.objects.all()

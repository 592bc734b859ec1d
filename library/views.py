from django.views.generic import DetailView

from library.models import Resource


class ResourceDetailView(DetailView):
    template_name = "library/resource_detail.html"

    def get_queryset(self):
        return Resource.objects.visible_to(self.request.user)

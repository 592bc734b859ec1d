"""The whole REST API on one screen: one router, every app's viewsets."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

from activities.api import ActivityViewSet, ProgrammeViewSet, RegistrationViewSet
from indicators.api import (
    CompositeViewSet,
    FrameworkViewSet,
    IndicatorViewSet,
    MeasurementViewSet,
    ValueViewSet,
)
from labs.api import LabViewSet
from library.api import ResourceViewSet
from networks.api import NetworkViewSet, OrganisationViewSet, RelationshipViewSet
from practices.api import PracticeViewSet, SpaceViewSet

router = DefaultRouter()
router.register("practices", PracticeViewSet, basename="practice")
router.register("resources", ResourceViewSet, basename="resource")
router.register("spaces", SpaceViewSet, basename="space")
router.register("activities", ActivityViewSet, basename="activity")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("labs", LabViewSet, basename="lab")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("networks", NetworkViewSet, basename="network")
router.register("relationships", RelationshipViewSet, basename="relationship")
router.register("frameworks", FrameworkViewSet, basename="framework")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("measurements", MeasurementViewSet, basename="measurement")
router.register("indicator-values", ValueViewSet, basename="indicator-value")
router.register("composites", CompositeViewSet, basename="composite")

app_name = "api"
urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Redoc, vendored in static/vendor/redoc/ (axe-clean where Swagger UI was not; nothing from another host).
    path("docs/", SpectacularRedocView.as_view(url_name="api:schema", template_name="api/docs.html"), name="docs"),
]

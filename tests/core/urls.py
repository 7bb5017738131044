"""The project's URLs plus a writable test resource, to exercise the API machinery that later
registry endpoints share (ETag/If-Match, role permissions, audit context) on a real model."""

from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.routers import SimpleRouter

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401 - Django looks them up here
from config.urls import urlpatterns as project_urlpatterns
from core.api.mixins import ConcurrencyMixin
from core.api.pagination import CursorPagination
from core.roles import Capability
from core.scope import restrict_to_scope
from villages.models import Region


class EditableRegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level"]
        read_only_fields = ["code", "level"]


class EditableRegionViewSet(ConcurrencyMixin, viewsets.ModelViewSet):
    read_capability = Capability.READ_REGISTER
    write_capability = Capability.COUNTY_ADMINISTRATION
    serializer_class = EditableRegionSerializer
    lookup_field = "code"
    http_method_names = ["get", "patch", "delete"]

    def get_queryset(self):
        return restrict_to_scope(Region.objects.all(), self.request.user, self.read_capability)


class RegionCursorPagination(CursorPagination):
    ordering = "code"
    page_size = 2


class CursorRegionViewSet(viewsets.ReadOnlyModelViewSet):
    read_capability = Capability.READ_FIGURES
    serializer_class = EditableRegionSerializer
    pagination_class = RegionCursorPagination
    filter_backends = []

    def get_queryset(self):
        return restrict_to_scope(Region.objects.all(), self.request.user, self.read_capability)


router = SimpleRouter()
router.register("cursor-regions", CursorRegionViewSet, basename="cursor-region")
router.register("test-regions", EditableRegionViewSet, basename="test-region")

urlpatterns = [path("api/v1/", include(router.urls)), *project_urlpatterns]

from django.urls import path
from rest_framework.routers import SimpleRouter

from households.api.imports import ImportViewSet, import_errors_view, import_template_view
from households.api.views import (
    AnnualRecordViewSet,
    HouseholdViewSet,
    MemberViewSet,
    PolicyStandardViewSet,
)

router = SimpleRouter()
router.register("households", HouseholdViewSet, basename="household")
router.register("members", MemberViewSet, basename="member")
router.register("annual-records", AnnualRecordViewSet, basename="annual-record")
router.register("standards", PolicyStandardViewSet, basename="standard")
router.register("imports", ImportViewSet, basename="import")
urlpatterns = [
    # Before the router's imports/<pk>/: the template's path would not match it anyway (pk is digits only).
    path("imports/template.xlsx", import_template_view, name="import-template"),
    path("imports/<int:pk>/errors.xlsx", import_errors_view, name="import-errors"),
    *router.urls,
]

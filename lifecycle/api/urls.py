from rest_framework.routers import SimpleRouter

from lifecycle.api.views import (
    HouseholdLifecycleViewSet,
    NoticeViewSet,
    ObjectionViewSet,
    ProcedureViewSet,
    PublishedYearViewSet,
    VillageExitViewSet,
)

router = SimpleRouter()
# Detail actions only (procedures, eligibility) under the register's households/{id}/ paths.
router.register("households", HouseholdLifecycleViewSet, basename="household")
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("notices", NoticeViewSet, basename="notice")
router.register("objections", ObjectionViewSet, basename="objection")
router.register("villages", VillageExitViewSet, basename="village")
# reports/{code}/annual/publish/ only; the report itself (reports/{code}/annual/) is the reports app's.
router.register("reports", PublishedYearViewSet, basename="published-year")
urlpatterns = router.urls

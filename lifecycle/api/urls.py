from rest_framework.routers import SimpleRouter

from lifecycle.api.views import (
    HouseholdLifecycleViewSet,
    NoticeViewSet,
    ObjectionViewSet,
    ProcedureViewSet,
    VillageExitViewSet,
)

router = SimpleRouter()
# Detail actions only (procedures, eligibility) under the register's households/{id}/ paths.
router.register("households", HouseholdLifecycleViewSet, basename="household")
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("notices", NoticeViewSet, basename="notice")
router.register("objections", ObjectionViewSet, basename="objection")
router.register("villages", VillageExitViewSet, basename="village")
urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from households.api.views import (
    AnnualRecordViewSet,
    HouseholdViewSet,
    MemberViewSet,
    NoticeViewSet,
    ObjectionViewSet,
    PolicyStandardViewSet,
    ProcedureViewSet,
)

router = SimpleRouter()
router.register("households", HouseholdViewSet, basename="household")
router.register("members", MemberViewSet, basename="member")
router.register("annual-records", AnnualRecordViewSet, basename="annual-record")
router.register("standards", PolicyStandardViewSet, basename="standard")
router.register("procedures", ProcedureViewSet, basename="procedure")
router.register("notices", NoticeViewSet, basename="notice")
router.register("objections", ObjectionViewSet, basename="objection")
urlpatterns = router.urls

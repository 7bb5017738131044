from rest_framework.routers import SimpleRouter

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
urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from programs.api.views import (
    BenefitViewSet,
    CooperativeViewSet,
    DividendViewSet,
    MembershipViewSet,
    ProgramViewSet,
    ProjectViewSet,
)

router = SimpleRouter()
router.register("programs", ProgramViewSet, basename="program")
router.register("benefits", BenefitViewSet, basename="benefit")
router.register("cooperatives", CooperativeViewSet, basename="cooperative")
router.register("cooperative-memberships", MembershipViewSet, basename="cooperative-membership")
router.register("dividends", DividendViewSet, basename="dividend")
router.register("projects", ProjectViewSet, basename="project")
urlpatterns = router.urls

from rest_framework.routers import SimpleRouter

from cadres.api.views import CadreViewSet, PairingViewSet, UnitViewSet, VisitViewSet, WorkTeamViewSet

router = SimpleRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("cadres", CadreViewSet, basename="cadre")
router.register("work-teams", WorkTeamViewSet, basename="work-team")
router.register("pairings", PairingViewSet, basename="pairing")
router.register("visits", VisitViewSet, basename="visit")
urlpatterns = router.urls

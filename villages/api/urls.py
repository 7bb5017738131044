from rest_framework.routers import SimpleRouter

from villages.api.views import RegionViewSet, VillageExitViewSet

router = SimpleRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("villages", VillageExitViewSet, basename="village")
urlpatterns = router.urls

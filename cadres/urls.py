from django.urls import path

from cadres import cadre_views
from cadres.views import visits

urlpatterns = [
    path("visits/", visits, name="visits"),
    path("cadres/", cadre_views.cadre_list, name="cadres"),
    path("cadres/<int:pk>/", cadre_views.cadre_detail, name="cadre"),
    path("cadres/units/", cadre_views.unit_list, name="units"),
    path("cadres/teams/", cadre_views.team_list, name="work-teams"),
    path("cadres/teams/<int:pk>/", cadre_views.team_detail, name="work-team"),
    path("cadres/pairings/<int:pk>/handover/", cadre_views.pairing_handover, name="pairing-handover"),
]

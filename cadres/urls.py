from django.urls import path

from cadres.views import visits

urlpatterns = [
    path("visits/", visits, name="visits"),
]

from django.urls import path

from reports.views import dashboard

urlpatterns = [
    path("regions/<str:code>/dashboard/", dashboard, name="dashboard"),
]

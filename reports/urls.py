from django.urls import path

from reports.views import dashboard, my_dashboard

urlpatterns = [
    path("regions/<str:code>/dashboard/", dashboard, name="dashboard"),
    path("dashboard/", my_dashboard, name="my-dashboard"),
]

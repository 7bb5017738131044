"""The register's pages (户), under /households/."""

from django.urls import path

from households import views

app_name = "households"

urlpatterns: list = [
    path("", views.household_list, name="list"),
    path("<int:pk>/", views.household_detail, name="detail"),
]

"""The pages of programs (帮扶项目), mounted at the site root."""

from django.urls import path

from programs import views

urlpatterns = [
    path("programs/", views.program_list, name="programs"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/benefits/", views.program_record, name="program-record"),
    path("programs/<int:pk>/beneficiaries.xlsx", views.program_export, name="program-export"),
    path("cooperatives/", views.cooperative_list, name="cooperatives"),
    path("cooperatives/<int:pk>/", views.cooperative_detail, name="cooperative"),
    path("projects/", views.project_list, name="projects"),
]

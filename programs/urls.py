"""The pages of programs (帮扶项目), mounted at the site root."""

from django.urls import path

from programs import views

urlpatterns = [
    path("programs/", views.program_list, name="programs"),
    path("programs/new/", views.program_create, name="program-create"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/benefits/", views.program_record, name="program-record"),
    path("programs/<int:pk>/beneficiaries.xlsx", views.program_export, name="program-export"),
    path("cooperatives/", views.cooperative_list, name="cooperatives"),
    path("cooperatives/new/", views.cooperative_create, name="cooperative-create"),
    path("cooperatives/<int:pk>/", views.cooperative_detail, name="cooperative"),
    path("cooperatives/<int:pk>/members/", views.cooperative_member_create, name="cooperative-member-create"),
    path("cooperatives/<int:pk>/dividends/", views.cooperative_dividend_create, name="cooperative-dividend-create"),
    path("projects/", views.project_list, name="projects"),
    path("projects/new/", views.project_create, name="project-create"),
]

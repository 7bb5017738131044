"""The import pages (导入), at /imports/ (the menu's "imports")."""

from django.urls import path

from households.imports import views

urlpatterns = [
    path("imports/", views.import_page, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/commit/", views.import_commit, name="import-commit"),
]

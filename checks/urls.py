"""The cross-checking pages (疑点), mounted at the site root."""

from django.urls import path

from checks import views

urlpatterns = [
    path("findings/", views.findings, name="findings"),
]

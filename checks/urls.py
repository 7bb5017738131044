"""The cross-checking pages (疑点, 规则校验, 数据比对, 交叉核查), mounted at the site root."""

from django.urls import path

from checks import run_views, views

urlpatterns = [
    path("findings/", views.findings, name="findings"),
    path("checks/", run_views.checks, name="checks"),
    path("checks/run/", run_views.checks_run, name="checks-run"),
]

"""The cross-checking pages (疑点, 规则校验, 数据比对, 交叉核查), mounted at the site root."""

from django.urls import path

from checks import comparison_views, run_views, views

urlpatterns = [
    path("findings/", views.findings, name="findings"),
    path("checks/", run_views.checks, name="checks"),
    path("checks/run/", run_views.checks_run, name="checks-run"),
    path("comparisons/", comparison_views.comparisons, name="comparisons"),
    path("comparisons/upload/", comparison_views.comparison_upload, name="comparison-upload"),
    path("comparisons/categories/", comparison_views.comparison_category, name="comparison-category"),
    path("comparisons/<int:pk>/", comparison_views.comparison, name="comparison"),
]

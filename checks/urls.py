"""The cross-checking pages (疑点, 规则校验, 数据比对, 交叉核查), mounted at the site root."""

from django.urls import path

from checks import campaign_views, comparison_views, run_views, views

urlpatterns = [
    path("findings/", views.findings, name="findings"),
    path("checks/", run_views.checks, name="checks"),
    path("checks/run/", run_views.checks_run, name="checks-run"),
    path("comparisons/", comparison_views.comparisons, name="comparisons"),
    path("comparisons/upload/", comparison_views.comparison_upload, name="comparison-upload"),
    path("comparisons/categories/", comparison_views.comparison_category, name="comparison-category"),
    path("comparisons/<int:pk>/", comparison_views.comparison, name="comparison"),
    path("campaigns/", campaign_views.campaigns, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign-new"),
    path("campaigns/<int:pk>/", campaign_views.campaign, name="campaign"),
    path("campaigns/<int:pk>/assign/", campaign_views.campaign_assign, name="campaign-assign"),
    path("campaigns/<int:pk>/close/", campaign_views.campaign_close, name="campaign-close"),
    path("campaigns/<int:pk>/samples/<int:sample_pk>/", campaign_views.campaign_sample, name="campaign-sample"),
]

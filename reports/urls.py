from django.urls import path

from reports import annual_views, export_views, personal_views
from reports.views import dashboard, my_dashboard

urlpatterns = [
    path("regions/<str:code>/dashboard/", dashboard, name="dashboard"),
    path("dashboard/", my_dashboard, name="my-dashboard"),
    # The year-end dynamic-adjustment report (年度动态调整, issue 16 point 3).
    path("reports/<str:code>/annual/", annual_views.annual_report, name="annual-report"),
    path("reports/annual/", annual_views.my_annual_report, name="my-annual-report"),
    # The household export as a job (issue 17 point 6), followed on /jobs/.
    path("exports/households/", export_views.export_households_job, name="export-households-job"),
    # Personal-data duties of the county office (个人信息保护, issue 19 point 4).
    path("personal-data/", personal_views.personal_data, name="personal-data"),
    path("personal-data/person/", personal_views.personal_data_person, name="personal-data-person"),
    path("personal-data/alerts/<int:pk>/close/", personal_views.personal_alert_close_view, name="personal-alert-close"),
]

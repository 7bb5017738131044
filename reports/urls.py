from django.urls import path

from reports import personal_views
from reports.views import dashboard, my_dashboard

urlpatterns = [
    path("regions/<str:code>/dashboard/", dashboard, name="dashboard"),
    path("dashboard/", my_dashboard, name="my-dashboard"),
    # Personal-data duties of the county office (个人信息保护, issue 19 point 4).
    path("personal-data/", personal_views.personal_data, name="personal-data"),
    path("personal-data/person/", personal_views.personal_data_person, name="personal-data-person"),
    path("personal-data/alerts/<int:pk>/close/", personal_views.personal_alert_close_view, name="personal-alert-close"),
]

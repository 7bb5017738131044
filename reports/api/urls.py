from django.urls import path
from rest_framework.routers import SimpleRouter

from reports.api import export_urls
from reports.api.views import ChangeFeedView, ReportViewSet, SummaryExportView, SummaryViewSet

router = SimpleRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("summaries", SummaryViewSet, basename="summary")
urlpatterns = [
    *router.urls,
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    path("exports/summary.csv", SummaryExportView.as_view(file_format="csv"), name="summary-export-csv"),
    path("exports/summary.xlsx", SummaryExportView.as_view(file_format="xlsx"), name="summary-export-xlsx"),
]
urlpatterns += export_urls.urlpatterns

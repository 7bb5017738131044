"""Routes of the household exports (reports.api.exports), included by reports.api.urls under /api/v1/."""

from reports.api.exports import export_urlpatterns

urlpatterns = [*export_urlpatterns]

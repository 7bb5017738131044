"""The API of core: jobs (the token endpoint is mounted by config.urls)."""

from core.api import jobs

urlpatterns = jobs.urlpatterns

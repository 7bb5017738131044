from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("统计报表")

    def ready(self):
        # The register's list (below) filters by the households behind a figure of the year-end report.
        from households import hooks
        from reports.selectors import annual_households

        hooks.register_annual_households(annual_households)

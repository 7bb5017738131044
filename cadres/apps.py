from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("干部与帮扶")

    def ready(self):
        # The household card (households, below) shows the paired cadre and the visits.
        from cadres.panels import pairing_panel
        from core import panels

        panels.register("household_card", pairing_panel, order=40)

        from cadres.queue import work_queue_panel

        panels.register("work_queue", work_queue_panel, order=30)

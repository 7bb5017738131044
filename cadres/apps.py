from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("干部与帮扶")

    def ready(self):
        from cadres.queue import work_queue_panel
        from core import panels

        panels.register("work_queue", work_queue_panel, order=30)

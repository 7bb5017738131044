from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("帮扶项目")

    def ready(self):
        # The household card (households, below) shows the benefits and the cooperatives.
        from core import panels
        from programs.panels import benefits_panel

        panels.register("household_card", benefits_panel, order=50)

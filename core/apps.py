from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("用户与权限")

    def ready(self):
        from core.api.fields import bound_model_dates

        bound_model_dates()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("用户与权限")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.api.fields import bound_model_dates
        from core.middleware import mark_session_start

        bound_model_dates()
        user_logged_in.connect(mark_session_start, dispatch_uid="jingzhun-session-start")

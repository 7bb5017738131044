from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("用户与权限")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        from core import panels
        from core.api.fields import bound_model_dates
        from core.history import install_fast_ignore_check
        from core.middleware import mark_session_start
        from core.queue import work_queue_panel

        bound_model_dates()
        user_logged_in.connect(mark_session_start, dispatch_uid="jingzhun-session-start")
        # After every migrate (pgtrigger rewrites its row check whenever a migration installs a trigger).
        post_migrate.connect(install_fast_ignore_check, sender=self, dispatch_uid="jingzhun-fast-ignore-check")
        panels.register("work_queue", work_queue_panel, order=90)
        # Job kinds (core.jobs.job_kind) live in each app's jobs.py: the web and the worker both know them all.
        autodiscover_modules("jobs")

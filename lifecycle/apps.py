from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    verbose_name = _("动态管理")

    def ready(self):
        from households import hooks
        from lifecycle.selectors import lifecycle_timeline_entries

        hooks.register_timeline_source(lifecycle_timeline_entries)

        from core import panels
        from lifecycle.queue import work_queue_panel

        panels.register("work_queue", work_queue_panel, order=10)

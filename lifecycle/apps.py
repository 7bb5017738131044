from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "lifecycle"
    verbose_name = _("动态管理")

    def ready(self):
        from households import hooks
        from lifecycle.selectors import lifecycle_timeline_entries, status_on_expression

        hooks.register_timeline_source(lifecycle_timeline_entries)
        hooks.register_status_on(status_on_expression)  # the register's list by status on a day

        # The household card (households, below) shows the status episodes, the checklist and the procedures.
        from core import panels
        from lifecycle import panels as lifecycle_panels

        panels.register("household_card", lifecycle_panels.status_panel, order=10)
        panels.register("household_card", lifecycle_panels.checklist_panel, order=30)
        panels.register("household_card", lifecycle_panels.procedures_panel, order=60)

        from lifecycle.queue import work_queue_panel

        panels.register("work_queue", work_queue_panel, order=10)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChecksConfig(AppConfig):
    name = "checks"
    verbose_name = _("核查")

    def ready(self):
        # The finding gate stands before every procedure opening and step; the lifecycle (below
        # the checks) calls it through its hook and imports nothing of the checks.
        from checks.findings import open_findings_for_review, refuse_if_blocked
        from lifecycle import hooks

        hooks.register_step_guard(refuse_if_blocked)
        hooks.register_finding_source(open_findings_for_review)  # the review queues show what stands in the way

        # The register's pages (below) show open findings: a column of the list and a panel of the card.
        from checks import panels as check_panels
        from core import panels
        from households import hooks as household_hooks

        household_hooks.register_list_annotation("open_findings", check_panels.open_findings_count)
        panels.register("household_card", check_panels.household_findings_panel, order=80)

        # The entry pages of the register (below) say what a save opened: "保存后发现 N 个问题…".
        from checks.after_save import findings_opened_by_save

        household_hooks.register_after_save(findings_opened_by_save)

        # A committed import (households.imports) has the register rules run over the villages it changed.
        from checks.after_save import rules_after_import

        household_hooks.register_after_import(rules_after_import)

        from checks.queue import work_queue_panel

        panels.register("work_queue", work_queue_panel, order=20)

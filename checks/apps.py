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

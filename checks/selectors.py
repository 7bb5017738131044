"""Reads of cross-checking: findings and rule runs, each scoped to the caller and prefetched for the lists."""

from checks.models import Finding, RuleRun
from core.roles import Capability
from core.scope import restrict_to_scope


def findings_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    """Findings of the villages where the user holds the capability, with what the list shows in one query."""
    return restrict_to_scope(
        # household: its number; member: the name; resolved_by: who closed it.
        Finding.objects.select_related("household", "member", "resolved_by"),
        user,
        capability,
    )


def rule_runs_in_scope(*, user, capability: str = Capability.READ_REGISTER):
    """Rule runs over regions inside the user's scope (a run over a wider region is not theirs to see)."""
    return restrict_to_scope(RuleRun.objects.select_related("started_by"), user, capability)  # started_by: the name

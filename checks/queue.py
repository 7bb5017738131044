"""The checks' part of the work queue 待办: open findings to rectify in my villages (one grouped query)."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from checks.choices import FindingStatus, Severity
from checks.selectors import findings_in_scope
from core.roles import Capability
from core.scope import has_capability


def work_queue_panel(request, **context):
    """Errors and warnings open in the villages where the user edits the register; None for other roles."""
    user = request.user
    if not has_capability(user, Capability.EDIT_REGISTER):
        return None
    counts = dict(
        findings_in_scope(user=user, capability=Capability.EDIT_REGISTER)
        .filter(status=FindingStatus.OPEN)
        .order_by()
        .values_list("severity")
        .annotate(n=Count("id"))
    )
    url = reverse("findings")
    lines = [
        {"label": _("待整改的错误（阻止办理程序）"), "count": counts.get(Severity.ERROR, 0), "url": f"{url}?severity=error"},
        {"label": _("待核实的提示"), "count": counts.get(Severity.WARNING, 0), "url": f"{url}?severity=warning"},
    ]
    return {"template": "checks/queue_panel.html", "title": _("问题整改"), "lines": lines}

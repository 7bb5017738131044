"""The county office's part of the work queue 待办: alerts about reads of personal data still to look into."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.personal import alerts_in_scope, raise_due_alerts
from core.roles import Capability
from core.scope import has_capability


def work_queue_panel(request, **context):
    """Open personal-data alerts in my regions (raised first from the log: core.personal.raise_due_alerts)."""
    user = request.user
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION):
        return None
    raise_due_alerts()
    count = alerts_in_scope(user=user).filter(closed_at__isnull=True).count()
    lines = [{"label": _("个人信息查阅提醒待处理"), "count": count, "url": reverse("personal-data")}]
    return {"template": "core/queue_panel.html", "title": _("个人信息保护"), "lines": lines}

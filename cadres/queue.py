"""The cadres' part of the work queue 待办: paired households not visited this quarter (one query)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Visit
from cadres.selectors import active_q, pairings_in_scope
from core.roles import Capability
from core.scope import has_capability


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def work_queue_panel(request, **context):
    """My paired households (and those of my villages) with no visit by their cadre since the quarter began."""
    user = request.user
    if not has_capability(user, Capability.RECORD_ACTIVITY):
        return None
    today = timezone.localdate()
    since = quarter_start(today)
    visited = Visit.objects.filter(
        cadre_id=OuterRef("cadre_id"), household_id=OuterRef("household_id"), date__gte=since, date__lte=today
    )
    counts = (
        pairings_in_scope(user=user, capability=Capability.RECORD_ACTIVITY)
        .filter(active_q(today))
        .exclude(Exists(visited))
        .aggregate(
            everyone=Count("household_id", distinct=True),
            mine=Count("household_id", distinct=True, filter=Q(cadre__user=user)),
        )
    )
    try:
        url = reverse("visits")
    except NoReverseMatch:  # the visits page is another part of issue 15
        url = "/visits/"
    lines = [{"label": _("我结对的户本季度尚未走访"), "count": counts["mine"], "url": url}]
    if counts["everyone"] != counts["mine"]:
        lines.append({"label": _("辖区内结对户本季度尚未走访"), "count": counts["everyone"], "url": url})
    return {"template": "cadres/queue_panel.html", "title": _("结对走访"), "lines": lines, "since": since}

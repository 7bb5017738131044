"""What the programs add to the household card (core.panels): benefits by year, cooperatives and dividends."""

from collections import defaultdict

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from programs import selectors

BENEFITS_SHOWN = 20


def benefits_panel(request, *, household, **context):
    """帮扶措施与收益: totals by year, the latest benefits, cooperative memberships with their dividends (four
    queries whatever the number of benefits)."""
    benefits = selectors.benefits_in_scope(user=request.user).filter(household=household)
    by_year = list(
        benefits.order_by()
        .annotate(year=ExtractYear("date"))
        .values("year")
        .annotate(total=Sum("amount"), count=Count("id"))
        .order_by("-year")
    )
    latest = list(benefits.order_by("-date", "-id")[:BENEFITS_SHOWN])
    memberships = list(
        selectors.memberships_in_scope(user=request.user).filter(household=household).order_by("-joined", "id")
    )
    dividends = defaultdict(list)
    for dividend in selectors.dividends_in_scope(user=request.user).filter(membership__household=household).order_by("year"):
        dividends[dividend.membership_id].append(dividend)
    return {
        "template": "programs/panels/benefits.html",
        "order": 50,
        "by_year": by_year,
        "latest": latest,
        "more": sum(row["count"] for row in by_year) > len(latest),
        "memberships": [{"membership": m, "dividends": dividends.get(m.pk, [])} for m in memberships],
    }

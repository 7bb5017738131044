"""Pages of reports: a region's dashboard (统计看板), the summary's figures as a page."""


from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from core.api.params import page_day_param
from core.roles import Capability
from core.scope import has_capability
from households.choices import HouseholdAttribute, PovertyCause
from reports import selectors
from villages.selectors import regions_in_scope

STATUS_KEYS = ("registered", "poor", "exited", "closed", "removed", "monitored")


@login_required
def dashboard(request, code):
    """The summary of a region in the caller's scope on a day (default today), its children, and the exports: the
    numbers of summaries/{code}/, because they come from the same selector."""
    region = regions_in_scope(user=request.user).filter(code=code).first()
    if region is None:
        raise Http404
    day = page_day_param(request, "as_of")
    summary = selectors.region_summary(region=region, as_of=day)
    causes = dict(PovertyCause.choices)
    attributes = dict(HouseholdAttribute.choices)
    context = {
        "region": region,
        "summary": summary,
        "statuses": STATUS_KEYS,
        "by_cause": [(value, causes[value], figures) for value, figures in summary["by_cause"].items()],
        "by_attribute": [(value, attributes[value], figures) for value, figures in summary["by_attribute"].items()],
        "may_export_households": has_capability(request.user, Capability.READ_REGISTER, region.code),
    }
    return render(request, "reports/dashboard.html", context)

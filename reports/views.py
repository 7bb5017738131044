"""Pages of reports: a region's dashboard (统计看板), the summary's figures as a page."""


from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.api.params import page_day_param
from core.models import RoleGrant
from core.roles import Capability
from core.scope import has_capability
from households.choices import HouseholdAttribute, PovertyCause
from reports import selectors
from villages.selectors import regions_in_scope

STATUS_KEYS = ("registered", "poor", "exited", "closed", "removed", "monitored")
FIRST_YEAR = 2014  # 建档立卡: the register starts in 2014


def households_url(region_code: str, **filters) -> str:
    """The household list behind a figure (the list page's query: region, status, cause…)."""
    return f"/households/?{urlencode({'region': region_code, **filters})}"


def chart_data(*, region, summary: dict, day) -> dict:
    """What the dashboard's charts draw (static/js/dashboard.js), each point with the households behind it.

    The causes and the child regions are the summary's own figures; the years are the year-end adjustment reports
    (reports.selectors.annual_adjustment, the numbers of reports/{code}/annual/) from 2014 to the as-of year.
    """
    causes = dict(PovertyCause.choices)
    years = list(range(FIRST_YEAR, max(FIRST_YEAR, day.year) + 1))
    reports = [selectors.annual_adjustment(region=region, year=year) for year in years]
    return {
        "region": region.name,
        "years": [str(year) for year in years],
        "flows": {
            "identified": [r["households"]["identified"] for r in reports],
            "returned": [r["households"]["returned"] for r in reports],
            "exited": [r["households"]["exited"] for r in reports],
        },
        "stock": {
            "households": [r["households"]["end"] for r in reports],
            "people": [r["people"]["end"] for r in reports],
        },
        "causes": [
            {"value": value, "label": str(causes[value]), "households": figures["households"],
             "people": figures["people"], "url": households_url(region.code, cause=value)}
            for value, figures in summary["by_cause"].items()
        ],  # fmt: skip
        "children": [
            {"code": child["region"]["code"], "name": child["region"]["name"], "poor": child["people"]["poor"],
             "exited": child["people"]["exited"], "poor_url": households_url(child["region"]["code"], status="poor"),
             "exited_url": households_url(child["region"]["code"], status="exited")}
            for child in summary["children"]
        ],  # fmt: skip
        "links": {
            "poor": households_url(region.code, status="poor"),
            "exited": households_url(region.code, status="exited"),
            "registered": households_url(region.code),
        },
        "labels": {
            "identified": _("新识别"), "returned": _("返贫"), "exited": _("脱贫退出"), "households": _("未脱贫户"),
            "people": _("未脱贫人口"), "cause_households": _("户数"), "poor": _("未脱贫人口"),
            "exited_people": _("已脱贫人口"),
        },  # fmt: skip
    }


def my_region_code(user) -> str:
    """The user's first region: the widest of its grants, or the first in code order; for a superuser without
    grants the first county (404 when there is none)."""
    grant = RoleGrant.objects.filter(user=user).order_by("region_id").values_list("region_id", flat=True)
    codes = sorted(grant, key=lambda code: (len(code.rstrip("0")), code))
    if codes:
        return codes[0]
    if user.is_superuser:
        region = regions_in_scope(user=user).filter(level="county").order_by("code").first()
        if region is not None:
            return region.code
    raise Http404


@login_required
def my_dashboard(request):
    """The dashboard of the user's first region (统计)."""
    return redirect("dashboard", my_region_code(request.user))


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
        "chart_data": chart_data(region=region, summary=summary, day=day),
        "links": {status: households_url(region.code, status=status) for status in ("poor", "exited")},
    }
    return render(request, "reports/dashboard.html", context)

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
    """The household list behind a figure (the list page's query: region, status on a day, cause, figure…)."""
    return f"/households/?{urlencode({'region': region_code, **filters})}"


def chart_data(*, region, summary: dict, day, link: bool) -> dict:
    """What the dashboard's charts draw (static/js/dashboard.js), each point with the households behind it.

    The causes and the child regions are the summary's own figures, opening the households in that status on the
    day (the register list's `stock` and `on`); the years are the year-end adjustment reports
    (reports.selectors.annual_adjustments, the numbers of reports/{code}/annual/) from 2014 to the as-of year, each
    bar or point opening the households counted in it (the list's `year` and `figure`). Without the register's
    capability nothing links.
    """
    causes = dict(PovertyCause.choices)
    on = day.isoformat()
    years = list(range(FIRST_YEAR, max(FIRST_YEAR, day.year) + 1))
    reports = selectors.annual_adjustments(region=region, years=years)

    def url(code=region.code, **filters):
        return households_url(code, **filters) if link else None

    def yearly(stock: str, key: str) -> list[dict]:
        return [
            {"value": r["households"][key] if stock == "poor" else r["on_register"]["households"][key],
             "url": url(year=r["year"], figure=f"{stock}.{key}")}
            for r in reports
        ]  # fmt: skip

    return {
        "region": region.name,
        "as_of": on,
        "years": [str(year) for year in years],
        "flows": {key: yearly("poor", key) for key in ("identified", "returned", "exited")},
        "stock": {
            "households": yearly("poor", "end"),
            "people": [{"value": r["people"]["end"], "url": None} for r in reports],
        },
        "causes": [
            {"value": value, "label": str(causes[value]), "households": figures["households"],
             "people": figures["people"], "url": url(stock="on_register", on=on, main_cause=value)}
            for value, figures in summary["by_cause"].items()
        ],  # fmt: skip
        "children": [
            {"code": child["region"]["code"], "name": child["region"]["name"], "poor": child["people"]["poor"],
             "exited": child["people"]["exited"], "poor_url": url(child["region"]["code"], stock="poor", on=on),
             "exited_url": url(child["region"]["code"], stock="exited", on=on)}
            for child in summary["children"]
        ],  # fmt: skip
        "labels": {
            "identified": _("新识别"), "returned": _("返贫"), "exited": _("脱贫退出"), "households": _("未脱贫户"),
            "people": _("未脱贫人口"), "cause_households": _("户数"), "poor": _("未脱贫人口"),
            "exited_people": _("已脱贫人口"), "year": _("年度"), "cause": _("致贫原因"), "region": _("区划"),
            "people_count": _("人数"),
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
    link = has_capability(request.user, Capability.READ_REGISTER, region.code)
    on = day.isoformat()

    def url(**filters):
        return households_url(region.code, on=on, **filters) if link else None

    data = chart_data(region=region, summary=summary, day=day, link=link)
    context = {
        "region": region,
        "summary": summary,
        "statuses": STATUS_KEYS,
        "by_cause": [
            (value, causes[value], figures, url(stock="on_register", main_cause=value))
            for value, figures in summary["by_cause"].items()
        ],
        "by_attribute": [
            (value, attributes[value], figures, url(stock="on_register", attribute=value))
            for value, figures in summary["by_attribute"].items()
        ],
        "may_export_households": link,
        "chart_data": data,
        # The charts' numbers as tables under each chart (readable without the chart, and without colour).
        "year_rows": [
            {"year": year, "cells": [*(data["flows"][key][i] for key in ("identified", "returned", "exited")),
                                     data["stock"]["households"][i], data["stock"]["people"][i]]}
            for i, year in enumerate(data["years"])
        ],  # fmt: skip
        "links": {stock: url(stock=stock) for stock in ("poor", "exited", "registered")},
        "children": [
            (child, {stock: households_url(child["region"]["code"], on=on, stock=stock) if link else None
                     for stock in ("registered", "poor", "exited")})
            for child in summary["children"]
        ],  # fmt: skip
    }
    return render(request, "reports/dashboard.html", context)

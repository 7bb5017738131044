"""The register's pages (户): the list of my scope with the ID-number lookup, and the household card (户卡)."""

import datetime
from collections import defaultdict

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import panels
from core import regions as region_rules
from core.personal import PersonalDataPolicy
from core.roles import Capability
from core.scope import has_capability
from core.templatetags.jz import day as day_filter
from core.ui import keyset_links, keyset_page
from households import hooks, rules, selectors
from households.choices import PovertyCause
from households.filtersets import HouseholdPageFilterSet
from households.forms import IdLookupForm
from households.models import PolicyStandard
from households.timeline import timeline_lines
from villages.selectors import regions_in_scope

ALL = gettext_lazy("全部")
YES_NO = (("", ALL), ("true", gettext_lazy("是")), ("false", gettext_lazy("否")))


def _require(user, capability: str, region_code: str | None = None) -> None:
    if not has_capability(user, capability, region_code):
        raise PermissionDenied


def _filterset(request, queryset):
    """The API's FilterSet (plus the open-findings filter) with a form a village cadre can use: region names in a
    list, "全部" for no filter (one query for the regions of the user's scope)."""
    filterset = HouseholdPageFilterSet(request.GET, queryset=queryset, request=request)
    fields = filterset.form.fields
    regions = regions_in_scope(user=request.user).filter(level__in=("township", "village")).order_by("code")
    fields["region"].label = _("乡镇或行政村")
    fields["region"].help_text = ""
    fields["region"].widget = forms.Select(
        choices=[("", ALL)] + [(r.code, r.name if r.level == "township" else f"　{r.name}") for r in regions]
    )
    fields["q"].label = _("户编号或户主姓名")
    fields["q"].help_text = ""
    for name in ("status", "attribute", "main_cause", "stars", "figure", "stock"):
        if hasattr(fields[name], "empty_label"):  # django-filter's ChoiceField puts its empty label first itself
            choices = list(fields[name].choices)[1:]
            fields[name].empty_label = ALL
            fields[name].choices = choices
        else:
            fields[name].choices = [("", ALL), *list(fields[name].choices)[1:]]
    for name in ("returned", "has_open_finding"):
        fields[name].widget = forms.Select(choices=YES_NO)
    if "open_findings" not in queryset.query.annotations:
        del fields["has_open_finding"]
    return filterset


def _figure_shown(filterset) -> str | None:
    """What a list opened from a report's figure shows, in words ("区划 2016年 未脱贫户：脱贫退出"), or None."""
    if not filterset.is_valid():
        return None
    data = filterset.form.cleaned_data
    fields = filterset.form.fields
    region = str(dict(fields["region"].widget.choices).get(data.get("region") or "", "")).strip()
    if data.get("figure") and data.get("year"):
        figure = dict(fields["figure"].choices)[data["figure"]]
        return _("%(region)s %(year)s年 %(figure)s") % {"region": region, "year": int(data["year"]), "figure": figure}
    if data.get("stock"):
        stock = dict(fields["stock"].choices)[data["stock"]]
        day = data.get("on") or timezone.localdate()
        return _("%(region)s %(day)s %(stock)s的户") % {"region": region, "day": day_filter(day), "stock": stock}
    return None


def _lookup(request, form: IdLookupForm) -> list[dict]:
    """Members with this ID number in the user's scope, each with their household (one query; reads logged)."""
    number = form.cleaned_data["id_number"]
    members = (
        selectors.members_in_scope(user=request.user)
        .filter(Q(person_number=form.person_number()) | Q(id_number=number))
        .select_related("household__village")  # the household's number, status and village name
        .annotate(head_name=selectors.head_name("household_id"))
        .order_by("left_on", "id")[:20]
    )
    policy = PersonalDataPolicy(request)
    results = [
        {
            "member": member,
            "id_number": policy.reveal(member, member.household.village_id, "id_number", member.id_number),
        }
        for member in members
    ]
    policy.log()
    return results


@login_required
def household_list(request):
    """农户: the register of my scope — filters, search, keyset pages, and the ID-number lookup (POST)."""
    _require(request.user, Capability.READ_REGISTER)
    lookup_form = IdLookupForm(request.POST if request.method == "POST" else None)
    lookup_results = None
    if request.method == "POST" and lookup_form.is_valid():
        lookup_results = _lookup(request, lookup_form)
    queryset = selectors.household_list(user=request.user).annotate(**hooks.list_annotations())
    filterset = _filterset(request, queryset)
    page = {"rows": [], "next": None, "previous": None}
    if filterset.is_valid():
        page = keyset_page(
            filterset.qs, after=request.GET.get("after", "")[:20], before=request.GET.get("before", "")[:20]
        )
    context = {
        "filterset": filterset,
        "form": filterset.form,
        "lookup_form": lookup_form,
        "lookup_results": lookup_results,
        "page": page,
        **keyset_links(request, page),
        "has_open_findings": "open_findings" in queryset.query.annotations,
        "may_add": has_capability(request.user, Capability.EDIT_REGISTER),
        "filtered": any(value for key, value in request.GET.items() if key not in ("after", "before")),
        "figure_shown": _figure_shown(filterset),
    }
    template = "households/_results.html" if request.htmx and request.method == "GET" else "households/list.html"
    response = render(request, template, context)
    if request.method == "POST":
        response["Cache-Control"] = "no-store"  # a lookup answer carries personal data
    return response


def _standards_by_year(*, household, years) -> dict:
    """The standard each year's income is measured against (the most specific row of the household's
    identification standard), all years in one query."""
    first, last = (min(years), max(years)) if years else (0, 0)  # one query with or without records (a pinned count)
    codes = region_rules.region_and_ancestor_codes(household.village_id)
    candidates = defaultdict(list)
    standards = PolicyStandard.objects.filter(year__gte=first, year__lte=last)
    for standard in standards.filter(Q(region__isnull=True) | Q(region_id__in=codes)):
        candidates[standard.year].append(standard)
    return {
        year: rules.most_specific_standard(rows, household.village_id, household.identification_standard)
        for year, rows in candidates.items()
    }


def _chosen_year(request, records) -> int:
    """The year of the checklist: ?year= when it is a year, else the latest record's, else this year."""
    try:
        year = int(request.GET.get("year", ""))
        if 2013 <= year <= 2100:
            return year
    except ValueError:
        pass
    return records[-1].year if records else timezone.localdate().year


def _age(birth_date: datetime.date, today: datetime.date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


@login_required
def household_detail(request, pk: int):
    """户卡 (扶贫手册): the household's handbook page — status, members, income, the checklist, help, procedures,
    findings and the timeline in words — in a fixed number of queries whatever its rows; printable on A4."""
    household = get_object_or_404(
        selectors.household_detail(user=request.user).select_related("villager_group", "village__parent"), pk=pk
    )
    policy = PersonalDataPolicy(request)
    today = timezone.localdate()
    see_personal = policy.may_see(household.village_id)
    members = []
    for member in household.members.all():
        members.append(
            {
                "member": member,
                "id_number": policy.reveal(member, household.village_id, "id_number", member.id_number),
                "age": _age(member.birth_date, today),
                "birth_date": member.birth_date if see_personal else None,
            }
        )
    active_members = [row for row in members if row["member"].left_on is None]
    records = list(household.annual_records.order_by("year"))
    standards = _standards_by_year(household=household, years=[record.year for record in records])
    year = _chosen_year(request, records)
    chart = {
        "years": [str(record.year) for record in records],
        "per_capita": [None if record.per_capita_income is None else float(record.per_capita_income) for record in records],
        "line": [
            float(standards[r.year].poverty_line) if r.year in standards and standards[r.year] and standards[r.year].poverty_line is not None else None
            for r in records
        ],
        "labels": {"per_capita": _("人均纯收入（元）"), "line": _("贫困线（元）")},
    }
    income_rows = [{"record": record, "standard": standards.get(record.year)} for record in records]
    card_panels = panels.render_context(
        "household_card", request, household=household, year=year, records=records, policy=policy
    )
    timeline = timeline_lines(selectors.household_timeline(household=household, policy=policy))
    sections = sorted(card_panels, key=lambda panel: panel.get("order", 50))
    context = {
        "household": household,
        "other_causes": [PovertyCause(cause).label for cause in household.other_causes if cause in PovertyCause.values],
        "members": members,
        "active_count": len(active_members),
        "head": next((row["member"] for row in active_members if row["member"].relation == "01"), None),
        "records": records,
        "income_rows": income_rows,
        "latest": records[-1] if records else None,
        "year": year,
        "chart": chart,
        "panels_before_members": [p for p in sections if p.get("order", 50) < 20],
        "panels_before_income": [p for p in sections if 20 <= p.get("order", 50) < 35],
        "panels_after_income": [p for p in sections if p.get("order", 50) >= 35],
        "timeline": timeline,
        "may_edit": has_capability(request.user, Capability.EDIT_REGISTER, household.village_id),
        "see_personal": see_personal,
    }
    response = render(request, "households/detail.html", context)
    policy.log()
    response["Cache-Control"] = "no-store"
    return response

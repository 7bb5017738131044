"""The county office's personal-data duties (个人信息保护, PIPL) as pages:

- `/personal-data/` — who read full personal data, where and when (core.models.PersonalDataAccess), with filters and
  an export, and the alerts to look into (core.models.PersonalDataAlert: too many full records a day, an export of a
  whole township or more), each closed with a note;
- `/personal-data/person/` — everything the register holds about one person, for a request of that person
  (个人信息查询): the ID number is sent in a POST body, never a URL; the answer is scoped to the office's regions and
  the read is itself logged.

Here in reports, the floor that reads every app below it: the person's report gathers households, procedures,
benefits, visits and findings.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.models import Visit
from checks.models import Finding
from checks.pages import rule_title
from core.errors import DomainError
from core.models import PersonalDataAccess
from core.personal import (
    EXPORT_MODEL,
    accesses_in_scope,
    alerts_in_scope,
    log_personal_read,
    personal_alert_close,
    raise_due_alerts,
)
from core.regions import region_and_ancestor_codes, significant_prefix, smallest_common_region
from core.roles import Capability
from core.scope import has_capability, restrict_to_scope
from core.ui import ordered_page
from households.models import Member
from lifecycle.models import Procedure, StatusChange
from programs.models import Benefit
from reports.personal_forms import READ_KINDS, AccessFilterForm, AlertCloseForm, PersonLookupForm
from reports.tabular import table_response
from villages.models import Region

PER_PAGE = 50
EXPORT_LIMIT = 100_000  # rows of one export of the log (a county's year of reads is far fewer)


def _administers(user) -> None:
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION):
        raise PermissionDenied


def _filter_regions(user) -> list[tuple[str, str]]:
    """The county and townships the user administers, for the region filter."""
    regions = Region.objects.filter(level__in=["county", "township"]).order_by("code")
    return list(restrict_to_scope(regions, user, Capability.COUNTY_ADMINISTRATION).values_list("code", "name"))


def _filtered(user, data: dict):
    rows = accesses_in_scope(user=user)
    if data.get("username"):
        rows = rows.filter(user__username__icontains=data["username"])
    if data.get("region"):
        rows = rows.filter(region__startswith=significant_prefix(data["region"]))
    if data.get("kind"):
        rows = rows.filter(model=data["kind"])
    if data.get("since"):
        rows = rows.filter(at__date__gte=data["since"])
    if data.get("until"):
        rows = rows.filter(at__date__lte=data["until"])
    return rows


def _names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in={c for c in codes if c}).values_list("code", "name"))


@login_required
def personal_data(request):
    """The log of full reads in my regions, filtered; open alerts on top; `?format=csv|xlsx` downloads the rows."""
    _administers(request.user)
    regions = _filter_regions(request.user)
    form = AccessFilterForm(request.GET or None, regions=regions)
    if form.is_bound and not form.is_valid():
        if "region" in form.errors:
            raise Http404  # a region outside my administration does not exist for me
        rows = accesses_in_scope(user=request.user).none()
    else:
        rows = _filtered(request.user, form.cleaned_data if form.is_bound else {})
    file_format = request.GET.get("format")
    if file_format in ("csv", "xlsx"):
        return _export(rows, file_format)
    raise_due_alerts()
    alerts = list(alerts_in_scope(user=request.user)[:30])
    page = ordered_page(request, rows, size=PER_PAGE)
    names = _names([row.region for row in page] + [alert.region for alert in alerts])
    items = [_row(access, names) for access in page]
    for alert in alerts:
        alert.region_name = names.get(alert.region, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/personal_data.html",
        {"form": form, "page": page, "items": items, "alerts": alerts, "close_form": AlertCloseForm(),
         "query": query.urlencode()},
    )  # fmt: skip


def _row(access, names: dict) -> dict:
    export = access.model == EXPORT_MODEL
    return {
        "at": timezone.localtime(access.at),
        "user": access.user.get_full_name() or access.user.username,
        "username": access.user.username,
        "what": READ_KINDS.get(access.model, access.model),
        "records": None if export else access.records,
        "export": export,
        "region": names.get(access.region, ""),
        "path": access.path,
    }


def _export(rows, file_format: str):
    rows = list(rows[:EXPORT_LIMIT])
    names = _names([row.region for row in rows])
    columns = [_("时间"), _("用户名"), _("姓名"), _("内容"), _("记录数"), _("区划"), _("区划代码"), _("页面或接口")]
    table = []
    for access in rows:
        row = _row(access, names)
        table.append([
            row["at"].strftime("%Y-%m-%d %H:%M:%S"), row["username"], access.user.get_full_name(), str(row["what"]),
            row["records"], row["region"], access.region, row["path"],
        ])  # fmt: skip
    return table_response(columns=columns, rows=table, file_format=file_format, filename="personal-data-reads")


@login_required
@require_POST
def personal_alert_close_view(request, pk: int):
    """Close one alert with a note; an alert of another county is 404."""
    alert = get_object_or_404(alerts_in_scope(user=request.user), pk=pk)
    form = AlertCloseForm(request.POST)
    if form.is_valid():
        try:
            personal_alert_close(user=request.user, alert=alert, note=form.cleaned_data["note"])
        except (DomainError, ValidationError) as error:
            messages.error(request, error.detail if isinstance(error, DomainError) else "; ".join(error.messages))
        else:
            messages.success(request, _("提醒已处理。"))
    else:
        messages.error(request, _("请写明核实情况和处理结果后再点“处理完毕”。"))
    return redirect("personal-data")


@login_required
def personal_data_person(request):
    """Everything held about one person in my regions (个人信息查询), for the person's own request; logged."""
    _administers(request.user)
    form = PersonLookupForm(request.POST or None)
    context = {"form": form, "searched": False}
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["id_number"]
        members = list(
            restrict_to_scope(Member.objects.all(), request.user, Capability.COUNTY_ADMINISTRATION)
            .filter(Q(id_number=number) | Q(person_number=number))
            .select_related("household__village")
            .order_by("joined_on", "id")
        )
        context.update(searched=True, report=_person_report(members) if members else None)
        if members:
            log_personal_read(
                request, model_label="households.member", object_ids=[m.pk for m in members], fields=["id_number"],
                region=smallest_common_region(m.household.village_id for m in members),
            )  # fmt: skip
    return render(request, "reports/personal_person.html", context)


def _person_report(members: list) -> dict:
    """The person's member rows and, per household, what the register holds: a fixed number of queries."""
    households = {m.household_id for m in members}
    member_ids = [m.pk for m in members]
    by_household = lambda rows: {h: [r for r in rows if r.household_id == h] for h in households}  # noqa: E731
    changes = by_household(list(StatusChange.objects.filter(household_id__in=households).order_by("effective_on", "id")))
    procedures = by_household(list(Procedure.objects.filter(household_id__in=households).order_by("opened_on", "id")))
    benefits = by_household(list(
        Benefit.objects.filter(household_id__in=households).select_related("program").order_by("date", "id")
    ))  # fmt: skip
    visits = by_household(list(Visit.objects.filter(household_id__in=households).select_related("cadre").order_by("date", "id")))
    findings = by_household(list(Finding.objects.filter(household_id__in=households).order_by("found_at", "id")))
    for finding in (f for rows in findings.values() for f in rows):
        finding.title = rule_title(finding.rule)
    villages = {m.household.village_id for m in members}
    region_codes = {code for village in villages for code in region_and_ancestor_codes(village)}
    reads = list(
        PersonalDataAccess.objects.select_related("user")
        .filter(Q(model="households.member", object_ids__overlap=member_ids)
                | Q(model=EXPORT_MODEL, region__in=region_codes))
        .order_by("-at")[:50]
    )  # fmt: skip
    return {
        "person": members[-1],
        "rows": [
            {
                "member": member,
                "changes": changes[member.household_id],
                "procedures": procedures[member.household_id],
                "benefits": [b for b in benefits[member.household_id] if b.member_id in (None, member.pk)],
                "visits": visits[member.household_id],
                "findings": [f for f in findings[member.household_id] if f.member_id in (None, member.pk)],
            }
            for member in members
        ],
        "reads": [{**_row(read, {}), "region_code": read.region} for read in reads],
    }

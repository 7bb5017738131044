"""The department-comparison pages (数据比对, /comparisons/): the lists uploaded in my regions, the county office's
upload form and veto settings (一票否决); one list's matches: which members of which households, which category,
whether it vetoes, and the removal proposal (清退) it opened.

Scope as the API (checks.api.comparisons): lists are read through checks.selectors.comparisons_in_scope
(READ_REGISTER); uploading and the veto settings are the county office's (COUNTY_ADMINISTRATION), through the same
services, checks.comparisons.comparison_upload and category_setting_save.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from checks import catalog
from checks import comparisons as services
from checks.choices import DepartmentCategory, Severity
from checks.forms import CategorySettingForm, ComparisonUploadForm
from checks.models import Finding
from checks.selectors import category_settings_in_scope, comparisons_in_scope, match_counts
from checks.uploads import MAX_BYTES
from core.errors import DomainError
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import has_capability, restrict_to_scope
from core.ui import ordered_page
from households.choices import ENTITLED_STATUSES
from households.models import Household
from households.selectors import head_name
from lifecycle.choices import ProcedureKind
from lifecycle.models import Procedure
from villages.models import Region

PER_PAGE = 20
MATCHES_PER_PAGE = 50
# What the county office does next after a refused upload, beside the service's sentence.
NEXT = {
    "invalid_upload": gettext_lazy("请按行号改正文件后重新上传；整份文件未写入任何数据。"),
    "conflict": gettext_lazy("同一文件不会重复比对：请打开该次比对查看结果，或上传新的数据。"),
}


def _readable(user) -> None:
    if not has_capability(user, Capability.READ_REGISTER):
        raise Http404


def _administered_regions(user) -> list[Region]:
    """Counties and townships where the user is the county office (where it may upload and set vetoes)."""
    return list(
        restrict_to_scope(
            Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]), user,
            Capability.COUNTY_ADMINISTRATION,
        ).order_by("code")
    )  # fmt: skip


def _settings_panel(user, regions: list[Region]) -> list[dict]:
    """For each county the user administers, every category with its veto flag (no setting: not a veto)."""
    counties = [region for region in regions if region.level == RegionLevel.COUNTY]
    saved = {
        (s.region_id, s.category): s
        for s in category_settings_in_scope(user=user, capability=Capability.COUNTY_ADMINISTRATION)
    }
    below = sorted(
        (s for (code, _category), s in saved.items() if code not in {c.code for c in counties}),
        key=lambda s: (s.region_id, s.category),
    )
    panels = []
    for county in counties:
        rows = []
        for category, label in DepartmentCategory.choices:
            setting = saved.get((county.code, category))
            rows.append({
                "category": category, "label": label, "rule": catalog.COMPARISON_CODES[category].code,
                "veto": bool(setting and setting.veto), "fixed": category == DepartmentCategory.DECEASED,
            })  # fmt: skip
        panels.append({"region": county, "rows": rows})
    return [{"panels": panels, "below": below}] if panels else []


def _list(request, *, form=None, status=200):
    user = request.user
    administers = has_capability(user, Capability.COUNTY_ADMINISTRATION)
    regions = _administered_regions(user) if administers else []
    if administers and form is None:
        form = ComparisonUploadForm(regions=regions)
    rows = comparisons_in_scope(user).select_related("region").order_by("-uploaded_at", "-id")  # region's name
    page = ordered_page(request, rows, size=PER_PAGE)
    context = {
        "form": form if administers else None,
        "page": page,
        "settings": _settings_panel(user, regions) if administers else [],
        "max_mb": MAX_BYTES // (1024 * 1024),
    }
    return render(request, "checks/comparisons/list.html", context, status=status)


@login_required
def comparisons(request):
    """Department lists uploaded in my regions; for the county office, the upload form and the veto settings."""
    _readable(request.user)
    return _list(request)


def _upload_errors(form, exc: DomainError) -> None:
    """The service's refusal beside the file: its sentence, each bad row by line, and what to do next."""
    form.add_error("file", f"{str(exc.detail).rstrip('。')}。{NEXT.get(exc.code, '')}")
    for key, problems in (exc.errors or {}).items():
        where = _("第 %(line)s 行") % {"line": key.split(".", 1)[1]} if key.startswith("rows.") else ""
        for problem in problems:
            form.add_error("file", f"{where}：{problem}" if where else str(problem))


@login_required
@require_POST
def comparison_upload(request):
    """Upload a department's list (CSV or XLSX): kept, matched against the register, findings and removals opened."""
    user = request.user
    _readable(user)
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION):
        raise PermissionDenied
    regions = _administered_regions(user)
    code = request.POST.get("region", "")
    if code and code not in {r.code for r in regions}:
        raise Http404  # a region the user does not administer does not exist for this form, as in the API
    form = ComparisonUploadForm(request.POST, request.FILES, regions=regions)
    if not form.is_valid():
        return _list(request, form=form)
    data = form.cleaned_data
    upload = data["file"]
    content = upload.read(MAX_BYTES + 1) if upload.size > MAX_BYTES else upload.read()
    try:
        result = services.comparison_upload(
            user=user, region=next(r for r in regions if r.code == data["region"]), department=data["department"],
            file_name=upload.name, content=content,
        )  # fmt: skip
    except DomainError as exc:
        _upload_errors(form, exc)
        return _list(request, form=form)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _list(request, form=form)
    comparison = result.comparison
    messages.success(
        request,
        _("已上传 %(rows)s 行，比中 %(matched)s 人，新提出 %(opened)s 个问题，发起清退 %(removals)s 户。") % {
            "rows": comparison.rows, "matched": comparison.matched, "opened": result.opened,
            "removals": len(result.removals),
        },
    )  # fmt: skip
    if result.removals_refused:
        numbers = Household.objects.in_bulk([r["household"] for r in result.removals_refused])
        for refused in result.removals_refused:
            household = numbers.get(refused["household"])
            messages.warning(
                request,
                _("户 %(number)s 未能发起清退：%(detail)s。该户的一票否决问题仍待整改，请在其程序办结后再发起清退。") % {
                    "number": household.number if household else refused["household"],
                    "detail": str(refused["detail"]).rstrip("。"),
                },
            )  # fmt: skip
    return redirect("comparison", pk=comparison.pk)


@login_required
@require_POST
def comparison_category(request):
    """Mark a department category veto (一票否决) in a county, or not (the county office)."""
    user = request.user
    _readable(user)
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION):
        raise PermissionDenied
    regions = {r.code: r for r in _administered_regions(user)}
    code = request.POST.get("region", "")
    if code and code not in regions:
        raise Http404
    form = CategorySettingForm(request.POST)
    if code and form.is_valid():
        data = form.cleaned_data
        try:
            services.category_setting_save(
                user=user, region=regions[code], category=data["category"], veto=data["veto"]
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            label = DepartmentCategory(data["category"]).label
            if data["veto"]:
                messages.success(
                    request,
                    _("%(category)s已设为一票否决：今后比中的户不能识别，贫困户和已脱贫户将发起清退。")
                    % {"category": label},
                )
            else:
                messages.success(request, _("%(category)s已取消一票否决：今后比中只提示核实。") % {"category": label})
    else:
        messages.error(request, _("类别无效，请刷新页面后重试。"))
    return redirect("comparisons")


def _matches(request, comparison):
    """The findings this list opened: member, household, category, veto, and the removal proposal it led to."""
    removal = Procedure.objects.filter(
        household=OuterRef("household_id"), kind=ProcedureKind.REMOVAL, created_at__gte=comparison.uploaded_at
    ).order_by("id")
    findings = (
        Finding.objects.filter(comparison=comparison)
        .select_related("household", "member", "village")  # number, name, village's name
        .annotate(
            head_name=head_name("household_id"),
            removal_id=Subquery(removal.values("pk")[:1]),
            removal_state=Subquery(removal.values("state")[:1]),
        )
        .order_by("severity", "village_id", "household__number", "id")  # "error" sorts before "warning"
    )
    page = ordered_page(request, findings, size=MATCHES_PER_PAGE)
    by_rule = {code.code: category for category, code in catalog.COMPARISON_CODES.items()}
    for finding in page:
        category = (finding.detail or {}).get("category") or by_rule.get(finding.rule, "")
        finding.category_label = (
            DepartmentCategory(category).label if category in DepartmentCategory.values else category
        )
        finding.veto = bool((finding.detail or {}).get("veto"))
        # A veto on a poor or exited household without a removal: the household had a procedure under way.
        finding.removal_held = finding.veto and not finding.removal_id and finding.household.status in ENTITLED_STATUSES
    return page


@login_required
def comparison(request, pk):
    """One uploaded list: who uploaded it, and its matches by category and household, with the vetoes' removals."""
    _readable(request.user)
    item = get_object_or_404(comparisons_in_scope(request.user).select_related("region"), pk=pk)
    by_rule = {code.code: category for category, code in catalog.COMPARISON_CODES.items()}
    summary = [
        {"label": DepartmentCategory(by_rule[rule]).label, "rule": rule, "error": severity == Severity.ERROR,
         "findings": findings, "open": still_open}
        for rule, severity, findings, still_open in match_counts(item)
        if rule in by_rule
    ]  # fmt: skip
    context = {"comparison": item, "summary": summary, "page": _matches(request, item)}
    return render(request, "checks/comparisons/detail.html", context)

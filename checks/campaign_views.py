"""The cross-check campaign pages (交叉互检, 核查回头看, 第三方评估, /campaigns/): create a campaign, assign its villages to
teams from other villages and draw the sample, the assigned teams' sample lists and their verification form (on a
phone), the report with its rates against the thresholds and the open rectifications, and close.

Scope as the API (checks.api.campaigns): campaigns and samples through checks.campaign_selectors (readers of the
region see everything, team members only their team's villages; anything else is 404). Every write is a service of
checks.campaigns: campaign_create, campaign_assign, verification_record, campaign_close; their refusals are shown
in words beside the button or form, with what to do next.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from checks import campaign_rules
from checks import campaign_selectors as selectors
from checks import campaigns as services
from checks.choices import CampaignState, Discrepancy
from checks.forms import CampaignForm, VerificationForm
from checks.models import CampaignSample, Verification
from core.errors import DomainError
from core.queries import count_of
from core.regions import RegionLevel
from core.roles import Capability
from core.scope import has_capability, is_unrestricted, restrict_to_scope
from core.ui import ordered_page
from villages.models import Region

PER_PAGE = 20
SAMPLES_PER_PAGE = 50
NEXT = {
    "cannot_rotate": gettext_lazy("请先在“帮扶 → 工作队”为至少两个村派驻工作队，再分组抽样。"),
    "transition_not_allowed": gettext_lazy("请刷新页面，查看活动的最新进度。"),
    "finding_open": gettext_lazy("请被核查村的工作队在“待整改问题”中整改这些问题，全部整改后再结束。"),
    "not_assigned_team": gettext_lazy("请由分配到该村的核查工作队成员登记；如分组有误，请联系县扶贫办。"),
    "conflict": gettext_lazy("该户已登记核查结果，不需要再登记。"),
    "permission_denied": gettext_lazy("请由县扶贫办办理。"),
}
THRESHOLDS = gettext_lazy("退出标准：错退率低于 2%，漏评率低于 2%，群众认可度不低于 90%。")


def _refusal(exc) -> str:
    """The service's sentence, then what to do next."""
    if isinstance(exc, DomainError):
        return f"{str(exc.detail).rstrip('。；')}。{NEXT.get(exc.code, '')}"
    return "；".join(str(m) for m in exc.messages).rstrip("。；") + "。"


def _campaign(request, pk):
    """A campaign the user may see (a reader of its region, or a member of a team assigned in it); else 404."""
    return get_object_or_404(selectors.campaigns_in_scope(user=request.user), pk=pk)


def _administers(user, campaign) -> bool:
    return has_capability(user, Capability.COUNTY_ADMINISTRATION, campaign.region_id)


def _campaign_regions(user) -> list[tuple[str, str]]:
    regions = restrict_to_scope(
        Region.objects.filter(level__in=[RegionLevel.COUNTY, RegionLevel.TOWNSHIP]), user,
        Capability.COUNTY_ADMINISTRATION,
    ).order_by("code").values_list("code", "name")  # fmt: skip
    return list(regions)


@login_required
def campaigns(request):
    """Campaigns in my regions and those my team was given villages in, newest first."""
    user = request.user
    if not (has_capability(user, Capability.READ_REGISTER) or has_capability(user, Capability.RECORD_ACTIVITY)):
        raise Http404
    rows = (
        selectors.campaigns_in_scope(user=user)
        .annotate(
            # Per row of the page (correlated subqueries), not a COUNT … GROUP BY over every campaign's samples.
            sampled=count_of(CampaignSample.objects.filter(campaign_id=OuterRef("pk"))),
            verified=count_of(Verification.objects.filter(sample__campaign_id=OuterRef("pk"))),
        )
        .order_by("-year", "-starts_on", "-id")
    )
    page = ordered_page(request, rows, size=PER_PAGE)
    context = {"page": page, "may_create": has_capability(user, Capability.COUNTY_ADMINISTRATION)}
    return render(request, "checks/campaigns/list.html", context)


@login_required
def campaign_new(request):
    """Open a campaign in draft (the county office)."""
    user = request.user
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION):
        raise PermissionDenied
    regions = _campaign_regions(user)
    today = timezone.localdate()
    form = CampaignForm(regions=regions, initial={"year": today.year, "kind": "cross_check", "sample_percent": 20})
    if request.method == "POST":
        code = request.POST.get("region", "")
        if code and code not in dict(regions):
            raise Http404  # a region the user does not administer does not exist here, as in the API
        form = CampaignForm(request.POST, regions=regions)
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    user=user, name=data["name"], kind=data["kind"], year=data["year"],
                    region=Region.objects.get(pk=data["region"]), sample_rate=data["sample_percent"] / Decimal(100),
                    starts_on=data["starts_on"], ends_on=data["ends_on"],
                )  # fmt: skip
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    field = "sample_percent" if field == "sample_rate" else field
                    form.add_error(field if field in form.fields else None, errors)
            except DomainError as exc:
                form.add_error(None, _refusal(exc))
            else:
                messages.success(request, _("已创建核查活动“%(name)s”：下一步请分组抽样。") % {"name": campaign.name})
                return redirect("campaign", pk=campaign.pk)
    return render(request, "checks/campaigns/new.html", {"form": form})


def _rate_cells(row: dict) -> list[dict]:
    """The rates of a report row, in the order the county is judged by, each with its threshold verdict."""
    meets = row["meets"]
    return [
        {"key": "accuracy", "value": row["accuracy_rate"], "meets": None},
        {"key": "wrong_exit", "value": row["wrong_exit_rate"], "meets": meets["wrong_exit"],
         "people": (row["wrongly_exited_people"], row["exited_people_verified"])},
        {"key": "missed", "value": row["missed_rate"], "meets": meets["missed"],
         "people": (row["missed_people"], row["non_registered_people_verified"])},
        {"key": "approval", "value": row["approval_rate"], "meets": meets["approval"]},
        {"key": "incidence", "value": row["comprehensive_incidence"], "meets": None},
    ]  # fmt: skip


def _report(campaign) -> dict:
    report = selectors.campaign_report(campaign=campaign)
    rows = [report, *report["children"]]
    for row in rows:
        row["cells"] = _rate_cells(row)
    return {"total": report, "children": report["children"], "thresholds": THRESHOLDS}


def _village_progress(campaign) -> dict[str, dict]:
    """Sampled and verified households per village (one grouped query)."""
    rows = (
        CampaignSample.objects.filter(campaign=campaign)
        .values("village_id")
        .annotate(sampled=Count("id"), verified=Count("verification"))
        .order_by()
    )
    return {row["village_id"]: row for row in rows}


def _page_context(request, campaign, *, refusal: dict | None = None) -> dict:
    user = request.user
    whole = selectors.reads_whole(user=user, campaign=campaign)
    context = {
        "campaign": campaign,
        "administers": _administers(user, campaign),
        "whole": whole,
        "refusal": refusal,
        "assignments": [],
        "samples": None,
        "report": None,
        "village": None,
    }
    if campaign.state == CampaignState.DRAFT:
        return context
    village = request.GET.get("village", "")
    if village and not (len(village) == 12 and village.isdigit()):
        raise Http404
    if whole:
        progress = _village_progress(campaign)
        assignments = list(selectors.assignments_of(campaign=campaign))
        for assignment in assignments:
            counts = progress.get(assignment.village_id, {})
            assignment.sampled = counts.get("sampled", 0)
            assignment.verified = counts.get("verified", 0)
        context["assignments"] = assignments
        context["report"] = _report(campaign)
    if not whole or village:
        samples = selectors.samples_for(user=user, campaign=campaign, village=village or None).select_related(
            "village"
        )  # the village's name
        context["samples"] = ordered_page(request, samples, size=SAMPLES_PER_PAGE)
        context["village"] = village
    return context


@login_required
def campaign(request, pk):
    """A campaign: its facts; the rotation with each village's progress and the report (readers of the region); the
    team's sample list (team members); assign and draw, or close (the county office)."""
    item = _campaign(request, pk)
    return render(request, "checks/campaigns/detail.html", _page_context(request, item))


def _admin_action(request, pk, act, done, *, section: str):
    """Run an administration service; its refusal is shown in the section of its button (nothing was written)."""
    item = _campaign(request, pk)
    if not _administers(request.user, item):
        raise PermissionDenied
    try:
        result = act(item)
    except (DomainError, ValidationError) as exc:
        refusal = {"section": section, "text": _refusal(exc)}
        return render(request, "checks/campaigns/detail.html", _page_context(request, item, refusal=refusal))
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect("campaign", pk=item.pk)


@login_required
@require_POST
def campaign_assign(request, pk):
    """Give each village to a team from another village and draw the sample (交叉分组与抽样)."""

    def done(counts):
        samples = counts["samples"]
        return _("已分组：%(villages)s 个村各由其他村的工作队核查；抽取未脱贫户 %(poor)s 户、已脱贫户 %(exited)s 户、非建档立卡户 %(other)s 户。") % {
            "villages": counts["assignments"], "poor": samples["poor"], "exited": samples["exited"],
            "other": samples["non_registered"],
        }  # fmt: skip

    return _admin_action(
        request, pk, lambda c: services.campaign_assign(user=request.user, campaign=c), done, section="assign"
    )


@login_required
@require_POST
def campaign_close(request, pk):
    """Close the campaign once every rectification is resolved (结束核查)."""
    return _admin_action(
        request, pk, lambda c: services.campaign_close(user=request.user, campaign=c), _("核查活动已结束。"),
        section="close",
    )


def _may_record(user, campaign, sample) -> bool:
    """Whether the form is offered: the campaign is under way and the user is on the team assigned to the village."""
    if campaign.state != CampaignState.ASSIGNED or not has_capability(user, Capability.RECORD_ACTIVITY):
        return False
    if is_unrestricted(user):
        return True
    team = services.assigned_team(campaign=campaign, village_id=sample.village_id)
    return team is not None and services.is_team_member(user=user, team_id=team.pk, during=campaign)


def _next_sample(user, campaign, sample):
    """The next sampled household of the user's list still to verify (the team walks from one to the next)."""
    return (
        selectors.samples_for(user=user, campaign=campaign)
        .filter(verification__isnull=True)
        .exclude(pk=sample.pk)
        .first()
    )


@login_required
def campaign_sample(request, pk, sample_pk):
    """One sampled household: its verification, or the form to record it (phone-friendly)."""
    user = request.user
    item = _campaign(request, pk)
    sample = get_object_or_404(selectors.samples_for(user=user, campaign=item).select_related("village"), pk=sample_pk)
    try:
        verification = sample.verification
    except Verification.DoesNotExist:
        verification = None
    may_record = verification is None and _may_record(user, item, sample)
    form = None
    refusal = ""
    if may_record:
        form = VerificationForm(group=sample.group, initial={"verified_on": min(timezone.localdate(), item.ends_on)})
    if request.method == "POST":
        if not has_capability(user, Capability.RECORD_ACTIVITY):
            raise PermissionDenied
        form = VerificationForm(request.POST, group=sample.group)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.verification_record(
                    user=user, campaign=item, sample=sample, verified_on=data["verified_on"],
                    accurate=data["accurate"], discrepancies=data["discrepancies"], note=data["note"],
                    approves=data["approves"],
                )  # fmt: skip
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except DomainError as exc:
                refusal = _refusal(exc)
                form.add_error(None, refusal)
            else:
                messages.success(request, _("已登记户 %(number)s 的核查结果。") % {"number": sample.household.number})
                following = _next_sample(user, item, sample)
                if following is not None:
                    return redirect("campaign-sample", pk=item.pk, sample_pk=following.pk)
                return redirect("campaign", pk=item.pk)
        may_record = True
    labels = dict(Discrepancy.choices)
    context = {
        "campaign": item,
        "sample": sample,
        "verification": verification,
        "discrepancy_labels": [labels.get(d, d) for d in (verification.discrepancies if verification else [])],
        "form": form if may_record else None,
        "refusal": refusal,
        "group_limits": campaign_rules.DISCREPANCY_GROUPS,
    }
    return render(request, "checks/campaigns/sample.html", context)

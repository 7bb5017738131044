"""Services of cross-check campaigns (交叉互检, 核查回头看, 第三方评估): every write goes through here.

Create a campaign, assign its villages to teams from other villages and draw the sample (one transaction),
record a team's verification of a sampled household (each discrepancy a finding for the home village to
rectify, 整改), and close the campaign once every rectification is resolved. The API, the admin and the demo
builder all call these.
"""

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import TeamMembership, WorkTeam
from checks import campaign_rules as rules
from checks import catalog
from checks.campaign_selectors import open_rectifications
from checks.choices import CampaignState, Discrepancy
from checks.findings import finding_raise, household_key
from checks.models import Campaign, CampaignAssignment, CampaignSample, Verification
from core.errors import DomainError
from core.regions import RegionLevel, significant_prefix
from core.roles import Capability
from core.scope import has_capability, is_unrestricted
from villages.models import Region

EDITABLE_WHILE_DRAFT = ("name", "starts_on", "ends_on")
SEED_LIMIT = 2**31 - 1  # the column is a PostgreSQL integer


def _invalid(field: str, message, code: str = "invalid") -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def _today() -> datetime.date:
    return timezone.localdate()


def _require_administration(user, campaign: Campaign) -> None:
    if not has_capability(user, Capability.COUNTY_ADMINISTRATION, campaign.region_id):
        raise DomainError("permission_denied", _("只有该区划的县扶贫办可以管理核查活动"), status=403)


def active_on(day: datetime.date, prefix: str = "") -> Q:
    """Rows whose period [starts_on, ends_on) covers the day (an open end runs for ever)."""
    return Q(**{f"{prefix}starts_on__lte": day}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gt": day})
    )


def _validate(campaign: Campaign) -> None:
    errors: dict[str, list] = {}
    if campaign.region_id and campaign.region.level == RegionLevel.VILLAGE:
        errors["region"] = [ValidationError(_("核查活动的区划须为乡镇或以上（村与村之间交叉核查）"), code="invalid")]
    if campaign.starts_on and campaign.ends_on and campaign.ends_on < campaign.starts_on:
        errors["ends_on"] = [ValidationError(_("结束日期不能早于开始日期"), code="invalid")]
    if errors:
        raise ValidationError(errors)
    campaign.full_clean()


@transaction.atomic
def campaign_create(
    *,
    user,
    name: str,
    kind: str,
    year: int,
    region: Region,
    sample_rate: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date,
    seed: int | None = None,
) -> Campaign:
    """Open a campaign (核查活动) over a region in draft; without a seed one is drawn and kept, for reproducibility."""
    campaign = Campaign(
        name=(name or "").strip(), kind=kind, year=year, region=region, sample_rate=sample_rate,
        starts_on=starts_on, ends_on=ends_on, created_by=user,
        seed=secrets.randbelow(SEED_LIMIT) if seed is None else seed,
    )  # fmt: skip
    _validate(campaign)
    _require_administration(user, campaign)
    campaign.save()
    return campaign


@transaction.atomic
def campaign_update(*, user, campaign: Campaign, data: dict) -> Campaign:
    """Rename a campaign or move its period (名称、时间), only while it is a draft."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_administration(user, campaign)
    unknown = sorted(set(data) - set(EDITABLE_WHILE_DRAFT))
    if unknown:
        raise ValidationError(
            {field: [ValidationError(_("该字段创建后不能修改"), code="invalid")] for field in unknown}
        )
    if campaign.state != CampaignState.DRAFT:
        raise DomainError(
            "transition_not_allowed",
            _("核查活动已分组抽样，名称和时间不能再修改（当前：%(state)s）") % {"state": campaign.get_state_display()},
        )
    for field, value in data.items():
        setattr(campaign, field, value.strip() if isinstance(value, str) else value)
    _validate(campaign)
    campaign.save()
    return campaign


@transaction.atomic
def campaign_assign(*, user, campaign: Campaign) -> dict:
    """Give each village to a team from another village and draw the sample (交叉分组与抽样), in one transaction.

    409 cannot_rotate when the region cannot rotate, 409 transition_not_allowed when already assigned; in
    both cases nothing is written. Returns the counts written.
    """
    campaign = Campaign.objects.select_for_update().select_related("region").get(pk=campaign.pk)
    _require_administration(user, campaign)
    if campaign.state != CampaignState.DRAFT:
        raise DomainError(
            "transition_not_allowed",
            _("核查活动已分组抽样，不能重新分组（当前：%(state)s）") % {"state": campaign.get_state_display()},
        )
    return assign_and_draw(campaign=campaign)


def assign_and_draw(*, campaign: Campaign) -> dict:
    """The rotation and the sample of a draft campaign, written set-based; the campaign is then `assigned`.

    Callers hold the campaign's lock inside a transaction (campaign_assign, the demo builder).
    """
    prefix = significant_prefix(campaign.region_id)
    villages = list(
        Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=prefix).values_list("code", flat=True)
    )
    teams = dict(
        WorkTeam.objects.filter(active_on(campaign.starts_on), village__code__startswith=prefix).values_list(
            "id", "village_id"
        )
    )
    try:
        rotation = rules.rotate(villages=villages, teams=teams, seed=campaign.seed)
    except rules.CannotRotate as exc:
        raise DomainError(
            "cannot_rotate",
            _(
                "无法交叉分组：%(region)s 在 %(day)s 有工作队的村不足两个（%(villages)s 个村，%(teams)s 支工作队），"
                "每个村都须由其他村的工作队核查"
            )
            % {"region": campaign.region.name, "day": campaign.starts_on, "villages": len(villages), "teams": len(teams)},
        ) from exc
    CampaignAssignment.objects.bulk_create(
        [CampaignAssignment(campaign=campaign, village_id=village, team_id=team) for village, team in sorted(rotation.items())]
    )
    samples = draw_sample(campaign=campaign)
    campaign.state = CampaignState.ASSIGNED
    campaign.save(update_fields=["state", "updated_at", "version"])
    return {"assignments": len(rotation), "samples": samples}


# The sample (抽样), in one INSERT … SELECT: per village and group, the first ⌈rate × n⌉ households by
# md5('<seed>:<id>') (checks.campaign_rules.sample_order / pick_sample say the same in Python).
_DRAW = """
    INSERT INTO checks_campaignsample (campaign_id, household_id, village_id, "group")
    SELECT %(campaign)s, ranked.id, ranked.village_id, ranked.grp
    FROM (
        SELECT h.id, h.village_id, g.grp,
               row_number() OVER (PARTITION BY h.village_id, g.grp
                                  ORDER BY md5(%(seed)s || ':' || h.id::text), h.id) AS position,
               count(*) OVER (PARTITION BY h.village_id, g.grp) AS population
        FROM households_household h
        CROSS JOIN LATERAL (
            SELECT CASE WHEN h.status IN ('poor', 'exited') THEN h.status ELSE 'non_registered' END AS grp
        ) g
        WHERE h.village_id LIKE %(prefix)s AND h.status IN ('poor', 'exited', '', 'rejected')
    ) ranked
    WHERE ranked.position <= ceil(%(rate)s::numeric * ranked.population)
    RETURNING "group"
"""


def draw_sample(*, campaign: Campaign) -> dict[str, int]:
    """Draw the campaign's sample (抽样户) set-based; returns how many households of each group."""
    params = {
        "campaign": campaign.pk,
        "seed": str(campaign.seed),
        "prefix": significant_prefix(campaign.region_id) + "%",
        "rate": str(campaign.sample_rate),
    }
    counts = dict.fromkeys(rules.GROUPS, 0)
    with connection.cursor() as cursor:
        cursor.execute(_DRAW, params)
        for (group,) in cursor.fetchall():
            counts[group] += 1
    return counts


# Verifications (核查结果) -------------------------------------------------------------------------------------------


def assigned_team(*, campaign: Campaign, village_id: str) -> WorkTeam | None:
    assignment = CampaignAssignment.objects.filter(campaign=campaign, village_id=village_id).select_related("team").first()
    return assignment.team if assignment else None


def overlapping(starts_on: datetime.date, ends_on: datetime.date, prefix: str = "") -> Q:
    """Rows whose period [starts_on, ends_on) meets the days starts_on … ends_on (both included)."""
    return Q(**{f"{prefix}starts_on__lte": ends_on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gt": starts_on})
    )


def is_team_member(*, user, team_id: int, day: datetime.date | None = None, during: Campaign | None = None) -> bool:
    """Whether the user is linked (Cadre.user) to a cadre with a membership of the team active on the day
    (or, with `during`, at some time in the campaign's period)."""
    if not getattr(user, "is_authenticated", False):
        return False
    period = active_on(day) if during is None else overlapping(during.starts_on, during.ends_on)
    return TeamMembership.objects.filter(period, team_id=team_id, cadre__user=user).exists()


def _not_assigned(sample: CampaignSample) -> DomainError:
    return DomainError(
        "not_assigned_team",
        _("只有分配到 %(village)s 的核查工作队成员可以登记该户的核查结果") % {"village": sample.village_id},
        status=403,
    )


def _validate_verification(
    *, campaign: Campaign, sample: CampaignSample, verified_on, accurate, discrepancies: list, note: str, approves
) -> None:
    errors: dict[str, list] = {}

    def add(field, message):
        errors.setdefault(field, []).append(ValidationError(message, code="invalid"))

    if verified_on is None:
        add("verified_on", _("须填写核查日期"))
    elif not campaign.starts_on <= verified_on <= campaign.ends_on:
        add("verified_on", _("核查日期须在活动期间（%(start)s 至 %(end)s）") % {"start": campaign.starts_on, "end": campaign.ends_on})
    elif verified_on > _today():
        add("verified_on", _("核查日期不能晚于今天"))
    if accurate is None:
        add("accurate", _("须说明信息是否准确"))
    if approves is None:
        add("approves", _("须填写群众是否认可"))
    unknown = [d for d in discrepancies if d not in Discrepancy.values]
    if unknown:
        add("discrepancies", _("未知的问题类型：%(codes)s") % {"codes": "、".join(map(str, unknown))})
    elif len(set(discrepancies)) != len(discrepancies):
        add("discrepancies", _("问题类型不能重复"))
    if accurate is True and discrepancies:
        add("discrepancies", _("信息准确时不填问题"))
    if accurate is False and not discrepancies:
        add("discrepancies", _("信息不准确时须选择至少一项问题"))
    if discrepancies and not (note or "").strip():
        add("note", _("发现问题时须填写说明"))
    if not unknown:
        wrong = rules.discrepancy_group_problems(group=sample.group, discrepancies=discrepancies)
        if wrong:
            add(
                "discrepancies",
                _("%(codes)s 不适用于%(group)s") % {
                    "codes": "、".join(str(Discrepancy(d).label) for d in wrong), "group": sample.get_group_display(),
                },
            )  # fmt: skip
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def verification_record(
    *,
    user,
    campaign: Campaign,
    sample: CampaignSample,
    verified_on: datetime.date,
    accurate: bool,
    discrepancies: list[str] | None = None,
    note: str = "",
    approves: bool,
) -> tuple[Verification, list]:
    """Record the assigned team's verification of a sampled household (核查结果) and raise its findings.

    Only a user linked to a member of the team assigned to the household's village, a member on the day
    (superusers aside), may record: anyone else is refused 403 not_assigned_team. One verification per
    sample (409). Each discrepancy opens a VER-* finding on the household for its home village to rectify
    (整改). Returns (verification, findings).
    """
    discrepancies = list(discrepancies or [])
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != CampaignState.ASSIGNED:
        raise DomainError(
            "transition_not_allowed",
            _("只有已分组抽样、未结束的核查活动可以登记核查结果（当前：%(state)s）") % {"state": campaign.get_state_display()},
        )
    sample = CampaignSample.objects.select_for_update(of=("self",)).select_related("household").filter(
        pk=sample.pk, campaign=campaign
    ).first()
    if sample is None:
        raise _invalid("sample", _("该户不在本次核查的抽样中"))
    team = assigned_team(campaign=campaign, village_id=sample.village_id)
    # Outsiders are refused before their input is looked at; members are then checked on the day itself.
    if team is None or not (is_unrestricted(user) or is_team_member(user=user, team_id=team.pk, during=campaign)):
        raise _not_assigned(sample)
    _validate_verification(
        campaign=campaign, sample=sample, verified_on=verified_on, accurate=accurate,
        discrepancies=discrepancies, note=note, approves=approves,
    )  # fmt: skip
    if not (is_unrestricted(user) or is_team_member(user=user, team_id=team.pk, day=verified_on)):
        raise _not_assigned(sample)
    if Verification.objects.filter(sample=sample).exists():
        raise DomainError("conflict", _("户 %(number)s 已登记核查结果") % {"number": sample.household.number})
    verification = Verification(
        sample=sample, team=team, verified_on=verified_on, accurate=accurate, discrepancies=discrepancies,
        note=(note or "").strip(), approves=approves, recorded_by=user,
    )  # fmt: skip
    verification.full_clean(exclude=["sample"])
    try:
        with transaction.atomic():
            verification.save()
    except IntegrityError as exc:  # recorded a moment ago by a teammate
        raise DomainError("conflict", _("户 %(number)s 已登记核查结果") % {"number": sample.household.number}) from exc
    findings = []
    for discrepancy in discrepancies:
        finding, _created = finding_raise(
            rule=catalog.VERIFICATION_CODES[discrepancy].code,
            key=household_key(sample.household_id),
            village_id=sample.household.village_id,
            household_id=sample.household_id,
            verification=verification,
            detail={
                "campaign": campaign.name, "campaign_id": campaign.pk, "discrepancy": discrepancy,
                "note": verification.note, "verified_on": verified_on.isoformat(),
            },
        )  # fmt: skip
        findings.append(finding)
    return verification, findings


@transaction.atomic
def campaign_close(*, user, campaign: Campaign) -> Campaign:
    """Close a campaign (结束核查) once every rectification its verifications raised is resolved (整改到位)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require_administration(user, campaign)
    if campaign.state != CampaignState.ASSIGNED:
        raise DomainError(
            "transition_not_allowed",
            _("只有已分组抽样的核查活动可以结束（当前：%(state)s）") % {"state": campaign.get_state_display()},
        )
    remaining = open_rectifications(campaign=campaign)
    if remaining:
        raise DomainError(
            "finding_open",
            _("还有 %(count)s 个核查问题未整改，不能结束核查活动") % {"count": remaining},
            errors={"findings": [{"code": "finding_open", "detail": _("未整改问题 %(count)s 个") % {"count": remaining}}]},
        )
    campaign.state = CampaignState.CLOSED
    campaign.save(update_fields=["state", "updated_at", "version"])
    return campaign

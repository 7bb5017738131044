"""The demo's 2017 cross-check campaign (2017年交叉互检) over the demo county (docs/demo.md, Helpers, help and checks).

Built through the same services as real use: the campaign is created and assigned by the demo county office
(checks.campaigns: the same rotation and the same set-based sample), then every sampled household gets a
verification in one INSERT … SELECT: accurate (the seed says 识别准确率达100%), approved by about 97 % of
households (认可度), dated in the campaign's period and recorded by a login linked to a member of the
assigned team (the team's first secretary first). Needs the demo's work teams (demo.cadres): one per village,
active on the campaign's start, with a member linked to a login.
"""

import datetime
from decimal import Decimal

import pghistory
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Q, Value, When

from cadres.choices import TeamRole
from cadres.models import TeamMembership, WorkTeam
from checks import campaigns as services
from checks.choices import CampaignKind
from checks.models import Campaign, CampaignAssignment, CategorySetting, Comparison, Finding, RuleRun, Verification
from checks.register_rules import run_rules
from core.models import RoleGrant
from core.regions import significant_prefix
from core.scope import forget_grants
from demo.regions import DEMO_COUNTY
from demo.register import DEMO_USERS
from villages.models import Region

DEMO_CAMPAIGN_NAME = "2017年镇赉县建档立卡交叉互检"
DEMO_CAMPAIGN_YEAR = 2017
DEMO_CAMPAIGN_SEED = 2017
DEMO_CAMPAIGN_PERIOD = (datetime.date(2017, 10, 9), datetime.date(2017, 11, 30))
# 15 % of each village's poor and of its exited households (at least one of each): about 3,200 of the county's
# 19,402 registered households, a few thousand verifications.
DEMO_SAMPLE_RATE = Decimal("0.15")
# Households approving of the work (群众认可度), in percent: well above the 90 % a county must reach.
DEMO_APPROVAL_PERCENT = 97

_ROLE_ORDER = Case(
    When(role=TeamRole.FIRST_SECRETARY, then=Value(0)),
    When(role=TeamRole.LEADER, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)

# Every sampled household verified accurate, on a day of the period and with approval drawn from md5 of the
# seed and the sample (deterministic), by the login chosen for its assigned team.
_VERIFY_ALL = """
    INSERT INTO checks_verification (sample_id, team_id, verified_on, accurate, discrepancies, note, approves,
                                     recorded_by_id, created_at, updated_at, version)
    SELECT s.id, a.team_id,
           %(start)s::date + (('x' || substr(md5(%(seed)s || ':day:' || s.id::text), 1, 7))::bit(28)::int %% %(days)s),
           true, '{}', '',
           (('x' || substr(md5(%(seed)s || ':approves:' || s.id::text), 1, 7))::bit(28)::int %% 100) < %(approval)s,
           r.user_id, now(), now(), 1
    FROM checks_campaignsample s
    JOIN checks_campaignassignment a ON a.campaign_id = s.campaign_id AND a.village_id = s.village_id
    JOIN unnest(%(teams)s::bigint[], %(users)s::integer[]) AS r(team_id, user_id) ON r.team_id = a.team_id
    WHERE s.campaign_id = %(campaign)s
"""


def _demo_county_officer(county: str):
    """The demo's county office user (demo.register), holding county_officer over the county built."""
    username, role = DEMO_USERS["county"]
    officer = get_user_model().objects.filter(username=username).first()
    if officer is None:  # as demo.register_build.ensure_demo_users makes it: an actor that cannot sign in
        officer = get_user_model()(username=username)
        officer.set_unusable_password()
        officer.save()
    RoleGrant.objects.get_or_create(user=officer, role=role, region_id=county)
    forget_grants(officer)
    return officer


def _recorders(*, campaign: Campaign) -> dict[int, int]:
    """For each assigned team, the login of a member (first secretary first) serving through the whole period."""
    teams = set(CampaignAssignment.objects.filter(campaign=campaign).values_list("team_id", flat=True))
    memberships = (
        TeamMembership.objects.filter(team_id__in=teams, cadre__user__isnull=False, starts_on__lte=campaign.starts_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=campaign.ends_on))
        .annotate(rank=_ROLE_ORDER)
        .order_by("team_id", "rank", "id")
        .values_list("team_id", "cadre__user_id")
    )
    recorders: dict[int, int] = {}
    for team_id, user_id in memberships:
        recorders.setdefault(team_id, user_id)
    missing = sorted(teams - set(recorders))
    if missing:
        raise ValueError(
            f"{len(missing)} assigned work teams have no member linked to a login for the whole campaign period "
            f"(teams {missing[:10]}…); link each team's first secretary to a user (demo.cadres)"
        )
    return recorders


def build_demo_campaign(*, command: str = "seed_demo", county: str = DEMO_COUNTY) -> dict:
    """Build the demo's 2017 cross-check campaign (交叉互检) over the county, all verified; returns the counts."""
    start, end = DEMO_CAMPAIGN_PERIOD
    with transaction.atomic(), pghistory.context(command=command):
        region = Region.objects.filter(code=county).first()
        if region is None:
            raise ValueError(f"the county {county} is not loaded; build the demo regions first")
        prefix = significant_prefix(county)
        if not WorkTeam.objects.filter(services.active_on(start), village__code__startswith=prefix).exists():
            raise ValueError(
                f"the county {county} has no work teams active on {start}: build the demo's work teams "
                "(demo.cadres) before the demo campaign"
            )
        if Campaign.objects.filter(region=region, year=DEMO_CAMPAIGN_YEAR, name=DEMO_CAMPAIGN_NAME).exists():
            raise ValueError(f"the demo campaign over {county} already exists; delete it first")
        officer = _demo_county_officer(county)
        campaign = services.campaign_create(
            user=officer, name=DEMO_CAMPAIGN_NAME, kind=CampaignKind.CROSS_CHECK, year=DEMO_CAMPAIGN_YEAR,
            region=region, sample_rate=DEMO_SAMPLE_RATE, starts_on=start, ends_on=end, seed=DEMO_CAMPAIGN_SEED,
        )  # fmt: skip
        counts = services.campaign_assign(user=officer, campaign=campaign)
        recorders = _recorders(campaign=campaign)
        with connection.cursor() as cursor:
            cursor.execute(
                _VERIFY_ALL,
                {
                    "campaign": campaign.pk,
                    "seed": str(campaign.seed),
                    "start": start,
                    "days": (end - start).days + 1,
                    "approval": DEMO_APPROVAL_PERCENT,
                    "teams": list(recorders),
                    "users": list(recorders.values()),
                },
            )
            verifications = cursor.rowcount
    return {
        "campaign": campaign.pk,
        "assignments": counts["assignments"],
        "samples": sum(counts["samples"].values()),
        "samples_by_group": counts["samples"],
        "verifications": verifications,
    }


def delete_demo_campaigns(*, command: str = "seed_demo", county: str = DEMO_COUNTY) -> dict:
    """Delete the campaigns over the county (their findings first: a finding protects its verification).

    Run before the demo register is deleted: a sample protects its household.
    """
    prefix = significant_prefix(county)
    with transaction.atomic(), pghistory.context(command=command):
        campaigns = Campaign.objects.filter(region__code__startswith=prefix)
        findings = Finding.objects.filter(verification__sample__campaign__in=campaigns).only("pk").delete()[0]
        verifications = Verification.objects.filter(sample__campaign__in=campaigns).only("pk").delete()[0]
        deleted = campaigns.only("pk").delete()[1]
    return {"findings": findings, "verifications": verifications, "campaigns": deleted.get("checks.Campaign", 0)}


# Data-quality texture: a few dozen warnings, no errors ------------------------------------------------------

DEMO_WARNINGS = 36

# Data-entry slips of the kind a real county has: the migrant worker's status was not recorded although the
# household's wages were (HH-5, a warning). They change no income and no exit evaluation.
_PLANT_HH5 = """
    UPDATE households_member m SET migrant_work = 'none', migrant_months = 0
    WHERE m.migrant_work <> 'none' AND m.household_id IN (
        SELECT h.id FROM households_household h
        JOIN LATERAL (SELECT r.wages FROM households_annualrecord r WHERE r.household_id = h.id
                      ORDER BY r.year DESC LIMIT 1) latest ON latest.wages > 0
        WHERE h.village_id LIKE %(prefix)s AND h.status IN ('poor', 'exited')
          AND EXISTS (SELECT 1 FROM households_member w WHERE w.household_id = h.id AND w.migrant_work <> 'none')
        ORDER BY md5(h.number || %(seed)s)
        LIMIT %(count)s)
"""


def build_demo_findings(*, command: str = "seed_demo", county: str = DEMO_COUNTY, seed: int = 2017) -> dict:
    """Plant the demo's data-entry slips and run every register rule over the county (规则校验); returns its counts."""
    with transaction.atomic(), pghistory.context(command=command), connection.cursor() as cursor:
        cursor.execute(_PLANT_HH5, {"prefix": significant_prefix(county) + "%", "seed": str(seed), "count": DEMO_WARNINGS})
        # The county was just written with COPY: fresh statistics, or the planner (autovacuum may be off)
        # plans the rules for the empty tables it last saw and a self-join runs for minutes.
        cursor.execute(
            "ANALYZE households_household, households_member, households_annualrecord, households_statuschange, "
            "cadres_pairing, cadres_cadre"
        )
    run = run_rules(region_code=county, trigger="demo")
    return {rule: counts["found"] for rule, counts in run.counts.items() if counts["found"]}


def delete_demo_checks(*, command: str = "seed_demo", county: str = DEMO_COUNTY) -> dict:
    """Delete everything cross-checking holds over the county: campaigns, findings, rule runs, comparisons and
    category settings (run before the cadres and the register are deleted: they protect what they refer to)."""
    counts = delete_demo_campaigns(command=command, county=county)
    prefix = significant_prefix(county)
    with transaction.atomic(), pghistory.context(command=command):
        counts["findings"] += Finding.objects.filter(village__code__startswith=prefix).only("pk").delete()[0]
        counts["rule_runs"] = RuleRun.objects.filter(region__code__startswith=prefix).delete()[0]
        counts["comparisons"] = Comparison.objects.filter(region__code__startswith=prefix).delete()[0]
        counts["category_settings"] = CategorySetting.objects.filter(region__code__startswith=prefix).delete()[0]
    return counts

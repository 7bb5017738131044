"""Reads of cross-check campaigns: the campaigns a user may see, a team's samples, and the report.

Scope: a campaign is visible to a user who may read the register over its region (READ_REGISTER), and to
the members of a team assigned in it (Cadre.user ↔ TeamMembership overlapping the campaign's period), who
see only the villages given to their team, outside their own grants. The report is read with a fixed
number of grouped queries, whatever the number of child regions.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cadres.models import TeamMembership
from checks import campaign_rules as rules
from checks import catalog
from checks.models import Campaign, CampaignAssignment, CampaignSample, Verification
from core.regions import PREFIX_LENGTH, child_level, significant_prefix
from core.roles import Capability
from core.scope import has_capability, region_prefixes
from households.selectors import head_name
from lifecycle.selectors import latest_change_sql
from villages.models import Region
from villages.selectors import LATEST_RURAL_POPULATION_SQL


def _memberships_during(*, user, campaign_ref) -> QuerySet:
    """Memberships of the user's cadre whose period meets the campaign's (campaign_ref: the campaign or OuterRef)."""
    starts = campaign_ref.starts_on if isinstance(campaign_ref, Campaign) else OuterRef(f"{campaign_ref}__starts_on")
    ends = campaign_ref.ends_on if isinstance(campaign_ref, Campaign) else OuterRef(f"{campaign_ref}__ends_on")
    return TeamMembership.objects.filter(cadre__user=user, starts_on__lte=ends).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=starts)
    )


def campaigns_in_scope(*, user) -> QuerySet:
    """Campaigns over a region the user reads, and campaigns in which the user's team was given villages."""
    campaigns = Campaign.objects.select_related("region", "created_by")
    prefixes = region_prefixes(user, Capability.READ_REGISTER)
    if prefixes is None:
        return campaigns
    if not getattr(user, "is_authenticated", False):
        return campaigns.none()
    teams = _memberships_during(user=user, campaign_ref="campaign").filter(team_id=OuterRef("team_id"))
    in_team = CampaignAssignment.objects.filter(campaign=OuterRef("pk")).filter(Exists(teams))
    condition = Q(Exists(in_team))
    for prefix in prefixes:
        condition |= Q(region__code__startswith=prefix)
    return campaigns.filter(condition)


def reads_whole(*, user, campaign: Campaign) -> bool:
    """Whether the user reads the register over the whole campaign region (not only a team's villages)."""
    return has_capability(user, Capability.READ_REGISTER, campaign.region_id)


def team_villages(*, user, campaign: Campaign) -> QuerySet:
    """Codes of the villages given in this campaign to the teams the user serves in (a subquery)."""
    teams = _memberships_during(user=user, campaign_ref=campaign).values("team_id")
    return CampaignAssignment.objects.filter(campaign=campaign, team_id__in=teams).values("village_id")


def assignments_of(*, campaign: Campaign) -> QuerySet:
    """The rotation (交叉分组): each village and the team that checks it."""
    return (
        CampaignAssignment.objects.filter(campaign=campaign)
        .select_related("village", "team__village", "team__unit")  # village, team's village and sending unit
        .order_by("village_id")
    )


def samples_for(*, user, campaign: Campaign, village: str | None = None) -> QuerySet:
    """Sampled households the user sees: all of them over a region the user reads, else the team's villages."""
    samples = (
        CampaignSample.objects.filter(campaign=campaign)
        .select_related("household", "verification")  # number; verified or not
        .annotate(head_name=head_name("household_id"))
        .order_by("village_id", "household__number", "id")
    )
    if not reads_whole(user=user, campaign=campaign):
        samples = samples.filter(village_id__in=team_villages(user=user, campaign=campaign))
    if village:
        samples = samples.filter(village_id=village)
    return samples


def verifications_for(*, user, campaign: Campaign, village: str | None = None) -> QuerySet:
    """Verifications the user sees, on the same terms as the samples."""
    verifications = (
        Verification.objects.filter(sample__campaign=campaign)
        .select_related("sample__household", "recorded_by")  # household number, who recorded
        .order_by("sample__village_id", "sample__household__number", "id")
    )
    if not reads_whole(user=user, campaign=campaign):
        verifications = verifications.filter(sample__village_id__in=team_villages(user=user, campaign=campaign))
    if village:
        verifications = verifications.filter(sample__village_id=village)
    return verifications


# Rectifications (整改) and the report -----------------------------------------------------------------------------

# Open findings raised by the campaign's verifications: the finding a verification opened, or the one already open
# for the same rule and household when it was recorded (finding_raise never opens a second one).
_OPEN_RECTIFICATIONS = """
    SELECT substr(s.village_id, 1, %(width)s) AS part, count(DISTINCT f.id)
    FROM checks_campaignsample s
    JOIN checks_verification v ON v.sample_id = s.id
    CROSS JOIN LATERAL unnest(v.discrepancies) AS d(slug)
    JOIN checks_finding f
      ON f.status = 'open'
     AND f.key = 'household:' || s.household_id::text
     AND f.rule = (%(codes)s::text[])[array_position(%(slugs)s::text[], d.slug::text)]
     AND (f.verification_id = v.id OR f.found_at <= v.created_at)
    WHERE s.campaign_id = %(campaign)s
    GROUP BY part
"""


def _open_rectifications_by_part(*, campaign: Campaign, width: int) -> dict[str, int]:
    slugs = list(catalog.VERIFICATION_CODES)
    params = {
        "width": width,
        "campaign": campaign.pk,
        "slugs": slugs,
        "codes": [catalog.VERIFICATION_CODES[slug].code for slug in slugs],
    }
    with connection.cursor() as cursor:
        cursor.execute(_OPEN_RECTIFICATIONS, params)
        return dict(cursor.fetchall())


def open_rectifications(*, campaign: Campaign) -> int:
    """How many findings raised by the campaign's verifications are still open (未整改)."""
    return sum(_open_rectifications_by_part(campaign=campaign, width=12).values())


# Households and people of the verified samples per part. The people of a sampled household are its members on the
# verification day (the household as the team found it); an unverified sample counts no one.
_SAMPLE_COUNTS = """
    SELECT substr(s.village_id, 1, %(width)s) AS part,
           count(*),
           count(v.id),
           count(*) FILTER (WHERE v.accurate),
           count(*) FILTER (WHERE v.approves),
           count(v.id) FILTER (WHERE s."group" = 'exited'),
           count(*) FILTER (WHERE s."group" = 'exited' AND 'wrongly_exited' = ANY(v.discrepancies)),
           count(v.id) FILTER (WHERE s."group" = 'non_registered'),
           count(*) FILTER (WHERE s."group" = 'non_registered' AND 'missed' = ANY(v.discrepancies)),
           coalesce(sum(p.people) FILTER (WHERE s."group" = 'exited'), 0)::bigint,
           coalesce(sum(p.people) FILTER (WHERE s."group" = 'exited' AND 'wrongly_exited' = ANY(v.discrepancies)), 0),
           coalesce(sum(p.people) FILTER (WHERE s."group" = 'non_registered'), 0)::bigint,
           coalesce(sum(p.people) FILTER (WHERE s."group" = 'non_registered' AND 'missed' = ANY(v.discrepancies)), 0)
    FROM checks_campaignsample s
    LEFT JOIN checks_verification v ON v.sample_id = s.id
    LEFT JOIN LATERAL (
        SELECT count(*) AS people FROM households_member m
        WHERE v.id IS NOT NULL AND m.household_id = s.household_id
          AND (m.joined_on IS NULL OR m.joined_on <= v.verified_on) AND (m.left_on IS NULL OR m.left_on > v.verified_on)
    ) p ON true
    WHERE s.campaign_id = %(campaign)s
    GROUP BY part
"""
_SAMPLE_FIELDS = (
    "sampled", "verified", "accurate", "approves", "exited_verified", "wrongly_exited", "non_registered_verified",
    "missed", "exited_people_verified", "wrongly_exited_people", "non_registered_people_verified", "missed_people",
)  # fmt: skip

# Households found wrongly exited or missed by this campaign: their people are counted as such, never also as poor.
_REGION_HOUSEHOLDS = "IN (SELECT id FROM households_household WHERE village_id LIKE %(pattern)s)"
_FOUND_POOR = """
    SELECT s.household_id FROM checks_campaignsample s JOIN checks_verification v ON v.sample_id = s.id
    WHERE s.campaign_id = %(campaign)s AND v.discrepancies && ARRAY['wrongly_exited', 'missed']::varchar[]
"""

# People of the region's households still poor on the reference day (the campaign's last day), members on that day.
_REMAINING_POOR = f"""
    SELECT substr(h.village_id, 1, %(width)s), count(m.id)
    FROM ({latest_change_sql(households=_REGION_HOUSEHOLDS)}) latest
    JOIN households_household h ON h.id = latest.household_id
    JOIN households_member m ON m.household_id = h.id
     AND (m.joined_on IS NULL OR m.joined_on <= %(day)s) AND (m.left_on IS NULL OR m.left_on > %(day)s)
    WHERE latest.status = 'poor' AND h.id NOT IN ({_FOUND_POOR})
    GROUP BY 1
"""  # noqa: S608 - our own constant SQL pieces; values are bound parameters

# Villages per part, and the rural registered population 户籍农业人口 of each one's latest year up to the campaign's.
_RURAL_POPULATION = f"""
    SELECT substr(r.code, 1, %(width)s), count(*), count(y.rural_population),
           coalesce(sum(y.rural_population), 0)::bigint
    FROM villages_region r
    {LATEST_RURAL_POPULATION_SQL}
    WHERE r.level = 'village' AND r.code LIKE %(pattern)s
    GROUP BY 1
"""  # noqa: S608 - our own constant SQL pieces; values are bound parameters


def _counts_by_part(*, campaign: Campaign, width: int) -> dict[str, rules.CampaignCounts]:
    """The campaign's counts by the first `width` digits of the village code, in three queries."""
    params = {
        "width": width,
        "campaign": campaign.pk,
        "day": campaign.ends_on,
        "year": campaign.year,
        "pattern": significant_prefix(campaign.region_id) + "%",
    }
    facts: dict[str, dict] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(_SAMPLE_COUNTS, params)
        for part, *values in cursor.fetchall():
            facts[part].update(zip(_SAMPLE_FIELDS, values, strict=True))
        cursor.execute(_REMAINING_POOR, params)
        for part, people in cursor.fetchall():
            facts[part]["poor_people"] = people
        cursor.execute(_RURAL_POPULATION, params)
        for part, villages, known, population in cursor.fetchall():
            facts[part].update(villages=villages, villages_with_population=known, rural_population=population)
    return {part: rules.CampaignCounts(**values) for part, values in facts.items()}


def campaign_report(*, campaign: Campaign) -> dict:
    """The campaign's figures for its region and each child region (识别准确率, 错退率, 漏评率, 群众认可度,
    综合贫困发生率, 整改).

    Five queries: the child regions; grouped by child region, the verification counts (households and people),
    the remaining poor people, the villages' rural population and the open rectifications. The region's row is
    the sum of its children's counts.
    """
    level = child_level(campaign.region.level)
    width = PREFIX_LENGTH[level] if level else 12
    children = list(Region.objects.filter(parent_id=campaign.region_id).order_by("code").only("code", "name", "level"))
    counts = _counts_by_part(campaign=campaign, width=width)
    open_by_part = _open_rectifications_by_part(campaign=campaign, width=width)
    for part, number in open_by_part.items():
        base = counts.get(part, rules.CampaignCounts())
        counts[part] = rules.CampaignCounts(**{**base.__dict__, "open_rectifications": number})

    def row(region, figures: rules.CampaignCounts) -> dict:
        return {
            "region": {"code": region.code, "name": region.name, "level": region.level},
            **figures.__dict__,
            **rules.campaign_rates(figures),
        }

    total = sum(counts.values(), rules.CampaignCounts())
    return {
        "campaign": campaign,
        **row(campaign.region, total),
        "children": [row(child, counts.get(child.code[:width], rules.CampaignCounts())) for child in children],
    }


def verification_counts(*, campaign: Campaign) -> dict:
    """Sampled and verified households of a campaign (two numbers, one query)."""
    return CampaignSample.objects.filter(campaign=campaign).aggregate(
        sampled=Count("id"), verified=Count("id", filter=Q(verification__isnull=False))
    )

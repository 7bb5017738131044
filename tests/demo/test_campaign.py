"""The demo county's cross-check campaign (demo.checks) on a small county of our own: built as real use builds one,
verified, deleted with its rows, refused without work teams."""

from datetime import date
from decimal import Decimal

import pytest

from checks import campaign_selectors as selectors
from checks import campaigns as services
from checks.models import Campaign, CampaignAssignment, CampaignSample, Verification
from demo.checks import build_demo_campaign, delete_demo_campaigns
from tests.checks import campaign_builders as cb
from tests.checks.campaign_builders import written
from tests.factories import make_region

pytestmark = pytest.mark.django_db

START, END = date(2017, 10, 9), date(2017, 11, 30)


@pytest.fixture
def small_county(db):
    """A county of our own (220899) with two townships of three villages, a team per village whose first secretary
    has a login, and households of each group."""
    from villages.models import Region

    villages = [f"220899{t}{v}" for t in ("100", "101") for v in ("201", "202", "203")]
    for code in villages:
        make_region(code)
        cb.make_team(code, user=cb.team_user(f"s{code}", code), starts_on=date(2016, 1, 1), ends_on=date(2018, 1, 1))
        cb.make_households(Region.objects.get(code=code), ["poor"] * 5 + ["exited"] * 8 + [""])
    return "220899000000"


def test_demo_campaign_verifies_every_sample_accurately_by_the_assigned_team(small_county):
    """The demo builder assigns and samples as real use does, then verifies every sample: accurate, in the period,
    recorded by a login linked to a member of the assigned team, approval well above 90 %."""
    counts = build_demo_campaign(county=small_county)

    campaign = Campaign.objects.get(pk=counts["campaign"])
    assert (campaign.kind, campaign.year, campaign.seed, campaign.state) == ("cross_check", 2017, 2017, "assigned")
    assert (campaign.starts_on, campaign.ends_on) == (START, END)
    verifications = Verification.objects.filter(sample__campaign=campaign).select_related("sample")
    assert counts["verifications"] == counts["samples"] == verifications.count() == CampaignSample.objects.count()
    assert all(v.accurate and not v.discrepancies for v in verifications)
    assert all(START <= v.verified_on <= END for v in verifications)
    for verification in verifications:
        assert services.is_team_member(user=verification.recorded_by, team_id=verification.team_id,
                                       day=verification.verified_on)  # fmt: skip
        assert verification.team_id == CampaignAssignment.objects.get(
            campaign=campaign, village_id=verification.sample.village_id
        ).team_id
    report = selectors.campaign_report(campaign=campaign)
    assert report["accuracy_rate"] == Decimal("1.0000")
    assert report["approval_rate"] >= Decimal("0.90")
    assert report["meets"]["all"] is True


def test_demo_campaign_is_built_once_and_deleted_with_its_rows(small_county):
    """A second build is refused while the campaign exists; delete_demo_campaigns removes it with its rows, and a
    rebuild gives the same sample (deterministic)."""
    first = build_demo_campaign(county=small_county)
    drawn = set(CampaignSample.objects.values_list("household_id", flat=True))
    with pytest.raises(ValueError, match="already exists"):
        build_demo_campaign(county=small_county)

    deleted = delete_demo_campaigns(county=small_county)

    assert deleted == {"findings": 0, "verifications": first["verifications"], "campaigns": 1}
    assert written() == {"campaigns": [], "assignments": 0, "samples": 0, "verifications": 0, "findings": 0}
    build_demo_campaign(county=small_county)
    assert set(CampaignSample.objects.values_list("household_id", flat=True)) == drawn


def test_demo_campaign_needs_work_teams(db):
    """A county without work teams gets a clear error naming what to build first, and nothing is written."""
    make_region("220898100201")

    with pytest.raises(ValueError, match="no work teams"):
        build_demo_campaign(county="220898000000")
    assert not Campaign.objects.exists()

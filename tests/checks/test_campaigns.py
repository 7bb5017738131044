"""Campaign services against the database: create, assign and draw, verifications and their findings, close.

The region is the test tree's county (townships A: villages A1, A2; B: village B1), with a work team in each village
whose first secretary is linked to a login, and households of each sample group.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from checks import campaign_rules as rules
from checks import campaign_selectors as selectors
from checks import campaigns as services
from checks import catalog
from checks.choices import CampaignState, Discrepancy, FindingStatus
from checks.findings import finding_resolve
from checks.models import Campaign, CampaignAssignment, CampaignSample, Verification
from core.errors import DomainError
from households.models import Household
from tests.checks import campaign_builders as cb
from tests.checks.campaign_builders import written
from tests.conftest import COUNTY, OTHER_COUNTY, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1

pytestmark = pytest.mark.django_db

START, END = date(2017, 10, 9), date(2017, 11, 30)
ON = date(2017, 10, 20)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def members(tree):
    """Logins of the first secretaries of the teams of A1, A2 and B1, by village."""
    return {code: cb.team_user(f"sec{code[-4:]}", code) for code in (VILLAGE_A1, VILLAGE_A2, VILLAGE_B1)}


@pytest.fixture
def teams(tree, members):
    """A work team in each village of the county, active since 2016."""
    return {code: cb.make_team(code, user=user) for code, user in members.items()}


@pytest.fixture
def homes(tree, users):
    """Households: A1 4 poor, 2 exited, 2 never registered; A2 3 poor, 2 exited; B1 3 poor, 1 exited, 1 rejected."""
    superuser = users["superuser"]
    return {
        VILLAGE_A1: cb.make_households(tree[VILLAGE_A1], ["poor"] * 4 + ["exited"] * 2 + ["", ""], user=superuser),
        VILLAGE_A2: cb.make_households(tree[VILLAGE_A2], ["poor"] * 3 + ["exited"] * 2, user=superuser),
        VILLAGE_B1: cb.make_households(tree[VILLAGE_B1], ["poor"] * 3 + ["exited", "rejected"], user=superuser),
    }


def new_campaign(users, *, region=COUNTY, rate="1", seed=7, name="2017年交叉互检", **kw) -> Campaign:
    from villages.models import Region

    return services.campaign_create(
        user=users["county_officer"], name=name, kind="cross_check", year=2017, region=Region.objects.get(code=region),
        sample_rate=Decimal(rate), starts_on=kw.pop("starts_on", START), ends_on=kw.pop("ends_on", END), seed=seed, **kw,
    )  # fmt: skip


@pytest.fixture
def campaign(users, teams, homes):
    """The county campaign at rate 1, assigned: every household of the three groups sampled."""
    campaign = new_campaign(users)
    services.campaign_assign(user=users["county_officer"], campaign=campaign)
    return Campaign.objects.get(pk=campaign.pk)


def sample_of(campaign, household) -> CampaignSample:
    return CampaignSample.objects.get(campaign=campaign, household=household)


def checker_of(campaign, village_code, members):
    """The login of the first secretary of the team assigned to the village."""
    team = CampaignAssignment.objects.get(campaign=campaign, village_id=village_code).team
    return next(user for code, user in members.items() if code == team.village_id)


def record(campaign, sample, user, **kw):
    data = {"verified_on": ON, "accurate": True, "discrepancies": [], "note": "", "approves": True, **kw}
    return services.verification_record(user=user, campaign=campaign, sample=sample, **data)


# Create ---------------------------------------------------------------------------------------------------------------


def test_create_opens_a_draft_campaign_with_its_seed(users, tree):
    """A county officer opens a campaign over the county: draft, with the given seed and who created it."""
    campaign = new_campaign(users, seed=2017)

    assert (campaign.state, campaign.seed, campaign.created_by) == ("draft", 2017, users["county_officer"])


def test_create_without_a_seed_draws_and_keeps_one(users, tree):
    """Without a seed one is drawn and stored, so the campaign stays reproducible."""
    campaign = new_campaign(users, seed=None)

    assert Campaign.objects.get(pk=campaign.pk).seed == campaign.seed


def test_create_over_a_village_is_refused(users, tree):
    """A campaign over a single village cannot cross-check: 400 on region, nothing written."""
    with pytest.raises(ValidationError) as refused:
        new_campaign(users, region=VILLAGE_A1)
    assert "region" in refused.value.error_dict
    assert not Campaign.objects.exists()


def test_create_outside_the_officers_county_is_403(users, tree):
    """A county officer cannot open a campaign over another county."""
    with pytest.raises(DomainError) as refused:
        new_campaign(users, region=OTHER_COUNTY)
    assert refused.value.status == 403
    assert not Campaign.objects.exists()


# Assign and draw -------------------------------------------------------------------------------------------------------


def test_assign_gives_every_village_a_team_of_another_village(campaign, teams):
    """After assignment each village has one team, never its own, and each team checks one village."""
    rotation = dict(CampaignAssignment.objects.filter(campaign=campaign).values_list("village_id", "team__village_id"))

    assert sorted(rotation) == [VILLAGE_A1, VILLAGE_A2, VILLAGE_B1]
    assert all(village != team_village for village, team_village in rotation.items())
    assert sorted(rotation.values()) == [VILLAGE_A1, VILLAGE_A2, VILLAGE_B1]
    assert campaign.state == CampaignState.ASSIGNED


def test_assign_is_reproducible_from_the_seed(users, teams, homes):
    """Two campaigns with the same seed get the same rotation and the same sample; the sample matches the pure pick."""
    officer = users["county_officer"]
    first, second = new_campaign(users, rate="0.5", seed=99), new_campaign(users, rate="0.5", seed=99, name="复核")
    services.campaign_assign(user=officer, campaign=first)
    services.campaign_assign(user=officer, campaign=second)

    def rotation(c):
        return set(CampaignAssignment.objects.filter(campaign=c).values_list("village_id", "team_id"))

    def drawn(c):
        return {s.household_id: (s.village_id, s.group) for s in CampaignSample.objects.filter(campaign=c)}

    assert rotation(first) == rotation(second)
    assert drawn(first) == drawn(second)
    facts = Household.objects.values_list("id", "village_id", "status")
    assert drawn(first) == rules.pick_sample(seed=99, rate=Decimal("0.5"), households=facts)


def test_sample_is_sized_by_the_rate_per_village_and_group(users, teams, homes):
    """At rate 0.5: A1 ⌈4/2⌉ poor, 1 exited, 1 non-registered; A2 2 poor, 1 exited; B1 2 poor, 1 exited, 1 rejected."""
    campaign = new_campaign(users, rate="0.5")

    counts = services.campaign_assign(user=users["county_officer"], campaign=campaign)

    cells = {}
    for sample in CampaignSample.objects.filter(campaign=campaign):
        cells[(sample.village_id, sample.group)] = cells.get((sample.village_id, sample.group), 0) + 1
    assert cells == {
        (VILLAGE_A1, "poor"): 2, (VILLAGE_A1, "exited"): 1, (VILLAGE_A1, "non_registered"): 1,
        (VILLAGE_A2, "poor"): 2, (VILLAGE_A2, "exited"): 1,
        (VILLAGE_B1, "poor"): 2, (VILLAGE_B1, "exited"): 1, (VILLAGE_B1, "non_registered"): 1,
    }  # fmt: skip
    assert counts == {"assignments": 3, "samples": {"poor": 6, "exited": 3, "non_registered": 2}}


def test_a_region_with_one_team_cannot_rotate_and_nothing_is_written(users, tree, homes):
    """Only village A1 has a team: 409 cannot_rotate, the campaign stays a draft, no assignment, no sample."""
    cb.make_team(VILLAGE_A1)
    campaign = new_campaign(users)
    before = written()

    with pytest.raises(DomainError) as refused:
        services.campaign_assign(user=users["county_officer"], campaign=campaign)

    assert (refused.value.code, refused.value.status) == ("cannot_rotate", 409)
    assert written() == before


def test_teams_not_active_on_the_start_do_not_count(users, tree, homes):
    """A team whose term ended before the campaign starts is not used: with one active team left, cannot rotate."""
    cb.make_team(VILLAGE_A1)
    cb.make_team(VILLAGE_A2, ends_on=date(2017, 6, 30))
    campaign = new_campaign(users)

    with pytest.raises(DomainError) as refused:
        services.campaign_assign(user=users["county_officer"], campaign=campaign)
    assert refused.value.code == "cannot_rotate"


def test_reassigning_an_assigned_campaign_is_409(campaign, users):
    """A second assignment is refused and leaves the first one as it was."""
    before = written()

    with pytest.raises(DomainError) as refused:
        services.campaign_assign(user=users["county_officer"], campaign=campaign)

    assert (refused.value.code, refused.value.status) == ("transition_not_allowed", 409)
    assert written() == before


def test_a_township_campaign_rotates_within_the_township(users, teams, homes):
    """Over township A (villages A1, A2), the two teams check each other's village."""
    campaign = new_campaign(users, region=TOWN_A)
    services.campaign_assign(user=users["county_officer"], campaign=campaign)

    rotation = dict(CampaignAssignment.objects.filter(campaign=campaign).values_list("village_id", "team__village_id"))
    assert rotation == {VILLAGE_A1: VILLAGE_A2, VILLAGE_A2: VILLAGE_A1}


# Verifications ----------------------------------------------------------------------------------------------------------


def test_the_assigned_team_records_an_accurate_verification(campaign, homes, members):
    """The first secretary of the team assigned to A1 verifies an A1 household: accurate, approving, no finding."""
    household = homes[VILLAGE_A1][0]
    checker = checker_of(campaign, VILLAGE_A1, members)

    verification, findings = record(campaign, sample_of(campaign, household), checker)

    assert (verification.accurate, verification.approves, verification.recorded_by) == (True, True, checker)
    assert verification.team == CampaignAssignment.objects.get(campaign=campaign, village_id=VILLAGE_A1).team
    assert findings == []


def test_a_user_of_another_team_is_refused_403_and_nothing_is_written(campaign, homes, members):
    """The secretary of A1's own team (or of any team not assigned to A1) cannot verify an A1 household."""
    assigned = CampaignAssignment.objects.get(campaign=campaign, village_id=VILLAGE_A1).team.village_id
    outsiders = [user for code, user in members.items() if code != assigned]
    before = written()

    for outsider in outsiders:
        with pytest.raises(DomainError) as refused:
            record(campaign, sample_of(campaign, homes[VILLAGE_A1][0]), outsider)
        assert (refused.value.code, refused.value.status) == ("not_assigned_team", 403)
    assert written() == before


def test_a_member_whose_membership_ended_is_refused(campaign, homes, members, tree):
    """A cadre of the assigned team who left before the verification day is refused 403 not_assigned_team."""
    team = CampaignAssignment.objects.get(campaign=campaign, village_id=VILLAGE_A1).team
    former = cb.team_user("former", team.village_id)
    cb.add_member(team, user=former, role="member", starts_on=date(2016, 1, 1), ends_on=date(2017, 10, 15))

    with pytest.raises(DomainError) as refused:
        record(campaign, sample_of(campaign, homes[VILLAGE_A1][0]), former, verified_on=date(2017, 10, 20))
    assert refused.value.code == "not_assigned_team"
    record(campaign, sample_of(campaign, homes[VILLAGE_A1][0]), former, verified_on=date(2017, 10, 10))


def test_a_discrepancy_raises_a_finding_for_the_home_village(campaign, homes, members):
    """A wrong exit found in an A1 household opens VER-WRONGLY-EXITED on it, for A1, naming the campaign and note."""
    household = homes[VILLAGE_A1][4]  # exited
    checker = checker_of(campaign, VILLAGE_A1, members)

    verification, [finding] = record(
        campaign, sample_of(campaign, household), checker, accurate=False, discrepancies=["wrongly_exited"],
        note="人均收入未达标", approves=False,
    )  # fmt: skip

    assert (finding.rule, finding.key, finding.village_id, finding.household_id) == (
        "VER-WRONGLY-EXITED", f"household:{household.pk}", VILLAGE_A1, household.pk,
    )  # fmt: skip
    assert (finding.severity, finding.source, finding.status, finding.verification) == (
        "error", "verification", "open", verification,
    )  # fmt: skip
    assert finding.detail["discrepancy"] == "wrongly_exited"
    assert catalog.message(finding.rule, finding.detail) == "2017年交叉互检：核查发现“错退”（人均收入未达标），请整改"


def test_the_finding_message_shows_the_discrepancy_label_in_english():
    """The detail holds the slug; the English reader sees the label in English."""
    detail = {"campaign": "2017 cross-check", "discrepancy": "member_mismatch", "note": "a son moved out"}
    with translation.override("en"):
        text = catalog.message("VER-MEMBER-MISMATCH", detail)
        label = str(Discrepancy.MEMBER_MISMATCH.label)
    assert "2017 cross-check" in text and "a son moved out" in text and label in text
    assert "member_mismatch" not in text


def test_two_discrepancies_raise_two_findings(campaign, homes, members):
    """Income misreported and members mismatched: two findings, one per code."""
    household = homes[VILLAGE_A2][0]

    _v, findings = record(
        campaign, sample_of(campaign, household), checker_of(campaign, VILLAGE_A2, members), accurate=False,
        discrepancies=["income_misreported", "member_mismatch"], note="外出务工收入未计",
    )  # fmt: skip

    assert sorted(f.rule for f in findings) == ["VER-INCOME-MISREPORTED", "VER-MEMBER-MISMATCH"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"verified_on": date(2017, 10, 8)}, "verified_on"),
        ({"verified_on": date(2017, 12, 1)}, "verified_on"),
        ({"accurate": True, "discrepancies": ["other"], "note": "x"}, "discrepancies"),
        ({"accurate": False, "discrepancies": []}, "discrepancies"),
        ({"accurate": False, "discrepancies": ["other"], "note": " "}, "note"),
        ({"accurate": False, "discrepancies": ["missed"], "note": "x"}, "discrepancies"),  # a poor household
        ({"accurate": False, "discrepancies": ["other", "other"], "note": "x"}, "discrepancies"),
        ({"accurate": False, "discrepancies": ["made_up"], "note": "x"}, "discrepancies"),
        ({"approves": None}, "approves"),
    ],
)
def test_bad_verifications_are_400_and_write_nothing(campaign, homes, members, changes, field):
    """Out of the period, accurate with discrepancies, discrepancies without a note or not fitting the group,
    repeated or unknown codes, approval missing: a field error, nothing written."""
    before = written()

    with pytest.raises(ValidationError) as refused:
        record(campaign, sample_of(campaign, homes[VILLAGE_A1][0]), checker_of(campaign, VILLAGE_A1, members), **changes)

    assert field in refused.value.error_dict
    assert written() == before


def test_a_verification_in_the_future_is_refused(users, teams, homes, members):
    """A campaign running into the future takes no verification dated after today."""
    from django.utils import timezone

    today = timezone.localdate()
    campaign = new_campaign(users, starts_on=date(2017, 1, 1), ends_on=date(today.year + 1, 12, 31))
    services.campaign_assign(user=users["county_officer"], campaign=campaign)

    with pytest.raises(ValidationError) as refused:
        record(campaign, sample_of(campaign, homes[VILLAGE_B1][0]), checker_of(campaign, VILLAGE_B1, members),
               verified_on=date(today.year + 1, 1, 1))  # fmt: skip
    assert "verified_on" in refused.value.error_dict


def test_a_second_verification_of_a_sample_is_409(campaign, homes, members):
    """One verification per sampled household."""
    sample, checker = sample_of(campaign, homes[VILLAGE_B1][0]), checker_of(campaign, VILLAGE_B1, members)
    record(campaign, sample, checker)

    with pytest.raises(DomainError) as refused:
        record(campaign, sample, checker)
    assert (refused.value.code, refused.value.status) == ("conflict", 409)
    assert Verification.objects.count() == 1


def test_a_draft_campaign_takes_no_verification(users, teams, homes, members):
    """Before assignment there is nothing to verify: 409."""
    campaign = new_campaign(users)
    with pytest.raises(DomainError) as refused:
        services.verification_record(
            user=members[VILLAGE_A1], campaign=campaign, sample=CampaignSample(pk=1), verified_on=ON, accurate=True,
            approves=True,
        )  # fmt: skip
    assert refused.value.code == "transition_not_allowed"


# Rectifications and close -------------------------------------------------------------------------------------------


def test_close_is_refused_while_a_rectification_is_open_then_allowed(campaign, homes, members, users):
    """With an open VER finding the campaign cannot close (409 finding_open); once it is fixed, it closes."""
    _v, [finding] = record(
        campaign, sample_of(campaign, homes[VILLAGE_A2][0]), checker_of(campaign, VILLAGE_A2, members),
        accurate=False, discrepancies=["id_error"], note="身份证号有误",
    )  # fmt: skip
    officer = users["county_officer"]

    with pytest.raises(DomainError) as refused:
        services.campaign_close(user=officer, campaign=campaign)
    assert (refused.value.code, refused.value.status) == ("finding_open", 409)
    assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.ASSIGNED

    finding_resolve(user=officer, finding=finding, status=FindingStatus.FIXED, resolution="已更正证件号")
    assert services.campaign_close(user=officer, campaign=campaign).state == CampaignState.CLOSED


def test_a_finding_already_open_from_an_earlier_campaign_counts_for_this_one(campaign, homes, members, users):
    """When the same problem is still open from an earlier campaign, the new verification's rectification is that
    finding: it counts as open here too, and is not opened twice."""
    household = homes[VILLAGE_B1][0]
    _v, [earlier] = record(campaign, sample_of(campaign, household), checker_of(campaign, VILLAGE_B1, members),
                           accurate=False, discrepancies=["other"], note="住房未核实")  # fmt: skip
    later = new_campaign(users, name="核查回头看", seed=8)
    services.campaign_assign(user=users["county_officer"], campaign=later)

    _v, [same] = record(later, sample_of(later, household), checker_of(later, VILLAGE_B1, members),
                        accurate=False, discrepancies=["other"], note="仍未核实")  # fmt: skip

    assert same == earlier
    assert selectors.open_rectifications(campaign=later) == 1


def test_an_accurate_campaign_closes_at_once(campaign, homes, members, users):
    """No discrepancy, nothing to rectify: the campaign closes."""
    record(campaign, sample_of(campaign, homes[VILLAGE_A1][0]), checker_of(campaign, VILLAGE_A1, members))

    assert services.campaign_close(user=users["county_officer"], campaign=campaign).state == CampaignState.CLOSED


# The report ---------------------------------------------------------------------------------------------------------------


def test_report_rows_add_up_per_township(campaign, homes, members):
    """Township A: 3 verified (1 exited wrongly exited, 1 non-registered missed, 2 approving); township B: 1."""
    a1, a2, b1 = homes[VILLAGE_A1], homes[VILLAGE_A2], homes[VILLAGE_B1]
    record(campaign, sample_of(campaign, a1[4]), checker_of(campaign, VILLAGE_A1, members), accurate=False,
           discrepancies=["wrongly_exited"], note="收入不达标", approves=False)  # fmt: skip
    record(campaign, sample_of(campaign, a1[6]), checker_of(campaign, VILLAGE_A1, members), accurate=False,
           discrepancies=["missed"], note="因病致贫未识别")  # fmt: skip
    record(campaign, sample_of(campaign, a2[0]), checker_of(campaign, VILLAGE_A2, members))
    record(campaign, sample_of(campaign, b1[0]), checker_of(campaign, VILLAGE_B1, members))

    report = selectors.campaign_report(campaign=campaign)

    town_a = report["children"][0]
    assert (town_a["region"]["code"], town_a["verified"], town_a["accurate"], town_a["approves"]) == (TOWN_A, 3, 1, 2)
    assert (town_a["wrong_exit_rate"], town_a["missed_rate"], town_a["open_rectifications"]) == (
        Decimal("1.0000"), Decimal("1.0000"), 2,
    )  # fmt: skip
    assert (report["sampled"], report["verified"], report["open_rectifications"]) == (18, 4, 2)
    assert report["accuracy_rate"] == Decimal("0.5000")
    assert report["meets"]["all"] is False



def test_report_counts_wrong_exits_and_missed_households_in_people_and_gives_the_comprehensive_incidence(
    users, teams, homes, members, tree
):
    """In A1 an exited household of 4 (its daughter joined after the verification day: 3 people that day) is found
    wrongly exited beside an accurate exited household of 1: 错退率 3 ÷ 4 people = 0.75 (0.5 in households); a
    non-registered household of 3 found missed beside an accurate one of 1: 漏评率 3 ÷ 4 = 0.75. Township A's
    综合贫困发生率 = (7 poor + 3 missed + 3 wrongly exited people) ÷ 1500 rural people = 0.0087; township B and the
    county are unknown (None) because B1 has no rural population on record."""
    from households.models import Member
    from lifecycle import services as lifecycle
    from tests.households import builders as b
    from villages.models import VillageYear

    a1 = tree[VILLAGE_A1]
    big_exited = b.make_household(village=a1, user=users["superuser"], members=[*b.family(490), b.daughter(490)],
                                  address="九组1号")  # fmt: skip
    lifecycle.status_record(user=None, household=big_exited, status="exited", on=date(2016, 12, 1))
    Member.objects.filter(household=big_exited, relation="04").update(joined_on=date(2017, 11, 1))
    missed = b.make_household(village=a1, user=users["superuser"], members=b.family(491), address="九组2号")
    VillageYear.objects.create(village_id=VILLAGE_A1, year=2016, rural_population=1000)
    VillageYear.objects.create(village_id=VILLAGE_A2, year=2017, rural_population=500)
    VillageYear.objects.create(village_id=VILLAGE_A2, year=2018, rural_population=9000)  # after the campaign year
    campaign = new_campaign(users)
    services.campaign_assign(user=users["county_officer"], campaign=campaign)
    checker = checker_of(campaign, VILLAGE_A1, members)
    record(campaign, sample_of(campaign, big_exited), checker, accurate=False, discrepancies=["wrongly_exited"],
           note="收入不达标")  # fmt: skip
    record(campaign, sample_of(campaign, homes[VILLAGE_A1][4]), checker)
    record(campaign, sample_of(campaign, missed), checker, accurate=False, discrepancies=["missed"], note="因病未识别")
    record(campaign, sample_of(campaign, homes[VILLAGE_A1][6]), checker)

    report = selectors.campaign_report(campaign=campaign)

    town_a, town_b = report["children"]
    assert (town_a["exited_verified"], town_a["wrongly_exited"]) == (2, 1)
    assert (town_a["exited_people_verified"], town_a["wrongly_exited_people"]) == (4, 3)
    assert (town_a["non_registered_people_verified"], town_a["missed_people"]) == (4, 3)
    assert (town_a["wrong_exit_rate"], town_a["missed_rate"]) == (Decimal("0.7500"), Decimal("0.7500"))
    assert (town_a["poor_people"], town_a["rural_population"]) == (7, 1500)
    assert town_a["comprehensive_incidence"] == Decimal("0.0087")
    assert (town_b["poor_people"], town_b["villages"], town_b["villages_with_population"]) == (3, 1, 0)
    assert town_b["comprehensive_incidence"] is None
    assert report["comprehensive_incidence"] is None
    assert report["wrong_exit_rate"] == Decimal("0.7500")

# Admin ----------------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["checks/campaign/", "checks/campaignassignment/", "checks/campaignsample/", "checks/verification/"]
)
def test_the_admin_lists_campaign_rows_in_scope_read_only(client, users, campaign, homes, members, path):
    """The county officer sees the campaign's rows in the admin and cannot add any; another county sees none."""
    record(campaign, sample_of(campaign, homes[VILLAGE_A1][0]), checker_of(campaign, VILLAGE_A1, members))
    client.force_login(users["county_officer"])

    response = client.get(f"/admin/{path}")
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    assert client.get(f"/admin/{path}add/").status_code == 403

    from tests.factories import UserFactory

    client.force_login(UserFactory(username="elsewhere", grants=[("county_officer", OTHER_COUNTY)]))
    assert client.get(f"/admin/{path}").context["cl"].result_count == 0


def test_the_admin_shows_a_campaign_without_a_way_to_change_it(client, users, campaign):
    """The change page of a campaign is a read-only view (no save button)."""
    client.force_login(users["county_officer"])

    response = client.get(f"/admin/checks/campaign/{campaign.pk}/change/")

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False

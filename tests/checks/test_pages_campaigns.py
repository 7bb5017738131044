"""The campaign pages 交叉核查 (/campaigns/…): create, assign and draw, the team's sample list and verification form,
the report's rates as percentages against the thresholds, close; scope as the API, refusals in words, nothing typed
lost, pinned queries."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from checks import campaigns as services
from checks.choices import FindingStatus
from checks.findings import finding_resolve
from checks.models import Campaign, CampaignAssignment, CampaignSample, Finding, Verification
from tests.checks import campaign_builders as cb
from tests.conftest import COUNTY, OTHER_COUNTY, TOWN_A, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1

pytestmark = pytest.mark.django_db

URL = "/campaigns/"
NEW = "/campaigns/new/"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def officer(users):
    return users["county_officer"]


@pytest.fixture
def members(tree):
    return {code: cb.team_user(f"sec{code[-4:]}", code) for code in (VILLAGE_A1, VILLAGE_A2, VILLAGE_B1)}


@pytest.fixture
def teams(tree, members):
    return {code: cb.make_team(code, user=user) for code, user in members.items()}


@pytest.fixture
def homes(tree, users):
    superuser = users["superuser"]
    return {
        VILLAGE_A1: cb.make_households(tree[VILLAGE_A1], ["poor", "exited", "exited", ""], user=superuser),
        VILLAGE_A2: cb.make_households(tree[VILLAGE_A2], ["poor", "exited"], user=superuser),
        VILLAGE_B1: cb.make_households(tree[VILLAGE_B1], ["poor", "exited"], user=superuser),
    }


@pytest.fixture
def draft(officer, tree):
    return services.campaign_create(
        user=officer, name="2017年交叉互检", kind="cross_check", year=2017, region=tree[COUNTY],
        sample_rate=1, starts_on=date(2017, 10, 9), ends_on=date(2017, 11, 30), seed=7,
    )  # fmt: skip


@pytest.fixture
def campaign(draft, officer, teams, homes):
    services.campaign_assign(user=officer, campaign=draft)
    return Campaign.objects.get(pk=draft.pk)


def checker(campaign, village, members):
    return members[CampaignAssignment.objects.get(campaign=campaign, village_id=village).team.village_id]


def sample_of(campaign, household) -> CampaignSample:
    return CampaignSample.objects.get(campaign=campaign, household=household)


def sample_url(campaign, sample) -> str:
    return f"/campaigns/{campaign.pk}/samples/{sample.pk}/"


def written() -> dict:
    return {
        "campaigns": list(Campaign.objects.order_by("id").values_list("id", "name", "state", "version")),
        "assignments": CampaignAssignment.objects.count(),
        "verifications": Verification.objects.count(),
        "findings": Finding.objects.count(),
    }


def test_the_url_names():
    assert reverse("campaigns") == URL and reverse("campaign-new") == NEW
    assert reverse("campaign", kwargs={"pk": 3}) == "/campaigns/3/"
    assert reverse("campaign-sample", kwargs={"pk": 3, "sample_pk": 4}) == "/campaigns/3/samples/4/"


def test_the_county_office_creates_a_campaign_with_a_percentage(client, officer, tree):
    client.force_login(officer)
    response = client.post(NEW, {
        "name": "2017年交叉互检", "kind": "look_back", "year": 2017, "region": COUNTY, "sample_percent": "25",
        "starts_on": "2017-10-09", "ends_on": "2017-11-30",
    })  # fmt: skip
    created = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{created.pk}/"
    assert (created.kind, str(created.sample_rate), created.state, created.created_by) == (
        "look_back",
        "0.2500",
        "draft",
        officer,
    )
    page = client.get(response["Location"]).content.decode()
    assert "核查回头看" in page and "抽样 25%" in page and "2017年10月9日" in page and 'id="assign-button"' in page


def test_bad_input_is_marked_beside_the_fields_and_kept(client, officer, tree):
    client.force_login(officer)
    response = client.post(NEW, {
        "name": "秋季核查", "kind": "cross_check", "year": 2017, "region": COUNTY, "sample_percent": "150",
        "starts_on": "2017-11-30", "ends_on": "2017-10-09",
    })  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("is-invalid") >= 2 and "结束日期不能早于开始日期" in html
    assert 'value="秋季核查"' in html  # nothing typed lost
    response = client.post(NEW, {"name": "村级核查", "kind": "cross_check", "year": 2017, "region": VILLAGE_A1,
                                 "sample_percent": "20", "starts_on": "2017-10-09", "ends_on": "2017-11-30"})  # fmt: skip
    assert response.status_code == 404  # a village is not a campaign region offered; nothing of it exists here
    assert not Campaign.objects.exists()


def test_only_the_county_office_creates_and_another_county_is_404(client, users, tree):
    client.force_login(users["township_reviewer"])
    assert client.get(NEW).status_code == 403
    client.force_login(users["county_officer"])
    response = client.post(NEW, {"name": "x", "kind": "cross_check", "year": 2017, "region": OTHER_COUNTY,
                                 "sample_percent": "20", "starts_on": "2017-10-09", "ends_on": "2017-11-30"})  # fmt: skip
    assert response.status_code == 404 and not Campaign.objects.exists()


def test_assigning_shows_the_rotation_with_teams_from_other_villages(client, officer, draft, teams, homes):
    client.force_login(officer)
    response = client.post(f"/campaigns/{draft.pk}/assign/", follow=True)
    html = response.content.decode()
    assert "已分组：3 个村各由其他村的工作队核查" in html and "已分组抽样" in html
    for assignment in CampaignAssignment.objects.filter(campaign=draft).select_related("team__village"):
        assert assignment.team.village_id != assignment.village_id
        assert f'data-village="{assignment.village_id}"' in html
    assert 'id="report"' in html and 'id="close-button"' in html


def test_a_region_that_cannot_rotate_is_refused_in_words_with_what_to_do(client, officer, draft, homes):
    """No work team anywhere: nothing written, the refusal names the region and what to do next."""
    before = written()
    client.force_login(officer)
    response = client.post(f"/campaigns/{draft.pk}/assign/")
    html = response.content.decode()
    assert response.status_code == 200 and 'id="assign-refusal"' in html  # beside the button
    assert "无法交叉分组" in html and "请先在“帮扶 → 工作队”为至少两个村派驻工作队" in html
    assert written() == before


def test_a_team_sees_only_its_samples_and_records_a_verification_with_a_finding(client, campaign, members, homes):
    """The checker of A1 sees A1's sampled households only; recording a wrong exit opens a finding for A1, and the
    form moves on to the next household still to verify."""
    user = checker(campaign, VILLAGE_A1, members)
    client.force_login(user)
    html = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert html.count('class="list-group-item sample-line') == 4  # A1's four households, nobody else's
    assert 'id="report"' not in html  # a team member does not read the whole region
    exited = homes[VILLAGE_A1][1]
    sample = sample_of(campaign, exited)
    page = client.get(sample_url(campaign, sample)).content.decode()
    assert (
        'id="verification-form"' in page and "错退" in page and "漏评" not in page
    )  # only what fits an exited household
    response = client.post(sample_url(campaign, sample), {
        "verified_on": "2017-10-20", "accurate": "no", "discrepancies": ["wrongly_exited"], "note": "家中有重病人，收入不达标",
        "approves": "yes",
    })  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].startswith(f"/campaigns/{campaign.pk}/samples/")
    verification = Verification.objects.get(sample=sample)
    assert (verification.accurate, verification.discrepancies, verification.recorded_by) == (
        False,
        ["wrongly_exited"],
        user,
    )
    assert Finding.objects.get(verification=verification).rule == "VER-WRONGLY-EXITED"
    page = client.get(sample_url(campaign, sample)).content.decode()
    assert 'id="verification-form"' not in page and "错退" in page and "家中有重病人" in page


def test_a_verification_with_a_problem_but_no_note_is_refused_and_kept(client, campaign, members, homes):
    user = checker(campaign, VILLAGE_A1, members)
    client.force_login(user)
    sample = sample_of(campaign, homes[VILLAGE_A1][0])
    before = written()
    response = client.post(sample_url(campaign, sample), {
        "verified_on": "2017-10-20", "accurate": "no", "discrepancies": ["income_misreported"], "note": " ", "approves": "no",
    })  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200 and "发现问题时须填写说明" in html
    assert 'value="income_misreported"' in html and "checked" in html
    assert written() == before


def test_another_team_is_refused_in_words_and_cannot_see_foreign_samples(client, campaign, members, homes, users):
    a1_checker = checker(campaign, VILLAGE_A1, members)
    outsider = next(user for user in members.values() if user != a1_checker)
    sample = sample_of(campaign, homes[VILLAGE_A1][0])
    client.force_login(outsider)
    visible = CampaignSample.objects.filter(campaign=campaign, pk=sample.pk, village_id__in=CampaignAssignment.objects.filter(
        campaign=campaign, team__memberships__cadre__user=outsider).values("village_id")).exists()  # fmt: skip
    assert not visible
    assert client.get(sample_url(campaign, sample)).status_code == 404
    before = written()
    assert (
        client.post(
            sample_url(campaign, sample), {"verified_on": "2017-10-20", "accurate": "yes", "approves": "yes"}
        ).status_code
        == 404
    )
    # The county officer reads every sample but is not on the team: no form, and a post is refused in words.
    client.force_login(users["county_officer"])
    page = client.get(sample_url(campaign, sample)).content.decode()
    assert 'id="verification-form"' not in page and 'id="not-recordable"' in page
    html = client.post(
        sample_url(campaign, sample), {"verified_on": "2017-10-20", "accurate": "yes", "approves": "yes"}
    ).content.decode()
    assert "只有分配到" in html and "请由分配到该村的核查工作队成员登记" in html
    assert written() == before


def test_the_report_shows_rates_as_percentages_against_the_thresholds_and_closing_waits_for_rectification(
    client, campaign, members, homes, officer
):
    """One of A1's two exited households (one person each) is wrongly exited: 错退率 50.00%, not met; closing is
    refused while its finding is open, and succeeds once it is fixed."""
    for household in homes[VILLAGE_A1]:
        sample = sample_of(campaign, household)
        wrong = household == homes[VILLAGE_A1][1]
        services.verification_record(
            user=checker(campaign, VILLAGE_A1, members), campaign=campaign, sample=sample, verified_on=date(2017, 10, 20),
            accurate=not wrong, discrepancies=["wrongly_exited"] if wrong else [], note="错退" if wrong else "",
            approves=True,
        )  # fmt: skip
    client.force_login(officer)
    html = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "50.00%" in html and "✗ 未达标" in html and "1 / 2 人" in html
    assert "100.00%" in html  # approval
    assert "还有 1 个核查问题未整改" in html
    assert "未达到退出标准" in html
    response = client.post(f"/campaigns/{campaign.pk}/close/", follow=True)
    assert "还有 1 个核查问题未整改，不能结束核查活动" in response.content.decode()
    assert "请被核查村的工作队在“待整改问题”中整改这些问题" in response.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).state == "assigned"
    finding = Finding.objects.get(rule="VER-WRONGLY-EXITED")
    finding_resolve(user=officer, finding=finding, status=FindingStatus.FIXED, resolution="已返贫纳入")
    html = client.post(f"/campaigns/{campaign.pk}/close/", follow=True).content.decode()
    assert "核查活动已结束" in html and Campaign.objects.get(pk=campaign.pk).state == "closed"


def test_scope_of_the_campaign_pages(client, users, tree, draft):
    far = services.campaign_create(
        user=users["superuser"], name="邻县核查", kind="cross_check", year=2017, region=tree[OTHER_COUNTY],
        sample_rate=1, starts_on=date(2017, 10, 9), ends_on=date(2017, 11, 30), seed=1,
    )  # fmt: skip
    client.force_login(users["county_officer"])
    assert client.get(f"/campaigns/{far.pk}/").status_code == 404
    assert client.post(f"/campaigns/{far.pk}/assign/").status_code == 404
    html = client.get(URL).content.decode()
    assert f'data-campaign="{draft.pk}"' in html and f'data-campaign="{far.pk}"' not in html
    client.force_login(users["village_team"])  # reads village A1 only, on no team: the county's campaign is not theirs
    assert client.get(f"/campaigns/{draft.pk}/").status_code == 404
    client.force_login(users["inspector"])  # reads the county, administers nothing
    assert client.get(f"/campaigns/{draft.pk}/").status_code == 200
    assert client.post(f"/campaigns/{draft.pk}/assign/").status_code == 403
    client.force_login(users["nobody"])
    assert client.get(URL).status_code == 404
    assert TOWN_A  # the township reviewer's scope is tested by the permission matrix


@pytest.mark.parametrize("households", [3, 30])
def test_the_pages_cost_the_same_for_any_number_of_households(
    client, officer, draft, teams, tree, users, members, households, django_assert_num_queries
):
    cb.make_households(tree[VILLAGE_A1], ["poor"] * households, user=users["superuser"])
    cb.make_households(tree[VILLAGE_A2], ["exited"] * households, user=users["superuser"])
    services.campaign_assign(user=officer, campaign=draft)
    client.force_login(officer)
    client.get(f"/campaigns/{draft.pk}/")
    with django_assert_num_queries(11):  # session, user, grants, campaign, progress, rotation, report (five)
        client.get(f"/campaigns/{draft.pk}/")
    with django_assert_num_queries(4):  # session, user, grants, page (keyset: no count)
        client.get(URL)
    user = checker(draft, VILLAGE_A1, members)
    client.force_login(user)
    client.get(f"/campaigns/{draft.pk}/")
    with django_assert_num_queries(5):  # session, user, grants, campaign, page of samples (keyset: no count)
        html = client.get(f"/campaigns/{draft.pk}/").content.decode()
    assert html.count('class="list-group-item sample-line') == households
    sample = CampaignSample.objects.filter(campaign=draft, village_id=VILLAGE_A1).first()
    with django_assert_num_queries(7):  # session, user, grants, campaign, sample, assigned team, membership
        client.get(sample_url(draft, sample))


def test_the_sample_page_by_role(client, users, campaign, homes, members):
    """The page of a sampled household, for each role of the fixture (the matrix's world holds no sample): readers of
    the county see it without a form; the A1 reviewer and team, on no assigned team, do not see it; nobody neither."""
    sample = sample_of(campaign, homes[VILLAGE_A1][0])
    expected = {"county_officer": 200, "inspector": 200, "superuser": 200, "township_reviewer": 404,
                "village_team": 404, "api_client": 404, "nobody": 404}  # fmt: skip
    for role, status in expected.items():
        client.force_login(users[role])
        response = client.get(sample_url(campaign, sample))
        assert response.status_code == status, role
        if status == 200:
            assert ('id="verification-form"' in response.content.decode()) == (role == "superuser"), role
    client.force_login(users["inspector"])  # reads, records nothing
    assert client.post(sample_url(campaign, sample), {"accurate": "yes"}).status_code == 403
    client.force_login(checker(campaign, VILLAGE_A1, members))
    assert 'id="verification-form"' in client.get(sample_url(campaign, sample)).content.decode()

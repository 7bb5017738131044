"""A cross-check campaign from creation to report in a real browser (issue 16): the county office creates it and
assigns the teams, a team member records its verifications on a phone-width screen, the county office reads the
report's rates against the thresholds, is refused closing while a rectification is open, then closes. Screenshots of
every page at 390 and 1366 px; the rule-check and comparison pages too."""

import datetime

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from checks.choices import FindingStatus
from checks.findings import finding_resolve
from checks.models import Campaign, CampaignAssignment, Finding, Verification
from tests.browser.helpers import PHONE, next_page, screenshots, set_width, sideways_overflow, sign_in
from tests.checks import campaign_builders as cb
from tests.conftest import COUNTY, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)


def type_date(browser, element_id: str, day: datetime.date):
    """A date input's value as the form posts it (typing into it follows the browser's locale)."""
    browser.execute_script("arguments[0].value = arguments[1]", browser.find_element(By.ID, element_id), day.isoformat())


def submit(browser, element_id: str):
    with next_page(browser):
        press(browser, browser.find_element(By.ID, element_id))


def test_a_campaign_from_creation_to_report(page, users, tree, tmp_path):
    members = {code: cb.team_user(f"sec{code[-4:]}", code) for code in (VILLAGE_A1, VILLAGE_A2, VILLAGE_B1)}
    for code, user in members.items():
        cb.make_team(code, user=user)
    superuser = users["superuser"]
    a1 = cb.make_households(tree[VILLAGE_A1], ["poor", "exited", "exited", ""], user=superuser)
    cb.make_households(tree[VILLAGE_A2], ["poor", "exited"], user=superuser)
    cb.make_households(tree[VILLAGE_B1], ["poor", "exited"], user=superuser)
    today = timezone.localdate()
    wrong_exit = a1[1]

    # The county office creates the campaign and assigns the teams.
    browser = sign_in(page, "county")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/checks/"]').click()
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, 'a.nav-link[href="/campaigns/"]').click()
    with next_page(browser):
        browser.find_element(By.ID, "new-campaign").click()
    browser.find_element(By.ID, "id_name").send_keys(f"{today.year}年交叉互检")
    Select(browser.find_element(By.ID, "id_kind")).select_by_value("cross_check")
    Select(browser.find_element(By.ID, "id_region")).select_by_value(COUNTY)
    percent = browser.find_element(By.ID, "id_sample_percent")
    percent.clear()
    percent.send_keys("100")
    type_date(browser, "id_starts_on", today - datetime.timedelta(days=30))
    type_date(browser, "id_ends_on", today + datetime.timedelta(days=30))
    screenshots(browser, "campaign-new")
    submit(browser, "create-campaign")
    campaign = Campaign.objects.get()
    assert browser.current_url.endswith(f"/campaigns/{campaign.pk}/")
    assert "筹备" in browser.find_element(By.ID, "campaign-state").text
    screenshots(browser, "campaign-draft")
    submit(browser, "assign-button")
    assert "已分组：3 个村" in browser.find_element(By.CSS_SELECTOR, ".alert-success").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#assignments .assignment-line")
    assert len(rows) == 3
    screenshots(browser, "campaign-assigned")
    with next_page(browser):
        press(browser, browser.find_element(By.ID, "logout-button"))

    # The team given village A1 records its four households on a phone.
    team_village = CampaignAssignment.objects.get(campaign=campaign, village_id=VILLAGE_A1).team.village_id
    checker = members[team_village]
    browser = sign_in(page, checker.username)
    set_width(browser, PHONE)
    try:
        page("/campaigns/")
        with next_page(browser):
            browser.find_element(By.CSS_SELECTOR, f'[data-campaign="{campaign.pk}"]').click()
        samples = browser.find_elements(By.CSS_SELECTOR, "#samples .sample-line")
        assert len(samples) == 4
        assert sideways_overflow(browser) == 0
        with next_page(browser):
            press(browser, browser.find_element(By.CSS_SELECTOR, "#samples .record-link"))
        recorded = 0
        while browser.find_elements(By.ID, "verification-form"):
            assert sideways_overflow(browser) == 0
            number = browser.find_element(By.TAG_NAME, "h1").text.split()[0]
            if recorded == 0:
                screenshots(browser, "campaign-verification-form")
                set_width(browser, PHONE)
            if number == wrong_exit.number:
                press(browser, browser.find_element(By.ID, "id_accurate_1"))
                press(browser, browser.find_element(By.CSS_SELECTOR, 'input[name="discrepancies"][value="wrongly_exited"]'))
                browser.find_element(By.ID, "id_note").send_keys("家中有重病人，年人均纯收入低于标准")
            else:
                press(browser, browser.find_element(By.ID, "id_accurate_0"))
            press(browser, browser.find_element(By.ID, "id_approves_0"))
            submit(browser, "save-verification")
            recorded += 1
            assert "的核查结果" in browser.find_element(By.CSS_SELECTOR, ".alert-success").text
        assert recorded == 4
        assert Verification.objects.filter(sample__campaign=campaign).count() == 4
        screenshots(browser, "campaign-team-list")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    with next_page(browser):
        press(browser, browser.find_element(By.ID, "logout-button"))

    # The county office reads the report, is refused closing while the wrong exit is open, then closes.
    browser = sign_in(page, "county")
    page(f"/campaigns/{campaign.pk}/")
    total = browser.find_element(By.CSS_SELECTOR, "#report .report-total")
    assert "50.00%" in total.find_element(By.CSS_SELECTOR, ".rate-wrong_exit").text
    assert "未达标" in total.find_element(By.CSS_SELECTOR, ".rate-wrong_exit").text
    assert "100.00%" in total.find_element(By.CSS_SELECTOR, ".rate-approval").text
    assert "还有 1 个核查问题未整改" in browser.find_element(By.ID, "open-rectifications").text
    screenshots(browser, "campaign-report")
    submit(browser, "close-button")
    assert "不能结束核查活动" in browser.find_element(By.ID, "close-refusal").text
    finding = Finding.objects.get(rule="VER-WRONGLY-EXITED", household=wrong_exit)
    finding_resolve(user=users["county_officer"], finding=finding, status=FindingStatus.FIXED, resolution="已办理返贫")
    page(f"/campaigns/{campaign.pk}/")
    submit(browser, "close-button")
    assert "核查活动已结束" in browser.find_element(By.CSS_SELECTOR, ".alert-success").text
    assert "已结束" in browser.find_element(By.ID, "campaign-state").text
    assert Campaign.objects.get().state == "closed"
    screenshots(browser, "campaign-closed")

    # The other cross-check pages, for the record.
    with next_page(browser):
        press(browser, browser.find_element(By.CSS_SELECTOR, 'a.nav-link[href="/checks/"]'))
    Select(browser.find_element(By.ID, "id_region")).select_by_value(VILLAGE_A1)
    submit(browser, "run-button")
    assert "新发现" in browser.find_element(By.ID, "run-summary").text
    screenshots(browser, "checks-run")
    with next_page(browser):
        press(browser, browser.find_element(By.CSS_SELECTOR, 'a.nav-link[href="/comparisons/"]'))
    listed = tmp_path / "公安数据.csv"
    head = a1[0].members.get(relation="01")
    listed.write_text(f"证件号码,类别,说明\n{head.id_number},车辆,小型汽车\n", encoding="utf-8")
    browser.find_element(By.ID, "id_department").send_keys("县公安局")
    browser.find_element(By.ID, "id_file").send_keys(str(listed))
    screenshots(browser, "comparisons")
    submit(browser, "upload-button")
    assert "比中 1 人" in browser.find_element(By.CSS_SELECTOR, ".alert-success").text
    assert head.name in browser.find_element(By.ID, "matches").text
    screenshots(browser, "comparison-detail")

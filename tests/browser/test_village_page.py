"""Issue 16's village exit in a real browser: the county office runs a village exit from the township's proposal to
the county's announcement on /villages/<code>/ — a failing proposal refused in words, the review, the village
notice with an objection lodged and dismissed, the reviewer refused the announcement, a second officer announcing."""

import datetime
from decimal import Decimal

import pytest
from selenium.webdriver.common.by import By

from lifecycle import services as lifecycle
from tests.browser.helpers import DESKTOP, PHONE, SCREENSHOTS, next_page, set_width, sideways_overflow
from tests.browser.test_procedure_pages import as_user, click, errors, fill, submit
from tests.conftest import COUNTY, VILLAGE_A1
from tests.factories import UserFactory
from tests.households.builders import head, make_household, spouse
from villages.models import Region, VillageProfile, VillageYear

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date
PATH = f"/villages/{VILLAGE_A1}/"


def screenshots(browser, name: str, at: str | None = None):
    """tests.browser.helpers.screenshots, with the part of the page a person is working on (`at`, an element id)
    scrolled into view at each width; fails when the page scrolls sideways on the phone."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
            set_width(browser, size)
            if at:
                browser.execute_script(
                    "var top = document.getElementById(arguments[0]).getBoundingClientRect().top;"
                    "window.scrollTo(0, top + window.scrollY - 8)", at
                )
            browser.save_screenshot(str(SCREENSHOTS / f"{name}-{label}.png"))
            if label == "phone":
                assert sideways_overflow(browser) == 0, f"{name} scrolls sideways at {size[0]} px"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def text(browser, element_id: str) -> str:
    return browser.find_element(By.ID, element_id).text


def steps(browser) -> list[tuple[str, str]]:
    """(step, its decision badge or "待办理"/"未办理") of the procedure's steps as shown."""
    return [
        (line.get_attribute("data-step"), line.find_element(By.CSS_SELECTOR, ".badge, .text-muted").text)
        for line in browser.find_elements(By.CSS_SELECTOR, "#exit-steps .exit-step")
    ]


@pytest.fixture
def poverty_village(users):
    """A poverty village of 2014: one poor household of two people; 2016's figures all in place but the broadband."""
    VillageProfile.objects.create(village_id=VILLAGE_A1, poverty_status="poverty", identified_year=2014)
    household = make_household(
        village=Region.objects.get(code=VILLAGE_A1), user=users["superuser"], members=[head(1), spouse(1)],
        attribute="general", main_cause="illness",
    )  # fmt: skip
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=D(2014, 5, 1))
    VillageYear.objects.create(
        village_id=VILLAGE_A1, year=2016, rural_population=1234, hardened_road=True, safe_water=True, power_grid=True,
        broadband=False, clinic=True, culture_room=True, collective_income=Decimal("152000.00"),
    )  # fmt: skip
    UserFactory(username="county2", grants=[("county_officer", COUNTY)])


def test_the_county_office_runs_a_village_exit_from_proposal_to_announcement(page, users, poverty_village):
    # The township proposes; the evaluation fails on the broadband and says so beside the form, the year kept.
    browser = as_user(page, "town", PATH)
    assert "贫困村" in text(browser, "poverty-status")
    assert "1,234 人" in text(browser, "village-profile") and "152,000.00 元" in text(browser, "village-profile")
    assert "0.16%" in text(browser, "incidence")  # 2 ÷ 1,234
    screenshots(browser, "village-page")
    fill(browser, "id_proposal-date", "2017-01-06")
    fill(browser, "id_proposal-note", "各项指标已达标")
    submit(browser, "exit-proposal-button")
    assert "贫困村出列评估未通过" in errors(browser) and "通宽带" in errors(browser)
    assert browser.find_element(By.ID, "id_proposal-note").get_attribute("value") == "各项指标已达标"
    screenshots(browser, "village-proposal-refused", at="error-summary")
    VillageYear.objects.filter(village_id=VILLAGE_A1, year=2016).update(broadband=True)  # the team records it
    submit(browser, "exit-proposal-button")
    assert not browser.find_elements(By.ID, "error-summary")
    assert "下一步：县级审核" in text(browser, "exit-banner")
    assert steps(browser)[:2] == [("proposal", "通过"), ("county_review", "待办理")]

    # The county office reviews.
    browser = as_user(page, "county", PATH)
    screenshots(browser, "village-county-review", at="village-exit")
    fill(browser, "id_step-date", "2017-01-13")
    fill(browser, "id_step-note", "同意出列，进行村内公示")
    submit(browser, "exit-step-button")
    assert ("county_review", "通过") in steps(browser)

    # The village team gives notice for the standard's 7 days and records an objection, then dismisses it.
    browser = as_user(page, "team", PATH)
    fill(browser, "id_step-date", "2017-01-15")
    fill(browser, "id_step-start", "2017-01-15")
    fill(browser, "id_step-end", "2017-01-18")
    submit(browser, "exit-step-button")
    assert "公示期不少于 7 天" in errors(browser)
    fill(browser, "id_step-end", "2017-01-22")
    submit(browser, "exit-step-button")
    assert "2017年1月15日 至 2017年1月22日" in text(browser, "exit-notice-dates")
    fill(browser, "id_objection-lodged_on", "2017-01-17")
    fill(browser, "id_objection-lodged_by", "张某")
    fill(browser, "id_objection-content", "三组的路还没有硬化")
    submit(browser, "exit-objection-button")
    assert "三组的路还没有硬化" in text(browser, "exit-objections")
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name$='-outcome'][value='dismissed']"))
    form = browser.find_element(By.CSS_SELECTOR, ".resolve-form")
    browser.execute_script("arguments[0].value = '2017-01-23'", form.find_element(By.CSS_SELECTOR, "input[type=date]"))
    form.find_element(By.CSS_SELECTOR, "textarea").send_keys("经核实，三组道路已于2016年硬化")
    screenshots(browser, "village-notice-objection", at="exit-objections")
    with next_page(browser):
        click(browser, form.find_element(By.CSS_SELECTOR, ".resolve-button"))
    assert "异议不成立" in text(browser, "exit-objections")

    # The officer who reviewed may not announce: refused in words, with who may; a second officer announces.
    browser = as_user(page, "county", PATH)
    fill(browser, "id_step-date", "2017-01-27")
    submit(browser, "exit-step-button")
    assert "提出或审核本出列程序的人员不能再审核或公告本程序" in errors(browser) and "另一位县扶贫办人员" in errors(browser)
    screenshots(browser, "village-maker-checker", at="error-summary")
    browser = as_user(page, "county2", PATH)
    fill(browser, "id_step-date", "2017-01-27")
    fill(browser, "id_step-note", "经县扶贫开发领导小组审定，同意出列")
    submit(browser, "exit-step-button")
    assert not browser.find_elements(By.ID, "error-summary")
    assert "本村为 2016 年度出列的贫困村" in browser.find_element(By.CSS_SELECTOR, "main .alert-success").text
    assert text(browser, "poverty-status") == "已出列"
    assert text(browser, "exit-state") == "已审定"
    assert [decision for _step, decision in steps(browser)] == ["通过"] * 4
    assert "2016 年" in text(browser, "village-profile")  # the exit year
    assert VillageProfile.objects.get(village_id=VILLAGE_A1).exit_year == 2016
    screenshots(browser, "village-exited")
    screenshots(browser, "village-exited-procedure", at="village-exit")

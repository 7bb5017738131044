"""Entry pages in a real browser at 390 px: a household of three with a mistyped ID, the annual record, a stale edit."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from households import services
from households.models import AnnualRecord, Household
from tests.browser.helpers import PHONE, next_page, screenshots, set_width, sign_in, wait_for
from tests.households.builders import head, son, spouse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wrong_check(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def fill_member(browser, index: int, person: dict, number: str) -> None:
    prefix = f"id_members-{index}-"
    browser.find_element(By.ID, prefix + "name").send_keys(person["name"])
    Select(browser.find_element(By.ID, prefix + "relation")).select_by_value(person["relation"])
    browser.find_element(By.ID, prefix + "id_number").send_keys(number)
    Select(browser.find_element(By.ID, prefix + "labour")).select_by_value("ordinary")


def click(browser, element_id: str) -> None:
    element = browser.find_element(By.ID, element_id)
    # Scrolled to and clicked as a finger would; Selenium's own click misses under the phone emulation.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)


def wait_text(browser, element_id: str, text: str):
    wait_for(browser, lambda b: text in b.find_element(By.ID, element_id).get_attribute("textContent"))


def test_a_village_team_enters_a_household_and_its_annual_record_on_a_phone(page, users):
    browser = sign_in(page, "team")
    set_width(browser, PHONE)
    try:
        with next_page(browser):
            browser.get(browser.current_url.rstrip("/") + "/households/new/")
        screenshots(browser, "household-new")
        set_width(browser, PHONE)
        browser.find_element(By.ID, "id_address").send_keys("一组12号")
        people = [head(), spouse(), son()]
        fill_member(browser, 0, people[0], people[0]["id_number"])
        # Typing the number fills the birth date and sex at once (GB 11643 in the page).
        wait_text(browser, "id_members-0-id_number_check", "1962年3月8日")
        assert browser.find_element(By.ID, "id_members-0-birth_date").get_attribute("value") == "1962-03-08"
        assert (
            Select(browser.find_element(By.ID, "id_members-0-sex")).first_selected_option.get_attribute("value")
            == "male"
        )
        for index in (1, 2):
            click(browser, "add-member")
            wait_for(browser, lambda b, i=index: b.find_elements(By.ID, f"id_members-{i}-name"))
        mistyped = wrong_check(people[1]["id_number"])
        fill_member(browser, 1, people[1], mistyped)
        wait_text(browser, "id_members-1-id_number_check", "校验位错误")
        Select(browser.find_element(By.ID, "id_members-1-sex")).select_by_value("female")
        browser.find_element(By.ID, "id_members-1-birth_date").send_keys("1964年5月20日")
        fill_member(browser, 2, people[2], people[2]["id_number"])
        wait_text(browser, "id_members-2-id_number_check", "1988年9月1日")
        with next_page(browser):
            click(browser, "save-household")
        # Refused: the error beside the field and in the summary, everything typed still there.
        assert "校验位错误" in browser.find_element(By.ID, "id_members-1-id_number_error").text
        summary = browser.find_element(By.ID, "error-summary")
        assert summary.find_element(By.CSS_SELECTOR, "a[href='#id_members-1-id_number']")
        assert browser.find_element(By.ID, "id_members-2-name").get_attribute("value") == "王小军"
        assert Household.objects.count() == 0
        screenshots(browser, "household-new-errors")
        set_width(browser, PHONE)
        number = browser.find_element(By.ID, "id_members-1-id_number")
        number.clear()
        number.send_keys(people[1]["id_number"])
        wait_text(browser, "id_members-1-id_number_check", "1964年5月20日")
        with next_page(browser):
            click(browser, "save-household")
        household = Household.objects.get()
        assert household.members.count() == 3 and household.address == "一组12号"
        base = browser.current_url.split("/households/")[0]

        # The annual record: the totals and the checklist follow what is typed.
        with next_page(browser):
            browser.get(f"{base}/households/{household.pk}/records/2019/")
        browser.find_element(By.ID, "id_wages").send_keys("12000")
        wait_text(browser, "total-net", "12,000.00")
        wait_text(browser, "total-per-capita", "4,000.00")
        Select(browser.find_element(By.ID, "id_food_secure")).select_by_value("false")
        wait_for(
            browser,
            lambda b: b.find_element(By.CSS_SELECTOR, "[data-check='不愁吃']").get_attribute("data-result") == "fail",
        )
        Select(browser.find_element(By.ID, "id_food_secure")).select_by_value("true")
        wait_for(
            browser,
            lambda b: b.find_element(By.CSS_SELECTOR, "[data-check='不愁吃']").get_attribute("data-result") == "pass",
        )
        screenshots(browser, "annual-record")
        with next_page(browser):
            click(browser, "save-record")
        assert AnnualRecord.objects.get(household=household, year=2019).per_capita_income == 4000

        # A stale edit: someone saves first; my save is refused with their value shown.
        set_width(browser, PHONE)
        with next_page(browser):
            browser.get(f"{base}/households/{household.pk}/edit/")
        services.household_update(user=users["county_officer"], household=household, data={"address": "五组1号"})
        address = browser.find_element(By.ID, "id_address")
        address.clear()
        address.send_keys("二组3号")
        with next_page(browser):
            click(browser, "save-household")
        stale = browser.find_element(By.ID, "stale-edit").text
        assert "五组1号" in stale and "二组3号" in stale
        household.refresh_from_db()
        assert household.address == "五组1号"
        screenshots(browser, "household-edit-stale")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

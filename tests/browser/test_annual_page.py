"""The year-end report page (年度动态调整) in a real browser: reached from the menu, a year chosen, the API's numbers,
a township's report and the households behind a figure, a bad year said beside the field, the A4 print layout.
Screenshots at 390 and 1366 px."""

import datetime

import pytest
from selenium.webdriver.common.by import By

from lifecycle import services as lifecycle
from tests.browser.helpers import next_page, screenshots, set_width, sideways_overflow, sign_in, whole_page
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A1, VILLAGE_B1
from tests.households import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_CONTENT_WIDTH = 718  # px at 96 dpi: 210 mm less the print stylesheet's 2 × 10 mm margins


@pytest.fixture
def registered(tree, users):
    """Three households identified in 2014 in two townships; the second exited in 2016."""
    root = users["superuser"]
    homes = [
        b.make_household(village=tree[village], user=root, members=b.family(n))
        for n, village in enumerate([VILLAGE_A1, VILLAGE_A1, VILLAGE_B1], start=1)
    ]
    for home in homes:
        lifecycle.status_record(user=root, household=home, status="poor", on=datetime.date(2014, 5, 1))
    lifecycle.status_record(user=root, household=homes[1], status="exited", on=datetime.date(2016, 11, 1))
    return homes


def cell(browser, table: str, key: str, column: int):
    return browser.find_element(By.CSS_SELECTOR, f'#{table} tr[data-key="{key}"] td[data-column="{column}"]')


def bring(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    return element


def test_the_county_officer_reads_the_year_end_report_and_opens_the_households(page, api, users, registered):
    """From the menu's 年报 to the county's report; 2016 chosen in the form; its figures are the API's; a township's
    row opens its report; the exit figure opens exactly the household that exited."""
    browser = sign_in(page, "county")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/reports/annual/"]').click()
    assert browser.current_url.endswith(f"/reports/{COUNTY}/annual/")
    year = browser.find_element(By.ID, "id_year")
    year.clear()
    year.send_keys("2016")
    with next_page(browser):
        browser.find_element(By.ID, "year-button").click()
    assert browser.current_url.endswith("?year=2016")
    body = api(users["county_officer"]).get(f"/api/v1/reports/{COUNTY}/annual/?year=2016").json()
    for key in ("start", "exited", "end"):
        assert cell(browser, "annual-table", key, 1).text == str(body["households"][key])
        assert cell(browser, "annual-table", key, 2).text == str(body["people"][key])
        assert cell(browser, "annual-table", key, 3).text.rstrip("※") == str(body["on_register"]["households"][key])
    screenshots(browser, "annual-report")
    whole_page(browser, "annual-report")

    with next_page(browser):
        bring(browser, browser.find_element(By.CSS_SELECTOR, f'#children-table tr[data-region="{TOWN_A}"] a')).click()
    assert browser.current_url.endswith(f"/reports/{TOWN_A}/annual/?year=2016")
    assert "2016年度动态调整情况" in browser.find_element(By.TAG_NAME, "h1").text
    screenshots(browser, "annual-report-township")
    with next_page(browser):
        bring(browser, cell(browser, "annual-table", "exited", 1).find_element(By.TAG_NAME, "a")).click()
    text = browser.find_element(By.ID, "register-results").text
    assert registered[1].number in text and registered[0].number not in text and registered[2].number not in text
    screenshots(browser, "annual-report-households")


def test_a_bad_year_is_said_beside_the_field(page, users, registered):
    browser = sign_in(page, "county")
    with next_page(browser):
        page(f"/reports/{COUNTY}/annual/?year=1999")
    error = browser.find_element(By.ID, "year-error")
    assert "请填写2013年至" in error.text
    assert browser.find_element(By.ID, "id_year").get_attribute("value") == "1999"  # nothing typed is lost
    assert not browser.find_elements(By.ID, "annual-table")
    screenshots(browser, "annual-report-bad-year")


def test_the_printed_report_has_no_menu_and_fits_a4(page, users, registered):
    """In print media: no menu, no form, no buttons; at the A4 page's content width nothing is cut off."""
    browser = sign_in(page, "county")
    with next_page(browser):
        page(f"/reports/{COUNTY}/annual/?year=2016")
    try:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        set_width(browser, (A4_CONTENT_WIDTH, 1000))
        assert not browser.find_element(By.CSS_SELECTOR, "nav.navbar").is_displayed()
        assert not browser.find_element(By.ID, "year-form").is_displayed()
        assert browser.find_element(By.ID, "annual-table").is_displayed()
        assert sideways_overflow(browser) == 0
        for table in ("annual-table", "children-table"):
            overflow = browser.execute_script(
                "const t = document.getElementById(arguments[0]); return t.getBoundingClientRect().right;", table
            )
            assert overflow <= A4_CONTENT_WIDTH, table
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

"""The register's pages in a real browser: find a person by ID number on a phone, open the card, print it, and
record a visit in one tap from the list of paired households."""

import datetime

import pytest
from selenium.webdriver.common.by import By

from lifecycle import services as lifecycle
from tests.browser.helpers import PHONE, next_page, screenshots, set_width, sign_in
from tests.cadres.conftest import make_cadre, make_unit, pair
from tests.conftest import VILLAGE_A1
from tests.factories import UserFactory
from tests.households import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registered(tree, users):
    """Two poor households of village A1, each with a year's record; the first paired with a cadre who logs in."""
    households = [
        b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(n)) for n in (1, 2)
    ]
    for household in households:
        lifecycle.status_record(
            user=users["superuser"], household=household, status="poor", on=datetime.date(2014, 5, 1)
        )
    from households import services

    services.annual_record_upsert(user=users["superuser"], household=households[0], year=2016, data={"wages": 6000})
    cadre_user = UserFactory(username="zhao", grants=[("village_team", VILLAGE_A1)])
    cadre = make_cadre(tree, make_unit(tree), 7, name="赵干部", user=cadre_user)
    pair(cadre, households[0])
    return households


def test_team_member_finds_a_person_by_id_number_on_a_phone_and_prints_the_card(page, users, registered):
    household = registered[0]
    browser = sign_in(page, "team")
    with next_page(browser):
        browser.get(browser.current_url.split("/login")[0].rstrip("/") + "/households/")
    screenshots(browser, "register-list")
    set_width(browser, PHONE)
    try:
        cards = browser.find_elements(By.CSS_SELECTOR, "#register-cards .register-card")
        assert len(cards) == 2 and cards[0].is_displayed()
        assert not browser.find_element(By.ID, "register-table").is_displayed()  # a table only on a desktop
        number = b.family(1)[2]["id_number"]  # the son's
        browser.find_element(By.ID, "id_id_number").send_keys(number)
        with next_page(browser):
            browser.find_element(By.ID, "lookup-button").click()
        assert number not in browser.current_url
        results = browser.find_element(By.ID, "lookup-results")
        assert "王小军" in results.text and household.number in results.text
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    screenshots(browser, "register-lookup")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, f"#lookup-results a[href='/households/{household.pk}/']").click()
    assert "贫困户（未脱贫）" in browser.find_element(By.ID, "household-status").text
    assert browser.find_element(By.CSS_SELECTOR, "#income-chart canvas")  # the chart was drawn
    screenshots(browser, "household-card")
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.CSS_SELECTOR, "nav.navbar").is_displayed()
        assert not browser.find_element(By.ID, "print-button").is_displayed()
        assert browser.find_element(By.ID, "card-members").is_displayed()
        screenshots(browser, "household-card-print")
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_cadre_records_a_visit_in_one_tap(page, users, registered):
    browser = sign_in(page, "zhao")
    with next_page(browser):
        browser.get(browser.current_url.split("/login")[0].rstrip("/") + "/visits/")
    screenshots(browser, "visits")
    row = browser.find_element(By.ID, f"pairing-{registered[0].pairings.get().pk}")
    assert "还没有走访" in row.text
    set_width(browser, PHONE)
    try:
        with next_page(browser):
            row.find_element(By.CSS_SELECTOR, "button.record-visit").click()
        assert "已记录走访" in browser.find_element(By.CSS_SELECTOR, ".alert-success").text
        row = browser.find_element(By.ID, f"pairing-{registered[0].pairings.get().pk}")
        assert "还没有走访" not in row.find_element(By.CSS_SELECTOR, ".last-visit").text
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    screenshots(browser, "visits-recorded")
    with next_page(browser):
        row.find_element(By.CSS_SELECTOR, "a").click()
    assert "入户走访" in browser.find_element(By.ID, "card-visits").text

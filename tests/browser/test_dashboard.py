"""The region dashboard (统计看板) in a real browser: the summary's figures, a child's dashboard, the exports."""

import datetime

import pytest
from selenium.webdriver.common.by import By

from lifecycle import services as lifecycle
from tests.browser.helpers import next_page, sign_in
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A1
from tests.households import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registered(tree, users):
    """Two households of village A1 identified in 2014; the second exited in 2016."""
    households = [
        b.make_household(village=tree[VILLAGE_A1], user=users["superuser"], members=b.family(n)) for n in (1, 2)
    ]
    for household in households:
        lifecycle.status_record(
            user=users["superuser"], household=household, status="poor", on=datetime.date(2014, 5, 1)
        )
    lifecycle.status_record(
        user=users["superuser"], household=households[1], status="exited", on=datetime.date(2016, 11, 1)
    )
    return households


def figure(browser, key: str) -> str:
    return browser.find_element(By.CSS_SELECTOR, f'#key-figures [data-figure="{key}"]').text


def test_the_county_officer_reads_the_dashboard_and_opens_a_township(page, users, registered):
    """Given two registered households, when the county officer opens the county's dashboard as of 2017-12-31 from
    the home page, then it shows 2 registered households and 1 exited; a township's row opens its own dashboard."""
    browser = sign_in(page, "county")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, "#grants a.dashboard-link").click()
    assert browser.current_url.endswith(f"/regions/{COUNTY}/dashboard/")
    with next_page(browser):
        browser.get(f"{browser.current_url}?as_of=2017-12-31")
    assert figure(browser, "households.registered") == "2"
    assert figure(browser, "people.exited") == str(len(b.family(2)))
    assert (
        browser.find_element(By.ID, "export-summary-csv")
        .get_attribute("href")
        .endswith(f"region={COUNTY}&as_of=2017-12-31")
    )
    link = browser.find_element(By.CSS_SELECTOR, f'tr[data-region="{TOWN_A}"] a')
    # The table sits below the charts; Bootstrap scrolls smoothly, so bring it up at once before clicking.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", link)
    with next_page(browser):
        link.click()
    assert f"/regions/{TOWN_A}/dashboard/" in browser.current_url
    assert figure(browser, "households.registered") == "2"
    assert browser.find_element(By.CSS_SELECTOR, f'tr[data-region="{VILLAGE_A1}"]')

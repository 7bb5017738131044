"""The region dashboard (统计看板) in a real browser: the summary's figures, a child's dashboard, the exports."""

import datetime

import pytest
from selenium.webdriver.common.by import By

from lifecycle import services as lifecycle
from tests.browser.helpers import next_page, screenshots, sign_in, whole_page
from tests.conftest import COUNTY, TOWN_A, VILLAGE_A1, VILLAGE_B1
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


# What each chart draws, read from its ECharts instance: series name → the numbers drawn, and the categories.
CHART_NUMBERS = """
const chart = echarts.getInstanceByDom(document.getElementById(arguments[0]));
if (!chart) { return null; }
const option = chart.getOption();
const axis = option.xAxis[0].type === "category" ? option.xAxis[0] : option.yAxis[0];
return {
  categories: axis.data,
  series: option.series.map(s => ({name: s.name, values: s.data.map(d => (d !== null && typeof d === "object") ? d.value : d)})),
};
"""


def drawn(browser, chart_id: str) -> dict:
    numbers = browser.execute_script(CHART_NUMBERS, chart_id)
    assert numbers is not None, f"{chart_id} has no chart"
    return numbers


@pytest.fixture
def two_townships(tree, users, registered):
    """A third household in township B (village B1), identified in 2015 for illness, still poor."""
    household = b.make_household(village=tree[VILLAGE_B1], user=users["superuser"], members=b.family(3),
                                 main_cause="disability")  # fmt: skip
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=datetime.date(2015, 3, 1))
    return [*registered, household]


def test_the_charts_draw_the_numbers_of_the_summary_and_annual_apis(page, api, users, two_townships):
    """Given households in two townships, when the county officer opens the county's dashboard as of 2017-12-31,
    then the numbers the charts draw (read from ECharts) are the summary API's (causes, child regions) and the
    year-end report API's (each year's flows and year-end stock); screenshots at 390 and 1366 px."""
    browser = sign_in(page, "county")
    with next_page(browser):
        page(f"/regions/{COUNTY}/dashboard/?as_of=2017-12-31")
    reader = api(users["county_officer"])
    summary = reader.get(f"/api/v1/summaries/{COUNTY}/?as_of=2017-12-31").json()

    causes = drawn(browser, "chart-causes")
    assert causes["series"][0]["values"] == [figures["households"] for figures in summary["by_cause"].values()]
    assert len(causes["categories"]) == len(summary["by_cause"]) and all(not c.isascii() for c in causes["categories"])

    children = drawn(browser, "chart-children")
    assert children["categories"] == [child["region"]["name"] for child in summary["children"]]
    assert [s["values"] for s in children["series"]] == [
        [child["people"]["poor"] for child in summary["children"]],
        [child["people"]["exited"] for child in summary["children"]],
    ]

    flows, stock = drawn(browser, "chart-flows"), drawn(browser, "chart-stock")
    years = [int(year) for year in flows["categories"]]
    assert years == list(range(2014, 2018)) and stock["categories"] == flows["categories"]
    reports = [reader.get(f"/api/v1/reports/{COUNTY}/annual/?year={year}").json() for year in years]
    assert [s["values"] for s in flows["series"]] == [
        [r["households"][key] for r in reports] for key in ("identified", "returned", "exited")
    ]
    assert [s["values"] for s in stock["series"]] == [
        [r["households"]["end"] for r in reports],
        [r["people"]["end"] for r in reports],
    ]
    assert sum(flows["series"][0]["values"]) == 3 and flows["series"][2]["values"] == [0, 0, 1, 0]
    screenshots(browser, "dashboard-charts")
    whole_page(browser, "dashboard-charts")


def test_a_bar_opens_the_households_behind_it(page, users, two_townships):
    """Clicking 2016's exit bar opens the register list of exactly the household that exited in 2016."""
    browser = sign_in(page, "county")
    with next_page(browser):
        page(f"/regions/{COUNTY}/dashboard/?as_of=2017-12-31")
    table = browser.find_element(By.CSS_SELECTOR, "#table-years")
    browser.execute_script("arguments[0].closest('details').open = true", table)
    link = table.find_element(By.CSS_SELECTOR, 'tr[data-year="2016"] td:nth-of-type(3) a')
    assert link.text == "1"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", link)
    with next_page(browser):
        link.click()
    assert "/households/" in browser.current_url and "figure=poor.exited" in browser.current_url
    text = browser.find_element(By.ID, "register-results").text
    assert two_townships[1].number in text
    assert not any(home.number in text for home in (two_townships[0], two_townships[2]))

"""The county pages in a real browser: a township reviewer decides a batch, the county office creates a user who must
change the password, the dashboard with its charts. Screenshots of every page at both widths."""

import datetime

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from lifecycle import services as lifecycle
from tests.browser.helpers import next_page, screenshots, sign_in
from tests.conftest import COUNTY, VILLAGE_A1, VILLAGE_B1
from tests.households import builders as b
from tests.lifecycle.reviewing import awaiting, break_head_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(browser, element):
    """Bring the element to the middle of the screen and click it (after the screenshots' width changes the window's
    layout may still be settling, so the click is dispatched to the element itself)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)


def test_a_township_reviewer_approves_a_batch_of_three_and_one_with_an_open_error_is_refused(page, users, tree):
    """Two approved, the one with an open ID error refused with the finding named; nothing half-done."""
    rows = [awaiting(users, tree[VILLAGE_A1], sequence=n) for n in (1, 2, 3)]
    break_head_id(rows[2][0])
    browser = sign_in(page, "town")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/reviews/"]').click()
    assert browser.find_element(By.ID, "queue-count").text.startswith("3")
    screenshots(browser, "reviews-queue")
    for _household, procedure in rows:
        press(browser, browser.find_element(By.ID, f"select-{procedure.pk}"))
    press(browser, browser.find_element(By.CSS_SELECTOR, "label[for=id_decision_0]"))
    with next_page(browser):
        press(browser, browser.find_element(By.ID, "decide-selected"))
    report = browser.find_element(By.ID, "review-report")
    assert "已办理 2 户，未办理 1 户" in report.text
    refused = report.find_element(By.CSS_SELECTOR, f'.outcome-refused[data-procedure="{rows[2][1].pk}"]')
    assert "ID-1" in refused.text and "整改" in refused.text
    screenshots(browser, "reviews-report")
    states = [p.steps.order_by("id").last().step for _h, p in rows]
    assert states == ["township_review", "township_review", "notice"]


def test_a_county_officer_creates_a_village_team_user_who_must_change_the_password(page, users, tree):
    browser = sign_in(page, "county")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/users/"]').click()
    screenshots(browser, "users")
    browser.find_element(By.ID, "id_username").send_keys("xiaowang")
    browser.find_element(By.ID, "id_password").send_keys("Qiu-shui-2024!")
    browser.find_element(By.ID, "id_role").send_keys("驻村工作队")
    Select(browser.find_element(By.ID, "id_region")).select_by_value(VILLAGE_A1)
    with next_page(browser):  # dispatched to the button itself: a native click was once intercepted in CI
        press(browser, browser.find_element(By.ID, "create-user-button"))
    assert "xiaowang" in browser.find_element(By.CSS_SELECTOR, ".alert-success").text
    assert browser.find_element(By.CSS_SELECTOR, '[data-user="xiaowang"]')
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, '[data-user="team"] a[href$="/password/"]').click()
    screenshots(browser, "users-reset")
    with next_page(browser):
        browser.find_element(By.ID, "logout-button").click()

    browser = sign_in(page, "xiaowang", "Qiu-shui-2024!")
    assert browser.current_url.endswith("/password/")
    screenshots(browser, "password-change")
    browser.find_element(By.ID, "id_old_password").send_keys("Qiu-shui-2024!")
    browser.find_element(By.ID, "id_new_password1").send_keys("Chun-feng-2025!")
    browser.find_element(By.ID, "id_new_password2").send_keys("Chun-feng-2025!")
    with next_page(browser):
        browser.find_element(By.ID, "change-password-button").click()
    assert browser.find_element(By.ID, "current-user").text == "xiaowang"
    assert not browser.find_elements(By.CSS_SELECTOR, 'nav a[href="/users/"]')


def test_the_dashboard_draws_its_charts(page, users, tree):
    root = users["superuser"]
    for n, village in enumerate([VILLAGE_A1, VILLAGE_A1, VILLAGE_B1], start=1):
        home = b.make_household(village=tree[village], user=root, members=b.family(n))
        lifecycle.status_record(user=root, household=home, status="poor", on=datetime.date(2014, 5, 1))
        if n == 2:
            lifecycle.status_record(user=root, household=home, status="exited", on=datetime.date(2016, 11, 1))
    browser = sign_in(page, "county")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/dashboard/"]').click()
    assert f"/regions/{COUNTY}/dashboard/" in browser.current_url
    for chart in ("chart-flows", "chart-stock", "chart-causes", "chart-children"):
        assert browser.find_element(By.CSS_SELECTOR, f"#{chart} svg")
    screenshots(browser, "dashboard")

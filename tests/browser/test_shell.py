"""The web shell in a real browser: sign in, see your roles, switch language, open the admin, sign out."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.browser.helpers import PHONE, next_page, screenshots, set_width, sideways_overflow, sign_in, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_village_team_signs_in_and_sees_its_village(page, users):
    browser = sign_in(page, "team")
    assert browser.find_element(By.ID, "current-user").text == "team"
    grants = browser.find_element(By.ID, "grants").text
    assert "驻村工作队" in grants and "220821100201" in grants
    # The page is styled by the vendored Bootstrap (served by the app itself).
    navbar = browser.find_element(By.CSS_SELECTOR, "nav.navbar")
    assert navbar.value_of_css_property("display") == "flex"


def test_wrong_password_is_explained(page, users):
    browser = sign_in(page, "team", "wrong")
    assert "用户名或密码不正确" in browser.find_element(By.ID, "login-errors").text


def choose_language(browser, code):
    """Pick a language in the menu (it submits itself) and wait for the new page."""
    with next_page(browser):
        Select(browser.find_element(By.NAME, "language")).select_by_value(code)
    assert browser.execute_script("return document.documentElement.lang") == code


def test_language_switch_to_english_and_back(page, users):
    browser = sign_in(page, "team")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-hans"  # browser says en-US
    choose_language(browser, "en")
    assert "My roles and regions" in browser.page_source
    assert "Village work team" in browser.find_element(By.ID, "grants").text
    choose_language(browser, "zh-hans")
    assert "我的角色与区划" in browser.page_source


def test_admin_opens_scoped_for_the_team(page, users):
    browser = sign_in(page, "team")
    with next_page(browser):
        browser.find_element(By.ID, "admin-link").click()
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, "a[href$='/admin/villages/region/']").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert [row.find_element(By.CSS_SELECTOR, "th").text for row in rows] == ["220821100201"]


def test_sign_out(page, users):
    browser = sign_in(page, "team")
    with next_page(browser):
        browser.find_element(By.ID, "logout-button").click()
    assert "/login/" in browser.current_url
    browser.get(browser.current_url.split("/login/")[0] + "/")
    assert "/login/" in browser.current_url


def test_menu_folds_into_a_button_on_a_phone(page, users):
    """At 390 px the menu is one button; opening it shows the links, one per line, nothing sideways."""
    browser = sign_in(page, "team")
    screenshots(browser, "home")
    set_width(browser, PHONE)
    try:
        button = browser.find_element(By.ID, "menu-button")
        assert button.is_displayed()
        menu = browser.find_element(By.ID, "main-menu")
        assert not menu.is_displayed()
        button.click()
        wait_for(browser, lambda b: menu.is_displayed() and "collapsing" not in menu.get_attribute("class"))
        links = menu.find_elements(By.CSS_SELECTOR, ".nav-link")
        assert links and all(
            link.size["height"] < 60 for link in links
        )  # a label on one line, not one character a line
        assert sideways_overflow(browser) == 0
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

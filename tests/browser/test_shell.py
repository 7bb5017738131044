"""The web shell in a real browser: sign in, see your roles, switch language, open the admin, sign out."""

from contextlib import contextmanager

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(open_path, username, password=PASSWORD):
    browser = open_path("/login/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(password)
    with next_page(browser):
        browser.find_element(By.ID, "login-button").click()
    return browser


@contextmanager
def next_page(browser):
    """Wait until what the block does has replaced the page by a new, fully loaded one.

    Marks the old document from JavaScript, so no element reference can go stale under us.
    """
    browser.execute_script("window.__jingzhunOldPage = true")
    yield
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(
        lambda b: b.execute_script("return !window.__jingzhunOldPage && document.readyState === 'complete'")
    )


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

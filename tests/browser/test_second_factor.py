"""The second factor in a real browser: a county officer enrols from the QR page's secret, is refused a wrong
code, and gets in with the right one; the next sign-in asks for the code again."""

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from selenium.webdriver.common.by import By

from tests.browser.helpers import next_page, screenshots, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def enter(browser, value):
    field = browser.find_element(By.ID, "id_code")
    field.clear()
    field.send_keys(value)
    with next_page(browser):
        browser.find_element(By.ID, "otp-submit").click()


def test_a_county_officer_enrols_and_signs_in_with_a_code(page, users, settings):
    settings.JINGZHUN_SECOND_FACTOR = True
    browser = sign_in(page, "county")
    assert "/account/second-factor/" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, "#qr-code svg").is_displayed()
    screenshots(browser, "second-factor-enrol")
    secret = browser.find_element(By.ID, "otp-secret").text
    wrong = "000000" if code(secret) != "000000" else "111111"
    enter(browser, wrong)
    assert "验证码不正确" in browser.find_element(By.ID, "id_code_error").text
    TOTPDevice.objects.filter(user=users["county_officer"]).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    enter(browser, code(secret))
    assert "/account/second-factor/" not in browser.current_url
    assert browser.find_element(By.ID, "current-user").text == "county"

    with next_page(browser):
        browser.find_element(By.ID, "logout-button").click()
    browser = sign_in(page, "county")
    assert "/account/second-factor/" in browser.current_url
    assert not browser.find_elements(By.ID, "qr-code")  # enrolled: only the code is asked
    screenshots(browser, "second-factor-verify")
    browser.get(browser.current_url.split("/account/")[0] + "/")
    assert "/account/second-factor/" in browser.current_url  # no way around it
    used = code(secret)
    enter(browser, used)
    if "/account/second-factor/" in browser.current_url:
        # Within the same 30 seconds the code already used is refused (no replay); the next one is taken.
        assert browser.find_element(By.ID, "id_code_error").text
        TOTPDevice.objects.filter(user=users["county_officer"]).update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
        )
        enter(browser, code(secret))
    assert "/account/second-factor/" not in browser.current_url

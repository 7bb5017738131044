"""The help side's pages in a real browser: the county office hands a household over to another cadre from the
cadre's portfolio (包保交接), on a phone. Screenshots of the pages at both widths."""

import datetime

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from cadres.models import Pairing
from tests.browser.helpers import next_page, screenshots, sign_in
from tests.cadres.conftest import make_cadre, make_household, make_unit, pair, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)


def test_the_county_office_hands_a_household_over_to_another_cadre(page, users, tree):
    unit = make_unit(tree)
    leaving, taking = make_cadre(tree, unit, 1, name="李离任"), make_cadre(tree, unit, 2, name="张接手")
    household = make_household(tree, users, 1)
    pairing = pair(leaving, household)
    visit(leaving, household, timezone.localdate() - datetime.timedelta(days=200))
    sign_in(page, "county")
    browser = page("/cadres/")
    screenshots(browser, "cadres")
    with next_page(browser):
        press(browser, browser.find_element(By.LINK_TEXT, "李离任"))
    row = browser.find_element(By.ID, f"pairing-{pairing.pk}")
    assert "该走访了" in row.text
    screenshots(browser, "cadre-portfolio")
    with next_page(browser):
        press(browser, row.find_element(By.CLASS_NAME, "handover-link"))
    browser.find_element(By.ID, "id_q").send_keys("张")
    with next_page(browser):
        press(browser, browser.find_element(By.ID, "search-button"))
    press(browser, browser.find_element(By.CSS_SELECTOR, f'input[name="to_cadre"][value="{taking.pk}"]'))
    screenshots(browser, "handover")
    with next_page(browser):
        press(browser, browser.find_element(By.ID, "handover-button"))
    assert "已交接" in browser.find_element(By.TAG_NAME, "main").text
    assert household.number in browser.find_element(By.ID, "portfolio").text
    ended, started = Pairing.objects.filter(household=household).order_by("starts_on")
    today = timezone.localdate()
    assert (ended.cadre, ended.ends_on, started.cadre, started.starts_on) == (leaving, today, taking, today)

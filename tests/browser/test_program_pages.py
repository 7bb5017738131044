"""The programs pages in a real browser: a benefit recorded for a selected set on /programs/<pk>/ (one refused, with
the reason) and then seen on the household card; the cooperatives and projects pages. Screenshots at both widths."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from cadres.models import Unit
from programs import services
from programs.models import Benefit
from tests.browser.helpers import next_page, screenshots, sign_in, wait_for
from tests.conftest import TOWN_A, VILLAGE_A1, VILLAGE_B1
from tests.factories import make_region
from tests.households import builders as b
from tests.programs.conftest import give, join, make_cooperative, make_home, make_program

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def press(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)


def ill_home(tree, sequence, village=VILLAGE_A1):
    return make_home(
        tree, village=village, sequence=sequence, members=[b.head(sequence), b.spouse(sequence, health="serious_illness")]
    )


def test_a_benefit_recorded_for_a_selected_set_is_seen_on_the_household_card(page, users, tree):
    """The county officer ticks two households of the gap list and types a third from another township: two are
    recorded, the third refused with the reason and what to do; the card of one shows the benefit."""
    year = timezone.localdate().year
    program = make_program(
        tree, region=TOWN_A, name="大病救助", category="health", subtype="reimbursement",
        targeting_rule="serious_illness", start_year=year, end_year=year,
    )  # fmt: skip
    homes = [ill_home(tree, 1), ill_home(tree, 2), ill_home(tree, 3)]
    outside = make_home(tree, sequence=4, village=VILLAGE_B1)
    give(program, homes[2], on=datetime.date(year, 1, 2), amount="300.00")

    browser = sign_in(page, "county")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/programs/"]').click()
    assert "大病救助" in browser.find_element(By.ID, "content").text
    screenshots(browser, "programs-list")
    with next_page(browser):
        press(browser, browser.find_element(By.CSS_SELECTOR, f'#program-table a[href="/programs/{program.pk}/"]'))
    assert browser.find_element(By.ID, "gap-count").text.startswith(f"{year}年按对象规则应享受")
    screenshots(browser, "program-detail")

    for home in homes[:2]:
        press(browser, browser.find_element(By.ID, f"gap-{home.pk}"))
    browser.find_element(By.ID, "id_numbers").send_keys(outside.number)
    browser.find_element(By.ID, "id_amount").send_keys("1500")
    browser.find_element(By.ID, "id_note").send_keys("住院报销")
    press(browser, browser.find_element(By.ID, "record-submit"))  # htmx swaps the page's body in place
    report = wait_for(browser, lambda b: b.find_element(By.ID, "record-report"))
    assert "已登记 2 户，未登记 1 户" in report.text
    refused = report.find_element(By.CSS_SELECTOR, f'.outcome-refused[data-number="{outside.number}"]')
    assert "不在项目" in refused.text and "请选择项目覆盖区划内的户" in refused.text
    assert browser.find_element(By.ID, "figure-households").text == "3"
    assert not browser.find_elements(By.ID, f"gap-{homes[0].pk}")  # reached: off the gap list
    screenshots(browser, "program-recorded")
    assert sorted(Benefit.objects.filter(program=program).values_list("household_id", "amount")) == sorted(
        [(homes[0].pk, Decimal("1500.00")), (homes[1].pk, Decimal("1500.00")), (homes[2].pk, Decimal("300.00"))]
    )

    with next_page(browser):
        press(browser, browser.find_element(By.CSS_SELECTOR, f'#beneficiary-table a[href="/households/{homes[0].pk}/"]'))
    card = browser.find_element(By.ID, "card-benefits")
    assert "大病救助" in card.text and "1,500.00" in card.text and "住院报销" in card.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", card)
    screenshots(browser, "program-household-card")


def test_cooperatives_and_projects_read_on_a_phone(page, users, tree):
    unit = Unit.objects.create(name="省财政厅", level="provincial", region=make_region("220000000000"))
    cooperative = make_cooperative(tree)
    home = make_home(tree, sequence=1)
    membership = join(cooperative, home, shares="3.00")
    services.dividend_create(user=None, membership=membership, year=2017, amount="1280.00")
    services.project_create(
        user=None,
        data={"unit": unit, "village": tree[VILLAGE_A1], "name": "光伏扶贫电站", "year": 2017,
              "funds_invested": Decimal("1500000.00"), "funds_coordinated": Decimal("200000.00"), "trainings": 40},
        beneficiaries=[home],
    )  # fmt: skip

    browser = sign_in(page, "team")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, 'nav a[href="/programs/"]').click()
    with next_page(browser):
        press(browser, browser.find_element(By.CSS_SELECTOR, 'a[href="/cooperatives/"]'))
    screenshots(browser, "cooperatives")
    with next_page(browser):
        press(browser, browser.find_element(By.CSS_SELECTOR, f'a[href="/cooperatives/{cooperative.pk}/"]'))
    member = browser.find_element(By.CSS_SELECTOR, f'.member-row[data-household="{home.pk}"]')
    assert "1,280.00" in member.text and "3.00 股" in member.text
    screenshots(browser, "cooperative")
    browser = page("/projects/")
    assert "光伏扶贫电站" in browser.find_element(By.ID, "project-list").text
    screenshots(browser, "projects")


def test_the_county_office_registers_a_cooperative_and_a_member(page, users, tree):
    home = make_home(tree, sequence=1)
    browser = sign_in(page, "county")
    browser = page("/programs/new/")
    screenshots(browser, "program-new")
    browser = page("/cooperatives/")
    browser.find_element(By.ID, "id_name").send_keys("青山养殖合作社")
    Select(browser.find_element(By.ID, "id_village")).select_by_value(VILLAGE_A1)
    Select(browser.find_element(By.ID, "id_kind")).select_by_value("breeding")
    browser.execute_script("document.getElementById('id_founded').value = '2015-04-01'")
    screenshots(browser, "cooperative-form")
    with next_page(browser):
        press(browser, browser.find_element(By.ID, "cooperative-submit"))
    assert browser.find_element(By.ID, "cooperative-name").text == "青山养殖合作社"
    browser.find_element(By.ID, "id_number").send_keys(home.number)
    browser.execute_script("document.getElementById('id_joined').value = '2014-01-01'")  # before the founding
    with next_page(browser):
        press(browser, browser.find_element(By.ID, "membership-submit"))
    assert "入社日期不能早于合作社成立日期" in browser.find_element(By.ID, "id_joined_error").text
    assert browser.find_element(By.ID, "id_number").get_attribute("value") == home.number  # nothing typed lost
    screenshots(browser, "cooperative-member-refused")
    browser.execute_script("document.getElementById('id_joined').value = '2016-01-01'")
    with next_page(browser):
        press(browser, browser.find_element(By.ID, "membership-submit"))
    assert browser.find_element(By.CSS_SELECTOR, f'.member-row[data-household="{home.pk}"]')
    screenshots(browser, "cooperative-member-added")

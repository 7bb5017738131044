"""Issue 15's procedure journeys in a real browser: identification of 2019 through every step by each role, with an
objection and maker-checker; today's monitoring inclusion to county approval; risk elimination and exit refused."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from households import services
from lifecycle import services as lifecycle
from lifecycle.models import Procedure
from tests.browser.helpers import next_page, screenshots, sign_in
from tests.conftest import VILLAGE_A1
from tests.factories import UserFactory
from tests.households.builders import head, make_household, spouse
from villages.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def fill(browser, element_id, value):
    """Type a value (dates through the property: a date input's typing order depends on the locale)."""
    element = browser.find_element(By.ID, element_id)
    if element.get_attribute("type") == "date":
        browser.execute_script("arguments[0].value = arguments[1]", element, value)
    else:
        element.clear()
        element.send_keys(value)


def click(browser, element):
    """Click as a user would, from JavaScript (the headless window may hide the bottom of a long page)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click()", element)


def submit(browser, button_id):
    with next_page(browser):
        click(browser, browser.find_element(By.ID, button_id))


def as_user(page, username, path):
    """Sign out whoever is in, sign in as `username` and open `path`."""
    page("/login/").delete_all_cookies()
    browser = sign_in(page, username)
    with next_page(browser):
        page(path)
    assert browser.current_url.endswith(path), (
        browser.current_url,
        browser.find_element(By.TAG_NAME, "main").text[:300],
    )
    return browser


def step(browser, values: dict):
    for element_id, value in values.items():
        fill(browser, element_id, value)
    submit(browser, "step-button")


def errors(browser) -> str:
    return browser.find_element(By.ID, "error-summary").text


def household(users, n, **fields):
    village = Region.objects.get(code=VILLAGE_A1)
    return make_household(village=village, user=users["superuser"], members=[head(n), spouse(n)],
                          attribute="general", main_cause="illness", **fields)  # fmt: skip


def test_identification_of_2019_through_every_step(page, users):
    home = household(users, 1)
    UserFactory(username="county2", grants=[("county_officer", "220821000000")])
    browser = as_user(page, "team", f"/households/{home.pk}/procedures/new/")
    screenshots(browser, "procedure-kinds")
    with next_page(browser):
        browser.find_element(By.CSS_SELECTOR, "a[href='?kind=identification']").click()
    fill(browser, "id_date", "2019-03-01")
    fill(browser, "id_note", "农户申请，家中有病人")
    screenshots(browser, "procedure-new")
    submit(browser, "open-button")
    assert not browser.find_elements(By.ID, "error-summary"), errors(browser)
    procedure = Procedure.objects.get(household=home)
    path = f"/procedures/{procedure.pk}/"
    assert (
        "下一步：民主评议" in browser.page_source and "识别中" in browser.find_element(By.ID, "household-status").text
    )
    # An appraisal without a majority is refused beside its field; then the majority passes.
    step(browser, {"id_date": "2019-03-05", "id_votes_for": "10", "id_votes_against": "12"})
    assert "赞成票未过半数" in errors(browser)
    screenshots(browser, "procedure-step-refused")
    step(browser, {"id_date": "2019-03-05", "id_votes_for": "30", "id_votes_against": "2", "id_participants": "35"})
    assert "赞成 30 票，反对 2 票，参加 35 人" in browser.find_element(By.ID, "steps").text
    # The county office verifies with the team (it may take village steps): it is a maker of this procedure.
    browser = as_user(page, "county", path)
    step(browser, {"id_date": "2019-03-08", "id_note": "入户核实属实"})
    browser = as_user(page, "team", path)
    assert "公示期不少于 7 天" in browser.page_source
    step(browser, {"id_date": "2019-03-09", "id_start": "2019-03-09", "id_end": "2019-03-16"})
    assert browser.find_element(By.ID, "running-notice")
    fill(browser, "id_objection-lodged_on", "2019-03-10")
    fill(browser, "id_objection-lodged_by", "李四")
    fill(browser, "id_objection-content", "该户收入不实")
    submit(browser, "objection-button")
    assert "该户收入不实" in browser.find_element(By.ID, "objections").text
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name$='-outcome'][value='dismissed']"))
    form = browser.find_element(By.CSS_SELECTOR, ".resolve-form")
    browser.execute_script("arguments[0].value = '2019-03-12'", form.find_element(By.CSS_SELECTOR, "input[type=date]"))
    form.find_element(By.CSS_SELECTOR, "textarea").send_keys("经核实，收入属实")
    screenshots(browser, "procedure-objection")
    with next_page(browser):
        click(browser, form.find_element(By.CSS_SELECTOR, ".resolve-button"))
    assert "异议不成立" in browser.find_element(By.ID, "objections").text
    # The township reviewer approves from the procedure page and runs the township notice.
    browser = as_user(page, "town", path)
    screenshots(browser, "procedure-township")
    step(browser, {"id_date": "2019-03-20"})
    step(browser, {"id_date": "2019-03-21", "id_start": "2019-03-21", "id_end": "2019-03-28"})
    # The county officer who verified is refused by maker-checker, in a sentence; a second officer approves.
    browser = as_user(page, "county", path)
    step(browser, {"id_date": "2019-04-02"})
    assert "提出或核实本程序的人员不能审核或审定本程序" in errors(browser)
    assert "另一位人员" in errors(browser)
    screenshots(browser, "procedure-maker-checker")
    browser = as_user(page, "county2", path)
    step(browser, {"id_date": "2019-04-02"})
    assert "贫困" in browser.find_element(By.ID, "household-status").text
    assert browser.find_element(By.ID, "procedure-state").text == "已审定"
    screenshots(browser, "procedure-approved")
    with next_page(browser):
        page("/notices/")
    screenshots(browser, "notices")
    assert "李四" in browser.find_element(By.ID, "objection-register").text


def test_monitoring_today_then_risk_elimination_and_exit_refused(page, users):
    today = timezone.localdate()
    exited = household(users, 2)
    lifecycle.status_record(user=users["superuser"], household=exited, status="exited", on=D(2016, 11, 1))
    services.annual_record_upsert(user=users["superuser"], household=exited, year=2021,  # the line of 2021: 6000
                                  data={"wages": Decimal("2000"), "food_secure": True, "clothing_secure": True,
                                        "housing_grade": "A", "water_safe": True, "water_access_ok": True})  # fmt: skip
    poor = household(users, 3)
    lifecycle.status_record(user=users["superuser"], household=poor, status="poor", on=D(2014, 4, 1))
    services.annual_record_upsert(user=users["superuser"], household=poor, year=2016,
                                  data={"wages": Decimal("20000"), "food_secure": True, "clothing_secure": True,
                                        "housing_grade": "D", "water_safe": True, "water_access_ok": True})  # fmt: skip
    poor.members.update(medical_insurance=True, serious_illness_insurance=True)
    UserFactory(username="county2", grants=[("county_officer", "220821000000")])
    day = lambda n: (today - datetime.timedelta(days=n)).isoformat()  # noqa: E731 - days before today

    browser = as_user(page, "team", f"/households/{exited.pk}/procedures/new/?kind=monitoring")
    fill(browser, "id_date", day(12))
    browser.find_element(By.CSS_SELECTOR, "#id_monitoring_type option[value='unstable_exited']").click()
    browser.find_element(By.CSS_SELECTOR, "#id_source option[value='cadre_screening']").click()
    submit(browser, "open-button")
    path = f"/procedures/{Procedure.objects.get(household=exited).pk}/"
    step(browser, {"id_date": day(11)})  # verification
    click(browser, browser.find_element(By.ID, "id_consent"))
    step(browser, {"id_date": day(10)})  # consent 承诺授权
    step(browser, {"id_date": day(10), "id_votes_for": "25", "id_votes_against": "0"})
    step(browser, {"id_date": day(9), "id_start": day(9), "id_end": day(2)})
    browser = as_user(page, "town", path)
    step(browser, {"id_date": day(1)})
    browser = as_user(page, "county", path)
    step(browser, {"id_date": today.isoformat()})
    assert browser.find_element(By.ID, "procedure-state").text == "已审定"
    assert "监测对象" in browser.find_element(By.ID, "monitoring-status").text
    screenshots(browser, "procedure-monitoring")

    # Risk elimination is refused while the income is below the monitoring line: the checklist says which.
    browser = as_user(page, "team", f"/households/{exited.pk}/procedures/new/?kind=risk_elimination")
    income = browser.find_element(By.CSS_SELECTOR, "#proposal-evaluation [data-check='income']")
    assert income.get_attribute("data-result") == "fail" and "监测线" in income.text
    submit(browser, "open-button")
    assert "退出评估未通过" in errors(browser) and "请补录或更正" in errors(browser)
    assert Procedure.objects.filter(household=exited, kind="risk_elimination").count() == 0
    screenshots(browser, "procedure-risk-refused")

    # A proposed exit that fails one check shows which.
    with next_page(browser):
        page(f"/households/{poor.pk}/procedures/new/?kind=exit")
    fill(browser, "id_date", "2017-03-01")
    fill(browser, "id_year", "2016")
    submit(browser, "open-button")
    failing = browser.find_elements(By.CSS_SELECTOR, "#proposal-evaluation .check-line[data-result='fail']")
    assert [line.get_attribute("data-check") for line in failing] == ["housing"]
    assert "所用标准" in browser.find_element(By.ID, "proposal-evaluation").text
    screenshots(browser, "procedure-exit-refused")

    browser = as_user(page, "team", "/")
    screenshots(browser, "work-queue")
    with next_page(browser):
        page("/findings/")
    screenshots(browser, "findings")

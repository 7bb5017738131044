"""Issue 14, the lifecycle's side: monitoring object types checked against the registry status, the monitoring
inclusion test (income or rigid expenses against the monitoring line), and insurance or dropout flags not entered
reported `missing` (employees' medical insurance counts as insured)."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest
from django.utils import translation

from core.errors import DomainError
from households import services
from lifecycle import services as lifecycle
from lifecycle.eligibility import (
    FAIL,
    MISSING,
    PASS,
    PersonFacts,
    RecordFacts,
    StandardFacts,
    check_education,
    check_medical,
    evaluate_monitoring_inclusion,
)
from tests.conftest import VILLAGE_A1
from tests.households.builders import head, spouse
from villages.models import Region

D = datetime.date
LINE = Decimal("6000.00")
STANDARD = StandardFacts(
    id=None, year=2021, region=None, poverty_line=None, monitoring_line=LINE, village_exit_threshold=Decimal("0.02")
)


@pytest.fixture(autouse=True)
def chinese():
    """Sentences are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


def person(**changes) -> PersonFacts:
    """An adult with every flag entered: insured in the residents' scheme, not an employee, no dropout."""
    facts = PersonFacts(
        name="王秀英", birth_date=D(1968, 5, 1), dropout=False, dropout_reason="", medical_insurance=True,
        serious_illness_insurance=True, employee_medical_insurance=False,
    )  # fmt: skip
    return replace(facts, **changes)


def record(**changes) -> RecordFacts:
    """A 2021 record of two people with 7000 yuan each and no rigid expenses entered."""
    facts = RecordFacts(
        year=2021, per_capita_income=Decimal("7000.00"), members_counted=2, food_secure=True, clothing_secure=True,
        housing_grade="A", renovation_year=None, relocation_done=False, water_safe=True, water_access_ok=True,
    )  # fmt: skip
    return replace(facts, **changes)


# Insurance and dropout (pure) --------------------------------------------------------------------------------------


def test_employee_medical_insurance_counts_as_basic_medical_insurance():
    """城镇职工医保 instead of the residents' scheme: the medical guarantee passes."""
    members = (person(medical_insurance=False, employee_medical_insurance=True),)
    assert check_medical(year=2021, members=members).result == PASS


@pytest.mark.parametrize(
    "changes",
    [
        {"serious_illness_insurance": None},
        {"medical_insurance": None},
        {"medical_insurance": False, "employee_medical_insurance": None},
    ],
    ids=["serious_illness_unknown", "medical_unknown", "residents_no_employees_unknown"],
)
def test_an_insurance_flag_not_entered_is_missing_not_fail_or_pass(changes):
    """A flag not entered (null) makes the medical check missing and names who, never fail and never pass."""
    check = check_medical(year=2021, members=(person(), person(name="李建国", **changes)))
    assert check.result == MISSING
    assert "李建国" in check.sentence and "未登记" in check.sentence


def test_a_known_lack_still_fails_beside_an_unknown_flag():
    """One member known uninsured fails the check even when another's flag is not entered."""
    members = (person(serious_illness_insurance=False), person(name="李建国", serious_illness_insurance=None))
    assert check_medical(year=2021, members=members).result == FAIL


def test_a_dropout_flag_not_entered_for_a_school_age_child_is_missing():
    """A 10-year-old whose dropout flag is not entered: the education check is missing, naming the child."""
    child = person(name="王小明", birth_date=D(2011, 3, 1), dropout=None)
    check = check_education(year=2021, members=(person(), child))
    assert check.result == MISSING
    assert "王小明" in check.sentence
    # An adult's unknown dropout flag does not matter.
    assert check_education(year=2021, members=(person(dropout=None),)).result == PASS


# Monitoring inclusion (pure) ---------------------------------------------------------------------------------------


def test_income_not_above_the_monitoring_line_qualifies():
    """5800 per person under a 6000 line: the household qualifies for monitoring."""
    evaluation = evaluate_monitoring_inclusion(year=2021, record=record(per_capita_income=Decimal("5800.00")), standard=STANDARD)
    assert evaluation.kind == "monitoring_inclusion" and evaluation.passed


def test_rigid_expenses_that_bring_income_under_the_line_qualify():
    """7000 per person, but 2400 self-paid medical and schooling costs for two people leave 5800: hardship."""
    facts = record(medical_expense=Decimal("1600.00"), schooling_expense=Decimal("800.00"))
    check = evaluate_monitoring_inclusion(year=2021, record=facts, standard=STANDARD).check("inclusion")
    assert check.result == PASS
    assert check.detail["per_capita_after_rigid"] == "5800.00"
    assert "刚性支出致困" in check.sentence


def test_income_above_the_line_after_rigid_expenses_does_not_qualify():
    """7000 per person and 1000 of expenses for two (6500 left): above the line, not a monitoring case."""
    facts = record(medical_expense=Decimal("1000.00"))
    assert evaluate_monitoring_inclusion(year=2021, record=facts, standard=STANDARD).check("inclusion").result == FAIL


def test_the_inclusion_test_is_missing_without_a_record_or_a_line():
    """No record, or no monitoring line for the year: missing."""
    assert evaluate_monitoring_inclusion(year=2021, record=None, standard=STANDARD).checks[0].result == MISSING
    no_line = replace(STANDARD, monitoring_line=None)
    assert evaluate_monitoring_inclusion(year=2021, record=record(), standard=no_line).checks[0].result == MISSING


# Monitoring types against the registry status (services) -----------------------------------------------------------


@pytest.fixture
def household(users):
    """A rural household never registered (一般农户): no attribute, no cause, no status."""
    return services.household_create(
        user=users["superuser"], village=Region.objects.get(code=VILLAGE_A1), data={}, members=[head(7), spouse(7)]
    )


def open_monitoring(users, household, monitoring_type):
    return lifecycle.procedure_open(
        user=users["village_team"], household=household, kind="monitoring", on=D(2021, 9, 1),
        monitoring_type=monitoring_type, data={"source": "cadre_screening"},
    )  # fmt: skip


def make_status(users, household, *statuses):
    household.attribute, household.main_cause = "general", "illness"
    household.save()
    for index, status in enumerate(statuses):
        lifecycle.status_record(user=users["superuser"], household=household, status=status, on=D(2014 + index, 4, 1))
    household.refresh_from_db()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statuses", "monitoring_type"),
    [((), "unstable_exited"), (("poor", "removed"), "unstable_exited"), (("poor", "exited"), "marginal")],
    ids=["unstable_never_registered", "unstable_removed", "marginal_exited"],
)
def test_a_monitoring_type_that_does_not_fit_the_status_is_refused(users, household, statuses, monitoring_type):
    """脱贫不稳定户 only for an exited household, 边缘易致贫户 not for an exited one: monitoring_type_not_allowed."""
    if statuses:
        make_status(users, household, *statuses)
    with pytest.raises(DomainError) as caught:
        open_monitoring(users, household, monitoring_type)
    assert caught.value.code == "monitoring_type_not_allowed"
    assert not household.procedures.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statuses", "monitoring_type"),
    [
        ((), "marginal"),
        (("poor", "removed"), "marginal"),
        (("poor", "exited"), "unstable_exited"),
        ((), "sudden_hardship"),
        (("poor", "exited"), "sudden_hardship"),
        (("poor", "removed"), "sudden_hardship"),
    ],
    ids=["marginal_never_registered", "marginal_removed", "unstable_exited", "sudden_never_registered",
         "sudden_exited", "sudden_removed"],
)  # fmt: skip
def test_a_monitoring_type_that_fits_the_status_opens(users, household, statuses, monitoring_type):
    """边缘易致贫户 for a household never registered or removed; 突发严重困难户 for any of them; 脱贫不稳定户 when exited."""
    if statuses:
        make_status(users, household, *statuses)
    procedure = open_monitoring(users, household, monitoring_type)
    assert (procedure.kind, procedure.monitoring_type) == ("monitoring", monitoring_type)


@pytest.mark.django_db
def test_the_monitoring_alert_stores_the_inclusion_test(users, household):
    """The alert keeps the year's inclusion test for the reviewers (rigid expenses included)."""
    services.annual_record_upsert(
        user=users["superuser"], household=household, year=2021,
        data={"wages": Decimal("14000"), "medical_expense": Decimal("3000")},
    )  # fmt: skip
    procedure = open_monitoring(users, household, "marginal")
    assert procedure.evaluation["kind"] == "monitoring_inclusion"
    [check] = procedure.evaluation["checks"]
    assert (check["result"], check["detail"]["per_capita_after_rigid"]) == ("pass", "5500.00")

"""Issue 14, the register's side: the county form's fields, insurance flags that may be unknown (null), and a rural
household recorded without poverty data until it is registered (household_registered_has_attribute_and_cause)."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from households import services
from households.models import AnnualRecord, Household, Member
from lifecycle import services as lifecycle
from reports import exports
from tests.assertions import assert_error
from tests.conftest import VILLAGE_A1
from tests.households import builders as b

pytestmark = pytest.mark.django_db

HOUSEHOLDS_URL = "/api/v1/households/"


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


def never_registered(tree, user) -> Household:
    """A rural household (一般农户) recorded without attribute or cause."""
    return b.make_household(village=tree[VILLAGE_A1], user=user, attribute="", main_cause="", other_causes=[], stars=None)


# A household never registered needs no poverty data ---------------------------------------------------------------


def test_a_household_never_registered_is_recorded_without_attribute_or_cause(tree, users):
    """The service takes a rural household with no poverty attribute and no main cause (a 漏评 sample)."""
    household = never_registered(tree, users["county_officer"])
    household.refresh_from_db()
    assert (household.attribute, household.main_cause, household.status) == ("", "", "")


def test_the_api_records_a_household_without_poverty_data(api, users):
    """POST /households/ without attribute and main_cause is 201 for a household not yet registered."""
    payload = b.household_payload(VILLAGE_A1)
    for key in ("attribute", "main_cause", "other_causes", "stars"):
        payload.pop(key)
    response = api(users["county_officer"]).post(HOUSEHOLDS_URL, payload, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["attribute"], response.json()["main_cause"]) == ("", "")


@pytest.mark.parametrize("status", ["poor", "exited", "closed"])
def test_the_database_refuses_a_registered_household_without_attribute_or_cause(tree, users, status):
    """The constraint holds whatever writes: a registered status with a blank attribute or cause is refused."""
    household = never_registered(tree, users["county_officer"])
    with pytest.raises(IntegrityError, match="household_registered_has_attribute_and_cause"), transaction.atomic():
        Household.objects.filter(pk=household.pk).update(status=status)


def test_a_household_without_poverty_data_cannot_be_registered(tree, users):
    """Recording `poor` for it is refused with attribute_required and writes no status change."""
    household = never_registered(tree, users["county_officer"])
    with pytest.raises(ValidationError) as caught:
        lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=date(2014, 4, 1))
    assert caught.value.error_dict["attribute"][0].code == "attribute_required"
    assert not household.status_changes.exists()


def test_a_registered_household_cannot_lose_its_attribute(tree, users):
    """Clearing the attribute of a poor household is refused by the service (the constraint, validated)."""
    household = b.make_household(village=tree[VILLAGE_A1], user=users["county_officer"])
    lifecycle.status_record(user=users["superuser"], household=household, status="poor", on=date(2014, 4, 1))
    household.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.household_update(user=users["county_officer"], household=household, data={"attribute": ""})
    assert "attribute_required" in {error.code for errors in caught.value.error_dict.values() for error in errors}


# Insurance flags may be unknown ------------------------------------------------------------------------------------


def test_a_member_entered_without_insurance_flags_has_them_unknown(tree, users):
    """Flags not given are null (not entered), not false; the employees' medical insurance is a flag of its own."""
    household = b.make_household(village=tree[VILLAGE_A1], user=users["county_officer"])
    member = household.members.get(relation="01")
    assert (member.medical_insurance, member.serious_illness_insurance, member.pension_insurance, member.dropout) == (
        None, None, None, None,
    )  # fmt: skip
    services.member_update(
        user=users["county_officer"], member=member, data={"employee_medical_insurance": True, "dropout": False}
    )
    member.refresh_from_db()
    assert (member.employee_medical_insurance, member.dropout, member.medical_insurance) == (True, False, None)


def test_the_migration_keeps_entered_flags_and_leaves_new_ones_unknown(tree, users):
    """Back to before issue 14 (flags NOT NULL) and forward again: a stored False stays False, True stays True."""
    household = b.make_household(village=tree[VILLAGE_A1], user=users["county_officer"])
    head = household.members.get(relation="01")
    Member.objects.filter(household=household).update(
        medical_insurance=False, serious_illness_insurance=True, pension_insurance=False, dropout=False
    )
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    executor = MigrationExecutor(connection)
    executor.migrate([("households", "0006_national_codes_data")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("households"))
    head.refresh_from_db()
    assert (head.medical_insurance, head.serious_illness_insurance, head.pension_insurance, head.dropout) == (
        False, True, False, False,
    )  # fmt: skip
    assert head.employee_medical_insurance is None


# The county form's fields -----------------------------------------------------------------------------------------


HOUSEHOLD_FACTS = {
    "cultivated_land": "12.50",
    "irrigated_land": "3.00",
    "forest_land": "20.00",
    "returned_farmland": "1.50",
    "road_type": "cement",
    "main_fuel": "firewood",
    "road_distance": "0.80",
    "production_electricity": True,
    "military_family": False,
    "only_child_family": True,
    "two_daughters_family": None,
}
MEMBER_FACTS = {
    "active_service": False,
    "employee_medical_insurance": True,
    "employee_pension_insurance": True,
    "commercial_insurance": False,
    "serious_illness_assistance": None,
    "workplace": "镇赉县粮食加工厂",
    "welfare_post": "forest_ranger",
    "welfare_post_months": 10,
}


def test_the_api_writes_and_reads_the_county_form_fields(api, users):
    """Land, road, fuel and family flags on the household, insurance, workplace and post on the member: round trip."""
    members = [b.as_json({**b.head(3), **MEMBER_FACTS}), b.as_json(b.spouse(3))]
    payload = {**b.household_payload(VILLAGE_A1, members=[]), **HOUSEHOLD_FACTS, "members": members}
    response = api(users["county_officer"]).post(HOUSEHOLDS_URL, payload, format="json")
    assert response.status_code == 201, response.json()
    body = api(users["county_officer"]).get(f"{HOUSEHOLDS_URL}{response.json()['id']}/").json()
    assert {key: body[key] for key in HOUSEHOLD_FACTS} == HOUSEHOLD_FACTS
    head = next(member for member in body["members"] if member["relation"] == "01")
    assert {key: head[key] for key in MEMBER_FACTS} == MEMBER_FACTS
    assert head["medical_insurance"] is None


def test_public_welfare_months_are_0_to_12_and_need_a_post(api, users):
    """13 months is refused by the field; months without a post type by the service."""
    client = api(users["county_officer"])
    too_many = b.household_payload(VILLAGE_A1, members=[b.head(4, welfare_post="cleaner", welfare_post_months=13)])
    assert_error(client.post(HOUSEHOLDS_URL, too_many, format="json"), 400, "invalid")
    no_post = b.household_payload(VILLAGE_A1, members=[b.head(4, welfare_post_months=6)])
    body = assert_error(client.post(HOUSEHOLDS_URL, no_post, format="json"), 400, "invalid")
    assert "members.0.welfare_post" in body["errors"]


def test_rigid_expenses_are_stored_on_the_annual_record(api, users, tree):
    """Self-paid medical and schooling costs go in through the record endpoint and come back as entered."""
    household = b.make_household(village=tree[VILLAGE_A1], user=users["county_officer"])
    response = api(users["county_officer"]).post(
        f"{HOUSEHOLDS_URL}{household.pk}/annual-records/",
        {"year": 2021, "wages": "9000.00", "medical_expense": "4200.00", "schooling_expense": "1800.00"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    record = AnnualRecord.objects.get(household=household, year=2021)
    assert (record.medical_expense, record.schooling_expense) == (Decimal("4200.00"), Decimal("1800.00"))


def test_the_export_appends_the_new_columns_and_leaves_unknown_flags_empty():
    """The older layout is a prefix of the new one; a null flag is an empty cell, a false one `false`."""
    assert exports.HEADER[: exports.HEADER.index("left_reason") + 1][-4:] == (
        "joined_on", "join_reason", "left_on", "left_reason",
    )  # fmt: skip
    added = exports.HEADER[exports.HEADER.index("left_reason") + 1 :]
    assert set(HOUSEHOLD_FACTS) | set(MEMBER_FACTS) == set(added)
    assert exports.format_value(exports.BOOLEAN, None) == ""
    assert exports.format_value(exports.BOOLEAN, False) == "false"
    assert exports.format_value(exports.DECIMAL, Decimal("12.50")) == "12.50"

"""Services of the register (households.services), tested through their effects on the database.

household_create numbers households and stores members all or nothing (ID-1, ID-2, HH-1); member_add,
member_update and member_move keep exactly one active row per person; annual_record_upsert derives incomes;
every change is in the history, with the request's user when there is one.
"""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import translation

from households import services
from households.models import AnnualRecord, Household, Member, PolicyStandard
from households.rules import resident_id_check_character
from households.selectors import standard_for
from tests.conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, TOWN_A, VILLAGE_A1, VILLAGE_A2
from tests.households import builders as b

pytestmark = pytest.mark.django_db

INVALID_ID = "invalid_id_number"
DUPLICATE_ID = "duplicate_id_number"
COMPOSITION = "invalid_household_composition"


@pytest.fixture(autouse=True)
def chinese():
    """Messages are asserted in the source language whatever the environment's default."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def officer(users):
    """The county officer of 镇赉县: may read and edit every village of the tree's first county."""
    return users["county_officer"]


@pytest.fixture
def household(tree, officer):
    """A household of head, spouse and son (ID sequence 0) in village A1."""
    return b.make_household(village=tree[VILLAGE_A1], user=officer)


def codes_of(exc: ValidationError) -> dict[str, list[str]]:
    """{field: [code, …]} of a ValidationError raised with a dict."""
    return {field: [error.code for error in errors] for field, errors in exc.error_dict.items()}


def messages_of(exc: ValidationError, field: str) -> list[str]:
    return [str(message) for error in exc.error_dict[field] for message in error.messages]


def member_of(household: Household, relation: str) -> Member:
    return household.members.get(relation=relation, left_on__isnull=True)


def resident_id_with(first17: str) -> str:
    """first17 plus its correct check character (for numbers whose other parts are wrong on purpose)."""
    return first17 + resident_id_check_character(first17)


# ---------------------------------------------------------------------------------------------------------------------
# household_create: numbers and members
# ---------------------------------------------------------------------------------------------------------------------


def test_household_numbers_are_the_village_code_and_a_four_digit_sequence_per_village(tree, officer):
    """Given two villages, households get village code + 0001, 0002 … counted separately in each village."""
    first = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(1))
    second = b.make_household(village=tree[VILLAGE_A1], user=officer, members=b.family(2))
    other = b.make_household(village=tree[VILLAGE_A2], user=officer, members=b.family(3))

    assert [first.number, second.number, other.number] == [
        f"{VILLAGE_A1}0001",
        f"{VILLAGE_A1}0002",
        f"{VILLAGE_A2}0001",
    ]


def test_household_create_stores_the_household_and_its_members(tree, officer):
    """Given a valid household with three members, the household and all three members are stored, active."""
    household = b.make_household(village=tree[VILLAGE_A1], user=officer, bank_account="6228480402564890018")

    stored = Household.objects.get(pk=household.pk)
    assert (stored.village_id, stored.main_cause, stored.other_causes, stored.stars, stored.bank_account) == (
        VILLAGE_A1,
        "illness",
        ["lack_funds"],
        2,
        "6228480402564890018",
    )
    members = list(stored.members.order_by("relation"))
    assert [(m.relation, m.id_number, m.sex, m.birth_date, m.active) for m in members] == [
        (d["relation"], d["id_number"], d["sex"], d["birth_date"], True) for d in b.family()
    ]
    assert {m.join_reason for m in members} == {"registration"}


def test_a_lower_case_x_check_character_is_stored_upper_case(tree, officer):
    """Given an ID number ending in a lower-case x, the stored number ends in X (one person, one spelling)."""
    # 1962-03-08, male, sequence 2 → 22082119620308005X.
    number = b.resident_id(birth_date=b.HEAD_BIRTH, sex="male", sequence=2)
    assert number.endswith("X")

    household = b.make_household(
        village=tree[VILLAGE_A1], user=officer, members=[b.head(id_number=number.lower()), b.spouse(2)]
    )

    assert member_of(household, "01").id_number == number


# ID-1 failures: (description, the member's overrides, the field the error is reported on).
ID_1_FAILURES = {
    "wrong check digit": (
        lambda: {"id_number": b.resident_id(birth_date=b.SON_BIRTH, sex="male")[:17] + "0"},
        "id_number",
    ),
    "non-existent birth date": (
        lambda: {"id_number": resident_id_with(f"{b.AREA}19880230001")},
        "id_number",
    ),
    "wrong length": (
        lambda: {"id_number": b.resident_id(birth_date=b.SON_BIRTH, sex="male")[:17]},
        "id_number",
    ),
    "sex disagreeing with the number": (
        lambda: {"id_number": b.resident_id(birth_date=b.SON_BIRTH, sex="female")},
        "sex",
    ),
    "birth date disagreeing with the number": (
        lambda: {"birth_date": date(1988, 9, 2)},
        "birth_date",
    ),
    "disability certificate with a bad suffix": (
        lambda: {
            "id_type": "disability_cert",
            "id_number": b.resident_id(birth_date=b.SON_BIRTH, sex="male") + "85",
            "health": "disabled",
            "disability_category": "physical",
        },
        "id_number",
    ),
}


@pytest.mark.parametrize("kind", list(ID_1_FAILURES))
def test_an_invalid_id_number_fails_the_whole_creation(tree, officer, kind):
    """Given a household whose third member fails ID-1, nothing is created and the error names that member's field."""
    overrides, field = ID_1_FAILURES[kind]
    members = [b.head(), b.spouse(), b.son(**overrides())]
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A1], user=officer, members=members)

    assert codes_of(caught.value) == {f"members.2.{field}": [INVALID_ID]}
    assert b.counts() == before


def test_a_valid_disability_certificate_is_accepted(tree, officer):
    """Given a disabled son with a disability certificate (resident ID + category 4 + grade 2), he is stored."""
    number = b.resident_id(birth_date=b.SON_BIRTH, sex="male") + "42"
    members = [
        b.head(),
        b.son(id_type="disability_cert", id_number=number, health="disabled", disability_category="physical"),
    ]

    household = b.make_household(village=tree[VILLAGE_A1], user=officer, members=members)

    assert member_of(household, "03").id_number == number


# HH-1 failures: (members, the field the error is reported on).
HH_1_FAILURES = {
    "no head": (lambda: [b.spouse(), b.son()], "members"),
    "two heads": (lambda: [b.head(), b.son(relation="01")], "members"),
    "spouse of the head's sex": (
        lambda: [b.head(), b.member(name="张伟", sex="male", birth_date=b.SPOUSE_BIRTH, relation="02")],
        "members.1.sex",
    ),
    "son recorded female": (
        lambda: [b.head(), b.spouse(), b.member(name="王小红", sex="female", birth_date=b.SON_BIRTH, relation="03")],
        "members.2.relation",
    ),
}


@pytest.mark.parametrize("kind", list(HH_1_FAILURES))
def test_an_inconsistent_composition_fails_the_whole_creation(tree, officer, kind):
    """Given members that break HH-1, nothing is created and the error has code invalid_household_composition."""
    members, field = HH_1_FAILURES[kind]
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A1], user=officer, members=members())

    assert codes_of(caught.value) == {field: [COMPOSITION]}
    assert b.counts() == before


@pytest.mark.parametrize(
    ("other_causes", "message"),
    [
        (["lack_funds", "lack_skills", "lack_land"], "其他致贫原因最多两项"),
        (["lack_funds", "lack_funds"], "其他致贫原因不能重复"),
        (["illness"], "其他致贫原因不能与主要致贫原因相同"),
    ],
    ids=["more than two", "duplicates", "equal to the main cause"],
)
def test_bad_other_causes_are_refused(tree, officer, other_causes, message):
    """Given other causes that are too many, repeated or the main cause itself, nothing is created."""
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A1], user=officer, main_cause="illness", other_causes=other_causes)

    assert codes_of(caught.value) == {"other_causes": ["invalid"]}
    assert messages_of(caught.value, "other_causes") == [message]
    assert b.counts() == before


def test_a_household_cannot_belong_to_a_township(tree, officer):
    """Given a township instead of a village, nothing is created and the error is on village."""
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[TOWN_A], user=officer)

    assert codes_of(caught.value) == {"village": ["invalid"]}
    assert b.counts() == before


def test_a_household_needs_at_least_one_member(tree, officer):
    """Given no members at all, nothing is created and the error is on members."""
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A1], user=officer, members=[])

    assert codes_of(caught.value) == {"members": ["invalid"]}
    assert b.counts() == before


def test_a_member_value_outside_its_coded_list_is_refused(tree, officer):
    """Given a member whose labour capacity is not a coded value, nothing is created (as the API would refuse)."""
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A1], user=officer, members=[b.head(labour="flying")])

    assert "members.0.labour" in caught.value.error_dict
    assert b.counts() == before


# ---------------------------------------------------------------------------------------------------------------------
# ID-2: one person, one active membership
# ---------------------------------------------------------------------------------------------------------------------


def test_the_same_id_number_twice_in_one_household_is_refused(tree, officer):
    """Given the head's ID number also on the son, nothing is created: duplicate_id_number on the second one."""
    twin = b.son(id_number=b.head()["id_number"], birth_date=b.HEAD_BIRTH)
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A1], user=officer, members=[b.head(), b.spouse(), twin])

    assert codes_of(caught.value) == {"members.2.id_number": [DUPLICATE_ID]}
    assert "members.0.id_number" in messages_of(caught.value, "members.2.id_number")[0]
    assert b.counts() == before


def test_an_id_number_active_elsewhere_names_the_other_household_to_a_reader(tree, officer, household):
    """Given the son active in a household of A1, registering him in A2 fails and names that household's number."""
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A2], user=officer, members=[b.head(1), b.son(0)])

    assert codes_of(caught.value) == {"members.1.id_number": [DUPLICATE_ID]}
    assert messages_of(caught.value, "members.1.id_number") == [
        f"该证件号已在户 {household.number}（区划{VILLAGE_A1}）登记为在册成员"
    ]
    assert b.counts() == before


def test_an_id_number_active_elsewhere_is_not_described_to_a_caller_who_may_not_read_it(tree, users, officer):
    """Given the son active in village A2, A1's village team is told only "其他户", not the number or village."""
    other = b.make_household(village=tree[VILLAGE_A2], user=officer)
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A1], user=users["village_team"], members=[b.head(1), b.son(0)])

    assert codes_of(caught.value) == {"members.1.id_number": [DUPLICATE_ID]}
    message = messages_of(caught.value, "members.1.id_number")[0]
    assert message == "该证件号已在其他户登记为在册成员"
    assert other.number not in message and VILLAGE_A2 not in message
    assert b.counts() == before


def test_a_person_who_left_a_household_may_be_registered_elsewhere(tree, officer):
    """Given a daughter who married out of her parents' household, she is registered as a spouse in another one."""
    parents = b.make_household(village=tree[VILLAGE_A1], user=officer, members=[*b.family(0), b.daughter(0)])
    daughter = member_of(parents, "04")
    services.member_update(
        user=officer, member=daughter, data={"left_on": date(2015, 10, 1), "left_reason": "married_out"}
    )

    in_laws = b.make_household(
        village=tree[VILLAGE_A2],
        user=officer,
        members=[b.head(1), b.daughter(0, relation="02", joined_on=date(2015, 10, 1), join_reason="marriage")],
    )

    rows = Member.objects.filter(id_number=daughter.id_number)
    assert sorted((m.household_id, m.active) for m in rows) == [(parents.pk, False), (in_laws.pk, True)]


def test_a_person_cannot_be_registered_again_under_a_disability_certificate(tree, officer, household):
    """Given the son active in A1 under his resident ID, registering him in A2 under his disability certificate
    (the same resident ID plus category and grade) is refused as duplicate_id_number."""
    certificate = b.son()["id_number"] + "42"
    disabled_son = b.son(
        id_type="disability_cert", id_number=certificate, health="disabled", disability_category="physical"
    )
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        b.make_household(village=tree[VILLAGE_A2], user=officer, members=[b.head(1), disabled_son])

    assert codes_of(caught.value) == {"members.1.id_number": [DUPLICATE_ID]}
    assert b.counts() == before


def _create_in_thread(results, key, *, village, user, members, barrier, hold: float = 0.0):
    """Register a household in this thread's own connection.

    With hold: register inside an open transaction, meet the other thread, keep the transaction open `hold` seconds.
    Without: meet the other thread first, then register; `<key>_seconds` is how long the registration took.
    """
    started = time.monotonic()
    try:
        if hold:
            with transaction.atomic():
                results[key] = b.make_household(village=village, user=user, members=members)
                barrier.wait()
                time.sleep(hold)
        else:
            barrier.wait()
            started = time.monotonic()
            results[key] = b.make_household(village=village, user=user, members=members)
    except (ValidationError, DatabaseError) as exc:
        results[key] = exc
    finally:
        results[f"{key}_seconds"] = time.monotonic() - started
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_person_at_once_give_one_household_and_one_clear_error(tree, officer):
    """Given A registering X and holding its transaction open while B registers X elsewhere, B waits for A's commit
    on the unique index and then fails with duplicate_id_number (not IntegrityError); one active X remains."""
    x = b.son(7)
    results: dict = {}
    barrier = threading.Barrier(2, timeout=10)
    a = threading.Thread(
        target=_create_in_thread,
        args=(results, "a"),
        kwargs={
            "village": tree[VILLAGE_A1],
            "user": officer,
            "members": [b.head(1), x],
            "barrier": barrier,
            "hold": 0.5,
        },
    )
    b_thread = threading.Thread(
        target=_create_in_thread,
        args=(results, "b"),
        kwargs={"village": tree[VILLAGE_A2], "user": officer, "members": [b.head(2), x], "barrier": barrier},
    )

    a.start()
    b_thread.start()
    a.join(timeout=30)
    b_thread.join(timeout=30)

    assert isinstance(results["a"], Household)
    assert isinstance(results["b"], ValidationError), results["b"]
    assert codes_of(results["b"]) == {"members.1.id_number": [DUPLICATE_ID]}
    assert results["b_seconds"] > 0.3  # B waited for A's commit: the race, not the pre-check, refused it
    assert Member.objects.active().filter(id_number=x["id_number"]).count() == 1
    assert list(Household.objects.values_list("village_id", flat=True)) == [VILLAGE_A1]
    assert not Household.objects.filter(village_id=VILLAGE_A2).exists()
    assert b.counts()["sequences"].get(VILLAGE_A2, 0) == 0  # B's household number was not drawn


def test_the_database_refuses_a_second_active_row_for_one_id_number(household):
    """Given the son active in a household, even a write that skips the services cannot add him active again."""
    son = member_of(household, "03")
    row = {f: getattr(son, f) for f in services.MEMBER_FIELDS if f != "relation"}

    with pytest.raises(IntegrityError, match="member_unique_active_person"), transaction.atomic():
        Member.objects.create(household=household, **row, person_number=son.person_number, relation="99")

    assert Member.objects.filter(id_number=son.id_number).count() == 1


def test_the_database_refuses_a_second_active_head(household):
    """Given a household with a head, even a write that skips the services cannot make the son a second head."""
    with pytest.raises(IntegrityError, match="member_one_active_head"), transaction.atomic():
        Member.objects.filter(pk=member_of(household, "03").pk).update(relation="01")

    assert household.members.filter(relation="01").count() == 1


# ---------------------------------------------------------------------------------------------------------------------
# Members: add, leave, come back, move
# ---------------------------------------------------------------------------------------------------------------------


def test_member_add_stores_a_new_member(household, officer):
    """Given a household, adding a daughter born into it stores her as an active member."""
    new = services.member_add(
        user=officer, household=household, data=b.daughter(joined_on=date(2016, 1, 1), join_reason="birth")
    )

    assert Member.objects.get(pk=new.pk).household_id == household.pk
    assert (new.relation, new.join_reason, new.joined_on, new.active) == ("04", "birth", date(2016, 1, 1), True)
    assert household.members.active().count() == 4


def test_member_add_with_an_invalid_id_number_writes_nothing(household, officer):
    """Given a new member whose ID check digit is wrong, nothing is written and the error is on id_number."""
    bad = b.daughter(id_number=b.daughter()["id_number"][:17] + "0")
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        services.member_add(user=officer, household=household, data=bad)

    assert codes_of(caught.value) == {"id_number": [INVALID_ID]}
    assert b.counts() == before


def test_member_add_of_a_second_head_writes_nothing(household, officer):
    """Given a household with a head, adding another head is refused with invalid_household_composition."""
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        services.member_add(user=officer, household=household, data=b.head(5))

    assert codes_of(caught.value) == {"members": [COMPOSITION]}
    assert b.counts() == before


def test_member_add_of_a_person_active_elsewhere_writes_nothing(tree, household, officer):
    """Given the son active in household A1, adding him to another household is refused (ID-2)."""
    other = b.make_household(village=tree[VILLAGE_A2], user=officer, members=[b.head(1)])
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        services.member_add(user=officer, household=other, data=b.son(0))

    assert codes_of(caught.value) == {"id_number": [DUPLICATE_ID]}
    assert b.counts() == before


def test_leaving_keeps_the_member_row_inactive(household, officer):
    """Given a son who moves out, his row stays with left_on and left_reason, and he is no longer active."""
    son = member_of(household, "03")

    services.member_update(user=officer, member=son, data={"left_on": date(2019, 4, 1), "left_reason": "moved_out"})

    son.refresh_from_db()
    assert (son.left_on, son.left_reason, son.active) == (date(2019, 4, 1), "moved_out", False)
    assert household.members.count() == 3
    assert household.members.active().count() == 2


def test_the_head_cannot_leave_others_behind_without_a_new_head(household, officer):
    """Given a head who dies while spouse and son remain, without new_head nothing changes (HH-1: no head)."""
    head = member_of(household, "01")

    with pytest.raises(ValidationError) as caught:
        services.member_update(user=officer, member=head, data={"left_on": date(2020, 3, 1), "left_reason": "deceased"})

    assert codes_of(caught.value) == {"members": [COMPOSITION]}
    head.refresh_from_db()
    assert head.active
    assert household.members.active().count() == 3


def test_a_leaving_head_hands_over_to_the_new_head(household, officer):
    """Given a head who dies and names his spouse as new head, she becomes relation 01 and he keeps his row."""
    head, wife = member_of(household, "01"), member_of(household, "02")

    services.member_update(
        user=officer, member=head, data={"left_on": date(2020, 3, 1), "left_reason": "deceased"}, new_head=wife
    )

    head.refresh_from_db()
    wife.refresh_from_db()
    assert (head.relation, head.active, head.left_reason) == ("01", False, "deceased")
    assert (wife.relation, wife.active) == ("01", True)
    assert household.members.active().filter(relation="01").count() == 1


def test_leaving_before_joining_is_refused(tree, officer):
    """Given a daughter-in-law who joined on 2015-01-01, a leaving date of 2014-06-01 is refused; nothing changes."""
    household = b.make_household(
        village=tree[VILLAGE_A1],
        user=officer,
        members=[
            b.head(),
            b.member(
                name="赵丽",
                sex="female",
                birth_date=date(1990, 6, 6),
                relation="05",
                joined_on=date(2015, 1, 1),
                join_reason="marriage",
            ),
        ],
    )
    in_law = member_of(household, "05")

    with pytest.raises(ValidationError) as caught:
        services.member_update(
            user=officer, member=in_law, data={"left_on": date(2014, 6, 1), "left_reason": "married_out"}
        )

    assert codes_of(caught.value) == {"left_on": ["invalid"]}
    in_law.refresh_from_db()
    assert in_law.active


def test_coming_back_is_refused_while_the_person_is_active_elsewhere(tree, officer):
    """Given a daughter who left and registered elsewhere, clearing her leaving date is refused (ID-2)."""
    parents = b.make_household(village=tree[VILLAGE_A1], user=officer, members=[*b.family(0), b.daughter(0)])
    daughter = member_of(parents, "04")
    services.member_update(
        user=officer, member=daughter, data={"left_on": date(2015, 10, 1), "left_reason": "married_out"}
    )
    b.make_household(village=tree[VILLAGE_A2], user=officer, members=[b.head(1), b.daughter(0, relation="02")])

    with pytest.raises(ValidationError) as caught:
        services.member_update(user=officer, member=daughter, data={"left_on": None, "left_reason": ""})

    assert codes_of(caught.value) == {"id_number": [DUPLICATE_ID]}
    daughter.refresh_from_db()
    assert not daughter.active
    assert Member.objects.active().filter(id_number=daughter.id_number).count() == 1


def test_coming_back_is_allowed_when_the_person_is_active_nowhere(household, officer):
    """Given a son who left and registered nowhere else, clearing his leaving date makes him active again."""
    son = member_of(household, "03")
    services.member_update(user=officer, member=son, data={"left_on": date(2019, 4, 1), "left_reason": "moved_out"})

    services.member_update(user=officer, member=son, data={"left_on": None, "left_reason": ""})

    son.refresh_from_db()
    assert (son.active, son.left_reason) == (True, "")


def test_member_move_ends_the_old_membership_and_starts_a_new_one(tree, household, officer):
    """Given the son moving to another household on a date, the old row is left (moved_out) and a new row in the
    target starts that day (moved_in), with the same ID number; one active row holds it."""
    target = b.make_household(village=tree[VILLAGE_A2], user=officer, members=[b.head(1)])
    son = member_of(household, "03")
    on = date(2021, 5, 10)

    moved = services.member_move(user=officer, member=son, to_household=target, relation="99", on=on)

    son.refresh_from_db()
    assert (son.household_id, son.left_on, son.left_reason, son.active) == (household.pk, on, "moved_out", False)
    moved.refresh_from_db()
    assert (moved.household_id, moved.relation, moved.joined_on, moved.join_reason, moved.active) == (
        target.pk,
        "99",
        on,
        "moved_in",
        True,
    )
    assert moved.pk != son.pk
    assert moved.id_number == son.id_number
    assert Member.objects.active().filter(id_number=son.id_number).count() == 1


def test_moving_the_head_of_a_household_with_other_members_is_refused(tree, household, officer):
    """Given a head with spouse and son, moving him elsewhere is refused until a new head is named."""
    target = b.make_household(village=tree[VILLAGE_A2], user=officer, members=[b.head(1)])
    head = member_of(household, "01")
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        services.member_move(user=officer, member=head, to_household=target, relation="99", on=date(2021, 5, 10))

    assert codes_of(caught.value) == {"member": [COMPOSITION]}
    assert b.counts() == before
    head.refresh_from_db()
    assert head.active


def test_moving_to_the_same_household_is_refused(household, officer):
    """Given the son, moving him to his own household is refused and nothing is written."""
    son = member_of(household, "03")
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        services.member_move(user=officer, member=son, to_household=household, relation="03", on=date(2021, 5, 10))

    assert codes_of(caught.value) == {"household": ["invalid"]}
    assert b.counts() == before


def test_moving_in_as_a_second_head_is_refused(tree, household, officer):
    """Given a target with a head, moving the son in as head is refused (HH-1) and nothing is written."""
    target = b.make_household(village=tree[VILLAGE_A2], user=officer, members=[b.head(1)])
    son = member_of(household, "03")
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        services.member_move(user=officer, member=son, to_household=target, relation="01", on=date(2021, 5, 10))

    assert codes_of(caught.value) == {"members": [COMPOSITION]}
    assert b.counts() == before
    son.refresh_from_db()
    assert son.active


# ---------------------------------------------------------------------------------------------------------------------
# Annual records: derived incomes
# ---------------------------------------------------------------------------------------------------------------------

INCOME = {
    "wages": Decimal("12000.00"),
    "business_income": Decimal("5000.00"),
    "business_cost": Decimal("1500.50"),
    "property_income": Decimal("300.00"),
    "dibao": Decimal("2400.00"),
    "tekun": Decimal("0.00"),
    "pension": Decimal("1200.00"),
    "eco_compensation": Decimal("150.25"),
    "family_planning": Decimal("0.00"),
    "other_transfer": Decimal("100.00"),
}


def test_annual_record_upsert_derives_transfer_net_and_per_capita_income(household, officer):
    """Given the 2017 incomes of a 3-person household, transfers, net and per-capita income are computed."""
    record, created = services.annual_record_upsert(user=officer, household=household, year=2017, data=INCOME)

    record.refresh_from_db()
    assert created
    # 2400 + 0 + 1200 + 150.25 + 0 + 100
    assert record.transfer_income == Decimal("3850.25")
    # 12000 + 5000 − 1500.50 + 300 + 3850.25
    assert record.net_income == Decimal("19649.75")
    assert record.members_counted == 3
    # 19649.75 ÷ 3 = 6549.9166… → 6549.92
    assert record.per_capita_income == Decimal("6549.92")


def test_per_capita_income_rounds_half_cents_up(tree, officer):
    """Given a net income of 10.01 for two people, the per-capita income is 5.01 (5.005 rounded half up)."""
    household = b.make_household(village=tree[VILLAGE_A1], user=officer, members=[b.head(), b.spouse()])

    record, _created = services.annual_record_upsert(
        user=officer, household=household, year=2017, data={"wages": Decimal("10.01")}
    )

    assert (record.net_income, record.members_counted, record.per_capita_income) == (
        Decimal("10.01"),
        2,
        Decimal("5.01"),
    )


def test_members_counted_are_those_in_the_household_on_december_31(tree, officer):
    """Given a daughter-in-law who joined in March 2018 and a son who left in June 2018, 2017 counts the son and
    not her, 2018 counts her and not him."""
    in_law = b.member(
        name="赵丽",
        sex="female",
        birth_date=date(1990, 6, 6),
        relation="05",
        joined_on=date(2018, 3, 1),
        join_reason="marriage",
    )
    household = b.make_household(village=tree[VILLAGE_A1], user=officer, members=[*b.family(), in_law])
    services.member_update(
        user=officer, member=member_of(household, "03"), data={"left_on": date(2018, 6, 30), "left_reason": "moved_out"}
    )

    counted = {
        year: services.annual_record_upsert(user=officer, household=household, year=year, data={})[0].members_counted
        for year in (2017, 2018)
    }

    assert counted == {2017: 3, 2018: 3}  # 2017: head, spouse, son; 2018: head, spouse, daughter-in-law


def test_upserting_a_year_twice_updates_the_same_record(household, officer):
    """Given a 2017 record, a second upsert for 2017 changes that row instead of adding one."""
    first, created_first = services.annual_record_upsert(user=officer, household=household, year=2017, data=INCOME)

    second, created_second = services.annual_record_upsert(
        user=officer, household=household, year=2017, data={"wages": Decimal("15000.00")}
    )

    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert AnnualRecord.objects.filter(household=household).count() == 1
    second.refresh_from_db()
    assert second.wages == Decimal("15000.00")
    assert second.dibao == Decimal("2400.00")  # untouched items keep their value
    assert second.net_income == Decimal("22649.75")


def test_a_member_leaving_recomputes_that_year_and_later_years(household, officer):
    """Given records for 2017–2019 and the son leaving in July 2018, 2018 and 2019 count 2 people, 2017 still 3."""
    for year in (2017, 2018, 2019):
        services.annual_record_upsert(user=officer, household=household, year=year, data={"wages": Decimal("9000")})

    services.member_update(
        user=officer, member=member_of(household, "03"), data={"left_on": date(2018, 7, 1), "left_reason": "moved_out"}
    )

    rows = AnnualRecord.objects.filter(household=household).order_by("year")
    assert [(r.year, r.members_counted, r.per_capita_income) for r in rows] == [
        (2017, 3, Decimal("3000.00")),
        (2018, 2, Decimal("4500.00")),
        (2019, 2, Decimal("4500.00")),
    ]


def test_a_member_move_recomputes_both_households(tree, household, officer):
    """Given 2021 records in both households, moving the son in 2021 changes both households' members counted."""
    target = b.make_household(village=tree[VILLAGE_A2], user=officer, members=[b.head(1)])
    for home in (household, target):
        services.annual_record_upsert(user=officer, household=home, year=2021, data={"wages": Decimal("6000")})

    services.member_move(
        user=officer, member=member_of(household, "03"), to_household=target, relation="99", on=date(2021, 5, 10)
    )

    counted = dict(AnnualRecord.objects.filter(year=2021).values_list("household_id", "members_counted"))
    assert counted == {household.pk: 2, target.pk: 2}


def test_a_member_coming_back_recomputes_the_records(household, officer):
    """Given the son leaving in 2019 and then coming back (leaving undone), the 2019 record counts him again."""
    services.annual_record_upsert(user=officer, household=household, year=2019, data={"wages": Decimal("9000")})
    son = member_of(household, "03")
    services.member_update(user=officer, member=son, data={"left_on": date(2019, 4, 1), "left_reason": "moved_out"})

    services.member_update(user=officer, member=son, data={"left_on": None, "left_reason": ""})

    record = AnnualRecord.objects.get(household=household, year=2019)
    assert (record.members_counted, record.per_capita_income) == (3, Decimal("3000.00"))


def test_adding_a_member_without_a_joining_date_recomputes_earlier_records(household, officer):
    """Given a 2017 record, adding a member with no joining date (counted in every year) updates 2017 too."""
    services.annual_record_upsert(user=officer, household=household, year=2017, data={"wages": Decimal("9000")})

    services.member_add(user=officer, household=household, data=b.daughter())

    record = AnnualRecord.objects.get(household=household, year=2017)
    recomputed, _created = services.annual_record_upsert(user=officer, household=household, year=2017, data={})
    assert record.members_counted == recomputed.members_counted == 4


@pytest.mark.parametrize(
    ("year", "data", "field"),
    [
        (2012, {}, "year"),
        (2017, {"wages": Decimal("-1.00")}, "wages"),
        (2017, {"housing_grade": "C", "renovation_year": 2020}, "renovation_year"),
    ],
    ids=["year before 2013", "negative wages", "renovation after the next year"],
)
def test_a_bad_annual_record_writes_nothing(household, officer, year, data, field):
    """Given a bad year or item, the upsert is refused with the error on that field and no record is written."""
    before = b.counts()

    with pytest.raises(ValidationError) as caught:
        services.annual_record_upsert(user=officer, household=household, year=year, data=data)

    assert field in caught.value.error_dict
    assert b.counts() == before


# ---------------------------------------------------------------------------------------------------------------------
# History (pghistory triggers)
# ---------------------------------------------------------------------------------------------------------------------


def member_events(member: Member):
    return list(
        Member.pgh_event_model.objects.filter(pgh_obj_id=member.pk).select_related("pgh_context").order_by("pgh_id")
    )


def test_a_change_through_the_api_records_the_user_and_the_request(api, household, officer):
    """Given a member renamed through the API, the update event carries the user, the request id, URL and method."""
    son = member_of(household, "03")
    url = f"/api/v1/members/{son.pk}/"

    response = api(officer).patch(url, {"name": "王军"}, format="json")

    assert response.status_code == 200, response.content
    event = member_events(son)[-1]
    assert (event.pgh_label, event.name) == ("update", "王军")
    metadata = event.pgh_context.metadata
    assert metadata["user"] == officer.pk
    assert metadata["request_id"] == response["X-Request-ID"]
    assert (metadata["url"], metadata["method"]) == (url, "PATCH")


def test_bulk_and_raw_sql_updates_of_members_are_recorded_without_a_user(household):
    """Given a bulk update() and a raw SQL UPDATE of a member, both are in the history, with no request context."""
    son = member_of(household, "03")

    Member.objects.filter(pk=son.pk).update(name="批量")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE households_member SET name = 'SQL' WHERE id = %s", [son.pk])

    updates = [e for e in member_events(son) if e.pgh_label == "update"]
    assert [e.name for e in updates] == ["批量", "SQL"]
    assert [e.pgh_context for e in updates] == [None, None]


def test_household_creation_is_recorded_as_inserts(household):
    """Given a household created through the service, the history has an insert of it and of each member."""
    assert Household.pgh_event_model.objects.filter(pgh_obj_id=household.pk, pgh_label="insert").count() == 1
    member_ids = set(household.members.values_list("pk", flat=True))
    inserted = set(
        Member.pgh_event_model.objects.filter(pgh_label="insert", household_id=household.pk).values_list(
            "pgh_obj_id", flat=True
        )
    )
    assert inserted == member_ids


# ---------------------------------------------------------------------------------------------------------------------
# Policy standards: the most specific region wins
# ---------------------------------------------------------------------------------------------------------------------


def test_nationwide_poverty_lines_come_with_the_database():
    """Given a fresh database, the nationwide 2014–2020 poverty lines of docs/domain.md are there (2017: 3335.00)."""
    lines = dict(PolicyStandard.objects.filter(region__isnull=True).values_list("year", "poverty_line"))

    assert {year: lines[year] for year in range(2014, 2021)} == {
        2014: Decimal("2800.00"),
        2015: Decimal("2855.00"),
        2016: Decimal("3146.00"),
        2017: Decimal("3335.00"),
        2018: Decimal("3535.00"),
        2019: Decimal("3747.00"),
        2020: Decimal("4000.00"),
    }
    assert PolicyStandard.objects.get(region__isnull=True, year=2021).monitoring_line == Decimal("6000.00")


def test_standard_for_a_village_without_local_rows_is_the_nationwide_one(tree):
    """Given no county or township row, a village's 2017 standard is the nationwide row (3335.00)."""
    standard = standard_for(year=2017, region_code=VILLAGE_A1)

    assert (standard.region_id, standard.poverty_line) == (None, Decimal("3335.00"))


def test_a_county_standard_overrides_the_nationwide_one_in_that_county_only(tree, officer):
    """Given a county row for 2017, villages of that county use it; a village of another county does not."""
    services.policy_standard_save(user=officer, year=2017, region=tree[COUNTY], data={"poverty_line": Decimal("3400")})

    assert standard_for(year=2017, region_code=VILLAGE_A1).poverty_line == Decimal("3400.00")
    assert standard_for(year=2017, region_code=OTHER_VILLAGE).poverty_line == Decimal("3335.00")
    assert standard_for(year=2017, region_code=OTHER_COUNTY).region_id is None


def test_a_township_standard_overrides_the_county_one(tree, officer):
    """Given county and township rows for 2017, a village of that township uses the township row, others the county's."""
    services.policy_standard_save(user=officer, year=2017, region=tree[COUNTY], data={"poverty_line": Decimal("3400")})
    services.policy_standard_save(user=officer, year=2017, region=tree[TOWN_A], data={"poverty_line": Decimal("3500")})

    assert standard_for(year=2017, region_code=VILLAGE_A1).region_id == TOWN_A
    assert standard_for(year=2017, region_code=VILLAGE_A1).poverty_line == Decimal("3500.00")
    assert standard_for(year=2017, region_code="220821101201").poverty_line == Decimal("3400.00")

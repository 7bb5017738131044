"""The ledger of dated aggregates (docs/reports.md, The ledger) gives the summaries the register gives.

The register path (region_summary(source="register")) is the oracle: random histories written every way the
register is written (services, bulk updates, deletes, back-dated changes, a household moving village, a program
changing category) must leave the ledger's summary of every region equal to it on every day, before and after a
rebuild; two writers committing at once must leave it exact; rows written with triggers off come in by a rebuild.
"""

import datetime
import random
import threading
from datetime import date as D
from decimal import Decimal
from importlib import import_module

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from cadres.models import Pairing
from households.models import Household, Member
from lifecycle.models import MonitoringChange, StatusChange
from programs.models import Benefit, CooperativeMembership, Program
from reports import ledger, selectors
from reports.models import HouseholdStep, LedgerRow
from tests.cadres.conftest import make_cadre, make_unit
from tests.conftest import COUNTY, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.households import builders as b
from tests.programs.conftest import make_cooperative, make_program

STATUSES = ("poor", "exited", "closed", "removed", "candidate", "rejected")
CAUSES = ("illness", "disability", "lack_funds", "schooling")
ATTRIBUTES = ("general", "dibao", "tekun")
VILLAGES = (VILLAGE_A1, VILLAGE_A2, VILLAGE_B1)
REGIONS = (COUNTY, TOWN_A, TOWN_B, VILLAGE_A1, VILLAGE_B1)


def some_day(rng) -> datetime.date:
    return D(2014, 1, 1) + datetime.timedelta(days=rng.randrange(6 * 365))


def days_to_compare(rng) -> list[datetime.date]:
    """Year ends and starts (where benefits and memberships stop covering) and random days."""
    fixed = [D(2014, 12, 31), D(2015, 1, 1), D(2016, 12, 31), D(2017, 1, 1), D(2019, 12, 31), D(2030, 1, 1)]
    return sorted(set(fixed) | {some_day(rng) for _ in range(6)})  # a series names each day once


def assert_ledger_is_the_register(tree, days):
    for code in REGIONS:
        region = tree[code]
        for day in days:
            from_ledger = selectors.region_summary(region=region, as_of=day)
            from_register = selectors.region_summary(region=region, as_of=day, source=selectors.REGISTER)
            assert from_ledger == from_register, (code, day)
    county = tree[COUNTY]
    assert selectors.region_summary_series(region=county, days=days, children=True) == (
        selectors.region_summary_series(region=county, days=days, children=True, source=selectors.REGISTER)
    )


class World:
    """A county's worth of households, cadres and programs to write random histories over."""

    def __init__(self, tree, rng, households=10):
        self.tree, self.rng = tree, rng
        self.industry = make_program(tree, name="庭院经济", category="industry")
        self.other = make_program(tree, name="助学补贴", category="education", subtype="")
        self.cooperative = make_cooperative(tree)
        unit = make_unit(tree)
        self.cadres = [make_cadre(tree, unit, sequence) for sequence in range(3)]
        self.households = [
            b.make_household(
                village=tree[rng.choice(VILLAGES)], user=None, members=b.family(sequence),
                main_cause=rng.choice(CAUSES), attribute=rng.choice(ATTRIBUTES), other_causes=[],
            )  # fmt: skip
            for sequence in range(households)
        ]

    def step(self):
        """One random write, in a savepoint: one the database refuses (an overlapping pairing) leaves nothing."""
        rng = self.rng
        household = rng.choice(self.households)
        action = rng.choice(
            ["status"] * 4 + ["member", "pairing", "end_pairing", "benefit", "benefit_change", "delete_benefit",
                              "membership", "leave", "monitoring", "household", "program"]
        )  # fmt: skip
        try:
            with transaction.atomic():
                getattr(self, action)(household)
        except IntegrityError:
            pass

    def status(self, household):
        StatusChange.objects.create(household=household, status=self.rng.choice(STATUSES), effective_on=some_day(self.rng))

    def member(self, household):
        member = self.rng.choice(list(Member.objects.filter(household=household)))
        joined = self.rng.choice([None, some_day(self.rng)])
        left = self.rng.choice([None, None, some_day(self.rng)])
        if joined and left and left <= joined:
            joined, left = left - datetime.timedelta(days=1), joined
        Member.objects.filter(pk=member.pk).update(joined_on=joined, left_on=left)

    def pairing(self, household):
        start = some_day(self.rng)
        end = self.rng.choice([None, start + datetime.timedelta(days=self.rng.randrange(1, 900))])
        Pairing.objects.create(cadre=self.rng.choice(self.cadres), household=household, starts_on=start, ends_on=end)

    def end_pairing(self, household):
        pairing = Pairing.objects.filter(household=household).first()
        if pairing is not None:
            if self.rng.random() < 0.3:
                pairing.delete()
            else:
                Pairing.objects.filter(pk=pairing.pk).update(ends_on=pairing.starts_on + datetime.timedelta(days=200))

    def benefit(self, household):
        Benefit.objects.create(
            program=self.rng.choice([self.industry, self.other]), household=household, date=some_day(self.rng),
            amount=Decimal(self.rng.randrange(100, 5000)),
        )  # fmt: skip

    def benefit_change(self, household):
        Benefit.objects.filter(household=household).update(date=some_day(self.rng), amount=Decimal("321.50"))

    def delete_benefit(self, household):
        Benefit.objects.filter(pk__in=Benefit.objects.filter(household=household).values("pk")[:1]).delete()

    def membership(self, household):
        joined = some_day(self.rng)
        left = self.rng.choice([None, joined + datetime.timedelta(days=self.rng.randrange(1, 700)), D(joined.year + 1, 1, 1)])
        CooperativeMembership.objects.create(
            cooperative=self.cooperative, household=household, joined=joined, left=left, shares=Decimal("1.00")
        )

    def leave(self, household):
        CooperativeMembership.objects.filter(household=household, left__isnull=True).update(left=D(2017, 1, 1))

    def monitoring(self, household):
        MonitoringChange.objects.create(
            household=household, monitoring_type="marginal", effective_on=some_day(self.rng),
            status=self.rng.choice(["monitored", "risk_eliminated"]),
        )  # fmt: skip

    def household(self, household):
        Household.objects.filter(pk=household.pk).update(
            village_id=self.rng.choice(VILLAGES), main_cause=self.rng.choice(CAUSES),
            attribute=self.rng.choice(ATTRIBUTES),
        )  # fmt: skip

    def program(self, household):
        Program.objects.filter(pk=self.industry.pk).update(category=self.rng.choice(["industry", "health"]))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_histories_give_the_registers_summaries(tree, seed):
    rng = random.Random(seed)
    world = World(tree, rng)
    for _round in range(4):
        for _ in range(25):
            world.step()
        assert_ledger_is_the_register(tree, days_to_compare(rng))
    steps = sorted(HouseholdStep.objects.values_list("household", "day", "village", "status", "people", "amount"))
    ledger.rebuild(chunk=4)
    assert sorted(HouseholdStep.objects.values_list("household", "day", "village", "status", "people", "amount")) == steps
    assert_ledger_is_the_register(tree, days_to_compare(rng))


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [4, 5])
def test_the_steps_in_one_pass_are_the_steps_probed_day_by_day(tree, seed):
    """Migration 0008 computes a household's steps as running sums; 0004's function, which looked every figure up
    for every day, is the oracle: on random histories both give the same steps, row for row."""
    world = World(tree, random.Random(seed))
    for _ in range(120):
        world.step()
    probed = import_module("reports.migrations.0004_ledger_sql").STEPS
    compare = (
        "SELECT * FROM {} (ARRAY(SELECT id FROM households_household)) EXCEPT ALL "
        "SELECT * FROM {} (ARRAY(SELECT id FROM households_household))"
    )
    with connection.cursor() as cursor:
        cursor.execute(probed.replace("reports_ledger_household_steps(", "pg_temp.steps_probed("))
        cursor.execute("SELECT count(*) FROM reports_ledger_household_steps(ARRAY(SELECT id FROM households_household))")
        assert cursor.fetchone()[0] > 0
        for first, second in (
            ("reports_ledger_household_steps", "pg_temp.steps_probed"),
            ("pg_temp.steps_probed", "reports_ledger_household_steps"),
        ):
            cursor.execute(compare.format(first, second))
            assert cursor.fetchall() == [], (first, second)


@pytest.mark.django_db
def test_a_back_dated_decision_moves_the_days_after_it_and_no_day_before(tree):
    household = b.make_household(village=tree[VILLAGE_A1], user=None, members=b.family(1))
    StatusChange.objects.create(household=household, status="poor", effective_on=D(2014, 4, 2))
    StatusChange.objects.create(household=household, status="exited", effective_on=D(2018, 10, 1))
    county = tree[COUNTY]

    def exited(day):
        return selectors.region_summary(region=county, as_of=day)["households"]["exited"]

    assert [exited(D(2016, 12, 31)), exited(D(2018, 12, 31))] == [0, 1]
    StatusChange.objects.create(household=household, status="exited", effective_on=D(2016, 10, 15))  # recorded late
    assert [exited(D(2016, 10, 14)), exited(D(2016, 10, 15)), exited(D(2018, 12, 31))] == [0, 1, 1]
    assert_ledger_is_the_register(tree, [D(2016, 10, 14), D(2016, 10, 15), D(2017, 6, 1)])


@pytest.mark.django_db
def test_the_summary_reads_the_ledger_not_the_households(tree):
    household = b.make_household(village=tree[VILLAGE_A1], user=None, members=b.family(1))
    StatusChange.objects.create(household=household, status="poor", effective_on=D(2014, 4, 2))
    with CaptureQueriesContext(connection) as queries:
        summary = selectors.region_summary(region=tree[COUNTY], as_of=D(2017, 12, 31))
    assert summary["households"]["poor"] == 1 and summary["people"]["poor"] == 3
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "reports_ledgerrow" in sql
    for table in (
        "households_household", "households_member", "households_statuschange", "cadres_pairing", "programs_benefit",
        "programs_cooperativemembership",
    ):  # fmt: skip
        assert table not in sql


@pytest.mark.django_db
def test_a_region_with_nothing_on_record_reads_zero(tree):
    summary = selectors.region_summary(region=tree[COUNTY], as_of=D(2017, 12, 31))
    assert summary == selectors.region_summary(region=tree[COUNTY], as_of=D(2017, 12, 31), source=selectors.REGISTER)
    assert summary["households"]["registered"] == 0 and summary["programs"]["benefit_amount"] == "0.00"


@pytest.mark.django_db
def test_rows_written_with_the_triggers_off_come_in_by_a_rebuild(tree):
    household = b.make_household(village=tree[VILLAGE_A1], user=None, members=b.family(1))
    StatusChange.objects.create(household=household, status="poor", effective_on=D(2014, 4, 2))
    county, day = tree[COUNTY], D(2017, 12, 31)
    assert selectors.region_summary(region=county, as_of=day)["households"]["poor"] == 1  # the ledger has moved
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "INSERT INTO households_statuschange (household_id, status, returned, effective_on, recorded_at, reason)"
            " VALUES (%s, 'exited', false, '2016-10-15', now(), '')",
            [household.pk],
        )
        cursor.execute("SET LOCAL session_replication_role = origin")
    assert selectors.region_summary(region=county, as_of=day)["households"]["exited"] == 0  # not seen: triggers off
    ledger.rebuild()
    assert selectors.region_summary(region=county, as_of=day)["households"]["exited"] == 1
    assert_ledger_is_the_register(tree, [D(2016, 10, 14), day])


@pytest.mark.django_db(transaction=True)
def test_two_writers_committing_at_once_leave_the_ledger_exact(tree):
    """Each writer's steps are computed after the other's commit (the writers' lock, then a new snapshot): two
    transactions writing the same household at once, each committing, leave the ledger equal to the register."""
    household = b.make_household(village=tree[VILLAGE_A1], user=None, members=b.family(1))
    StatusChange.objects.create(household=household, status="poor", effective_on=D(2014, 4, 2))
    program = make_program(tree, name="庭院经济", category="industry")
    barrier = threading.Barrier(2)
    errors = []

    def write(action):
        try:
            with transaction.atomic():
                action()
                barrier.wait(timeout=10)  # both have written, neither has committed
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(
        target=write,
        args=(lambda: StatusChange.objects.create(household=household, status="exited", effective_on=D(2016, 10, 15)),),
    )
    second = threading.Thread(
        target=write,
        args=(lambda: Benefit.objects.create(program=program, household=household, date=D(2016, 5, 1), amount=500),),
    )
    first.start(), second.start()
    first.join(30), second.join(30)
    assert errors == []
    summary = selectors.region_summary(region=tree[COUNTY], as_of=D(2016, 12, 31))
    assert summary["households"]["exited"] == 1 and summary["programs"]["benefit_amount"] == "500.00"
    assert_ledger_is_the_register(tree, [D(2016, 4, 30), D(2016, 5, 1), D(2016, 12, 31), D(2017, 1, 1)])
    assert LedgerRow.objects.exists()

"""One small world for the security guards: two counties, a user per role, and every kind of object the API
serves, once inside the roles' scope (village A1 of Zhenlai) and once outside it (a village of the next county).

Built through the services (the only way in), deterministic, once per test module. The personal data of the
members (full ID numbers, bank accounts, birth dates) is kept in `World.secrets` so that the guards can look
for it in every response a masked role reads.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model

from cadres import services as cadres
from checks import campaigns, comparisons, register_rules
from checks.findings import finding_raise
from core.models import Job, PersonalDataAlert
from households import services as register
from households.imports import services as imports
from households.models import Member
from lifecycle import services as lifecycle
from programs import services as programs
from tests.cadres.conftest import make_cadre, make_unit, pair, visit
from tests.conftest import COUNTY, OTHER_COUNTY, OTHER_VILLAGE, VILLAGE_A1, VILLAGE_A2, VILLAGE_B1
from tests.factories import UserFactory, make_region
from tests.households import builders as b

D = datetime.date

# Where each side lives: "in" is inside every role's grant below, "out" inside none of them.
SIDES = {"in": (VILLAGE_A1, COUNTY), "out": (OTHER_VILLAGE, OTHER_COUNTY)}

# Role → the region of its grant (natural for the role; all cover village A1, none the other county).
GRANTS = {
    "village_team": VILLAGE_A1,
    "township_reviewer": VILLAGE_A1[:9] + "000",
    "county_officer": COUNTY,
    "inspector": COUNTY,
    "api_client": COUNTY,
}
# Every caller of the matrix: the five roles, a user without grants, a superuser and nobody signed in.
CALLERS = (*GRANTS, "nobody", "superuser", "anonymous")
# Roles that may not see personal data in full (api.md, Roles and scope).
MASKED_ROLES = ("inspector", "api_client")

BANK_ACCOUNTS = {"in": "6217000012345678901", "out": "6217000098765432109"}


@dataclass
class World:
    users: dict
    objects: dict = field(default_factory=dict)  # side → {kind: pk or code}
    secrets: dict = field(default_factory=dict)  # "id_numbers", "bank_accounts", "birth_dates": sets of strings


def _household(village, sequence: int, *, status: str | None, bank_account: str = ""):
    household = b.make_household(
        village=village, user=None, members=b.family(sequence), bank_name="农村信用社", bank_account=bank_account
    )
    if status:
        lifecycle.status_record(user=None, household=household, status=status, on=D(2014, 4, 1))
        household.refresh_from_db()
    return household


def _side(side: str, root, sequence: int) -> dict:
    """Every kind of object in the side's village (and county), by kind: the pk, or the code for regions."""
    village_code, county_code = SIDES[side]
    village, county = make_region(village_code), make_region(county_code)
    tree = {village_code: village, county_code: county}
    home = _household(village, sequence, status="poor", bank_account=BANK_ACCOUNTS[side])
    candidate = _household(village, sequence + 1, status=None)
    head = home.members.get(relation="01")
    record, _created = register.annual_record_upsert(
        user=None, household=home, year=2016, data={"wages": Decimal("9000"), "food_secure": True}
    )
    standard = register.policy_standard_save(
        user=None, year=2016, region=village, data={"poverty_line": Decimal("2952.00"), "notice_days": 7}
    )

    # An identification under way, at its first notice, with an objection lodged.
    procedure = lifecycle.procedure_open(user=root, household=candidate, kind="identification", on=D(2014, 3, 1))
    for step, day, data in (
        ("appraisal", D(2014, 3, 5), {"votes_for": 31, "votes_against": 2}),
        ("verification", D(2014, 3, 8), {}),
        ("first_notice", D(2014, 3, 9), {"start": D(2014, 3, 10), "end": D(2014, 3, 17)}),
    ):
        lifecycle.procedure_step(user=root, procedure=procedure, step=step, decision="approve", on=day, data=data)
    notice = procedure.notices.get()
    objection = lifecycle.objection_lodge(user=root, notice=notice, lodged_on=D(2014, 3, 12), lodged_by="张某", content="家中有车")

    # Cross-checking: a finding, a rule run, a department list naming the head, a veto setting, a campaign.
    finding, _created = finding_raise(
        rule="HH-8", key=f"household:{home.pk}", village_id=village_code, household_id=home.pk, detail={}
    )
    run = register_rules.run_rules(region_code=village_code, rules=["HH-1"], user=None, trigger="command")
    listed = f"证件号码,类别,说明\n{head.id_number},vehicle,小型汽车\n".encode()
    comparison = comparisons.comparison_upload(
        user=root, region=county, department="县公安局", file_name="list.csv", content=listed
    ).comparison
    setting, _created = comparisons.category_setting_save(user=root, region=county, category="vehicle", veto=False)
    campaign = campaigns.campaign_create(
        user=root, name="交叉互检", kind="cross_check", year=2017, region=county, sample_rate=Decimal("0.5"),
        starts_on=D(2017, 10, 9), ends_on=D(2017, 11, 30), seed=7,
    )  # fmt: skip

    # Cadres: a unit, a cadre in a work team, paired with the household and visiting it.
    unit = make_unit(tree, name=f"帮扶单位{side}", region=county_code)
    cadre = make_cadre(tree, unit, sequence, region=county_code)
    team, _warnings = cadres.work_team_create(
        user=None, data={"village": village, "unit": unit, "starts_on": D(2016, 1, 1)},
        members=[{"cadre": cadre, "role": "first_secretary", "starts_on": D(2016, 1, 1), "resident": True}],
    )  # fmt: skip
    pairing = pair(cadre, home)
    seen = visit(cadre, home, D(2016, 6, 1))

    # Programs: a county program with a targeting rule, a benefit, a cooperative, a membership, a dividend, a project.
    program = programs.program_create(
        user=None,
        data={
            "name": "庭院经济补贴", "category": "industry", "subtype": "courtyard", "start_year": 2016, "end_year": 2018,
            "region": county, "funding_source": "county", "budget": Decimal("100000.00"),
            "targeting_rule": "no_industry_coverage",
        },
    )  # fmt: skip
    benefit = programs.benefit_create(
        user=None, program=program, household=home, member=None, date=D(2017, 5, 1), amount="1000.00"
    )
    cooperative = programs.cooperative_create(
        user=None, data={"name": f"丰收合作社{side}", "village": village, "kind": "planting", "founded": D(2015, 3, 1)}
    )
    membership = programs.membership_create(
        user=None, cooperative=cooperative, household=home, joined=D(2016, 1, 1), left=None, shares="1.00"
    )
    dividend = programs.dividend_create(user=None, membership=membership, year=2017, amount="300.00")
    project = programs.project_create(
        user=None, data={"unit": unit, "village": village, "name": f"项目{side}", "year": 2017}, beneficiaries=[home]
    )
    account = UserFactory(username=f"guard_account_{side}", grants=[("village_team", village_code)])
    alert = PersonalDataAlert.objects.create(
        user=account, day=D(2017, 5, 1), kind=PersonalDataAlert.Kind.WIDE_EXPORT, region=village_code[:9] + "000"
    )
    upload = imports.import_create(user=root, region=village, filename="households.csv", content=b"")  # failed: empty
    return {
        "import": upload.pk,
        "village": village_code, "county": county_code, "household": home.pk, "member": head.pk, "account": account.pk,
        "annual_record": record.pk, "standard": standard.pk, "procedure": procedure.pk, "notice": notice.pk,
        "objection": objection.pk, "finding": finding.pk, "rule_run": run.pk, "comparison": comparison.pk,
        "category_setting": setting.pk, "campaign": campaign.pk, "unit": unit.pk, "cadre": cadre.pk,
        "work_team": team.pk, "team_membership": team.memberships.get().pk, "pairing": pairing.pk,
        "visit": seen.pk, "program": program.pk, "benefit": benefit.pk, "cooperative": cooperative.pk,
        "cooperative_membership": membership.pk, "dividend": dividend.pk, "project": project.pk,
        "personal_alert": alert.pk,
    }  # fmt: skip


def build_world() -> World:
    """The regions, the users and both sides' objects; the members' personal data in `secrets`."""
    for code in (VILLAGE_A1, VILLAGE_A2, VILLAGE_B1, OTHER_VILLAGE):
        make_region(code)
    users = {role: UserFactory(username=f"guard_{role}", grants=[(role, code)]) for role, code in GRANTS.items()}
    users["nobody"] = UserFactory(username="guard_nobody")
    users["superuser"] = UserFactory(username="guard_root", is_superuser=True, is_staff=True)
    users["anonymous"] = None
    world = World(users=users)
    world.objects = {side: _side(side, users["superuser"], sequence) for side, sequence in (("in", 10), ("out", 20))}
    # A done job on each side: the village team's in village A1, the other county's account's over there.
    starters = {"in": users["village_team"], "out": get_user_model().objects.get(pk=world.objects["out"]["account"])}
    for side, starter in starters.items():
        job = Job.objects.create(
            kind="reports.households_xlsx", started_by=starter, region_id=SIDES[side][0], state=Job.State.DONE
        )
        world.objects[side]["job"] = job.pk
    members = list(Member.objects.values_list("id_number", "birth_date"))
    world.secrets = {
        "id_numbers": {number for number, _day in members if len(number) == 18},
        "birth_dates": {day.isoformat() for _number, day in members},
        "bank_accounts": set(BANK_ACCOUNTS.values()),
    }
    return world

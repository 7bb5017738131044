"""The demo county's help (帮扶, docs/demo.md): programs with their benefits, cooperatives, pairing-unit projects.

Built on the register's and the cadres' plans, in the same two layers: `plan_programs_for` decides every fact in
pure Python from the seed (no database, frozen dataclasses), and `build_demo_programs` writes the plan in bulk
(COPY for benefits, memberships, dividends and project beneficiaries) under one history context;
`delete_demo_programs` removes it again, before the cadres (projects protect their units) and the register.

The plan reproduces every program row of the seed report exactly (docs/demo.md):

- 健康扶贫: 2017 benefits (先诊疗后付费, free treatment) to 465 distinct members of three-star households;
- 教育扶贫: 1499 distinct students, 341100.00 yuan; every vocational student of an entitled household is reached;
- 社会助学 (共青团·我的大学): 300 college students, 700000.00 yuan;
- 爱心扶贫资金: 76 students and 109 households in all, 294000.00 yuan;
- 爱心扶贫小屋: 73 love shops, one in each of 73 poverty villages, reaching 8105 distinct people;
- 肉牛养殖产业扶贫基地: 100000000.00 yuan, dividends to households of the 59 non-poverty villages, 13186 people;
- C级危房改造: every house graded C and renovated in 2017 received a benefit, averaging 12000.00 yuan;
- 147 cooperatives whose memberships on 2017-12-31 are 17692 registered households with 32909 people, among them
  every household poor on that day, so that industry coverage (产业覆盖率) in 2017 is 1.0;
- 110 pairing-unit projects in 2017: 36920000.00 invested, 5076000.00 coordinated, 6100 trainings, 7379 households.

People are counted as programs.selectors counts them: members named on the benefits (`member` basis) or members of
the benefited households on the day of the benefit (`household` basis). Everything is synthetic.
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pghistory
from django.db import connection, transaction

from cadres.models import Unit
from core import regions as region_rules
from demo.cadres import plan_cadres_for
from demo.copy import copy_into
from demo.regions import DEMO_COUNTY
from demo.register import (
    REGISTERED_HOUSEHOLDS,
    REPORT_DATE,
    CountyPlan,
    PlannedHousehold,
    allocate,
)
from demo.register_build import ensure_demo_users
from households.choices import HIGHER_VOCATIONAL, SCHOOL_LEVEL, SECONDARY_VOCATIONAL
from households.models import Household, Member
from programs import choices as c
from programs.models import (
    Benefit,
    Cooperative,
    CooperativeMembership,
    Dividend,
    PairingProject,
    Program,
    ProjectBeneficiary,
)
from villages.choices import PovertyVillageStatus

YEAR = 2017
# The seed report's figures (docs/demo.md) that the plan reproduces exactly.
HEALTH_MEMBERS = 465
EDUCATION_STUDENTS, EDUCATION_AMOUNT = 1499, 341100
COLLEGE_STUDENTS, COLLEGE_AMOUNT = 300, 700000
AID_STUDENTS, AID_HOUSEHOLDS, AID_AMOUNT = 76, 109, 294000
LOVE_SHOPS, LOVE_SHOP_PEOPLE = 73, 8105
CATTLE_VILLAGES, CATTLE_PEOPLE, CATTLE_BUDGET = 59, 13186, Decimal("100000000.00")
HOUSING_AVERAGE = 12000
COOPERATIVES, COOPERATIVE_HOUSEHOLDS, COOPERATIVE_PEOPLE = 147, 17692, 32909
PROJECTS, PROJECT_INVESTED, PROJECT_COORDINATED = 110, 36920000, 5076000
PROJECT_TRAININGS, PROJECT_HOUSEHOLDS = 6100, 7379

ENTITLED = frozenset({"poor", "exited"})
SCHOOL_LEVELS = ("preschool", "primary", "junior", "senior", "secondary_vocational", "higher_vocational")
VOCATIONAL = SECONDARY_VOCATIONAL | HIGHER_VOCATIONAL  # every grade of 中职 and 高职
# Yearly policy money per student by level (学前教育助学金, 义务教育乘车补助, 高中助学, 中职免学费 …), before the plan
# spreads the rest of the report's total over them in steps of ten yuan.
_STUDENT_BASE = {
    "preschool": 300, "primary": 100, "junior": 100, "senior": 300, "secondary_vocational": 400,
    "higher_vocational": 400,
}  # fmt: skip
_COOPERATIVE_KINDS = {
    c.CooperativeKind.BREEDING: ("肉牛养殖", "肉羊养殖", "生猪养殖", "鹅养殖"),
    c.CooperativeKind.PLANTING: ("水稻种植", "杂粮杂豆种植", "棚膜蔬菜", "葵花种植"),
    c.CooperativeKind.PROCESSING: ("农产品加工", "稻米加工"),
    c.CooperativeKind.SERVICE: ("农机服务", "植保服务"),
    c.CooperativeKind.MIXED: ("农牧业综合",),
}
_PROJECT_KINDS = (
    ("村屯道路硬化", 3), ("肉牛养殖扶贫", 3), ("光伏扶贫电站", 2), ("棚膜蔬菜园区", 2), ("安全饮水工程", 2),
    ("庭院经济", 2), ("村卫生室改造", 1), ("农民技能培训", 1), ("村部及文化广场建设", 1), ("杂粮杂豆种植", 1),
)  # fmt: skip


# ---------------------------------------------------------------------------------------------------------------------
# The plan: frozen facts
# ---------------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedProgram:
    """A planned program (帮扶项目/政策); `key` names it inside the plan."""

    key: str
    name: str
    category: str
    subtype: str
    funding_source: str
    budget: Decimal
    unit: str
    people_basis: str
    targeting_rule: str
    description: str


@dataclass(frozen=True, slots=True)
class PlannedBenefit:
    """A planned benefit (帮扶记录): program key, household number, member ID number ("" for the household)."""

    program: str
    household: str
    member: str
    date: date
    amount: Decimal
    quantity: int = 1
    note: str = ""


@dataclass(frozen=True, slots=True)
class PlannedCooperative:
    village_code: str
    name: str
    kind: str
    founded: date


@dataclass(frozen=True, slots=True)
class PlannedMembership:
    """A planned cooperative membership (入社) of a household, still active on the report date, with its dividends."""

    cooperative: tuple[str, str]
    household: str
    joined: date
    shares: Decimal
    dividends: tuple[tuple[int, Decimal], ...]


@dataclass(frozen=True, slots=True)
class PlannedProject:
    """A planned pairing-unit project (帮扶单位项目) with the households it benefited (by number)."""

    unit: tuple[str, str]
    village_code: str
    name: str
    funds_invested: Decimal
    funds_coordinated: Decimal
    trainings: int
    households: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProgramsPlan:
    """The demo county's help as planned from one seed."""

    seed: int
    programs: tuple[PlannedProgram, ...]
    benefits: tuple[PlannedBenefit, ...]
    cooperatives: tuple[PlannedCooperative, ...]
    memberships: tuple[PlannedMembership, ...]
    projects: tuple[PlannedProject, ...]

    def benefits_of(self, key: str) -> list[PlannedBenefit]:
        return [benefit for benefit in self.benefits if benefit.program == key]


def _yuan(amount: int) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


def exact_subset(items: list, *, size, total: int, count: int | None = None) -> list:
    """Items, taken from the front of `items` as far as possible, whose sizes add up to `total` exactly (and which
    are `count` in number when it is given). Raises ValueError when the items cannot make it."""
    if count is None:
        chosen, rest, running = [], [], 0
        for item in items:
            if running + size(item) <= total and running < total:
                chosen.append(item)
                running += size(item)
            else:
                rest.append(item)
    else:
        chosen, rest = list(items[:count]), list(items[count:])
        if len(chosen) < count:
            raise ValueError(f"{count} items wanted, {len(chosen)} there")
    spare = defaultdict(list)
    for item in reversed(rest):
        spare[size(item)].append(item)
    if count is None and (missing := total - sum(map(size, chosen))) > 0 and spare[missing]:
        chosen.append(spare[missing].pop())
    # Swap a chosen item for a spare one of another size, from the back of the chosen ones, until the sum is exact.
    difference = total - sum(map(size, chosen))
    index = len(chosen) - 1
    while difference and index >= 0:
        held = size(chosen[index])
        step = 1 if difference > 0 else -1
        for wanted in (held + difference, held + step):
            if wanted >= 0 and spare[wanted]:
                spare[held].append(chosen[index])
                chosen[index] = spare[wanted].pop()
                difference -= wanted - held
                break
        index -= 1
    if difference:
        raise ValueError(f"no subset of these items adds up to {total}")
    return chosen


class _ProgramsPlanner:
    """Plans the help from one random.Random, every draw in order, over a planned county and its cadres."""

    def __init__(self, county: CountyPlan):
        self.county = county
        self.rng = random.Random(county.seed * 31 + 6)  # noqa: S311 - synthetic demo data
        self.villages = {village.code: village for village in county.villages}
        self.registered = [household for household in county.households if household.registered]
        # The seed report's figures hold for the whole county; a smaller register (a test's sample) gets its share.
        self.full = len(self.registered) == REGISTERED_HOUSEHOLDS
        self.scale = len(self.registered) / REGISTERED_HOUSEHOLDS

    # -- helpers -----------------------------------------------------------------------------------------------------

    def scaled(self, figure: int) -> int:
        """The seed report's figure for the whole county, its share for a smaller register."""
        return figure if self.full else round(figure * self.scale)

    def first(self, items: list, figure: int, what: str) -> list:
        """The first `figure` items (its share for a smaller register); the whole county must have them all."""
        wanted = self.scaled(figure)
        if self.full and len(items) < wanted:
            raise ValueError(f"{wanted} {what} wanted, {len(items)} there")
        return items[:wanted]

    def people_subset(self, households: list, *, size, total: int) -> list:
        """Households holding `total` people exactly (exact_subset); a smaller register takes, from the front,
        those that fit under its share."""
        if self.full:
            return exact_subset(households, size=size, total=total)
        chosen, running, share = [], 0, self.scaled(total)
        for household in households:
            if running + size(household) <= share:
                chosen.append(household)
                running += size(household)
        return chosen

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def shuffled(self, items) -> list:
        items = list(items)
        self.rng.shuffle(items)
        return items

    @staticmethod
    def entitled(household: PlannedHousehold, *days: date) -> bool:
        """Poor or exited (脱贫不脱政策) on each of the days."""
        return all((change := household.status_on(day)) is not None and change.status in ENTITLED for day in days)

    @staticmethod
    def poor_first(households) -> list:
        """The households poor on the report date first, the others after them (each group in the given order)."""
        return sorted(households, key=lambda household: household.status_on(REPORT_DATE).status != "poor")

    def students(self, *, levels, start: date, end: date) -> list[tuple[PlannedHousehold, object]]:
        """(household, member) of every member at school at one of the levels, in the household through the
        window, of households entitled through it; poor households first, each group shuffled."""
        found = [
            (household, member)
            for household in self.registered
            if self.entitled(household, start, end)
            for member in household.members
            if SCHOOL_LEVEL[member.school_status] in levels and member.active_on(start) and member.active_on(end)
        ]
        found = self.shuffled(found)
        return sorted(found, key=lambda pair: pair[0].status_on(REPORT_DATE).status != "poor")

    # -- the plan ----------------------------------------------------------------------------------------------------

    def plan(self) -> ProgramsPlan:
        programs, benefits = [], []
        for plan_program in (
            self.housing, self.health, self.education, self.college, self.aid, self.love_shops, self.cattle_base,
        ):  # fmt: skip
            program, planned = plan_program()
            programs.append(program)
            benefits.extend(planned)
        cooperatives, memberships = self.cooperatives()
        return ProgramsPlan(
            seed=self.county.seed,
            programs=tuple(programs),
            benefits=tuple(benefits),
            cooperatives=cooperatives,
            memberships=memberships,
            projects=self.projects(),
        )

    def housing(self):
        """Every house graded C and renovated in 2017 gets a grant the day the work was accepted: pairs of grants
        that differ from 12000 by the same sum either way, so that the average is 12000.00 exactly."""
        renovated = [
            household
            for household in self.county.households
            if (record := household.record(YEAR)) is not None
            and record.housing_grade == "C"
            and record.renovation_year == YEAR
        ]
        benefits = []
        offset = 0
        for index, household in enumerate(renovated):
            if index % 2 == 0:
                offset = self.rng.choice((0, 1000, 2000, 3000)) if index + 1 < len(renovated) else 0
                amount = HOUSING_AVERAGE + offset
            else:
                amount = HOUSING_AVERAGE - offset
            day = self.entitled_day(household, date(YEAR, 5, 1), date(YEAR, 11, 30))
            benefits.append(
                PlannedBenefit("housing", household.number, "", day, _yuan(amount), note="C级危房改造竣工验收")
            )
        program = PlannedProgram(
            "housing", "2017年农村C级危房改造补助", c.Category.HOUSING, "", c.FundingSource.CENTRAL,
            _yuan(HOUSING_AVERAGE * len(renovated)), c.CountUnit.YUAN, c.PeopleBasis.HOUSEHOLD,
            c.TargetingRule.HOUSING_CD_NOT_RENOVATED, "C级危房改造补助标准提高到平均12000元/户，竣工验收后拨付。",
        )  # fmt: skip
        return program, benefits

    def entitled_day(self, household: PlannedHousehold, start: date, end: date) -> date:
        """A day of the window on which the household is poor or exited: drawn, else the first such day."""
        day = self.day_between(start, end)
        if self.entitled(household, day):
            return day
        day = start
        while not self.entitled(household, day):
            day += timedelta(days=1)
            if day > end:
                raise ValueError(f"household {household.number} is not entitled between {start} and {end}")
        return day

    def health(self):
        """Free treatment first (先诊疗后付费) of members of three-star households with a serious illness: one to
        three hospital stays each in 2017."""
        start, end = date(YEAR, 1, 10), date(YEAR, 12, 20)
        patients = self.shuffled(
            (household, member)
            for household in self.registered
            if household.stars == 3 and self.entitled(household, start, end)
            for member in household.members
            if member.health == "serious_illness" and member.active_on(start) and member.active_on(end)
        )
        patients = self.first(patients, HEALTH_MEMBERS, "three-star patients")
        benefits = [
            PlannedBenefit(
                "health",
                household.number,
                member.id_number,
                self.day_between(start, end),
                _yuan(self.rng.randrange(600, 20000, 10)),
                note="定点医院住院免费治疗",
            )  # fmt: skip
            for household, member in patients
            for _stay in range(self.rng.choice((1, 1, 1, 2, 2, 3)))
        ]
        program = PlannedProgram(
            "health", "三星贫困人口先诊疗后付费免费救治", c.Category.HEALTH, c.Subtype.TREATMENT_FIRST,
            c.FundingSource.COUNTY, _yuan(10000000), c.CountUnit.YUAN, c.PeopleBasis.MEMBER, "",
            "重度贫困人口（三星户）在定点医院住院实行免费治疗，政策兜底资金1000万元。",
        )  # fmt: skip
        return program, benefits

    def education(self):
        """Policy money for 1499 pupils and students (学前 to 高职) at the start of the school year: every vocational
        student first, then the others; amounts by level, the rest of 341100.00 spread in steps of ten yuan."""
        start, end = date(YEAR, 9, 1), date(YEAR, 10, 31)
        candidates = self.students(levels=SCHOOL_LEVELS, start=start, end=end)
        vocational = [pair for pair in candidates if pair[1].school_status in VOCATIONAL]
        others = [pair for pair in candidates if pair[1].school_status not in VOCATIONAL]
        chosen = self.first(vocational + others, EDUCATION_STUDENTS, "students")
        amounts = [_STUDENT_BASE[SCHOOL_LEVEL[member.school_status]] for _household, member in chosen]
        total = EDUCATION_AMOUNT if self.full else sum(amounts)
        tens = (total - sum(amounts)) // 10
        for index in range(len(amounts)):
            amounts[index] += 10 * (tens // len(amounts) + (1 if index < tens % len(amounts) else 0))
        if sum(amounts) != total or min(amounts, default=1) <= 0:
            raise ValueError("the education amounts do not add up")
        benefits = [
            PlannedBenefit("education", household.number, member.id_number, self.day_between(start, end), _yuan(amount))
            for (household, member), amount in zip(chosen, amounts, strict=True)
        ]
        program = PlannedProgram(
            "education", "2017年教育扶贫助学政策资金", c.Category.EDUCATION, c.Subtype.STUDENT_GRANT,
            c.FundingSource.PROVINCIAL, _yuan(total), c.CountUnit.YUAN, c.PeopleBasis.MEMBER,
            c.TargetingRule.VOCATIONAL_STUDENTS,
            "学前教育政府助学金、特殊教育学生资助金、农村义务教育乘车补助、贫困高中生助学、中等职业教育免学费和国家助学。",
        )  # fmt: skip
        return program, benefits

    def college(self):
        """共青团·我的大学: 300 college students, two in three 2000 yuan and one in three 3000 (700000.00)."""
        start, end = date(YEAR, 8, 1), date(YEAR, 8, 31)
        chosen = self.first(
            self.students(levels={"college"}, start=start, end=end), COLLEGE_STUDENTS, "college students"
        )
        larger_count = (COLLEGE_AMOUNT - 2000 * COLLEGE_STUDENTS) // 1000 if self.full else len(chosen) // 3
        larger = set(self.rng.sample(range(len(chosen)), larger_count))
        benefits = [
            PlannedBenefit(
                "college",
                household.number,
                member.id_number,
                self.day_between(start, end),
                _yuan(3000 if index in larger else 2000),
                note="共青团·我的大学",
            )  # fmt: skip
            for index, (household, member) in enumerate(chosen)
        ]
        program = PlannedProgram(
            "college", "共青团·我的大学社会助学", c.Category.SOCIAL_AID, c.Subtype.DONATION, c.FundingSource.SOCIAL,
            sum((benefit.amount for benefit in benefits), _yuan(0)), c.CountUnit.YUAN, c.PeopleBasis.MEMBER,
            c.TargetingRule.COLLEGE_STUDENTS,
            "依托“共青团·我的大学”等社会助学活动载体争取的社会助学资金，帮助贫困学子圆梦大学。",
        )  # fmt: skip
        return program, benefits

    def aid(self):
        """爱心扶贫资金: 3000 yuan to each of 76 students at senior school or above, 2000 to each of the households
        in need among the other 109 − 76 (three-star first): 294000.00 in all, 109 households."""
        start, end = date(YEAR, 12, 15), date(YEAR, 12, 28)
        students, households = [], set()
        for household, member in self.students(
            levels={"senior", "secondary_vocational", "higher_vocational", "college"}, start=start, end=end
        ):
            if household.number not in households and len(students) < self.scaled(AID_STUDENTS):
                students.append((household, member))
                households.add(household.number)
        others = [
            household
            for household in self.shuffled(self.registered)
            if household.number not in households and household.stars == 3 and self.entitled(household, start, end)
        ][: self.scaled(AID_HOUSEHOLDS) - len(students)]
        benefits = [
            PlannedBenefit("aid", household.number, member.id_number, self.day_between(start, end), _yuan(3000))
            for household, member in students
        ] + [
            PlannedBenefit("aid", household.number, "", self.day_between(start, end), _yuan(2000))
            for household in others
        ]
        amount = sum((benefit.amount for benefit in benefits), _yuan(0))
        if self.full and (amount != AID_AMOUNT or len(others) != AID_HOUSEHOLDS - AID_STUDENTS):
            raise ValueError("the aid amounts do not add up")
        program = PlannedProgram(
            "aid", "爱心扶贫资金", c.Category.SOCIAL_AID, c.Subtype.DONATION, c.FundingSource.SOCIAL, amount,
            c.CountUnit.YUAN, c.PeopleBasis.MEMBER, "", "社会扶贫誓师大会等爱心活动筹集的资金，发放给贫困学生和贫困家庭。",
        )  # fmt: skip
        return program, benefits

    def love_shops(self):
        """73 love shops (爱心扶贫小屋), one in each of 73 poverty villages, each with its own giving-out day: the
        households that fetched goods hold 8105 people on their shop's day."""
        poverty = sorted(code for code, v in self.villages.items() if v.poverty_status == PovertyVillageStatus.POVERTY)
        shops = {code: self.day_between(date(YEAR, 10, 10), date(YEAR, 12, 20)) for code in sorted(
            self.rng.sample(poverty, min(len(poverty), self.scaled(LOVE_SHOPS))))}  # fmt: skip
        candidates = self.poor_first(
            self.shuffled(
                household
                for household in self.registered
                if household.village_code in shops and self.entitled(household, shops[household.village_code])
            )
        )
        chosen = self.people_subset(
            candidates,
            size=lambda household: len(household.active_members(shops[household.village_code])),
            total=LOVE_SHOP_PEOPLE,
        )
        if self.full and {household.village_code for household in chosen} != set(shops):
            raise ValueError("a love shop reached no household")
        benefits = []
        for household in chosen:
            items = self.rng.randint(2, 6)
            benefits.append(
                PlannedBenefit(
                    "love_shop",
                    household.number,
                    "",
                    shops[household.village_code],
                    _yuan(items * self.rng.choice((30, 40, 50, 60))),
                    items,
                    f"爱心扶贫小屋（{self.villages[household.village_code].name}）",
                )  # fmt: skip
            )
        program = PlannedProgram(
            "love_shop", "爱心扶贫小屋", c.Category.SOCIAL_AID, c.Subtype.LOVE_SHOP, c.FundingSource.SOCIAL,
            _yuan(0), c.CountUnit.ITEM, c.PeopleBasis.HOUSEHOLD, "",
            f"在全县设立爱心扶贫小屋{LOVE_SHOPS}个，贫困群众可免费领取限额内的衣服、鞋帽等日常生活用品。",
        )  # fmt: skip
        return program, benefits

    def cattle_base(self):
        """The cattle base (肉牛养殖产业扶贫基地): the county invested 100000000.00; its rent is paid out on one day as
        dividends, 350 yuan a person, to households of the 59 non-poverty villages holding 13186 people."""
        day = date(YEAR, 12, 8)
        candidates = self.poor_first(
            self.shuffled(
                household
                for household in self.registered
                if self.villages[household.village_code].poverty_status == PovertyVillageStatus.NON_POVERTY
                and self.entitled(household, day)
            )
        )
        chosen = self.people_subset(
            candidates, size=lambda household: len(household.active_members(day)), total=CATTLE_PEOPLE
        )
        if self.full and len({household.village_code for household in chosen}) != CATTLE_VILLAGES:
            raise ValueError(f"the cattle base reaches {CATTLE_VILLAGES} villages, not all of them")
        benefits = [
            PlannedBenefit(
                "cattle_base",
                household.number,
                "",
                day,
                _yuan(350 * len(household.active_members(day))),
                note="肉牛养殖基地租赁收益分红",
            )  # fmt: skip
            for household in chosen
        ]
        program = PlannedProgram(
            "cattle_base", "肉牛养殖产业扶贫基地", c.Category.INDUSTRY, c.Subtype.CATTLE_BASE, c.FundingSource.COUNTY,
            CATTLE_BUDGET, c.CountUnit.YUAN, c.PeopleBasis.HOUSEHOLD, "",
            "“政府+企业+合作联社+合作社+贫困户”模式，政府投资1亿元建设，租赁收益全部用于非贫困村贫困户分红。",
        )  # fmt: skip
        return program, benefits

    def cooperatives(self):
        """147 cooperatives, one in every village and a second in the six largest; on the report date their members
        are every household then poor and all but a chosen few of the exited ones: 17692 households, 32909 people."""
        by_village = defaultdict(list)
        for household in self.registered:
            by_village[household.village_code].append(household)
        largest = sorted(self.villages, key=lambda code: (-len(by_village[code]), code))[
            : COOPERATIVES - len(self.villages)
        ]
        cooperatives = []
        for code in sorted(self.villages):
            kinds = self.rng.sample(sorted(_COOPERATIVE_KINDS), 2 if code in largest else 1)
            for kind in kinds:
                trade = self.rng.choice(_COOPERATIVE_KINDS[kind])
                name = f"镇赉县{self.villages[code].name}{trade}专业合作社"
                founded = self.day_between(date(2014, 3, 1), date(2016, 6, 30))
                cooperatives.append(PlannedCooperative(code, name, kind, founded))
        coops_of = defaultdict(list)
        for cooperative in cooperatives:
            coops_of[cooperative.village_code].append(cooperative)

        def people(household):
            return len(household.active_members(REPORT_DATE))

        status = {household.number: household.status_on(REPORT_DATE).status for household in self.registered}
        living = [household for household in self.registered if status[household.number] in ENTITLED]
        exited = self.shuffled(household for household in living if status[household.number] == "exited")
        if self.full:
            outside = exact_subset(
                exited,
                size=people,
                total=sum(map(people, living)) - COOPERATIVE_PEOPLE,
                count=len(living) - COOPERATIVE_HOUSEHOLDS,
            )
        else:
            outside = exited[: max(0, len(living) - self.scaled(COOPERATIVE_HOUSEHOLDS))]
        left_out = {household.number for household in outside}
        rates = {(coop.village_code, coop.name): self.rng.randrange(150, 400, 10) for coop in cooperatives}
        memberships = []
        for household in living:
            if household.number in left_out:
                continue
            cooperative = self.rng.choice(coops_of[household.village_code])
            earliest = max(cooperative.founded, household.identified_on) + timedelta(days=7)
            joined = min(self.day_between(earliest, max(earliest, date(YEAR, 9, 30))), REPORT_DATE)
            shares = Decimal(self.rng.choice((1, 1, 2, 2, 3, 5))).quantize(Decimal("0.01"))
            key = (cooperative.village_code, cooperative.name)
            dividends = tuple(
                (year, _yuan(int(shares) * (rates[key] + 50 * (year - 2016))))
                for year in (2016, YEAR)
                if joined <= date(year, 6, 30)
            )
            memberships.append(PlannedMembership(key, household.number, joined, shares, dividends))
        return tuple(cooperatives), tuple(memberships)

    def projects(self) -> tuple[PlannedProject, ...]:
        """110 projects of the village teams' sending units: one in each poverty village and a second in the 28
        largest; the sums, trainings and households of the seed report split over them exactly, each project
        benefiting households of its own village (the projects of one village benefit different households)."""
        senders = {team.village_code: team.unit for team in plan_cadres_for(self.county).teams}
        eligible = defaultdict(list)
        for household in self.registered:
            if self.villages[household.village_code].poverty_status == PovertyVillageStatus.POVERTY and self.entitled(
                household, REPORT_DATE
            ):
                eligible[household.village_code].append(household)
        villages = sorted(eligible)
        second = set(sorted(villages, key=lambda code: (-len(eligible[code]), code))[: PROJECTS - len(villages)])
        slots = [(code, index) for code in villages for index in range(2 if code in second else 1)]
        kinds = dict(_PROJECT_KINDS)
        names = {}
        for code, index in slots:
            taken = {names[(code, other)] for other in range(index)}
            trade = self.rng.choice([kind for kind in sorted(kinds) for _ in range(kinds[kind]) if kind not in taken])
            names[(code, index)] = trade
        if not slots:
            return ()
        invested = allocate(self.scaled(PROJECT_INVESTED // 1000), {slot: self.rng.randint(2, 12) for slot in slots})
        coordinated_slots = self.rng.sample(slots, min(46, len(slots)))
        coordinated = allocate(
            self.scaled(PROJECT_COORDINATED // 1000), {slot: self.rng.randint(1, 6) for slot in coordinated_slots}
        )
        trainings = allocate(self.scaled(PROJECT_TRAININGS), {slot: self.rng.randint(20, 90) for slot in slots})
        reach = allocate(
            self.scaled(PROJECT_HOUSEHOLDS),
            {slot: max(1, len(eligible[slot[0]]) // (2 if slot[0] in second else 1)) for slot in slots},
        )
        projects = []
        for code in villages:
            pool = self.shuffled(eligible[code])
            for index in range(2 if code in second else 1):
                slot = (code, index)
                households, pool = pool[: reach[slot]], pool[reach[slot] :]
                if self.full and len(households) < reach[slot]:
                    raise ValueError(f"village {code} has too few households for its projects")
                projects.append(
                    PlannedProject(
                        unit=senders[code],
                        village_code=code,
                        name=f"{self.villages[code].name}{names[slot]}项目",
                        funds_invested=_yuan(1000 * invested[slot]),
                        funds_coordinated=_yuan(1000 * coordinated.get(slot, 0)),
                        trainings=trainings[slot],
                        households=tuple(sorted(household.number for household in households)),
                    )
                )
        return tuple(projects)


_PLANNED: dict[int, tuple[CountyPlan, ProgramsPlan]] = {}


def plan_programs_for(county: CountyPlan) -> ProgramsPlan:
    """Plan the help of a planned county (no database), once per plan."""
    planned = _PLANNED.get(id(county))
    if planned is None or planned[0] is not county:
        planned = _PLANNED[id(county)] = (county, _ProgramsPlanner(county).plan())
    return planned[1]


# ---------------------------------------------------------------------------------------------------------------------
# Writing a plan
# ---------------------------------------------------------------------------------------------------------------------


def build_demo_programs(*, plan: CountyPlan, command: str = "seed_demo") -> dict:
    """Write the help of a planned county in bulk and return how many rows of each kind. The register and the
    cadres must be written (projects belong to the teams' sending units) and the help must not."""
    help_plan = plan_programs_for(plan)
    prefix = region_rules.significant_prefix(DEMO_COUNTY)
    with transaction.atomic(), pghistory.context(command=command), connection.cursor() as cursor:
        if Program.objects.filter(region__code__startswith=prefix).exists():
            raise ValueError("the demo county already has programs; delete them first")
        households = dict(Household.objects.filter(village__code__startswith=prefix).values_list("number", "pk"))
        if len(households) != len(plan.households):
            raise ValueError(f"the demo register is not there ({len(households)} of {len(plan.households)} households)")
        members = {
            (household, id_number): pk
            for pk, household, id_number in Member.objects.filter(
                household__village__code__startswith=prefix
            ).values_list("pk", "household_id", "id_number")
        }
        recorder = ensure_demo_users()["county"]
        programs = {
            planned.key: program
            for planned, program in zip(
                help_plan.programs,
                Program.objects.bulk_create(
                    Program(
                        name=planned.name,
                        category=planned.category,
                        subtype=planned.subtype,
                        start_year=YEAR,
                        end_year=YEAR,
                        region_id=DEMO_COUNTY,
                        funding_source=planned.funding_source,
                        budget=planned.budget,
                        unit=planned.unit,
                        people_basis=planned.people_basis,
                        targeting_rule=planned.targeting_rule,
                        description=planned.description,
                    )  # fmt: skip
                    for planned in help_plan.programs
                ),
                strict=True,
            )
        }
        benefits = copy_into(
            cursor,
            model=Benefit,
            rows=[
                {
                    "program_id": programs[benefit.program].pk,
                    "household_id": households[benefit.household],
                    "member_id": members[(households[benefit.household], benefit.member)] if benefit.member else None,
                    "date": benefit.date,
                    "amount": benefit.amount,
                    "quantity": benefit.quantity,
                    "note": benefit.note,
                    "recorded_by_id": recorder,
                }
                for benefit in help_plan.benefits
            ],
        )
        cooperatives = {
            (row.village_id, row.name): row.pk
            for row in Cooperative.objects.bulk_create(
                Cooperative(village_id=coop.village_code, name=coop.name, kind=coop.kind, founded=coop.founded)
                for coop in help_plan.cooperatives
            )
        }
        memberships = copy_into(
            cursor,
            model=CooperativeMembership,
            rows=[
                {
                    "cooperative_id": cooperatives[membership.cooperative],
                    "household_id": households[membership.household],
                    "joined": membership.joined,
                    "shares": membership.shares,
                }
                for membership in help_plan.memberships
            ],
        )
        membership_ids = dict(
            CooperativeMembership.objects.filter(household__village__code__startswith=prefix).values_list(
                "household_id", "pk"
            )
        )
        dividends = copy_into(
            cursor,
            model=Dividend,
            rows=[
                {"membership_id": membership_ids[households[membership.household]], "year": year, "amount": amount}
                for membership in help_plan.memberships
                for year, amount in membership.dividends
            ],
        )
        units = {
            (region, name): pk
            for pk, region, name in Unit.objects.filter(
                name__in={project.unit[1] for project in help_plan.projects}
            ).values_list("pk", "region_id", "name")
        }
        projects = PairingProject.objects.bulk_create(
            PairingProject(
                unit_id=units[project.unit],
                village_id=project.village_code,
                name=project.name,
                year=YEAR,
                funds_invested=project.funds_invested,
                funds_coordinated=project.funds_coordinated,
                trainings=project.trainings,
            )  # fmt: skip
            for project in help_plan.projects
        )
        beneficiaries = copy_into(
            cursor,
            model=ProjectBeneficiary,
            rows=[
                {"project_id": row.pk, "household_id": households[number]}
                for row, project in zip(projects, help_plan.projects, strict=True)
                for number in project.households
            ],
        )
    return {
        "programs": len(programs),
        "benefits": benefits,
        "cooperatives": len(cooperatives),
        "memberships": memberships,
        "dividends": dividends,
        "projects": len(projects),
        "project_beneficiaries": beneficiaries,
    }


def delete_demo_programs(*, command: str = "seed_demo") -> dict:
    """Delete the demo county's help: benefits, dividends, memberships, cooperatives, projects with their
    beneficiaries, and the programs of the county's regions."""
    prefix = region_rules.significant_prefix(DEMO_COUNTY)
    in_county = {"household__village__code__startswith": prefix}
    deleted = {}
    with transaction.atomic(), pghistory.context(command=command):
        for label, queryset in (
            ("benefits", Benefit.objects.filter(**in_county)),
            ("dividends", Dividend.objects.filter(membership__household__village__code__startswith=prefix)),
            ("memberships", CooperativeMembership.objects.filter(**in_county)),
            ("cooperatives", Cooperative.objects.filter(village__code__startswith=prefix)),
            ("project_beneficiaries", ProjectBeneficiary.objects.filter(project__village__code__startswith=prefix)),
            ("projects", PairingProject.objects.filter(village__code__startswith=prefix)),
            ("programs", Program.objects.filter(region__code__startswith=prefix, benefits__isnull=True)),
        ):
            deleted[label] = queryset.only("pk").delete()[0]
    return deleted
